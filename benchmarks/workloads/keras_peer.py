"""The workloads written the Keras 3 way: Sequential, compile, fit(verbose=0).

myelin_peer.py runs this very code with `import myelin as keras`, so the two differ
only in the import line, which is myelin's promise to Keras users.
"""

import time

import common


def epoch_timer(keras):
    """A Callback (of the framework under test) that records each epoch's wall time.

    Keras calls on_epoch_end after the validation pass, so the time includes it.
    """

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(time.perf_counter() - self.start)

    return EpochTimer()


def build(keras, name):
    """The model and its compile arguments, as the seed tutorials write them."""
    layers = keras.layers
    if name == "house":
        model = keras.Sequential([layers.Input(shape=(1,)), layers.Dense(1)])
        return model, dict(optimizer=keras.optimizers.SGD(), loss="mean_absolute_error")
    if name == "xor":
        model = keras.Sequential(
            [
                layers.Input(shape=(2,)),
                layers.Dense(4, activation="tanh"),
                layers.Dense(1, activation="sigmoid"),
            ]
        )
        optimizer = keras.optimizers.Adam(learning_rate=0.1)
        return model, dict(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    if name == "imdb":
        model = keras.Sequential(
            [
                layers.Input(shape=(256,)),
                layers.Embedding(10_000, 16),
                layers.GlobalAveragePooling1D(),
                layers.Dense(16, activation="relu"),
                layers.Dense(1, activation="sigmoid"),
            ]
        )
        return model, dict(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    if name == "lstm":
        model = keras.Sequential(
            [
                layers.Input(shape=(200,)),
                layers.Embedding(10_000, 32),
                layers.LSTM(32),
                layers.Dense(1, activation="sigmoid"),
            ]
        )
        return model, dict(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    if name == "convnet":
        model = keras.Sequential(
            [
                layers.Input(shape=(28, 28, 1)),
                layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
                layers.MaxPooling2D(pool_size=(2, 2)),
                layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
                layers.MaxPooling2D(pool_size=(2, 2)),
                layers.Flatten(),
                layers.Dropout(0.5),
                layers.Dense(10, activation="softmax"),
            ]
        )
        loss = "sparse_categorical_crossentropy"
        return model, dict(optimizer="adam", loss=loss, metrics=["accuracy"])
    hidden = common.WORKLOADS[name]["units"][:-1]
    loss = "sparse_categorical_crossentropy"
    if name == "mnist-functional":  # mnist-mlp's network through the functional API
        inputs = keras.Input(shape=(784,))
        x = inputs
        for units in hidden:
            x = layers.Dense(units, activation="relu")(x)
        outputs = layers.Dense(10, activation="softmax")(x)
        model = keras.Model(inputs=inputs, outputs=outputs)
        optimizer = keras.optimizers.SGD(learning_rate=0.01)
        return model, dict(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    # mnist-mlp and wide-mlp
    model = keras.Sequential(
        [layers.Input(shape=(784,))]
        + [layers.Dense(units, activation="relu") for units in hidden]
        + [layers.Dense(10, activation="softmax")]
    )
    mnist_mlp = name.startswith("mnist-mlp")
    optimizer = keras.optimizers.SGD(learning_rate=0.01) if mnist_mlp else "adam"
    return model, dict(optimizer=optimizer, loss=loss, metrics=["accuracy"])


def predict_latencies(model, x):
    """Median latency of the two idiomatic single-sample predictions; run.py keeps the faster."""
    return {
        "model(x, training=False)": common.latency_us(lambda v: model(v, training=False), x),
        "predict_on_batch": common.latency_us(model.predict_on_batch, x),
    }


def pipeline(data, x, y, validation, batch):
    """The tf.data input pipeline of the tutorials: slices, a shuffle of the whole
    training set (the same uniform order per epoch as fit's own shuffle), batches."""
    train = data.Dataset.from_tensor_slices((x, y)).shuffle(len(x)).batch(batch)
    return train, data.Dataset.from_tensor_slices(validation).batch(batch)


def run(keras, framework, version, threads=None, data=None):
    """Train the workload; ``data`` is the framework's tf.data (pipeline workloads)."""
    args = common.cli(f"the benchmark workloads in {framework}")
    keras.utils.set_random_seed(0)
    x, y, validation, test = common.load(args.workload)
    model, compile_args = build(keras, args.workload)
    model.compile(**compile_args)
    batch = common.WORKLOADS[args.workload]["batch"]
    inputs = dict(x=x, y=y, batch_size=batch, validation_data=validation)
    if common.WORKLOADS[args.workload].get("pipeline"):
        train, validation = pipeline(data, x, y, validation, batch)
        inputs = dict(x=train, validation_data=validation)

    timer = epoch_timer(keras)
    rss_before = common.training_starts()
    history = model.fit(**inputs, epochs=args.epochs, verbose=0, callbacks=[timer])
    result = dict(
        framework=framework,
        version=version,
        threads=threads,
        epoch_times=timer.times,
        final_loss=float(history.history["loss"][-1]),
        rss_before_fit_mb=rss_before,
        peak_rss_mb=common.training_peak(),
    )
    if test is not None:
        scores = model.evaluate(*test, verbose=0, return_dict=True)
        result["test_accuracy"] = float(scores["accuracy"])
    if args.workload == "mnist-mlp":
        result["predict_us"] = predict_latencies(model, test[0][:1])
    common.report(args, result)


if __name__ == "__main__":
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TF's start-up banner is not a result
    import keras
    import tensorflow as tf

    # TF sizes its pools to the cores; report what it chose rather than override it
    threads = tf.config.threading.get_intra_op_parallelism_threads() or os.cpu_count()
    version = f"tensorflow {tf.__version__}, keras {keras.__version__}"
    run(keras, "keras", version, threads, data=tf.data)
