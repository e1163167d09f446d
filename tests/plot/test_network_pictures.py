"""Pictures of networks: ``plot.network`` (neurons and weights) and ``plot_model`` (the
layer graph) write real images of the expected size, for Sequential, functional and
nested models, and refuse what they cannot draw."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
from matplotlib import image as mpimg  # noqa: E402

import myelin as tf  # noqa: E402
from myelin import plot  # noqa: E402
from myelin.models import Perceptron  # noqa: E402


def _pixels(path):
    pixels = mpimg.imread(path)
    assert pixels[..., :3].std() > 0.05, "the picture is (nearly) blank"
    return pixels


def _xor_model():
    return tf.keras.Sequential([tf.keras.Input((2,)),
                                tf.keras.layers.Dense(4, activation="tanh", name="hidden"),
                                tf.keras.layers.Dense(1, activation="sigmoid", name="out")])


def test_network_colours_weights_by_sign_and_draws_before_and_after(tmp_path):
    model = _xor_model()
    before = model.get_weights()
    model.layers[0].kernel.assign(np.abs(before[0]))  # all positive after "training"
    fig = plot.network(model, before=before, path=tmp_path / "net.png")
    pixels = _pixels(tmp_path / "net.png")
    width, height = fig.get_size_inches() * 100
    assert pixels.shape[:2] == (round(height), round(width))
    assert [ax.get_title() for ax in fig.axes] == ["before training", "after training"]
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.4)
    red = (pixels[..., 0] > 0.7) & (pixels[..., 2] < 0.4)
    left, right = np.hsplit(blue, 2), np.hsplit(red, 2)
    assert left[0].sum() > 0 and left[1].sum() > 0  # positive weights on both sides
    assert right[0].sum() > right[1].sum()  # fewer negative weights after the change
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert "tanh" in labels and "sigmoid" in labels and "b=0.00" in labels


def test_network_shows_an_ellipsis_for_wide_layers_and_draws_a_perceptron(tmp_path):
    wide = tf.keras.Sequential([tf.keras.Input((784,)), tf.keras.layers.Dense(300),
                                tf.keras.layers.Dense(10)])
    fig = plot.network(wide, max_neurons=6, path=tmp_path / "wide.png")
    _pixels(tmp_path / "wide.png")
    assert [t.get_text() for t in fig.axes[0].texts].count("…") == 3
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    perceptron = Perceptron(max_epochs=20).fit(x, np.array([0, 0, 0, 1]))
    fig = plot.network(perceptron, path=tmp_path / "perceptron.png")
    assert "step" in [t.get_text() for t in fig.axes[0].texts]


def test_plot_model_draws_sequential_functional_and_nested_models(tmp_path):
    fig = tf.keras.utils.plot_model(_xor_model(), tmp_path / "seq.png", show_shapes=True,
                                    show_layer_activations=True, dpi=100)
    pixels = _pixels(tmp_path / "seq.png")
    assert pixels.shape[:2] == tuple(round(v) for v in fig.get_size_inches()[::-1] * 100)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("hidden (Dense)" in t and "out: (None, 4)" in t and "activation: tanh" in t
               for t in texts)
    title, body = tf.keras.Input((8,), name="title"), tf.keras.Input((4,), name="body")
    merged = tf.concat([tf.keras.layers.Dense(5, name="t5")(title),
                        tf.keras.layers.Dense(5, name="b5")(body)], axis=1)

    class Graph:  # what plot_model reads of a functional model: name and outputs
        name, outputs = "two_inputs", [tf.keras.layers.Dense(1, name="score")(merged)]

    fig = tf.keras.utils.plot_model(Graph(), tmp_path / "functional.svg", rankdir="LR")
    assert (tmp_path / "functional.svg").read_text().startswith("<?xml")
    names = [t.get_text().split(" ")[0] for t in fig.axes[0].texts]
    assert {"title", "body", "t5", "b5", "Concat", "score"} <= set(names)
    assert len([t for t in fig.axes[0].texts if t.get_text()]) == 6  # arrows have no text
    inner = tf.keras.Sequential([tf.keras.layers.Dense(3, name="inner_dense")], name="block")
    outer = tf.keras.Sequential([tf.keras.Input((2,)), inner, tf.keras.layers.Dense(1)])
    fig = tf.keras.utils.plot_model(outer, tmp_path / "nested.pdf", expand_nested=True)
    assert (tmp_path / "nested.pdf").read_bytes().startswith(b"%PDF")
    assert "block" in [t.get_text() for t in fig.axes[0].texts]  # the nested model's frame


def test_pictures_refuse_what_they_cannot_draw(tmp_path):
    with pytest.raises(ValueError, match="plot_model: rankdir must be 'TB' or 'LR', received "
                                         "'BT'"):
        tf.keras.utils.plot_model(_xor_model(), tmp_path / "m.png", rankdir="BT")
    with pytest.raises(ValueError, match="to_file must end in .png, .svg or .pdf"):
        tf.keras.utils.plot_model(_xor_model(), tmp_path / "m.gif")
    with pytest.raises(ValueError, match="plot.network draws dense networks; layer 'drop' is "
                                         "a Dropout"):
        plot.network(tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dropout(
            0.5, name="drop"), tf.keras.layers.Dense(1)]))
    with pytest.raises(ValueError, match="the Perceptron is not trained yet"):
        plot.network(Perceptron())
    with pytest.raises(ValueError, match="max_neurons must be an int >= 2"):
        plot.network(_xor_model(), max_neurons=1)
