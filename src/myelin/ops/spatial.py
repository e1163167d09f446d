"""Checked entry points of the convolution and pooling kernels, for 1-D and 2-D inputs.

Each validates shapes and hyper-parameters up front (naming ``where``, the expected
and the received value), reshapes 1-D inputs to a height of 1 and calls one fused
``Function`` of ``conv`` / ``pooling``. Arguments are already normalized tuples;
the Keras layers and the ``tf.nn`` functions parse their own spellings.
"""

from ..autodiff import convert_to_tensor
from .conv import Conv
from .conv_geometry import check_padding, effective, output_length, pair
from .conv_transpose import ConvTranspose
from .pooling import AvgPool, MaxPool
from .shape import reshape


def _as_2d(x, rank, where, layout):
    """``x`` as ``(batch, height, width, channels)`` (1-D inputs get height 1)."""
    if x.ndim != rank + 2:
        raise ValueError(f"{where}: expected an input of rank {rank + 2} {layout}, received "
                         f"shape {x.shape}.")
    return reshape(x, (x.shape[0], 1, *x.shape[1:])) if rank == 1 else x


def _back(out, rank):
    return reshape(out, (out.shape[0], *out.shape[2:])) if rank == 1 else out


def _check_fits(in_sizes, kernel, strides, dilation, padding, where, what="kernel"):
    for n, k, s, d in zip(in_sizes, kernel, strides, dilation, strict=True):
        if output_length(n, k, s, d, padding) == 0:
            raise ValueError(
                f"{where}: the {what} (size {tuple(kernel)}, dilated span "
                f"{tuple(effective(a, b) for a, b in zip(kernel, dilation, strict=True))}) is "
                f"larger than the input's spatial size {tuple(in_sizes)} with padding='valid', "
                f"which would give an empty output. Use padding='same', a smaller "
                f"{what} or larger inputs.")


def _norm(rank, where, strides, dilation, padding, causal_ok=False):
    """Strides and dilation as tuples, padding as a checked lower-case mode."""
    return (pair(strides, rank, "strides", where), pair(dilation, rank, "dilation", where),
            check_padding(padding, where, causal_ok and rank == 1))


def _layout(rank):
    return "(batch, steps, channels)" if rank == 1 else "(batch, height, width, channels)"


def conv(x, kernel, bias=None, strides=1, padding="valid", dilation=1, groups=1,
         activation="linear", where="conv"):
    """``activation(conv(x, kernel) + bias)``, channels last, 1-D or 2-D.

    Args:
        x: ``(batch, [height,] width, channels)``.
        kernel: ``([kh,] kw, channels / groups, filters)``.
        bias: ``(filters,)`` or None.
        strides, dilation: tuples with one int per spatial axis.
        padding: ``"valid"``, ``"same"`` or (1-D) ``"causal"``.
        groups: split channels and filters into this many independent convolutions.
        activation: a name of ``myelin.ops.fused.FUSED_ACTIVATIONS``, applied in place.
        where: the caller's name for error messages.

    Returns:
        A Tensor ``(batch, [out_h,] out_w, filters)``.
    """
    x, kernel = convert_to_tensor(x), convert_to_tensor(kernel)
    if kernel.ndim not in (3, 4) or kernel.shape[-1] % groups:
        raise ValueError(f"{where}: the kernel must be (kernel size..., in_channels / groups, "
                         f"filters) with filters divisible by groups={groups}, received "
                         f"shape {kernel.shape}.")
    rank = kernel.ndim - 2
    strides, dilation, padding = _norm(rank, where, strides, dilation, padding, True)
    x2 = _as_2d(x, rank, where, _layout(rank))
    if x.shape[-1] != kernel.shape[-2] * groups:
        raise ValueError(f"{where}: the input has {x.shape[-1]} channels (last axis) but the "
                         f"kernel {kernel.shape} expects {kernel.shape[-2]} x groups={groups}"
                         f" = {kernel.shape[-2] * groups}.")
    _check_fits(x.shape[1:-1], kernel.shape[:-2], strides, dilation, padding, where)
    k2 = reshape(kernel, (1, *kernel.shape)) if rank == 1 else kernel
    pad1 = (1,) if rank == 1 else ()
    params = dict(strides=pad1 + tuple(strides), dilation=pad1 + tuple(dilation),
                  padding=padding, groups=groups, activation=activation)
    inputs = (x2, k2) if bias is None else (x2, k2, convert_to_tensor(bias))
    return _back(Conv.apply(*inputs, **params), rank)


