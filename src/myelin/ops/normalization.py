"""Fused normalization kernels: ``(x - mean) / sqrt(variance + epsilon) * gamma + beta``.

One Function computes the whole normalization and its gradient in closed form (a few
array passes each way) instead of a chain of a dozen small ops. The statistics are
either computed from ``x`` over ``stat_axes`` (batch normalization while training,
layer normalization always: the gradient then flows through them) or given as
constants (batch normalization at inference, with the moving statistics).
"""

import numpy as np

from ..autodiff import Function, Tensor, convert_to_tensor

_KERAS_EPSILON = 1e-7  # backend.epsilon(): keeps masked statistics finite with no samples


class Normalize(Function):
    """Inputs: ``x``, then ``gamma`` and/or ``beta`` (flags say which are present), each
    broadcast against ``x`` as ``param_shape``; their gradients are summed over
    ``param_axes`` (the axes they are broadcast along)."""

    def __init__(self, mean, variance, epsilon, stat_axes, param_shape, param_axes,
                 has_gamma, has_beta, weights=None):
        self.mean, self.variance, self.epsilon = mean, variance, epsilon
        self.weights = weights  # masked statistics: (0/1 weights, 1 / (count + 1e-7))
        self.stat_axes, self.param_shape, self.param_axes = stat_axes, param_shape, param_axes
        self.has_gamma, self.has_beta = has_gamma, has_beta

    def forward(self, x, *params):
        self.shapes = [p.shape for p in params]
        self.inv = 1.0 / np.sqrt(self.variance + self.epsilon)
        self.xhat = out = (x - self.mean) * self.inv
        self.gamma = params[0].reshape(self.param_shape) if self.has_gamma else None
        if self.gamma is not None:
            out = out * self.gamma
        if self.has_beta:
            out = out + params[-1].reshape(self.param_shape)
        return out

    def backward(self, grad):
        dxhat = grad if self.gamma is None else grad * self.gamma
        if not self.needs[0]:
            gx = None
        elif self.stat_axes is None:  # constant statistics
            gx = dxhat * self.inv
        elif self.weights is not None:
            gx = self._masked_input_gradient(dxhat)
        else:  # through the mean and variance of x as well
            axes, xhat = self.stat_axes, self.xhat
            mean_d = dxhat.mean(axis=axes, keepdims=True)
            mean_dx = (dxhat * xhat).mean(axis=axes, keepdims=True)
            gx = self.inv * (dxhat - mean_d - xhat * mean_dx)
        grads = [gx]
        if self.has_gamma:
            grads.append((grad * self.xhat).sum(axis=self.param_axes).reshape(self.shapes[0])
                         if self.needs[1] else None)
        if self.has_beta:
            grads.append(grad.sum(axis=self.param_axes).reshape(self.shapes[-1])
                         if self.needs[-1] else None)
        return tuple(grads)

    def _masked_input_gradient(self, dxhat):
        """d/dx through ``mean = c * sum(w x)`` and ``var = c * sum(w (x - mean)**2)``."""
        w, c = self.weights
        axes, inv = self.stat_axes, self.inv
        centered = self.xhat / inv
        d_var = -0.5 * inv ** 3 * (dxhat * centered).sum(axis=axes, keepdims=True)
        d_mean = (-inv * dxhat.sum(axis=axes, keepdims=True)
                  - 2 * c * d_var * (w * centered).sum(axis=axes, keepdims=True))
        return dxhat * inv + c * w * (d_mean + 2 * d_var * centered)


def _apply(x, gamma, beta, mean, variance, epsilon, stat_axes, kept_axes, weights=None):
    """Run ``Normalize`` with parameters living on ``kept_axes`` of ``x``."""
    param_shape = tuple(n if i in kept_axes else 1 for i, n in enumerate(x.shape))
    param_axes = tuple(i for i in range(x.ndim) if i not in kept_axes)
    params = [p for p in (gamma, beta) if p is not None]
    return Normalize.apply(x, *params, mean=mean, variance=variance, epsilon=epsilon,
                           stat_axes=stat_axes, param_shape=param_shape,
                           param_axes=param_axes, has_gamma=gamma is not None,
                           has_beta=beta is not None, weights=weights)


