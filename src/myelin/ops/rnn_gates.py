"""Gate activations of the recurrent kernels: in place, derivatives from outputs."""

import numpy as np

from .fused import sigmoid_inplace

# activation name -> in-place forward, derivative from the output
_INPLACE = {
    "tanh": lambda z: np.tanh(z, out=z),
    "sigmoid": sigmoid_inplace,
    "relu": lambda z: np.maximum(z, 0, out=z),
    "linear": lambda z: z,
}
_DERIVATIVE = {
    "tanh": lambda y: 1 - y * y,
    "sigmoid": lambda y: y * (1 - y),
    "relu": lambda y: (y > 0).astype(y.dtype),
    "linear": lambda y: np.ones_like(y),
}
SUPPORTED_ACTIVATIONS = tuple(_INPLACE)  # what the fused kernels implement


class Gates:
    """In-place activation of consecutive gate blocks, each ``units`` wide.

    With ``prescaled`` and only sigmoid/tanh blocks, ``sigmoid(z) = tanh(z / 2) / 2 +
    1 / 2`` lets every block be one ``tanh`` call plus one affine map: the ``1 / 2``
    inside is folded into the weight columns (``scale``) before the loop, so a step
    costs three NumPy calls for all gates instead of four per sigmoid block.

    Args:
        names: activation name of each block, e.g. ``["sigmoid", "tanh"]``.
        units: width of a block.
        prescaled: whether the caller multiplies the pre-activations by ``scale``.
    """

    def __init__(self, names, units, prescaled=False):
        self.names, self.units = list(names), units
        self.tanh_form = prescaled and all(n in ("sigmoid", "tanh") for n in names)
        self.scale = self.shift = None
        self._cast = {}
        if self.tanh_form:
            half = [0.5 if n == "sigmoid" else 1.0 for n in names]
            self.scale = np.repeat(half, units)
            self.shift = np.repeat([0.5 if n == "sigmoid" else 0.0 for n in names], units)
            self._affine = "sigmoid" in names
        self._smooth = all(n in ("sigmoid", "tanh") for n in names)
        if self._smooth:
            self._q = np.repeat([1.0 if n == "sigmoid" else 0.0 for n in names], units)
            self._p = None if "tanh" not in names else np.repeat(
                [0.0 if n == "sigmoid" else 1.0 for n in names], units)

    def _vector(self, name, dtype):
        # cast once per dtype: a per-step astype would cost a copy on every call
        key = (name, dtype)
        if key not in self._cast:
            self._cast[key] = getattr(self, name).astype(dtype)
        return self._cast[key]

    def _like(self, name, z):
        """The vector ``name`` repeated to ``z``'s shape, built once per shape: NumPy
        walks a row-broadcast operand one row at a time (a (128, 128) multiply took
        6.4 us against 2.5 us for two full arrays)."""
        key = (name, z.dtype, z.shape)
        if key not in self._cast:
            self._cast[key] = np.ascontiguousarray(
                np.broadcast_to(self._vector(name, z.dtype), z.shape))
        return self._cast[key]

    def __call__(self, z):
        if self.tanh_form:
            np.tanh(z, out=z)
            if self._affine:
                z *= self._like("scale", z)
                z += self._like("shift", z)
            return z
        n = self.units
        for k, name in enumerate(self.names):
            _INPLACE[name](z[..., k * n:(k + 1) * n])
        return z

    def derivative(self, y, out=None):
        """``d activation / d pre-activation`` from the outputs ``y`` (into ``out``).

        Sigmoid and tanh blocks share one form, ``(q - y) * y + p`` (sigmoid: q=1,
        p=0; tanh: q=0, p=1), so a step's gates need three calls whatever the mix.
        """
        out = np.empty_like(y) if out is None else out
        if self.names == ["tanh"]:  # 1 - y^2 in two calls
            np.multiply(y, y, out=out)
            return np.subtract(1, out, out=out)
        if self._smooth:
            np.subtract(self._like("_q", y), y, out=out)
            out *= y
            if self._p is not None:
                out += self._like("_p", y)
            return out
        n = self.units
        for k, name in enumerate(self.names):
            out[..., k * n:(k + 1) * n] = _DERIVATIVE[name](y[..., k * n:(k + 1) * n])
        return out
