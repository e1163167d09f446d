"""A model's ``compile`` settings as JSON, and back to ``compile()`` arguments.

Names given as strings (``"adam"``, ``"mse"``, ``"accuracy"``) are saved as they
are and resolved again by ``compile`` (whose lookups accept only built-in names);
objects are saved through the registry. The optimizer is always an object here,
so its hyper-parameters (learning rate, betas ...) are kept.
"""

from __future__ import annotations

import importlib
import inspect

from . import registry


def compile_config(model) -> dict:
    """The JSON-ready arguments that recompile ``model`` the same way."""
    state = model._compile_state
    per_output = getattr(state.loss, "arguments", None)  # a multi-output model's settings
    if per_output is not None:
        return {"optimizer": registry.serialize(model.optimizer),
                "loss": _identifier(per_output["loss"], "losses"),
                "loss_weights": per_output["loss_weights"],
                "metrics": _identifier(per_output["metrics"], "metrics"),
                "weighted_metrics": _identifier(per_output["weighted_metrics"], "metrics")}
    return {
        "optimizer": registry.serialize(model.optimizer),
        "loss": _identifier(model.loss, "losses"),
        "loss_weights": state.loss_weight,
        "metrics": [_identifier(m, "metrics") for m in state._metric_ids],
        "weighted_metrics": [_identifier(m, "metrics") for m in state._weighted_ids],
    }


def compile_arguments(config: dict, custom_objects: dict) -> dict:
    """``compile()`` keyword arguments from ``compile_config``'s output."""
    from ..optimizers import Optimizer

    def rebuild(spec):
        if isinstance(spec, list):
            return [rebuild(item) for item in spec]
        if isinstance(spec, dict) and "class_name" not in spec:  # keyed by output name
            return {key: rebuild(item) for key, item in spec.items()}
        return registry.deserialize(spec, custom_objects=custom_objects)

    return {
        "optimizer": registry.deserialize(config["optimizer"], custom_objects=custom_objects,
                                          expected_type=Optimizer),
        "loss": rebuild(config.get("loss")),
        "loss_weights": config.get("loss_weights"),
        "metrics": rebuild(config.get("metrics") or []),
        "weighted_metrics": rebuild(config.get("weighted_metrics") or []),
    }


def _identifier(obj, kind: str):
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_identifier(item, kind) for item in obj]
    if isinstance(obj, dict):
        return {key: _identifier(item, kind) for key, item in obj.items()}
    if inspect.isroutine(obj):
        # A built-in function (myelin.losses.mse) is saved as its name.
        module = importlib.import_module(f"myelin.{kind}")
        if getattr(module, obj.__name__, None) is obj:
            return obj.__name__
    if inspect.isclass(obj):
        obj = obj()  # compile() instantiates a class with its defaults, so save that
    return registry.serialize(obj)