def _check_axes(axes, ndim, op):
    out = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or not -ndim <= a < ndim:
            raise ValueError(f"{op}: axis {a!r} is out of range for inputs of rank {ndim}.")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: duplicate axes are not allowed, received {list(axes)}.")
    return tuple(sorted(out))


def batch_normalization_train(x, gamma, beta, axis, epsilon, mask=None):
    """Batch normalization with the batch's own statistics (training).

    Args:
        x: Tensor; ``axis`` is the feature axis kept, the statistics are taken over
            every other axis.
        gamma, beta: Tensors of shape ``(x.shape[axis],)``, or None (no scale/offset).
        axis: the feature axis.
        epsilon: added to the variance.
        mask: optional boolean array of ``x``'s shape without the feature axis (e.g.
            ``(batch, steps)`` for padded sequences): the statistics then cover the
            unmasked positions only, ``sum(w x) / (count + 1e-7)`` as Keras.

    Returns:
        ``(output, mean, variance)``: the normalized Tensor and the batch's mean and
        (biased) variance as arrays of shape ``(x.shape[axis],)`` for the moving
        averages.

    Example:
        >>> out, mean, var = batch_normalization_train(x, gamma, beta, -1, 1e-3)
    """
    x = convert_to_tensor(x)
    (axis,) = _check_axes([axis], x.ndim, "batch_normalization")
    stat_axes = tuple(i for i in range(x.ndim) if i != axis)
    data = x._data
    weights = None
    if mask is None:
        mean = data.mean(axis=stat_axes, keepdims=True)
        variance = data.var(axis=stat_axes, keepdims=True)
    else:
        w = np.broadcast_to(np.expand_dims(np.asarray(mask), axis), data.shape)
        w = w.astype(data.dtype)
        c = 1.0 / (w.sum(axis=stat_axes, keepdims=True) + _KERAS_EPSILON)
        mean = (w * data).sum(axis=stat_axes, keepdims=True) * c
        variance = (w * np.square(data - mean)).sum(axis=stat_axes, keepdims=True) * c
        weights = (w, c)
    out = _apply(x, gamma, beta, mean, variance, epsilon, stat_axes, (axis,), weights)
    return out, mean.reshape(-1), variance.reshape(-1)


def batch_normalization(x, mean, variance, gamma, beta, axis, epsilon):
    """Batch normalization with fixed statistics (inference: the moving averages).

    Args:
        x: Tensor.
        mean, variance: arrays of shape ``(x.shape[axis],)``, treated as constants.
        gamma, beta: Tensors of that shape, or None.
        axis: the feature axis.
        epsilon: added to the variance.

    Returns:
        The normalized Tensor.

    Example:
        >>> batch_normalization(x, moving_mean, moving_var, gamma, beta, -1, 1e-3)
    """
    x = convert_to_tensor(x)
    (axis,) = _check_axes([axis], x.ndim, "batch_normalization")
    param_shape = tuple(n if i == axis else 1 for i, n in enumerate(x.shape))
    dtype = x.dtype
    mean = np.asarray(mean._data if isinstance(mean, Tensor) else mean, dtype).reshape(
        param_shape)
    variance = np.asarray(variance._data if isinstance(variance, Tensor) else variance,
                          dtype).reshape(param_shape)
    return _apply(x, gamma, beta, mean, variance, epsilon, None, (axis,))


def layer_normalization(x, gamma, beta, axes, epsilon):
    """Layer normalization: each sample normalized over ``axes`` (default the features).

    Args:
        x: Tensor.
        gamma, beta: Tensors shaped like ``x``'s sizes on ``axes``, or None.
        axes: list of axes to normalize over.
        epsilon: added to the variance.

    Returns:
        The normalized Tensor.

    Example:
        >>> layer_normalization(x, gamma, beta, [-1], 1e-3)
    """
    x = convert_to_tensor(x)
    stat_axes = _check_axes(axes, x.ndim, "layer_normalization")
    data = x._data
    mean = data.mean(axis=stat_axes, keepdims=True)
    variance = data.var(axis=stat_axes, keepdims=True)
    return _apply(x, gamma, beta, mean, variance, epsilon, stat_axes, stat_axes)
