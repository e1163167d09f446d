"""Sublayer tracking and the training-mode context shared by nested layer calls.

``TrackingMixin`` remembers which attributes hold layers (alone or inside lists,
tuples and dicts) when they are assigned; the layers are read back from those
attributes when asked for, so a list appended to later is still seen.
``TRAINING[0]`` is the training mode of the layer call in progress: a layer called
without ``training=`` inherits the outer call's value, as in Keras (a Dropout
inside a subclassed model trains when the model is called with ``training=True``).
"""

_CONTAINERS = (list, tuple, dict)
_NOT_TRACKED = frozenset({"_trainable_variables", "_non_trainable_variables"})
TRAINING = [None]


def _flatten_layers(value, out):
    if isinstance(value, TrackingMixin):
        out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _flatten_layers(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _flatten_layers(item, out)


class TrackingMixin:
    def _init_tracking(self):
        object.__setattr__(self, "_tracked", [])

    def __setattr__(self, name, value):
        if isinstance(value, (TrackingMixin, *_CONTAINERS)) and name not in _NOT_TRACKED:
            tracked = self.__dict__.get("_tracked")
            if tracked is None:
                if isinstance(value, TrackingMixin):
                    raise RuntimeError(
                        f"{type(self).__name__}: call super().__init__() before assigning "
                        f"the layer attribute '{name}'.")
            elif name not in tracked:
                tracked.append(name)
        object.__setattr__(self, name, value)

    def _sublayers(self):
        """Directly tracked layers, in assignment order, without repeats or self."""
        found = []
        for name in self.__dict__.get("_tracked", ()):
            _flatten_layers(self.__dict__.get(name), found)
        out, seen = [], {id(self)}
        for layer in found:
            if id(layer) not in seen:
                seen.add(id(layer))
                out.append(layer)
        return out