def conv_transpose(x, kernel, output_size, bias=None, strides=1, padding="valid",
                   dilation=1, activation="linear", where="conv_transpose"):
    """The transposed convolution: the input gradient of ``conv`` as a forward op.

    Args:
        x: ``(batch, [height,] width, in_channels)``.
        kernel: ``([kh,] kw, filters, in_channels)`` (TensorFlow's layout).
        output_size: the spatial output size, a tuple with one int per axis; a
            ``conv`` with the same settings must map it back to ``x``'s size.
        bias, strides, padding, dilation, activation, where: as in ``conv``.

    Returns:
        A Tensor ``(batch, *output_size, filters)``.
    """
    x, kernel = convert_to_tensor(x), convert_to_tensor(kernel)
    rank = kernel.ndim - 2
    strides, dilation, padding = _norm(rank, where, strides, dilation, padding)
    output_size = pair(output_size, rank, "output_size", where)
    x2 = _as_2d(x, rank, where, _layout(rank))
    if x.shape[-1] != kernel.shape[-1]:
        raise ValueError(f"{where}: the input has {x.shape[-1]} channels (last axis) but the "
                         f"kernel {kernel.shape} expects {kernel.shape[-1]} (its last axis).")
    expected = tuple(output_length(n, k, s, d, padding) for n, k, s, d in zip(
        output_size, kernel.shape[:-2], strides, dilation, strict=True))
    if expected != tuple(x.shape[1:-1]):
        raise ValueError(f"{where}: output size {tuple(output_size)} does not match the input: "
                         f"a convolution with these strides and padding maps it to "
                         f"{expected}, not to the input's {tuple(x.shape[1:-1])}.")
    pad1 = (1,) if rank == 1 else ()
    k2 = reshape(kernel, (1, *kernel.shape)) if rank == 1 else kernel
    params = dict(out_hw=pad1 + tuple(output_size), strides=pad1 + tuple(strides),
                  dilation=pad1 + tuple(dilation), padding=padding, activation=activation)
    inputs = (x2, k2) if bias is None else (x2, k2, convert_to_tensor(bias))
    return _back(ConvTranspose.apply(*inputs, **params), rank)


def depthwise_conv(x, kernel, bias=None, strides=1, padding="valid", dilation=1,
                   activation="linear", where="depthwise_conv"):
    """Each input channel convolved with its own ``multiplier`` filters.

    Args:
        x: ``(batch, [height,] width, channels)``.
        kernel: ``([kh,] kw, channels, multiplier)``; output channel ``c * multiplier
            + m`` comes from input channel ``c`` and filter ``m`` (TensorFlow's order).
        bias, strides, padding, dilation, activation, where: as in ``conv``.

    Returns:
        A Tensor ``(batch, [out_h,] out_w, channels * multiplier)``.
    """
    kernel = convert_to_tensor(kernel)
    channels = kernel.shape[-2]
    # A grouped conv with one input channel per group: the kernel is the same array.
    grouped = reshape(kernel, (*kernel.shape[:-2], 1, channels * kernel.shape[-1]))
    return conv(x, grouped, bias, strides, padding, dilation, channels, activation, where)


def pool(x, kind, pool_size, strides, padding="valid", where="pool"):
    """Max or average pooling over windows, 1-D or 2-D (``len(pool_size)``).

    Args:
        x: ``(batch, [height,] width, channels)``.
        kind: ``"max"`` or ``"avg"``.
        pool_size, strides: tuples with one int per spatial axis.
        padding: ``"valid"`` or ``"same"``.
        where: the caller's name for error messages.

    Returns:
        A Tensor ``(batch, [out_h,] out_w, channels)``.
    """
    x = convert_to_tensor(x)
    rank = len(pool_size)
    strides, _, padding = _norm(rank, where, strides, 1, padding)
    pool_size = pair(pool_size, rank, "pool_size", where)
    x2 = _as_2d(x, rank, where, _layout(rank))
    _check_fits(x.shape[1:-1], pool_size, strides, (1,) * rank, padding, where, "pool window")
    pad1 = (1,) if rank == 1 else ()
    op = MaxPool if kind == "max" else AvgPool
    return _back(op.apply(x2, pool=pad1 + tuple(pool_size), strides=pad1 + tuple(strides),
                          padding=padding), rank)


__all__ = ["conv", "conv_transpose", "depthwise_conv", "pool"]
