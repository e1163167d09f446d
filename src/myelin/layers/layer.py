"""Layer: the base class of every layer and model (Keras 3's API).

A layer is built lazily: the first ``__call__`` passes the input shape to
``build``, which creates the weights with ``add_weight``; ``call`` computes the
output. Sublayers assigned as attributes (alone or in lists/dicts) are tracked, so
``weights`` of an outer layer or model includes theirs.

Example:
    >>> layer = Dense(3)
    >>> layer(np.ones((2, 4))).shape
    (2, 3)
    >>> [w.name for w in layer.weights]
    ['dense/kernel', 'dense/bias']
"""

import inspect

import numpy as np

from .. import backend, regularizers
from ..autodiff import Tensor, as_array, no_grad
from ..graph import call_layer, is_symbolic
from ..ops.elementwise import cast
from .layer_losses import CALL_DEPTH, LossesMixin
from .naming import auto_name
from .tracking import TRAINING, TrackingMixin
from .weights import WeightsMixin, shape_tuple

_LEGACY_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size")


def _wrap_build(build):
    """Keras 3's build wrapper: a subclass's ``build`` needs no ``super().build``."""

    def wrapped(self, *args, **kwargs):
        result = build(self, *args, **kwargs)
        shape = args[0] if args else kwargs.get("input_shape")
        self._record_build(shape)
        return result

    wrapped.__doc__, wrapped.__name__ = build.__doc__, build.__name__
    return wrapped


def is_shape_list(shape):
    """Whether ``shape`` is a list of shapes (a multi-input layer's) rather than one shape."""
    return (isinstance(shape, (list, tuple)) and len(shape) > 0
            and all(isinstance(s, (list, tuple)) for s in shape))


def _is_tensor_like(value):
    return isinstance(value, (Tensor, np.ndarray)) or getattr(value, "_is_symbolic", False)


