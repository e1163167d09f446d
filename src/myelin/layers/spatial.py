"""SpatialLayer: the input checks of convolutions and poolings, with their messages.

Inputs must have rank ``rank + 2`` (batch, spatial axes, channels); a missing channel
axis gets the ``np.expand_dims(x, -1)`` hint; a channel count other than the one the
layer was built for, and a window larger than a ``valid`` input, are named errors
raised before any state changes.
"""

from ..ops.conv_geometry import output_length
from .layer import Layer

_LAYOUTS = {1: "(batch, steps, channels)", 2: "(batch, height, width, channels)"}


def check_data_format(data_format, where):
    """``data_format`` or its default; myelin's kernels are channels-last."""
    data_format = data_format or "channels_last"
    if data_format != "channels_last":
        raise ValueError(f"{where}: data_format={data_format!r} is not supported; myelin's "
                         f"convolutions and poolings are channels_last. Move the channels "
                         f"last, e.g. np.moveaxis(x, 1, -1).")
    return data_format


class SpatialLayer(Layer):
    """Input checks shared by convolutions and poolings over ``rank`` spatial axes.

    Subclasses set ``rank`` (1 or 2) and use ``_spatial_output`` in their
    ``compute_output_shape``; ``**kwargs`` are ``Layer``'s.
    """

    rank = 2

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._ndim = self.rank + 2  # makes Layer.__call__ check every input after build

    @property
    def _where(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _rank_error(self, shape):
        expected = self.rank + 2
        hint = ""
        if len(shape) == expected - 1:
            kind = "grayscale images" if self.rank == 2 else "a single feature per step"
            hint = (f" For {kind} add the channel axis: x = np.expand_dims(x, -1) gives "
                    f"shape {tuple(shape) + (1,)}.")
        return ValueError(f"{self._where} expects inputs of rank {expected} "
                          f"{_LAYOUTS[self.rank]} but received shape {tuple(shape)}.{hint}")

    def _check_rank(self, shape):
        if len(shape) != self.rank + 2:
            raise self._rank_error(shape)

    def _check_input(self, shape):
        self._check_rank(shape)
        expected = self._expected_features
        if expected is not None and shape[-1] != expected:
            raise ValueError(f"{self._where} was built for inputs with {expected} channels "
                             f"(last axis) but received shape {tuple(shape)}. Feed inputs "
                             f"with {expected} channels, or use a new layer for the new data.")

    def _validate_data(self, x, where):
        if x.ndim != self.rank + 2:
            raise self._rank_error(x.shape)

    def _spatial_output(self, input_shape, kernel, strides, dilation, what):
        """The output's spatial sizes (None where unknown), checked to be non-empty."""
        self._check_rank(input_shape)
        sizes = tuple(output_length(n, k, s, d, self.padding) for n, k, s, d in zip(
            input_shape[1:-1], kernel, strides, dilation, strict=True))
        if any(s is not None and s <= 0 for s in sizes):
            raise ValueError(
                f"{self._where}: the {what} {tuple(kernel)} (dilation {tuple(dilation)}) is "
                f"larger than the input's spatial size {tuple(input_shape[1:-1])} with "
                f"padding='valid', so the output would have size {sizes}. Use "
                f"padding='same', a smaller {what}, or larger inputs.")
        return sizes
