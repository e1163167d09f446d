"""The seed programs in examples/ run and reach the tutorials' results.

Fast tests train on small slices for a few epochs (seconds each); ``full_data`` tests run
the full reproductions (minutes). The thresholds sit a margin below what the runs measured
(noted next to each), so a regression in the library shows up here.
"""

import os
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))

import demo  # noqa: E402
import house_prices  # noqa: E402
import imdb_bidirectional_gru  # noqa: E402
import imdb_lstm  # noqa: E402
import imdb_sentiment  # noqa: E402
import mnist_convnet  # noqa: E402
import mnist_dnn  # noqa: E402
import mnist_low_level  # noqa: E402
import perceptron  # noqa: E402
import tf1_mnist  # noqa: E402
import tf1_mnist_series  # noqa: E402
import xor  # noqa: E402

from myelin.data.download import DownloadError  # noqa: E402

_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
# A missing dataset skips these locally and fails them in CI (tests/conftest.py).
needs_mnist = pytest.mark.dataset("mnist/mnist.npz")
needs_imdb_subset = pytest.mark.dataset("imdb/imdb_subset_500words.npz")
needs_imdb_full = pytest.mark.dataset("imdb/imdb.npz")


def _pngs(folder, *names):
    """Every named PNG was written and is a real picture, not an empty file."""
    for name in names:
        assert (folder / name).stat().st_size > 5000, name


def test_house_prices_loss_falls_and_line_fits(tmp_path):
    result = house_prices.main(["--epochs", "10", "--quiet", "--out", str(tmp_path)])
    loss = result["loss"]
    # Measured over 4 seeds: 43.0M USD at epoch 1, 6.7-6.8M at epoch 5, MAE/mean price 0.088.
    assert loss[4] < loss[0] / 4
    assert result["MAE / mean price"] < 0.2
    assert 1000 < result["weight"] < 1700  # USD per sq. ft
    _pngs(tmp_path, "loss.png", "fitted_line.png")


def test_xor_network_learns_all_four_cases(tmp_path):
    result = xor.main(["--epochs", "150", "--quiet", "--out", str(tmp_path)])
    assert result["correct"] == 4
    assert result["loss"][-1] < 0.1  # measured 0.01-0.03 at 100 epochs over 31 seeds
    _pngs(tmp_path, "decision_boundary.png", "history.png")


def test_perceptron_separates_and_or_but_not_xor(tmp_path):
    result = perceptron.main(["--epochs", "150", "--quiet", "--out", str(tmp_path)])
    assert result["perceptron AND"] == 1.0
    assert result["perceptron OR"] == 1.0
    assert result["perceptron XOR"] < 1.0  # no line separates XOR: at most 3/4
    assert result["MLP XOR"] == 1.0
    _pngs(tmp_path, "perceptron_and.png", "perceptron_or.png", "perceptron_xor.png",
          "mlp_xor.png")


@needs_mnist
def test_mnist_dnn_on_5000_images(tmp_path):
    result = mnist_dnn.main(["--limit", "5000", "--epochs", "3", "--quiet",
                             "--out", str(tmp_path)])
    # Measured 0.830-0.834 (3 seeds) after 3 epochs on 5,000 images, on the 10,000 test images.
    assert result["test accuracy"] > 0.78
    loss = result["history"]["loss"]
    assert loss[-1] < loss[0]
    _pngs(tmp_path, "history.png", "digits.png")


@needs_mnist
def test_mnist_convnet_on_2000_images(tmp_path):
    result = mnist_convnet.main(["--limit", "2000", "--epochs", "2", "--quiet",
                                 "--out", str(tmp_path)])
    # Measured 0.85 (seed 42) after 2 epochs on 2,000 images (15 Adam steps each), on the
    # 10,000 test images; chance is 0.1.
    assert result["test accuracy"] > 0.75
    loss = result["history"]["loss"]
    assert loss[-1] < loss[0]
    _pngs(tmp_path, "history.png", "filters.png", "feature_maps.png")


