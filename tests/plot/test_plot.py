"""myelin.plot writes real, non-blank PNGs of the documented size, and stays optional."""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
from matplotlib import image as mpimg  # noqa: E402

from myelin import plot  # noqa: E402


def _png(path):
    """The written picture: it exists, and is not one flat colour."""
    assert path.is_file()
    pixels = mpimg.imread(path)
    assert pixels[..., :3].std() > 0.05, "the PNG is (nearly) blank"
    return pixels


class _Xor:
    """A fixed classifier: probability of class 1 is high where exactly one input is > 0.5."""

    def predict(self, points, verbose="auto", batch_size=None):
        self.options = (verbose, batch_size)
        a, b = points[:, 0] > 0.5, points[:, 1] > 0.5
        return (a ^ b).astype(np.float32)[:, None] * 0.9 + 0.05


class _Labels:
    """A classifier like the Perceptron: predict(x) only, returns 0/1 labels."""

    def predict(self, points):
        return (points.sum(axis=1) > 1.5).astype(int)


def test_history_one_panel_per_quantity_train_and_validation(tmp_path):
    logs = {"loss": [0.9, 0.5, 0.3], "accuracy": [0.5, 0.7, 0.8],
            "val_loss": [0.8, 0.6, 0.5], "val_accuracy": [0.55, 0.65, 0.7]}
    fig = plot.history(logs, path=tmp_path / "h.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [len(ax.get_lines()) for ax in fig.axes] == [2, 2]
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), logs["val_loss"])
    assert _png(tmp_path / "h.png").shape[:2] == (350, 1000)


def test_history_accepts_an_object_with_history_and_creates_folders(tmp_path):
    class History:
        history = {"loss": list(np.linspace(3, 1, 50))}

    path = tmp_path / "deep" / "er" / "loss.png"
    fig = plot.history(History(), path=path)
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 1
    assert _png(path).shape[:2] == (350, 500)


def test_history_rejects_empty():
    with pytest.raises(ValueError, match="plot.history"):
        plot.history({"loss": []})


def test_predictions_scatter_and_sorted_line(tmp_path):
    x = np.array([[3.0], [1.0], [2.0]])
    fig = plot.predictions(x, [30, 11, 19], [[29.0], [10.0], [20.0]], path=tmp_path / "p.png")
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(line.get_ydata(), [10, 20, 29])
    assert _png(tmp_path / "p.png").shape[:2] == (400, 600)


def test_predictions_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="3, 2 and 3"):
        plot.predictions([1, 2, 3], [1, 2], [1, 2, 3])


def test_decision_boundary_xor_shades_both_classes(tmp_path):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    model = _Xor()
    plot.decision_boundary(model, x, [0, 1, 1, 0], path=tmp_path / "xor.png")
    assert model.options == (0, 200 * 200)  # quiet, one batch
    pixels = _png(tmp_path / "xor.png")
    assert pixels.shape[:2] == (500, 500)
    rgb = pixels[..., :3]
    reddish = (rgb[..., 0] > rgb[..., 2] + 0.2).mean()
    bluish = (rgb[..., 2] > rgb[..., 0] + 0.2).mean()
    assert reddish > 0.05 and bluish > 0.05  # both regions are visible


def test_decision_boundary_with_label_predictions(tmp_path):
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    plot.decision_boundary(_Labels(), x, [0, 0, 0, 1], path=tmp_path / "and.png")
    assert _png(tmp_path / "and.png").shape[:2] == (500, 500)


def test_decision_boundary_rejects_non_2d_inputs():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plot.decision_boundary(_Labels(), np.zeros((4, 3)), [0, 1, 0, 1])


def test_images_marks_misclassified_in_red(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random((30, 784))
    y = np.arange(30) % 10
    scores = np.eye(10)[y]
    scores[[2, 7]] = np.eye(10)[[5, 5]]  # two mistakes
    fig = plot.images(x, y, scores, path=tmp_path / "digits.png", n=9)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["0 (true 0)", "1 (true 1)", "5 (true 2)", "3 (true 3)", "4 (true 4)",
                      "5 (true 5)", "6 (true 6)", "5 (true 7)", "8 (true 8)"]
    red = [i for i, ax in enumerate(fig.axes) if ax.title.get_color() == "red"]
    assert red == [2, 7]
    assert _png(tmp_path / "digits.png").shape[:2] == (470, 450)


def test_images_without_predictions_and_bad_shapes(tmp_path):
    fig = plot.images(np.random.default_rng(1).random((4, 8, 8)), [1, 2, 3, 4],
                      path=tmp_path / "i.png")
    assert [ax.get_title() for ax in fig.axes] == ["1", "2", "3", "4"]
    _png(tmp_path / "i.png")
    with pytest.raises(ValueError, match="square"):
        plot.images(np.zeros((2, 10)), [0, 1])
    with pytest.raises(ValueError, match="one label"):
        plot.images(np.zeros((2, 4, 4)), [0, 1, 2])


def test_filters_one_image_per_filter_from_a_layer_or_an_array(tmp_path):
    from myelin.layers import Conv2D

    layer = Conv2D(10, 3)
    layer.build((None, 8, 8, 2))
    fig = plot.filters(layer, path=tmp_path / "f.png", channel=1)
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert len(shown) == 10 and shown[3].get_title() == "3"
    np.testing.assert_allclose(shown[3].get_images()[0].get_array(),
                               layer.kernel.numpy()[:, :, 1, 3])
    assert _png(tmp_path / "f.png").shape[:2] == (230, 800)  # 8 per row, 2 rows
    assert len([ax for ax in plot.filters(np.ones((3, 3, 1, 40)), n=5).axes
                if ax.get_images()]) == 5
    with pytest.raises(ValueError, match="plot.filters.*channel=2"):
        plot.filters(layer, channel=2)
    with pytest.raises(ValueError, match=r"plot.filters.*\(3, 3\)"):
        plot.filters(np.ones((3, 3)))


def test_feature_maps_one_row_per_image_shaped_layer(tmp_path):
    from myelin import keras

    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(3, 3, name="c"),
                              keras.layers.MaxPooling2D(name="p"), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    image = np.random.default_rng(0).random((8, 8, 1)).astype(np.float32)
    fig = plot.feature_maps(model, image, path=tmp_path / "m.png")
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["input", "c", "p"]  # not flatten / dense
    expected = model.layers[0](image[None]).numpy()[0, :, :, 2]
    np.testing.assert_allclose(fig.axes[5].get_images()[0].get_array(), expected, rtol=1e-6)
    _png(tmp_path / "m.png")
    with pytest.raises(ValueError, match="one image"):
        plot.feature_maps(model, image[None])
    dense = keras.Sequential([keras.Input(shape=(4, 4, 1)), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="no layer"):
        plot.feature_maps(dense, np.zeros((4, 4, 1)))


def test_import_myelin_does_not_import_matplotlib():
    code = ("import sys, myelin, myelin.plot; "
            "print(any(m.startswith('matplotlib') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_missing_matplotlib_gives_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes the import fail
    with pytest.raises(ImportError, match=r'pip install "myelin\[plot\]"'):
        plot.history({"loss": [1.0]})
