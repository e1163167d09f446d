"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn's MLP API, trained by myelin.

The parameters keep scikit-learn's names and meanings where they apply
(``hidden_layer_sizes``, ``activation``, ``solver``, ``alpha`` as an L2 penalty,
``batch_size``, ``learning_rate_init``, ``max_iter`` epochs, ``early_stopping``,
``validation_fraction``, ``n_iter_no_change``, ``tol``, ``random_state``); the fitted
network is ``model_``, a myelin ``Sequential`` you can save, export or inspect.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from .. import layers, models, optimizers, regularizers
from . import _fitting as fitting

_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "linear"}


class _BaseMLP(BaseEstimator):
    """The shared parameters, network and fit loop of the two estimators."""

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate_init=0.001, max_iter=200,
                 shuffle=True, random_state=None, tol=1e-4, verbose=False, warm_start=False,
                 momentum=0.9, nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, epochs=None):
        self.hidden_layer_sizes, self.activation, self.solver = (
            hidden_layer_sizes, activation, solver)
        self.alpha, self.batch_size, self.learning_rate_init = (
            alpha, batch_size, learning_rate_init)
        self.max_iter, self.shuffle, self.random_state = max_iter, shuffle, random_state
        self.tol, self.verbose, self.warm_start = tol, verbose, warm_start
        self.momentum, self.nesterovs_momentum = momentum, nesterovs_momentum
        self.early_stopping, self.validation_fraction = early_stopping, validation_fraction
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.n_iter_no_change, self.epochs = n_iter_no_change, epochs

    # --- checks ------------------------------------------------------------------------

    def _check_params(self):
        name = type(self).__name__
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, (int, np.integer)) else list(sizes)
        if any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1
               for s in sizes):
            raise ValueError(f"{name}: hidden_layer_sizes must be positive ints, received "
                             f"{self.hidden_layer_sizes!r}.")
        if self.activation not in _ACTIVATIONS:
            raise ValueError(f"{name}: activation must be one of {sorted(_ACTIVATIONS)}, "
                             f"received {self.activation!r}.")
        if self.solver not in ("adam", "sgd"):
            raise ValueError(f"{name}: solver must be 'adam' or 'sgd' (myelin has no lbfgs), "
                             f"received {self.solver!r}.")
        for param in ("alpha", "learning_rate_init", "tol"):
            value = getattr(self, param)
            if not isinstance(value, (int, float, np.number)) or value < 0 or (
                    param == "learning_rate_init" and value == 0):
                raise ValueError(f"{name}: {param} must be a non-negative number (positive "
                                 f"for learning_rate_init), received {value!r}.")
        epochs = self.max_iter if self.epochs is None else self.epochs
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"{name}: max_iter (epochs) must be a positive int, received "
                             f"{epochs!r}.")
        if not 0 < self.validation_fraction < 1:
            raise ValueError(f"{name}: validation_fraction must be in (0, 1), received "
                             f"{self.validation_fraction!r}.")
        return [int(s) for s in sizes], int(epochs)

    # --- the network -------------------------------------------------------------------

    def _optimizer(self):
        if self.solver == "sgd":
            return optimizers.SGD(self.learning_rate_init, momentum=self.momentum,
                                  nesterov=self.nesterovs_momentum)
        return optimizers.Adam(self.learning_rate_init, beta_1=self.beta_1, beta_2=self.beta_2,
                               epsilon=self.epsilon)

    def _build(self, sizes, n_features, n_outputs, batch_size):
        # scikit-learn adds alpha / 2 * ||W||^2 / batch_size to each batch's mean loss.
        penalty = self.alpha / (2 * batch_size)
        stack = [layers.Input((n_features,))]
        for units in sizes:
            stack.append(layers.Dense(units, activation=_ACTIVATIONS[self.activation],
                                      kernel_regularizer=regularizers.L2(penalty)))
        stack.append(layers.Dense(n_outputs, activation=self._output_activation,
                                  kernel_regularizer=regularizers.L2(penalty)))
        model = models.Sequential(stack)
        model.compile(optimizer=self._optimizer(), loss=self._loss,
                      metrics=self._metrics)
        return model

    def _train(self, X, y, epochs, incremental, sample_weight=None):
        sizes, max_epochs = self._check_params()
        batch = fitting.batch_size_for(self.batch_size, len(X))
        fresh = not (incremental or self.warm_start) or not hasattr(self, "model_")
        if fresh:
            self.model_ = self._build(sizes, X.shape[1], self._n_outputs, batch)
            self.loss_curve_ = []
        elif self._metrics and not self.model_.metrics:  # early stopping turned on since
            self.model_.compile(optimizer=self.model_.optimizer, loss=self._loss,
                                metrics=self._metrics)
        callbacks, validation = [], None
        if self.early_stopping and not incremental:
            stratify = y if self._stratify else None
            weights = np.ones(len(X), np.float32) if sample_weight is None else sample_weight
            X, X_val, y, y_val, sample_weight, w_val = train_test_split(
                X, y, np.asarray(weights), test_size=self.validation_fraction,
                random_state=self.random_state, stratify=stratify)
            validation = (X_val, y_val, w_val)
            callbacks.append(fitting.early_stopping_callback(
                self._val_monitor, self.tol, self.n_iter_no_change, restore=True))
        elif not incremental:
            callbacks.append(fitting.early_stopping_callback(
                "loss", self.tol, self.n_iter_no_change, restore=False))
        history = self.model_.fit(X, y, sample_weight=sample_weight, batch_size=batch,
                                  epochs=epochs or max_epochs, shuffle=self.shuffle,
                                  validation_data=validation, callbacks=callbacks,
                                  verbose=2 if self.verbose else 0)
        self.loss_curve_ = list(self.loss_curve_) + list(history.history["loss"])
        self.n_iter_ = len(self.loss_curve_)
        if validation is not None:
            self.validation_scores_ = history.history[self._val_monitor]
            self.best_validation_score_ = max(self.validation_scores_) if \
                self._val_monitor.endswith("accuracy") else min(self.validation_scores_)
        return self

    def _raw_predict(self, X):
        check_is_fitted(self, "model_")
        X = fitting.check_X(self, X, reset=False)
        return self.model_.predict(X, batch_size=1024, verbose=0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        tags.target_tags.multi_output = True  # 2-D targets: several outputs or labels
        return tags


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """A multi-layer perceptron classifier (scikit-learn's API, myelin's training).

    Labels may be of any type (ints, strings, bools); a 2-D 0/1 indicator matrix
    trains a multi-label classifier (one sigmoid per label). Binary problems use one
    sigmoid output, more classes a softmax.

    Args:
        hidden_layer_sizes: units of each hidden layer, e.g. ``(64, 32)``.
        activation: ``"relu"``, ``"tanh"``, ``"logistic"`` or ``"identity"``.
        solver: ``"adam"`` or ``"sgd"`` (with ``momentum``/``nesterovs_momentum``).
        alpha: L2 penalty, as scikit-learn scales it.
        batch_size: ``"auto"`` (``min(200, n_samples)``) or an int.
        learning_rate_init: the optimizer's learning rate.
        max_iter: epochs (``epochs`` overrides it when given).
        early_stopping: hold out ``validation_fraction`` (stratified) and stop when
            validation accuracy has not improved by ``tol`` for ``n_iter_no_change``
            epochs, keeping the best weights; otherwise stop on the training loss.
        random_state: seeds myelin's generator for the fit (reproducible results).

    Attributes:
        classes_, n_features_in_, feature_names_in_: as in scikit-learn.
        loss_curve_, n_iter_: as in scikit-learn's MLP.
        model_: the fitted myelin model.

    Example:
        >>> clf = MLPClassifier(hidden_layer_sizes=(64,), random_state=0).fit(X, y)
        >>> clf.predict(X[:3]), clf.score(X, y)
    """

    _val_monitor = "val_accuracy"
    _stratify = True

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` (n_samples, n_features) and labels ``y``; returns self."""
        X, y = fitting.check_X_y(self, X, y, reset=True, multi_output=True)
        sample_weight = fitting.check_sample_weight(sample_weight, len(X))
        self.classes_, encoded, self._kind = fitting.classification_targets(y)
        with fitting.seeded(self.random_state):
            return self._train(X, encoded, None, False, sample_weight)

    def partial_fit(self, X, y, classes=None):
        """One epoch on ``X``, ``y``; ``classes`` (all labels) is required the first time."""
        first = not hasattr(self, "classes_")
        if first and classes is None:
            raise ValueError("MLPClassifier.partial_fit: pass classes=[...] (every label the "
                             "data can contain) at the first call.")
        X, y = fitting.check_X_y(self, X, y, reset=first, multi_output=True)
        known = classes if first else self.classes_
        self.classes_, encoded, self._kind = fitting.classification_targets(y, known)
        with fitting.seeded(self.random_state if first else None):
            return self._train(X, encoded, 1, incremental=True)

    @property
    def _n_outputs(self):
        return 1 if self._kind == "binary" else len(self.classes_)

    @property
    def _output_activation(self):
        return "softmax" if self._kind == "multiclass" else "sigmoid"

    @property
    def _loss(self):
        return ("sparse_categorical_crossentropy" if self._kind == "multiclass"
                else "binary_crossentropy")

    @property
    def _metrics(self):
        # scikit-learn tracks no training accuracy (a fifth of a small step here); only
        # early stopping's validation accuracy needs the metric.
        return ["accuracy"] if self.early_stopping else None

    def predict_proba(self, X):
        """Class probabilities, one column per class in ``classes_`` order."""
        p = self._raw_predict(X).astype(np.float64)
        return np.hstack([1 - p, p]) if self._kind == "binary" else p

    def predict(self, X):
        """The most probable class of each sample (indicator rows for multi-label)."""
        p = self._raw_predict(X)
        if self._kind == "multilabel":
            return (p > 0.5).astype(int)
        if self._kind == "binary":
            return self.classes_[(p[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(p, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, _BaseMLP):
    """A multi-layer perceptron regressor (scikit-learn's API, myelin's training).

    Same parameters as ``MLPClassifier``; a linear output per target column, mean
    squared error. With ``early_stopping`` the validation loss is monitored.

    Example:
        >>> reg = MLPRegressor(hidden_layer_sizes=(32,), random_state=0).fit(X, y)
        >>> reg.score(X, y)  # R^2
    """

    _val_monitor = "val_loss"
    _stratify = False
    _output_activation = None
    _loss = "mse"
    _metrics = None

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` (n_samples, n_features) and targets ``y``; returns self."""
        X, y = fitting.check_X_y(self, X, y, reset=True, multi_output=True)
        sample_weight = fitting.check_sample_weight(sample_weight, len(X))
        y = self._targets(y)
        with fitting.seeded(self.random_state):
            return self._train(X, y, None, False, sample_weight)

    def partial_fit(self, X, y):
        """One epoch on ``X``, ``y`` (the first call builds the network)."""
        first = not hasattr(self, "model_")
        X, y = fitting.check_X_y(self, X, y, reset=first, multi_output=True)
        y = self._targets(y)
        with fitting.seeded(self.random_state if first else None):
            return self._train(X, y, 1, incremental=True)

    def _targets(self, y):
        y = np.asarray(y, dtype=np.float32)
        self._y_1d = y.ndim == 1
        y = y.reshape(len(y), -1)
        self._n_outputs = y.shape[1]
        return y

    def predict(self, X):
        """Predicted targets, shaped like the ``y`` given to ``fit``."""
        out = self._raw_predict(X).astype(np.float64)
        return out.ravel() if self._y_1d else out
