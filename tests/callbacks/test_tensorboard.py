"""The TensorBoard callback's event files read back with TensorBoard's own reader and
hold exactly the numbers of ``history.history``."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.event_accumulator")

import myelin as tf  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))
_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))


def _read(folder):
    reader = event_accumulator.EventAccumulator(
        str(folder), size_guidance={"scalars": 0, "histograms": 0, "images": 0})
    reader.Reload()
    return reader


def _scalars(reader, tag):
    return [(e.step, e.value) for e in reader.Scalars(tag)]


def _check_epochs(logdir, history):
    train, validation = _read(logdir / "train"), _read(logdir / "validation")
    for key, values in history.items():
        reader, tag = (validation, "epoch_" + key[4:]) if key.startswith("val_") else \
            (train, "epoch_" + key)
        got = _scalars(reader, tag)
        assert [step for step, _ in got] == list(range(len(values)))
        np.testing.assert_allclose([v for _, v in got], values, rtol=1e-6)  # float32 events
    return train, validation


@pytest.mark.skipif(not (_DATA / "mnist" / "mnist.npz").is_file(), reason="needs MNIST")
def test_mnist_example_logs_what_history_holds(tmp_path):
    import mnist_dnn

    logdir = tmp_path / "logs"
    result = mnist_dnn.main(["--epochs", "2", "--limit", "2000", "--quiet", "--out",
                             str(tmp_path), "--logdir", str(logdir)])
    train, _ = _check_epochs(logdir, result["history"])
    rates = [v for _, v in _scalars(train, "epoch_learning_rate")]
    np.testing.assert_allclose(rates, [0.01, 0.01], rtol=1e-6)
    assert train.Graph() is not None and [n.name for n in train.Graph().node] == [
        "input", "hidden1", "hidden2", "outputs"]


@pytest.mark.skipif(not (_DATA / "imdb" / "imdb_subset_500words.npz").is_file(),
                    reason="needs the IMDB subset")
def test_imdb_example_logs_what_history_holds(tmp_path):
    import imdb_sentiment

    logdir = tmp_path / "logs"
    result = imdb_sentiment.main(["--subset", "--epochs", "3", "--quiet", "--out",
                                  str(tmp_path), "--logdir", str(logdir)])
    _check_epochs(logdir, result["history"])


def test_histograms_batches_and_evaluation_scalars(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int32)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, name="hidden"),
                                 tf.keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    board = tf.keras.callbacks.TensorBoard(tmp_path, histogram_freq=1, write_images=True,
                                           update_freq=2)
    history = model.fit(x, y, epochs=2, batch_size=16, validation_split=0.25, verbose=0,
                        callbacks=[board])
    train, validation = _check_epochs(tmp_path, history.history)
    assert [step for step, _ in _scalars(train, "batch_loss")] == [2, 4, 6]  # 3 batches x 2
    kernel = model.layers[0].kernel.numpy()
    last = train.Histograms("hidden/kernel/histogram")[-1].histogram_value
    assert last.num == kernel.size and last.min == pytest.approx(float(kernel.min()))
    assert last.sum == pytest.approx(float(kernel.sum()), rel=1e-5)
    assert "hidden/kernel/image" in train.Tags()["images"]
    evaluations = _scalars(validation, "evaluation_loss_vs_iterations")
    assert [step for step, _ in evaluations] == [3, 6]  # optimizer iterations after each
    np.testing.assert_allclose([v for _, v in evaluations], history.history["val_loss"],
                               rtol=1e-6)


def test_bad_arguments_and_a_missing_writer_are_explained(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="TensorBoard: update_freq must be 'epoch', 'batch' "
                                         "or a positive int, received 0"):
        tf.keras.callbacks.TensorBoard(tmp_path, update_freq=0)
    with pytest.raises(ValueError, match="profile_batch=5 asks for the TensorFlow profiler"):
        tf.keras.callbacks.TensorBoard(tmp_path, profile_batch=5)
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match=r'pip install "myelin\[tensorboard\]"'):
        tf.keras.callbacks.TensorBoard(tmp_path)