@needs_mnist
@pytest.mark.full_data
def test_mnist_convnet_3_epochs_as_keras(tmp_path):
    result = mnist_convnet.main(["--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.982  # Keras 3.15 on this machine: 0.986


@needs_mnist
def test_mnist_low_level_loss_falls(tmp_path):
    result = mnist_low_level.main(["--limit", "3000", "--epochs", "3", "--quiet",
                                   "--out", str(tmp_path)])
    loss = result["loss"]
    # Measured (3 seeds): mean loss ~1.9 -> ~1.17 -> ~0.83, test accuracy 0.80-0.81.
    assert loss[1] < loss[0] and loss[2] < loss[1]
    assert result["test accuracy"] > 0.75
    _pngs(tmp_path, "history.png")


@needs_mnist
def test_tf1_mnist_graph_program_trains_saves_and_restores(tmp_path):
    result = tf1_mnist.main(["--limit", "5000", "--epochs", "2", "--quiet",
                             "--out", str(tmp_path)])
    # Measured 0.823-0.826 (3 seeds) after 2 epochs on 5,000 images.
    assert result["test accuracy"] > 0.78
    assert result["restored accuracy"] == result["test accuracy"]
    assert result["reinitialized accuracy"] < 0.3  # untrained again: about 0.1
    assert (tmp_path / "my_model_final.ckpt.index").is_file()
    assert (tmp_path / "checkpoint").is_file()


@needs_mnist
def test_tf1_mnist_series_program_learns(tmp_path):
    result = tf1_mnist_series.main(["--limit", "5000", "--epochs", "2", "--quiet",
                                    "--out", str(tmp_path)])
    # Measured 0.755-0.775 (3 seeds) after 2 epochs on 5,000 images; chance is 0.1.
    assert result["test accuracy"] > 0.7
    assert result["epoch_loss"][1] < result["epoch_loss"][0]


@needs_imdb_subset
def test_imdb_subset_reproduces_the_tutorial(tmp_path):
    """The seed's network on the 500-word subset: 40 epochs, batch 512, 1,000 validation."""
    result = imdb_sentiment.main(["--subset", "--quiet", "--out", str(tmp_path)])
    # Measured 0.785-0.796 over 7 seeds; Keras 3 on TensorFlow: 0.80-0.82 (its Adam updates
    # embedding moments sparsely; with dense gradients it matches myelin step for step).
    assert result["test accuracy"] >= 0.78
    h = result["history"]
    assert h["accuracy"][-1] > h["accuracy"][0] + 0.2  # it learned from ~chance
    _pngs(tmp_path, "history.png")


@needs_imdb_full
@pytest.mark.full_data
def test_imdb_full_reproduces_the_tutorial(tmp_path):
    result = imdb_sentiment.main(["--full", "--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.87  # measured 0.871 (Keras 3: 0.872)
    h = result["history"]
    # The tutorial's overfitting: training accuracy keeps rising past validation's.
    assert h["accuracy"][-1] > h["val_accuracy"][-1] + 0.05


@needs_imdb_full
def test_imdb_lstm_learns_on_2000_reviews(tmp_path):
    result = imdb_lstm.main(["--limit", "2000", "--epochs", "3", "--quiet",
                             "--out", str(tmp_path)])
    h = result["history"]
    # measured (seed 42): loss 0.6931 -> 0.6920 -> 0.6899, accuracy 0.509 -> 0.575; an
    # LSTM needs more than 1,600 reviews to generalize, so the test accuracy stays ~0.5
    assert h["loss"][0] > h["loss"][1] > h["loss"][2]
    assert h["acc"][2] > h["acc"][0] + 0.03


@needs_imdb_full
@pytest.mark.full_data
def test_imdb_lstm_full_reaches_keras_accuracy(tmp_path):
    # Three epochs of RMSprop leave this LSTM's test accuracy seed-dependent (measured
    # seeds 42, 1, 2, 3: 0.845, 0.868, 0.871, 0.817, mean of 1-3 0.852; with the previous
    # kernel's rounding seeds 42, 1-5: 0.797, 0.875, 0.871, 0.809, 0.871, 0.794; Keras
    # 3.15's one run: 0.842): the mean over three fixed seeds is the stable number.
    accuracies = [imdb_lstm.main(["--seed", str(seed), "--quiet",
                                  "--out", str(tmp_path)])["test accuracy"]
                  for seed in (1, 2, 3)]
    assert np.mean(accuracies) >= 0.83


@needs_imdb_full
def test_imdb_bidirectional_gru_ignores_padding_on_a_slice(tmp_path):
    result = imdb_bidirectional_gru.main(["--limit", "400", "--epochs", "1", "--quiet",
                                          "--out", str(tmp_path)])
    assert abs(result["padded to 10"] - result["padded to 30"]) < 1e-6
    assert np.isfinite(result["history"]["loss"]).all()


@needs_imdb_full
@pytest.mark.full_data
def test_imdb_bidirectional_gru_full(tmp_path):
    result = imdb_bidirectional_gru.main(["--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.83  # measured 0.847 (validation 0.857)
    assert abs(result["padded to 10"] - result["padded to 30"]) < 1e-6


@needs_mnist
@pytest.mark.full_data
def test_mnist_dnn_40_epochs(tmp_path):
    result = mnist_dnn.main(["--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.97


@needs_mnist
@pytest.mark.full_data
def test_mnist_low_level_40_epochs(tmp_path):
    result = mnist_low_level.main(["--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.97
    assert np.all(np.diff(result["loss"][:5]) < 0)


@needs_mnist
@pytest.mark.full_data
def test_tf1_mnist_20_epochs_restores_and_reinitializes(tmp_path):
    result = tf1_mnist.main(["--epochs", "20", "--quiet", "--out", str(tmp_path)])
    # Measured 0.9704 (TensorFlow 2.21 under tf.compat.v1: 0.970); restored: the same;
    # after re-running the initializer: 0.113.
    assert result["test accuracy"] >= 0.965
    assert result["restored accuracy"] == result["test accuracy"]
    assert 0.05 < result["reinitialized accuracy"] < 0.2


@needs_mnist
@pytest.mark.full_data
def test_tf1_mnist_series_10_epochs(tmp_path):
    result = tf1_mnist_series.main(["--quiet", "--out", str(tmp_path)])
    assert result["test accuracy"] >= 0.93  # the original reports about 0.95


@pytest.mark.full_data
def test_house_prices_and_xor_as_in_the_tutorial(tmp_path):
    prices = house_prices.main(["--quiet", "--out", str(tmp_path / "house")])
    assert prices["MAE / mean price"] < 0.15  # measured 0.093-0.107 after 100 epochs
    assert xor.main(["--quiet", "--out", str(tmp_path / "xor")])["correct"] == 4


def test_demo_runs_the_bundled_examples_and_reports_missing_data(tmp_path, monkeypatch):
    def no_data(argv):
        raise DownloadError("Could not download 'mnist.npz' (no network).")

    monkeypatch.setattr(mnist_dnn, "main", no_data)
    rows = demo.main(["--only", "xor", "mnist_dnn", "--out", str(tmp_path)])
    assert rows[0][:3] == ("xor", "correct", "4/4")
    assert rows[1] == ("mnist_dnn", "skipped: dataset not available", "-", "-")
    _pngs(tmp_path / "xor", "decision_boundary.png")
