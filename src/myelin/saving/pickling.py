"""Pickling models through the safe model format.

``pickle.dumps(model)`` stores the bytes of a model file (config, weights, optimizer
state), never the model's Python objects, so unpickling rebuilds it from registered
names only, exactly as ``load_model`` does. This is what joblib and
``GridSearchCV(n_jobs=-1)`` need to ship models between processes.

Example:
    >>> clone = pickle.loads(pickle.dumps(model))
    >>> np.array_equal(clone.predict(x), model.predict(x))
    True
"""

import io

from .archive import write_zip
from .model_file import load_model, model_members


def model_to_bytes(model) -> bytes:
    """The model as the bytes of a ``.myelin`` file."""
    buffer = io.BytesIO()
    write_zip(buffer, model_members(model), stored=("weights.npz",))
    return buffer.getvalue()


def model_from_bytes(data: bytes):
    """Rebuild a model from ``model_to_bytes`` output (through the safe loader)."""
    return load_model(io.BytesIO(data))


def reduce_model(model):
    """``Model.__reduce__``: rebuild from the safe format's bytes."""
    try:
        data = model_to_bytes(model)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"Cannot pickle model '{model.name}': pickling goes through myelin's safe model "
            f"format, which could not save it ({error}). Register custom layers and models "
            f"with @myelin.saving.register_serializable().") from error
    return model_from_bytes, (data,)
