"""ONNX conversions of SimpleRNN, LSTM, GRU and Bidirectional (ONNX's RNN/LSTM/GRU ops).

Keras and ONNX store the gates differently: ONNX wants ``W`` ``(directions, gates *
hidden, input)`` (the kernel transposed), LSTM gates in the order i, o, f, c (Keras: i,
f, c, o) and one bias row ``[input bias, recurrent bias]``. GRU keeps Keras's z, r, h
order; Keras's default ``reset_after=True`` is ONNX's ``linear_before_reset=1``.

A mask (``Embedding(mask_zero=True)``) becomes ONNX's ``sequence_lens``, the count of
unmasked steps: exact for post-padded sequences (padding only at the end), where ONNX,
like Keras, stops updating the state after the last real step.
"""

from __future__ import annotations

import numpy as np

_INT32 = 6  # onnx.TensorProto.INT32
_ONNX_ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu"}
_KERAS_TO_ONNX_LSTM = [0, 3, 1, 2]  # ONNX block k holds Keras's gate _KERAS_TO_ONNX_LSTM[k]


def _activation(name, layer):
    if name not in _ONNX_ACTIVATIONS:
        raise ValueError(f"export: layer '{layer.name}' uses activation {name!r} in a recurrent "
                         f"cell; the ONNX recurrent ops take {', '.join(_ONNX_ACTIVATIONS)}.")
    return _ONNX_ACTIVATIONS[name]


def _op_and_weights(layer):
    """(ONNX op, W, R, B, attributes) for one recurrent layer, in ONNX's layout."""
    cell = layer.cell
    config = cell.get_config()
    kind = type(cell).__name__
    weights = cell.get_weights()
    kernel, recurrent = weights[0], weights[1]
    units = cell.units
    width = kernel.shape[1]
    bias = weights[2] if len(weights) > 2 else np.zeros(width, np.float32)
    act = _activation(config["activation"], layer)
    attrs = {"hidden_size": units}
    if kind == "LSTMCell":
        order = np.concatenate([np.arange(k * units, (k + 1) * units) for k in
                                _KERAS_TO_ONNX_LSTM])
        kernel, recurrent, bias = kernel[:, order], recurrent[:, order], bias[order]
        rec = _activation(config["recurrent_activation"], layer)
        attrs["activations"] = [rec, act, act]
        b = np.concatenate([bias, np.zeros_like(bias)])
        return "LSTM", kernel, recurrent, b, attrs
    if kind == "GRUCell":
        attrs["activations"] = [_activation(config["recurrent_activation"], layer), act]
        attrs["linear_before_reset"] = int(config["reset_after"])
        b = bias.reshape(-1) if bias.ndim == 2 else np.concatenate([bias, np.zeros_like(bias)])
        return "GRU", kernel, recurrent, b, attrs
    if kind == "SimpleRNNCell":
        attrs["activations"] = [act]
        return "RNN", kernel, recurrent, np.concatenate([bias, np.zeros_like(bias)]), attrs
    raise ValueError(f"export: layer '{layer.name}' runs a custom cell ({kind}); only "
                     f"SimpleRNN, LSTM and GRU cells have ONNX conversions.")


def _check_supported(layer, graph):
    if layer.stateful:
        raise ValueError(f"export: layer '{layer.name}' is stateful; ONNX graphs carry no "
                         f"state between runs. Export a copy built with stateful=False.")
    if layer.return_state:
        raise ValueError(f"export: layer '{layer.name}' has return_state=True; a Sequential "
                         f"export has one output per layer. Use return_state=False.")
    if graph.mask is not None and layer.return_sequences and not layer.zero_output_for_mask:
        raise ValueError(
            f"export: layer '{layer.name}' returns sequences under a mask, where Keras repeats "
            f"the last output at padded steps and ONNX outputs zeros. Export without the mask "
            f"(mask_zero=False), or with return_sequences=False.")


def _run(layer, x_time_major, graph, direction):
    """Add the ONNX op of ``layer`` on time-major ``x``; return (Y, Y_h) tensor names."""
    op, kernel, recurrent, bias, attrs = _op_and_weights(layer)
    hint = f"{layer.name}_{op.lower()}"
    inputs = [x_time_major, graph.constant(kernel.T[None].astype(np.float32), hint + "_W"),
              graph.constant(recurrent.T[None].astype(np.float32), hint + "_R"),
              graph.constant(bias[None].astype(np.float32), hint + "_B")]
    if graph.mask is not None:
        lens = graph.node("ReduceSum", [graph.mask, graph.constant(np.array([1], np.int64),
                                                                   hint)], hint, keepdims=0)
        inputs.append(graph.node("Cast", [lens], hint + "_lens", to=_INT32))
    y, y_h = graph.fresh(hint + "_Y"), graph.fresh(hint + "_Yh")
    outputs = [y, y_h] + ([graph.fresh(hint + "_Yc")] if op == "LSTM" else [])
    graph.nodes.append(graph._helper.make_node(op, inputs, outputs, direction=direction,
                                               **attrs))
    return y, y_h


