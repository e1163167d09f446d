"""Data for functional models: inputs given as one array, a list, or a dict keyed by
input name; targets per output as a list or a dict keyed by output name.

Everything is checked once per ``fit``/``evaluate``/``predict`` call, naming the
input or output concerned. A model with one input and one output gets plain arrays
back and trains in the trainer's single-output fast path; several inputs or outputs
travel as ``Arrays`` (sliced together) through ``heads.MultiSteps``.
"""

import numpy as np

from ..autodiff import Tensor, as_array, no_grad
from ..callbacks.callback_list import CallbackList
from ..ops.elementwise import cast
from ..ops.shape import reshape
from . import data_adapter as data
from . import data_stream, loops, targets
from .heads import (  # noqa: F401  (re-exported for the functional model)
    MultiSteps,
    batch_tensors,
    compile_heads,
    heads_of,
    single_output_args,
)


class Arrays:
    """Arrays (or None) with one sample axis, sliced together: x or y of a multi-IO model.

    Example:
        >>> batch = Arrays([np.zeros((10, 3)), np.ones((10,))])[2:4]
        >>> len(batch), batch.arrays[0].shape
        (2, (2, 3))
    """

    __slots__ = ("arrays",)

    def __init__(self, arrays):
        self.arrays = list(arrays)

    def __len__(self):
        return len(next(a for a in self.arrays if a is not None))

    def __getitem__(self, index):
        return Arrays([None if a is None else a[index] for a in self.arrays])

    def take(self, index, axis=0):
        return Arrays([None if a is None else a.take(index, axis=axis) for a in self.arrays])


def flat_inputs(model, inputs, where):
    """``inputs`` (one value, a list, or a dict keyed by input name) as a list in the
    order of ``model.inputs``."""
    names = model.input_names
    if isinstance(inputs, dict):
        unknown = [k for k in inputs if k not in names]
        if unknown:
            raise ValueError(f"{where}: no input is named {unknown[0]!r}; the model's inputs "
                             f"are {names}. Key the data by these names.")
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(f"{where}: no data for the input {missing[0]!r}; the model's "
                             f"inputs are {names} and the data has {list(inputs)}.")
        return [inputs[n] for n in names]
    if isinstance(inputs, (list, tuple)) and len(names) > 1:
        if len(inputs) != len(names):
            raise ValueError(f"{where}: the model has {len(names)} inputs {names} but "
                             f"received a list of {len(inputs)} arrays. Pass one array per "
                             f"input, in this order, or a dict keyed by input name.")
        return list(inputs)
    if len(names) > 1:
        raise ValueError(f"{where}: the model has {len(names)} inputs {names} but received "
                         f"a single array. Pass a list (one array per input) or a dict keyed "
                         f"by input name.")
    return [_unwrap(inputs)]


def _unwrap(value):
    """``[x]`` given for a single input or output is ``x`` (a list of rows stays)."""
    if isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(
            value[0], (np.ndarray, Tensor)):
        return value[0]
    return value


def fit_rank(tensor, array):
    """``array`` with Keras's rank adjustment: a trailing axis of 1 squeezed or added."""
    want = len(tensor.shape)
    if array.ndim == want + 1 and array.shape[-1] == 1:
        return array.reshape(array.shape[:-1])
    if array.ndim == want - 1 and tensor.shape[-1] == 1:
        return array.reshape(array.shape + (1,))
    return array


def check_shape(tensor, array, name, where):
    """Raise naming the input, its expected shape and the received one."""
    shape = tuple(tensor.shape)
    if array.ndim == len(shape) and all(s is None or s == d
                                        for s, d in zip(shape[1:], array.shape[1:], strict=True)):
        return
    raise ValueError(f"{where}: input '{name}' expects data of shape {shape} but received "
                     f"shape {array.shape}. Check the order of the inputs (model.input_names: "
                     f"the data for each Input must match its shape).")


def input_tensor(tensor, value, where):
    """One input of a model call as a Tensor of the Input's dtype and a fitting shape
    (a Tensor is reshaped and cast with ops, so gradients still reach it)."""
    raw = value._data if isinstance(value, Tensor) else as_array(value, where=where)
    fitted = fit_rank(tensor, raw)
    check_shape(tensor, fitted, tensor.name, where)
    if not isinstance(value, Tensor):
        return Tensor(fitted.astype(tensor.dtype, copy=False))
    if fitted is not raw:
        value = reshape(value, fitted.shape)
    return value if raw.dtype == tensor.dtype else cast(value, tensor.dtype)


def _input_array(model, tensor, name, value, where):
    array = data.as_data_array(value, f"x[{name!r}]" if len(model.inputs) > 1 else "x", where)
    array = fit_rank(tensor, array).astype(tensor.dtype, copy=False)
    data.check_finite(array, f"input '{name}'", where)
    check_shape(tensor, array, name, where)
    for node in model._nodes:  # the layers reading this input validate it (ids in range)
        if node.kind == "layer" and node.args and node.args[0] is tensor:
            node.layer._validate_data(array, where)
    return array


