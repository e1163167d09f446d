"""Validating fit / evaluate / predict data against a model, once per call.

``prepare_x`` turns ``x`` into one array of the model's input dtype (checked for
rank, feature count, NaN/inf) and builds the model for it; ``prepare`` does the
same for ``(x, y, sample_weight)``, checking ``y`` against the loss and the output.
"""

import numpy as np

from ..autodiff import no_grad
from . import data_adapter as data
from . import targets


def output_shape(model):
    return tuple(model.compute_output_shape(model._input_spec_shape()))


def _check_input_shape(model, x, spec, first, where):
    if len(spec) == x.ndim:
        if first is not None and first._checks_features and first.built:
            first._check_input(x.shape)  # the layer's own message, naming it
        if all(s is None or s == d for s, d in zip(spec[1:], x.shape[1:], strict=True)):
            return
    hint = ""
    if x.ndim > len(spec) and np.prod(x.shape[1:]) == np.prod([d or 0 for d in spec[1:]]):
        hint = (" Flatten each sample first (x.reshape(len(x), -1)) or start the model with "
                "a Flatten layer.")
    raise ValueError(f"{where}: model '{model.name}' expects inputs of shape {tuple(spec)} "
                     f"but x has shape {x.shape}.{hint}")


def prepare_x(model, x, where):
    """``x`` validated and converted once; the model is built for it if needed."""
    if hasattr(model, "_prepare_x"):  # functional models check each input by name
        return model._prepare_x(x, where)
    x = data.as_data_array(x, "x", where)
    spec = model._input_spec_shape()
    first = model._first_layer()
    wants_columns = first is not None and first._min_ndim == 2
    if x.ndim == 1 and (tuple(spec or ()) == (None, 1) or spec is None and wants_columns):
        x = x.reshape(-1, 1)  # one feature per sample, as tf.keras 2 accepted
    x = x.astype(model._input_dtype_for(x.dtype), copy=False)
    data.check_finite(x, "x", where)
    if first is not None:
        first._validate_data(x, where)
    if spec is not None:
        _check_input_shape(model, x, spec, first, where)
    if not model.built:
        with no_grad():
            model._build_for_data(x)
    return x


def prepare(model, x, y, sample_weight, class_weight, where):
    """``(x, y, sample_weight)`` validated against the model and its compiled loss."""
    if hasattr(model, "_prepare"):
        return model._prepare(x, y, sample_weight, class_weight, where)
    if y is None and isinstance(x, tuple) and len(x) in (2, 3):
        raise ValueError(f"{where}: x is a tuple of {len(x)} and y is None; pass the samples "
                         f"and the targets as two arguments, e.g. fit(x_train, y_train), or "
                         f"a dataset: fit(myelin.data.Dataset.from_tensor_slices((x, y))"
                         f".batch(32)).")
    x = prepare_x(model, x, where)
    if y is None:
        raise ValueError(f"{where}: y is None; pass the targets (one per sample of x).")
    y = data.as_data_array(y, "y", where)
    data.check_same_length({"x": x, "y": y}, where)
    data.check_finite(y, "y", where)
    shape = output_shape(model)
    state = model._compile_state
    y = targets.check_targets(y, state.loss, shape, where)
    weights = data.sample_weights(sample_weight, len(x), where)
    if class_weight is not None:
        by_class = data.class_weights(class_weight, y, where)
        weights = by_class if weights is None else weights * by_class
    state.resolve_metrics(shape)
    return x, y, weights
