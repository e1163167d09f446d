"""Hashing: values into a fixed number of bins with TensorFlow's hashes (Keras 3)."""

import numpy as np

from .base import PreprocessingLayer, as_text, raw_array
from .encoding import encode
from .hashing_fn import hash_bucket


class Hashing(PreprocessingLayer):
    """Hash strings or integers into ``num_bins`` bins (Keras's Hashing layer).

    Bins are ``Fingerprint64(value) % num_bins`` (TensorFlow's FarmHash, what Keras 3
    uses on every backend), or SipHash-2-4 keyed by ``salt``; integers are hashed as
    their decimal strings. With ``mask_value``, that value maps to bin 0 and the others
    to ``1 + hash % (num_bins - 1)``.

    Args:
        num_bins: the number of bins (including the mask bin).
        mask_value: a value to map to 0 (default None).
        salt: an int or a pair of ints keying the strong hash (default None: FarmHash).
        output_mode: ``"int"`` (default), ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        sparse: must stay False.
        **kwargs: ``name``, ``dtype``.

    Example:
        >>> Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"], ["D"], ["E"]])).numpy()[:, 0]
        array([1, 0, 1, 1, 2])
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        if isinstance(num_bins, bool) or not isinstance(num_bins, (int, np.integer)) or (
                num_bins <= 0):
            raise ValueError(f"Hashing: num_bins must be a positive integer, received "
                             f"{num_bins!r}.")
        output_mode = "multi_hot" if output_mode == "binary" else output_mode
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Hashing: unknown output_mode {output_mode!r}; expected 'int', "
                             f"'one_hot', 'multi_hot' or 'count'.")
        if isinstance(salt, (int, np.integer)) and not isinstance(salt, bool):
            salt = [int(salt), int(salt)]
        elif salt is not None and not (isinstance(salt, (list, tuple)) and len(salt) == 2
                                       and all(isinstance(s, (int, np.integer)) for s in salt)):
            raise ValueError(f"Hashing: salt must be None, an int or a pair of ints, "
                             f"received {salt!r}.")
        if sparse:
            raise ValueError("Hashing: sparse=True is not supported; outputs are dense.")
        if mask_value is not None and num_bins < 2:
            raise ValueError(f"Hashing: with a mask_value, num_bins must be >= 2 (bin 0 is "
                             f"the mask), received {num_bins}.")
        super().__init__(**kwargs)
        self.num_bins, self.mask_value, self.output_mode = int(num_bins), mask_value, output_mode
        self.salt = None if salt is None else list(salt)
        self.sparse = False

    def _compute(self, array):
        where = f"Hashing layer '{self.name}'"
        if array.dtype.kind in "iub":
            values = array.reshape(-1).tolist()
        else:
            values = as_text(array, where).reshape(-1).tolist()
        bins = self.num_bins if self.mask_value is None else self.num_bins - 1
        ids = np.array(hash_bucket(values, bins, self.salt), dtype=np.int64)
        if self.mask_value is not None:
            mask = np.array([v == self.mask_value for v in values], dtype=bool)
            ids = np.where(mask, 0, ids + 1)
        ids = ids.reshape(array.shape)
        if self.output_mode == "int":
            return ids
        return encode(ids, self.output_mode, self.num_bins, self.dtype, where=where)

    def call(self, inputs):
        """Hash a batch (strings, bytes or integers; floats are refused)."""
        array = raw_array(inputs)
        if array.dtype.kind == "f":
            raise TypeError(f"Hashing layer '{self.name}' expects strings or integers but "
                            f"received dtype {array.dtype}. Cast whole-number floats to "
                            f"int or format them as strings first.")
        return super().call(array)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if self.output_mode == "one_hot" and (len(input_shape) < 2 or input_shape[-1] != 1):
            return input_shape + (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins,
                "mask_value": self.mask_value, "salt": self.salt,
                "output_mode": self.output_mode, "sparse": self.sparse}
