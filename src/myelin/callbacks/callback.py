"""The Callback base class: every hook Keras 3 calls during fit, evaluate and predict."""


class Callback:
    """Base class of callbacks; override the hooks you need.

    ``self.model`` is the model being trained and ``self.params`` holds
    ``{"verbose": ..., "epochs": ..., "steps": ...}``. Hooks receive ``logs``: a dict
    of metric values (``{"loss": 0.69, "accuracy": 0.5, ...}``).

    Example:
        >>> class PrintLoss(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(epoch, logs["loss"])
    """

    def __init__(self):
        self.params = None
        self.model = None

    def set_params(self, params):
        """Receive the run's parameters (called before the first hook).

        Args:
            params: dict with ``verbose``, ``epochs`` and ``steps``.
        """
        self.params = params

    def set_model(self, model):
        """Receive the model the callback watches (called before the first hook).

        Args:
            model: the model being trained, evaluated or used to predict.
        """
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        """Old name of ``on_train_batch_begin`` (called by it)."""

    def on_batch_end(self, batch, logs=None):
        """Old name of ``on_train_batch_end`` (called by it)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of every training epoch.

        Args:
            epoch: index of the epoch, from 0.
            logs: dict, empty.
        """

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of every training epoch, after validation.

        Args:
            epoch: index of the epoch, from 0.
            logs: dict of the epoch's metric values, e.g. ``{"loss": 0.3, "val_loss": 0.4}``.
        """

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch (calls ``on_batch_begin``).

        Args:
            batch: index of the batch within the epoch.
            logs: dict, empty.
        """
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch (calls ``on_batch_end``).

        Args:
            batch: index of the batch within the epoch.
            logs: dict of the epoch's running metric values.
        """
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each batch of ``evaluate`` (and of validation inside ``fit``).

        Args:
            batch: index of the batch.
            logs: dict, empty.
        """

    def on_test_batch_end(self, batch, logs=None):
        """Called after each batch of ``evaluate`` (and of validation inside ``fit``).

        Args:
            batch: index of the batch.
            logs: dict of the running metric values.
        """

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each batch of ``predict``.

        Args:
            batch: index of the batch.
            logs: dict, empty.
        """

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each batch of ``predict``.

        Args:
            batch: index of the batch.
            logs: dict with the batch's ``outputs``.
        """

    def on_train_begin(self, logs=None):
        """Called once when ``fit`` starts.

        Args:
            logs: dict, empty.
        """

    def on_train_end(self, logs=None):
        """Called once when ``fit`` ends (also after early stopping).

        Args:
            logs: dict of the last epoch's metric values.
        """

    def on_test_begin(self, logs=None):
        """Called when ``evaluate`` (or a validation pass) starts.

        Args:
            logs: dict, empty.
        """

    def on_test_end(self, logs=None):
        """Called when ``evaluate`` (or a validation pass) ends.

        Args:
            logs: dict of the metric values over the whole pass.
        """

    def on_predict_begin(self, logs=None):
        """Called when ``predict`` starts.

        Args:
            logs: dict, empty.
        """

    def on_predict_end(self, logs=None):
        """Called when ``predict`` ends.

        Args:
            logs: dict, empty.
        """
