"""The transposed convolution: the input gradient of a convolution as a forward op.

One product per kernel tap (``x @ kernel_tap``), each added into the output image with
one strided add (col2im); backward is one im2col product for the input gradient and
one for the kernel gradient. Channels-last, 2-D spatial; 1-D callers add a height of 1.
"""

import numpy as np

from ..autodiff import Function
from .conv_geometry import Geometry
from .fused import FUSED_ACTIVATIONS


class ConvTranspose(Function):
    """``activation(conv_transpose(x, kernel) + bias)``: the input gradient of a conv.

    ``kernel`` is ``(kh, kw, out, in)`` as TensorFlow and Keras store it; the output
    size ``out_hw`` is given (the shape of the convolution's input).

    Args:
        out_hw: the output's ``(height, width)``.
        strides, dilation, padding, activation: as in ``Conv``.
    """

    def __init__(self, out_hw, strides, dilation, padding, activation="linear"):
        self.out_hw, self.strides, self.dilation = out_hw, strides, dilation
        self.padding = padding
        self.forward_act, self.derivative = FUSED_ACTIVATIONS[activation]

    def forward(self, x, kernel, bias=None):
        kh, kw, filters, _ = kernel.shape
        geo = Geometry(self.out_hw, (kh, kw), self.strides, self.dilation, self.padding,
                       out_hw=x.shape[1:3])
        taps = np.matmul(x.reshape(-1, x.shape[3]),
                         kernel.reshape(kh * kw, filters, x.shape[3]).transpose(0, 2, 1))
        out = geo.col2im(taps.reshape(kh, kw, *x.shape[:3], filters), filters, x.dtype)
        out = np.ascontiguousarray(out)
        if bias is not None:
            out += bias
        if self.forward_act is not None:
            self.forward_act(out)
        self.geo, self.x, self.kernel = geo, x, kernel
        self.out = out if self.derivative is not None else None
        return out

    def backward(self, grad):
        g = grad if self.derivative is None else self.derivative(grad, self.out)
        x, kernel = self.x, self.kernel
        channels = x.shape[3]
        patches = self.geo.windows(self.geo.pad(g)).reshape(-1, kernel[..., 0].size)
        gx = np.dot(patches, kernel.reshape(-1, channels)).reshape(x.shape) if (
            self.needs[0]) else None
        gk = np.dot(patches.T, x.reshape(-1, channels)).reshape(kernel.shape) if (
            self.needs[1]) else None
        gb = g.reshape(-1, g.shape[-1]).sum(axis=0) if (
            len(self.needs) == 3 and self.needs[2]) else None
        return (gx, gk, gb)[:len(self.needs)]