def prepare_x(model, x, where):
    """``x`` checked and converted once: an array (one input) or ``Arrays``."""
    if x is None:
        raise ValueError(f"{where}: x is None; pass the input data.")
    values = flat_inputs(model, x, where)
    names = model.input_names
    arrays = [_input_array(model, t, n, v, where)
              for t, n, v in zip(model.inputs, names, values, strict=True)]
    if len(arrays) == 1:
        return arrays[0]
    data.check_same_length({f"input '{n}'": a for n, a in zip(names, arrays, strict=True)},
                           where)
    return Arrays(arrays)


def _flat_targets(model, y, where):
    names = model.output_names
    if isinstance(y, dict):
        unknown = [k for k in y if k not in names]
        if unknown:
            raise ValueError(f"{where}: y has the key {unknown[0]!r} but the model's outputs "
                             f"are {names}. Key the targets by output name.")
        return [y.get(n) for n in names]
    if len(names) == 1:
        return [_unwrap(y)]
    if not isinstance(y, (list, tuple)) or len(y) != len(names):
        got = f"a list of {len(y)}" if isinstance(y, (list, tuple)) else "a single array"
        raise ValueError(f"{where}: the model has {len(names)} outputs {names} but y is "
                         f"{got}. Pass one target array per output, in this order, or a "
                         f"dict keyed by output name.")
    return list(y)


def prepare(model, x, y, sample_weight, class_weight, where):
    """``(x, y, sample_weight)`` checked against the model and its compiled losses."""
    x = prepare_x(model, x, where)
    if y is None:
        raise ValueError(f"{where}: y is None; pass the targets (one per sample of x).")
    heads = heads_of(model)
    values = _flat_targets(model, y, where)
    ys = []
    for head, value in zip(heads, values, strict=True):
        if head.loss is None:
            ys.append(None)
            continue
        label = f"y[{head.name!r}]" if len(heads) > 1 else "y"
        if value is None:
            raise ValueError(f"{where}: no targets for the output {head.name!r}, which has a "
                             f"loss. Add {label} or compile with loss None for it.")
        array = data.as_data_array(value, label, where)
        data.check_finite(array, label, where)
        at = f"{where} (output '{head.name}')" if len(heads) > 1 else where
        ys.append(targets.check_targets(array, head.loss, head.shape, at))
    given = {"x": x, **{f"y[{h.name!r}]": a for h, a in zip(heads, ys, strict=True)}}
    data.check_same_length(given, where)
    weights = data.sample_weights(sample_weight, len(x), where)
    if class_weight is not None:
        if len(heads) > 1:
            raise ValueError(f"{where}: class_weight is only supported for models with a "
                             f"single output; use sample_weight for model "
                             f"'{model.name}' with outputs {model.output_names}.")
        by_class = data.class_weights(class_weight, ys[0], where)
        weights = by_class if weights is None else weights * by_class
    if isinstance(x, np.ndarray) and len(ys) == 1:
        return x, ys[0], weights  # the single-input, single-output fast path
    return x, Arrays(ys), weights


def steps_for(model):
    """The trainer's per-batch work: Sequential's fast path when it fits."""
    if model._multi_io:
        return MultiSteps(model)
    return loops.Steps(model)


def predict(model, x, batch_size, verbose, callbacks, steps=None, whole=False):
    """The outputs of a multi-IO model for ``x`` (arrays or a Dataset/generator), batch
    by batch, packed like its outputs."""
    from .functional import pack

    where = "predict_on_batch" if whole else "predict"
    stream = None
    if data_stream.is_stream(x):
        stream = model._stream(x, where, steps, needs_targets=False)
        batches, count = stream.batches(), stream.steps
    else:
        x = prepare_x(model, x, where)
        size = len(x) if whole else data.check_positive_int(
            32 if batch_size is None else batch_size, "batch_size", where)
        batches = (x[start:start + size] for start in range(0, len(x), size))
        count = -(-len(x) // size)
    cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=model, verbose=verbose,
                       epochs=1, steps=count)
    forward = model._runner(False, ())
    hooks = loops.overrides(cbs, "on_predict_batch_begin", "on_predict_batch_end")
    parts = []
    cbs.on_predict_begin()
    try:
        with no_grad():
            for step, xb in enumerate(batches):
                if hooks:
                    cbs.on_predict_batch_begin(step)
                parts.append([o._data for o in forward(batch_tensors(xb))[0]])
                if hooks:
                    cbs.on_predict_batch_end(step, {"outputs": parts[-1]})
    finally:
        if stream is not None:
            stream.close()
    cbs.on_predict_end()
    return pack(model._outputs_struct, [np.concatenate(p) for p in zip(*parts, strict=True)])