class Layer(WeightsMixin, LossesMixin, TrackingMixin):
    """Base class of layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name (default: snake_case of the class name + counter).
        dtype: the dtype of weights and computations (default ``floatx()``).
        activity_regularizer: a penalty on the layer's output (e.g. ``"l2"``), divided
            by the batch size and added to ``losses`` at each call.
        **kwargs: ``input_shape=`` / ``input_dim=`` / ``batch_input_shape=`` /
            ``batch_size=`` on the first layer of a ``Sequential``.
    """

    # Input checks done on every call after build (cheap, read by ``__call__``).
    _min_ndim = None  # smallest accepted input rank
    _ndim = None  # exact input rank, when fixed
    _checks_features = False  # last axis must keep its build-time size (Dense-like)
    _autocast = True  # cast inputs to the layer dtype (Embedding keeps integer ids)
    _call_has_training = False
    _call_has_mask = False
    _takes_list = False  # merge layers: a list given to __call__ is always a list of inputs
    supports_masking = False
    # its kernels split the batch over the cores themselves, each core's BLAS calls on
    # one thread (convolutions, poolings): fit/evaluate/predict keep OpenBLAS's pool asleep
    _splits_over_cores = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "build" in cls.__dict__:
            cls.build = _wrap_build(cls.__dict__["build"])
        if "call" in cls.__dict__:
            params = inspect.signature(cls.__dict__["call"]).parameters
            var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
            cls._call_has_training = "training" in params or var_kw
            cls._call_has_mask = "mask" in params

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 **kwargs):
        self._init_tracking()
        unknown = set(kwargs) - set(_LEGACY_KWARGS)
        if unknown:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {sorted(unknown)}.")
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Argument `name` must be a string and cannot contain '/'. "
                             f"Received: name={name!r}")
        self.name = name or auto_name(type(self))
        self._init_losses(activity_regularizer)
        # "string" (Keras's name for text inputs) is NumPy's str dtype
        self._dtype = np.dtype(str if dtype == "string" else dtype or backend.floatx())
        self._trainable = bool(trainable)
        self.built = False
        self._trainable_variables = []
        self._non_trainable_variables = []
        self._build_input_shape = None
        self._input_shape_arg = self._legacy_input_shape(kwargs)
        self._expected_features = None

    def _legacy_input_shape(self, kwargs):
        """The batch input shape given by ``input_shape=``/``input_dim=``, or None."""
        where = f"{type(self).__name__} '{self.name}'"
        if kwargs.get("batch_input_shape") is not None:
            return shape_tuple(kwargs["batch_input_shape"], where)
        shape = kwargs.get("input_shape")
        if kwargs.get("input_dim") is not None:
            shape = (kwargs["input_dim"],)
        if shape is None:
            return None
        if isinstance(shape, (int, np.integer)):
            shape = (shape,)
        return (kwargs.get("batch_size"),) + shape_tuple(shape, where)

    # --- dtype, trainable ------------------------------------------------------------

    @property
    def dtype(self):
        """The name of the layer's variable dtype, e.g. ``"float32"`` (``"string"`` for
        layers on raw text)."""
        return "string" if self._dtype.kind == "U" else self._dtype.name

    compute_dtype = variable_dtype = dtype

    @property
    def trainable(self):
        """Whether the layer's weights are updated by ``fit`` (setting it freezes or
        unfreezes every weight of the layer; recompile afterwards, as in Keras).
        """
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._trainable_variables:
            v.trainable = value
        for layer in self._sublayers():
            layer.trainable = value

    # --- building --------------------------------------------------------------------

    def build(self, input_shape=None):
        """Create the weights for inputs of ``input_shape`` (subclasses)."""

    def _record_build(self, shape):
        self.built = True
        if is_shape_list(shape) and self._build_input_shape is None:
            where = f"{type(self).__name__} '{self.name}'.build"
            self._build_input_shape = [(None,) + shape_tuple(s, where)[1:] for s in shape]
        elif shape is not None and self._build_input_shape is None:
            shape = shape_tuple(shape, f"{type(self).__name__} '{self.name}'.build")
            self._build_input_shape = (None,) + shape[1:] if shape else shape
            if self._checks_features and shape:
                self._expected_features = shape[-1]

    def _ensure_built(self, shape):
        """Build for ``shape`` (batch axis first) unless already built."""
        if not self.built:
            if is_shape_list(shape):
                shape = [(None,) + tuple(s[1:]) for s in shape]
            else:
                self._check_rank(shape)
                shape = (None,) + tuple(shape[1:])
            self.build(shape)
            self._record_build(shape)  # also for layers that keep the base build

    def _check_rank(self, shape):
        ndim = len(shape)
        if self._ndim is not None and ndim != self._ndim:
            expected = f"rank {self._ndim}"
        elif self._min_ndim is not None and ndim < self._min_ndim:
            expected = f"rank >= {self._min_ndim}"
        else:
            return
        hint = ""
        if ndim == 1 and self._min_ndim == 2:
            hint = (f" For one feature per sample reshape the data to ({shape[0]}, 1), "
                    f"e.g. x.reshape(-1, 1).")
        raise ValueError(f"{type(self).__name__} layer '{self.name}' expects inputs of "
                         f"{expected} but received shape {tuple(shape)}.{hint}")

    def _check_input(self, shape):
        self._check_rank(shape)
        expected = self._expected_features
        if expected is not None and shape[-1] != expected:
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}' expects inputs with {expected} "
                f"features (last axis) but received shape {tuple(shape)}. Check the "
                f"input_shape of the first layer.")

    def _validate_data(self, x, where):
        """Check a whole input array once before training (first layer; subclasses)."""

    # --- calling ---------------------------------------------------------------------

    def _convert(self, inputs):
        if isinstance(inputs, Tensor):
            if not self._autocast or inputs._data.dtype == self._dtype:
                return inputs
            return cast(inputs, self._dtype)
        where = f"{type(self).__name__} layer '{self.name}'"
        return Tensor(as_array(inputs, self._dtype if self._autocast else None, where))

    def _convert_inputs(self, inputs):
        """A Tensor, or a list of Tensors for a list of inputs (merge layers, Lambda)."""
        if isinstance(inputs, (list, tuple)) and inputs and (
                self._takes_list or all(_is_tensor_like(i) for i in inputs)):
            if self._min_ndim is not None or self._ndim is not None:
                raise ValueError(
                    f"{type(self).__name__} layer '{self.name}' expects one input tensor "
                    f"but received a list of {len(inputs)} inputs. Merge them first, e.g. "
                    f"layers.concatenate(inputs), or call the layer on each.")
            return [self._convert(i) for i in inputs]
        return self._convert(inputs)

    def __call__(self, inputs, *args, **kwargs):
        if CALL_DEPTH[0] and type(inputs) is Tensor and self._adds_nothing(inputs, args, kwargs):
            # Inside a model's call, with no new training mode, an eager Tensor already of
            # the layer's dtype and no activity penalty, the steps below would only check
            # the input and run ``call``: the entry call set the mode and clears losses.
            # This halves a one-sample prediction's Python overhead.
            if self._min_ndim is not None or self._ndim is not None:
                self._check_input(inputs.shape)
            if self._call_has_training:
                return self.call(inputs, training=TRAINING[0])
            return self.call(inputs)
        if is_symbolic(inputs):  # the functional API: record a node, compute nothing
            return call_layer(self, inputs, args, kwargs)
        x = self._convert_inputs(inputs)
        if not self.built:
            self._ensure_built([t.shape for t in x] if isinstance(x, list) else x.shape)
        elif self._min_ndim is not None or self._ndim is not None:
            self._check_input(x.shape)
        training = kwargs.pop("training", None)
        outer = TRAINING[0]
        TRAINING[0] = training = outer if training is None else training
        if CALL_DEPTH[0] == 0:  # the entry call: forget the previous pass's losses
            self._clear_losses()
        CALL_DEPTH[0] += 1
        try:
            if self._call_has_training:
                kwargs["training"] = training
            out = self.call(x, *args, **kwargs)
        finally:
            TRAINING[0] = outer
            CALL_DEPTH[0] -= 1
        if self.activity_regularizer is not None:
            self._add_activity_loss(out)
        return out

    def _adds_nothing(self, inputs, args, kwargs):
        """Whether ``__call__`` (inside another call) would add nothing to ``call``."""
        training = kwargs.get("training")
        return (not args and kwargs.keys() <= {"training"} and self.built
                and (training is None or training is TRAINING[0])
                and self.activity_regularizer is None
                and (not self._autocast or inputs._data.dtype == self._dtype))

    def call(self, inputs, *args, **kwargs):
        """The layer's computation on a Tensor (subclasses)."""
        return inputs

    def compute_mask(self, inputs, mask=None):
        """The mask of the layer's output for ``inputs`` with ``mask``.

        Args:
            inputs: the layer's input Tensor.
            mask: the input's boolean mask, or None.

        Returns:
            ``mask`` unchanged when the layer supports masking, otherwise None.
        """
        return mask if self.supports_masking else None

    def compute_output_shape(self, input_shape):
        """Output shape for ``input_shape`` (default: run the layer on zeros; a list of
        shapes for a layer called on a list of inputs)."""
        dtype = self._dtype if self._autocast else np.int32

        def zeros(shape):
            return Tensor(np.zeros(tuple(1 if d is None else d for d in shape), dtype=dtype))

        shapes = input_shape if is_shape_list(input_shape) else [input_shape]
        with no_grad():
            out = self([zeros(s) for s in shapes] if is_shape_list(input_shape)
                       else zeros(input_shape))
        return (shapes[0][0],) + tuple(out.shape[1:])

    @property
    def input_shape(self):
        """The input shape the layer was built for (raises AttributeError before its first
        call, with Keras's message).
        """
        if self._build_input_shape is None:
            raise AttributeError(f"Layer '{self.name}' has never been called and thus has "
                                 f"no defined input shape.")
        return self._build_input_shape

    @property
    def output_shape(self):
        """The output shape for the layer's ``input_shape``."""
        return self.compute_output_shape(self.input_shape)

    # --- config ----------------------------------------------------------------------

    def get_config(self):
        """The layer's constructor arguments as a JSON-serialisable dict.

        Returns:
            A dict that ``from_config`` turns back into an equal, unbuilt layer.

        Example:
            >>> keras.layers.Dense(3).get_config()["units"]
            3
        """
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._input_shape_arg is not None:
            config["batch_input_shape"] = self._input_shape_arg
        return config

    @classmethod
    def from_config(cls, config):
        """Make a layer from the dict ``get_config`` returned.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new, unbuilt layer.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
