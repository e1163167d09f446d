"""``KerasClassifier`` / ``KerasRegressor``: a function returning a myelin model, as a
scikit-learn estimator (scikeras's interface).

The wrapper calls ``model`` (the function) at ``fit`` with the arguments its signature
asks for, taken from the wrapper's parameters: ``model__units=8`` (routed) or plain
``units=8``; a ``meta`` argument receives ``n_features_in_``, ``n_classes_``,
``classes_``... An uncompiled model is compiled with ``optimizer``, ``loss`` and
``metrics`` (``compile__*``/``optimizer__*`` routed too); ``fit__*`` and
``predict__*`` go to those calls.

Example:
    >>> def build(units, meta):
    ...     return Sequential([Input((meta["n_features_in_"],)),
    ...                        layers.Dense(units, activation="relu"),
    ...                        layers.Dense(1, activation="sigmoid")])
    >>> clf = KerasClassifier(model=build, units=8, loss="binary_crossentropy", epochs=20)
    >>> cross_val_score(clf, X, y, cv=3)
"""

import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from .. import optimizers as optimizers_module
from . import _fitting as fitting

_ROUTES = ("model__", "fit__", "compile__", "optimizer__", "predict__")


class _KerasWrapper(BaseEstimator):
    def __init__(self, model=None, *, build_fn=None, random_state=None, optimizer="rmsprop",
                 loss=None, metrics=None, batch_size=None, epochs=1, verbose=0,
                 callbacks=None, validation_split=0.0, shuffle=True, warm_start=False,
                 **kwargs):
        self.model, self.build_fn, self.random_state = model, build_fn, random_state
        self.optimizer, self.loss, self.metrics = optimizer, loss, metrics
        self.batch_size, self.epochs, self.verbose = batch_size, epochs, verbose
        self.callbacks, self.validation_split = callbacks, validation_split
        self.shuffle, self.warm_start = shuffle, warm_start
        self._extra = sorted(kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    # --- parameters (the declared ones plus any extra keyword) ---------------------------

    def get_params(self, deep=True):
        params = super().get_params(deep=deep)
        params.update({key: getattr(self, key) for key in self._extra})
        return params

    def set_params(self, **params):
        declared = set(super().get_params(deep=False))
        for key, value in params.items():
            if key not in declared and key not in self._extra:
                self._extra = sorted({*self._extra, key})
            setattr(self, key, value)
        return self

    def _routed(self, prefix):
        """Parameters ``prefix__name`` as ``{name: value}``."""
        return {key[len(prefix):]: getattr(self, key) for key in self._extra
                if key.startswith(prefix)}

    # --- building ------------------------------------------------------------------------

    def _build_model(self, meta):
        build = self.model if self.model is not None else self.build_fn
        name = type(self).__name__
        if not callable(build):
            raise ValueError(f"{name}: `model` must be a function returning a myelin model "
                             f"(or a model instance), received {build!r}.")
        if hasattr(build, "fit") and hasattr(build, "predict"):  # an instance: clone it
            import pickle

            return pickle.loads(pickle.dumps(build))
        signature = inspect.signature(build).parameters
        plain = {key: getattr(self, key) for key in self._extra
                 if not key.startswith(_ROUTES)}
        args = {k: v for k, v in {**plain, **self._routed("model__")}.items()
                if k in signature}
        if "meta" in signature:
            args["meta"] = meta
        model = build(**args)
        if not getattr(model, "compiled", False):
            model.compile(optimizer=self._optimizer(), loss=self._default_loss(model),
                          metrics=self.metrics, **self._routed("compile__"))
        return model

    def _optimizer(self):
        extra = self._routed("optimizer__")
        if isinstance(self.optimizer, str):
            return optimizers_module.get({"class_name": self.optimizer, "config": extra}) \
                if extra else self.optimizer
        if isinstance(self.optimizer, type):
            return self.optimizer(**extra)
        return self.optimizer

    def _fit(self, X, y, meta, sample_weight):
        with fitting.seeded(self.random_state):
            if not (self.warm_start and hasattr(self, "model_")):
                self.model_ = self._build_model(meta)
            fit_args = {"batch_size": self.batch_size, "epochs": self.epochs,
                        "verbose": self.verbose, "callbacks": self.callbacks,
                        "validation_split": self.validation_split, "shuffle": self.shuffle,
                        **self._routed("fit__")}
            self.history_ = self.model_.fit(X, y, sample_weight=sample_weight,
                                            **fit_args).history
        return self

    def _raw_predict(self, X):
        check_is_fitted(self, "model_")
        X = fitting.check_X(self, X, reset=False)
        return self.model_.predict(X, verbose=0, **self._routed("predict__"))


class KerasClassifier(ClassifierMixin, _KerasWrapper):
    """A classifier from a function returning a myelin model (scikeras's API).

    Labels of any type are encoded as ``0 .. n_classes - 1``; the default loss (when the
    function returns an uncompiled model and ``loss`` is None) is binary cross-entropy
    for a one-unit output, else sparse categorical cross-entropy.

    Args:
        model: the function (``build_fn`` is the older name), or a model instance.
        optimizer, loss, metrics: ``compile`` arguments for an uncompiled model.
        batch_size, epochs, verbose, callbacks, validation_split, shuffle: ``fit``'s.
        random_state: seeds myelin's generator for building and fitting.
        **kwargs: arguments for the function (plain or ``model__``), and routed
            ``fit__``/``compile__``/``optimizer__``/``predict__`` parameters.
    """

    def fit(self, X, y, sample_weight=None):
        """Build (unless ``warm_start``) and train the model; returns self."""
        X, y = fitting.check_X_y(self, X, y, reset=True, multi_output=False)
        sample_weight = fitting.check_sample_weight(sample_weight, len(X))
        self.classes_, encoded, _ = fitting.classification_targets(y)
        self.n_classes_ = len(self.classes_)
        meta = {"n_features_in_": X.shape[1], "n_classes_": self.n_classes_,
                "classes_": self.classes_, "n_outputs_": 1, "target_type_": _kind(self)}
        return self._fit(X, encoded, meta, sample_weight)

    def _default_loss(self, model):
        if self.loss is not None:
            return self.loss
        units = model.output_shape[-1]
        return "binary_crossentropy" if units == 1 else "sparse_categorical_crossentropy"

    def predict_proba(self, X):
        """Class probabilities, one column per class in ``classes_`` order."""
        p = self._raw_predict(X).astype(np.float64)
        return np.hstack([1 - p, p]) if p.shape[1] == 1 else p

    def predict(self, X):
        """The most probable class of each sample."""
        p = self.predict_proba(X)
        return self.classes_[np.argmax(p, axis=1)]


def _kind(clf):
    return "binary" if clf.n_classes_ == 2 else "multiclass"


class KerasRegressor(RegressorMixin, _KerasWrapper):
    """A regressor from a function returning a myelin model (scikeras's API).

    Same arguments as ``KerasClassifier``; the default loss is mean squared error.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, y, sample_weight=None):
        """Build (unless ``warm_start``) and train the model; returns self."""
        X, y = fitting.check_X_y(self, X, y, reset=True, multi_output=True)
        sample_weight = fitting.check_sample_weight(sample_weight, len(X))
        y = np.asarray(y, dtype=np.float32)
        self._y_1d = y.ndim == 1
        meta = {"n_features_in_": X.shape[1], "n_outputs_": 1 if y.ndim == 1 else y.shape[1],
                "target_type_": "continuous"}
        return self._fit(X, y.reshape(len(y), -1), meta, sample_weight)

    def _default_loss(self, model):
        return self.loss if self.loss is not None else "mse"

    def predict(self, X):
        """Predicted targets, shaped like the ``y`` given to ``fit``."""
        out = self._raw_predict(X).astype(np.float64)
        return out.ravel() if self._y_1d else out
