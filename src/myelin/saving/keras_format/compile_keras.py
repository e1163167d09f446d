"""Compile settings and optimizer state in Keras 3's ``.keras`` form.

``compile_config`` holds the optimizer as a ``keras.optimizers`` object and losses and
metrics as Keras's built-in names (or ``keras.losses``/``keras.metrics`` objects); the
optimizer's variables go to ``optimizer/vars`` in Keras's order (``iterations``,
``learning_rate``, then each trainable variable's slots), which is also myelin's
``Optimizer.get_state`` order. Settings Keras could not rebuild are left out, so the
file then loads uncompiled in Keras rather than failing.
"""

from __future__ import annotations

from .. import registry
from ..archive import UnsafeFileError
from ..compile_config import compile_arguments, compile_config
from .allow import OPTIMIZERS, check_object, myelin_class

_OBJECT_KINDS = {"optimizers>": "keras.optimizers", "losses>": "keras.losses",
                 "metrics>": "keras.metrics"}


def keras_compile_config(model) -> dict | None:
    """``model``'s compile settings in Keras's schema, or None if not compiled/expressible."""
    if not getattr(model, "compiled", False):
        return None
    config = compile_config(model)
    try:
        optimizer = _keras_object(config["optimizer"])
        loss = _plain(config["loss"])
        metrics = _plain(config["metrics"]) or None
        weighted = _plain(config["weighted_metrics"]) or None
    except ValueError:
        return None
    if optimizer["class_name"] not in OPTIMIZERS:
        return None
    weights = config["loss_weights"]
    return {"optimizer": optimizer, "loss": loss,
            "loss_weights": None if weights in (1.0, None) else weights,
            "metrics": metrics, "weighted_metrics": weighted, "run_eagerly": False,
            "steps_per_execution": 1, "jit_compile": False}


def optimizer_arrays(model) -> list:
    """The optimizer's variables in Keras's ``optimizer/vars`` order (empty if none)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(model, "compiled", False):
        return []
    return optimizer.get_state()


def _keras_object(spec):
    key = spec["class_name"]
    prefix = next((p for p in _OBJECT_KINDS if key.startswith(p)), None)
    if prefix is None:
        raise ValueError(key)
    return {"module": _OBJECT_KINDS[prefix], "class_name": key[len(prefix):].rsplit(".v", 1)[0],
            "config": spec.get("config", {}), "registered_name": None}


def _plain(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict) and "class_name" in value:
        return _keras_object(value)
    raise ValueError(value)


def compile_from_keras(model, config: dict, where: str) -> None:
    """Compile ``model`` as a Keras ``compile_config`` says (allow-listed optimizer, and
    built-in loss and metric names); anything else leaves the model uncompiled."""
    spec = config.get("optimizer")
    name = check_object(spec, where, "keras.optimizers")
    cls = myelin_class("keras.optimizers", name, where)
    accepted = cls().get_config()  # the keys myelin's optimizer understands
    options = {k: v for k, v in (spec.get("config") or {}).items() if k in accepted}
    loss, metrics = config.get("loss"), config.get("metrics") or []
    if not isinstance(loss, str) or not all(isinstance(m, str) for m in metrics):
        return  # objects from other modules are not trusted; the user compiles instead
    myelin_config = {"optimizer": {"class_name": registry.get_registered_name(cls),
                                   "config": options},
                     "loss": loss, "metrics": metrics,
                     "loss_weights": config.get("loss_weights")}
    try:
        model.compile(**compile_arguments(myelin_config, {}))
    except (TypeError, ValueError, KeyError, NotImplementedError) as error:
        # NotImplementedError: e.g. loss_weights as a dict, which needs several outputs
        raise UnsafeFileError(f"{where}: compile_config cannot be applied: {error}") from None
