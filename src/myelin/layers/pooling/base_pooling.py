"""BasePooling: max and average pooling over 1-D or 2-D windows (Keras 3's arguments)."""

from ...ops.conv_geometry import check_padding, pair
from ...ops.spatial import pool
from ..spatial import SpatialLayer, check_data_format


class BasePooling(SpatialLayer):
    """Shared base of ``MaxPooling1D/2D`` and ``AveragePooling1D/2D``.

    Args:
        pool_size: int or tuple of ``rank`` ints, the window size.
        strides: int or tuple; None (the default) means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (or None).
    """

    _splits_over_cores = True  # ops.threads.over_batch: see Layer

    kind = "max"
    _default_pool = 2

    def __init__(self, pool_size=None, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        where = self._where
        pool_size = self._default_pool if pool_size is None else pool_size
        self.pool_size = pair(pool_size, self.rank, "pool_size", where)
        self.strides = self.pool_size if strides is None else pair(strides, self.rank,
                                                                    "strides", where)
        self.padding = check_padding(padding, where)
        self.data_format = check_data_format(data_format, where)

    def call(self, inputs):
        return pool(inputs, self.kind, self.pool_size, self.strides, self.padding,
                    where=self._where)

    def compute_output_shape(self, input_shape):
        sizes = self._spatial_output(input_shape, self.pool_size, self.strides,
                                     (1,) * self.rank, "pool window")
        return (input_shape[0], *sizes, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}
