"""Orthogonal: the default recurrent-kernel initializer of Keras's RNN layers."""

import numpy as np

from .random import RandomInitializer


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times ``gain``, from the QR decomposition of a normal draw.

    The shape is flattened to ``(prod(shape[:-1]), shape[-1])``; rows are orthonormal
    when there are fewer rows than columns, else columns are (Saxe et al., 2014).

    Args:
        gain: factor applied to the orthogonal matrix.
        seed: optional int for reproducible draws.

    Example:
        >>> q = Orthogonal(seed=0)((4, 4))
        >>> np.allclose(q @ q.T, np.eye(4), atol=1e-6)
        True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed=seed)
        self.gain = float(gain)

    def __call__(self, shape, dtype=None):
        shape, dtype = self._prepare(shape, dtype)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal: the tensor to initialize must be at least "
                             f"two-dimensional, received shape={shape} of rank {len(shape)}.")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        draw = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(draw)
        q *= np.sign(np.diag(r))  # makes the distribution uniform over orthogonal matrices
        if rows < cols:
            q = q.T
        return (self.gain * q).reshape(shape).astype(dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