def _sequence(y, graph, hint):
    """ONNX's Y ``(steps, 1, batch, units)`` as Keras's ``(batch, steps, units)``."""
    squeezed = graph.node("Squeeze", [y, graph.constant(np.array([1], np.int64), hint)], hint)
    return graph.node("Transpose", [squeezed], hint, perm=[1, 0, 2])


def _last(y_h, graph, hint):
    return graph.node("Squeeze", [y_h, graph.constant(np.array([0], np.int64), hint)], hint)


def _reverse_time(x, graph, hint):
    """Steps last to first along axis 1 (Keras's go_backwards output order)."""
    big = np.iinfo(np.int64).max
    return graph.node("Slice", [x, graph.constant(np.array([-1], np.int64), hint),
                                graph.constant(np.array([-big], np.int64), hint),
                                graph.constant(np.array([1], np.int64), hint),
                                graph.constant(np.array([-1], np.int64), hint)], hint)


def _output(layer, x_tm, graph, aligned):
    """One direction's Keras output; ``aligned`` keeps backward sequences in input order."""
    hint = layer.name
    direction = "reverse" if layer.go_backwards else "forward"
    if layer.go_backwards and layer.return_sequences and graph.mask is not None and not aligned:
        raise ValueError(f"export: layer '{layer.name}' returns its go_backwards sequence under "
                         f"a mask, which ONNX's reverse direction does not reproduce.")
    y, y_h = _run(layer, x_tm, graph, direction)
    if not layer.return_sequences:
        return _last(y_h, graph, hint)
    seq = _sequence(y, graph, hint)
    # ONNX's reverse direction writes step t's output at position t; Keras's go_backwards
    # lists outputs in processing order.
    return _reverse_time(seq, graph, hint) if layer.go_backwards and not aligned else seq


def recurrent(layer, x, graph):
    """SimpleRNN / LSTM / GRU / RNN over a built-in cell."""
    _check_supported(layer, graph)
    x_tm = graph.node("Transpose", [x], f"{layer.name}_time_major", perm=[1, 0, 2])
    out = _output(layer, x_tm, graph, aligned=False)
    if not layer.return_sequences:
        graph.mask = None
    return out


def bidirectional(layer, x, graph):
    """Bidirectional: both directions, the backward one already in input order."""
    forward, backward = layer.forward_layer, layer.backward_layer
    for part in (forward, backward):
        _check_supported(part, graph)
    if forward.go_backwards or not backward.go_backwards:
        raise ValueError(f"export: layer '{layer.name}' wraps a go_backwards layer; export "
                         f"supports Bidirectional over a forward layer (the usual case).")
    if layer.merge_mode is None:
        raise ValueError(f"export: layer '{layer.name}' has merge_mode=None (two outputs); "
                         f"a Sequential export needs one: use 'concat', 'sum', 'mul' or 'ave'.")
    x_tm = graph.node("Transpose", [x], f"{layer.name}_time_major", perm=[1, 0, 2])
    y = _output(forward, x_tm, graph, aligned=True)
    y_rev = _output(backward, x_tm, graph, aligned=True)
    hint = f"{layer.name}_{layer.merge_mode}"
    if layer.merge_mode == "concat":
        out = graph.node("Concat", [y, y_rev], hint, axis=-1)
    elif layer.merge_mode == "sum":
        out = graph.node("Add", [y, y_rev], hint)
    elif layer.merge_mode == "mul":
        out = graph.node("Mul", [y, y_rev], hint)
    else:
        total = graph.node("Add", [y, y_rev], hint)
        out = graph.node("Mul", [total, graph.constant(np.float32(0.5), hint)], hint)
    if not layer.return_sequences:
        graph.mask = None
    return out


def time_distributed(layer, x, graph):
    """TimeDistributed: the inner layer's nodes act on the last axis of every step."""
    from ._onnx_layers import convert_layer

    inner = layer.layer
    if type(inner).__name__ not in ("Dense", "Activation", "Dropout"):
        raise ValueError(f"export: TimeDistributed layer '{layer.name}' wraps "
                         f"{type(inner).__name__}; its ONNX export supports Dense, Activation "
                         f"and Dropout (ops on the last axis).")
    mask = graph.mask
    out = convert_layer(inner, x, graph)
    graph.mask = mask
    return out


def masking(layer, x, graph):
    """Masking: the mask of steps not all equal to mask_value; those steps set to 0."""
    hint = f"{layer.name}_mask"
    value = graph.constant(np.float32(layer.mask_value), hint)
    differs = graph.node("Not", [graph.node("Equal", [x, value], hint)], hint)
    keep = graph.node("Cast", [differs], hint, to=1)
    keep = graph.node("ReduceMax", [keep], hint, axes=[-1], keepdims=1)  # opset 17: attr
    graph.mask = graph.node("Squeeze", [keep, graph.constant(np.array([-1], np.int64), hint)],
                            hint)
    return graph.node("Mul", [x, keep], hint)
