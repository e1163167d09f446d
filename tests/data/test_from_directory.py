"""image/text_dataset_from_directory on real files: MNIST digits as PNGs, text files."""

import builtins
import os

import numpy as np
import pytest

import myelin as tf
from myelin.data.image_folder import resize
from myelin.datasets import mnist

PIL = pytest.importorskip("PIL.Image")
needs_mnist = pytest.mark.dataset("mnist/mnist.npz")  # the digits written as PNG files


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    """The first 1,000 MNIST training digits as PNG files in class folders."""
    (x, y), _ = mnist.load_data()
    x, y = x[:1000], y[:1000]
    root = tmp_path_factory.mktemp("digits")
    for i, (image, label) in enumerate(zip(x, y, strict=True)):
        folder = root / str(label)
        folder.mkdir(exist_ok=True)
        PIL.fromarray(image).save(folder / f"{i:04d}.png")
    return root, x, y


@needs_mnist
def test_images_load_back_pixel_exact_with_labels(digits):
    root, x, y = digits
    ds = tf.keras.utils.image_dataset_from_directory(
        root, image_size=(28, 28), color_mode="grayscale", batch_size=100, shuffle=False,
        verbose=False)
    assert ds.class_names == [str(d) for d in range(10)]
    images, labels = (np.concatenate(p) for p in zip(*ds.as_numpy_iterator(), strict=True))
    assert images.shape == (1000, 28, 28, 1) and images.dtype == np.float32
    assert labels.dtype == np.int32
    # unshuffled order is class by class, files sorted: map each file back to its source
    index = [int(os.path.basename(p)[:4]) for p in ds.file_paths]
    np.testing.assert_array_equal(images[:, :, :, 0], x[index])
    np.testing.assert_array_equal(labels, y[index])


@needs_mnist
def test_training_from_png_folders_reaches_a_sensible_accuracy(digits):
    root, _, _ = digits
    train, val = tf.keras.utils.image_dataset_from_directory(
        root, image_size=(28, 28), color_mode="grayscale", batch_size=32,
        validation_split=0.2, subset="both", seed=7, verbose=False)
    assert len(train.file_paths) == 800 and len(val.file_paths) == 200
    assert not set(train.file_paths) & set(val.file_paths)
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Rescaling(1 / 255),
                                 tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(64, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train, epochs=5, verbose=0)
    assert history.history["accuracy"][-1] > history.history["accuracy"][0]
    _, accuracy = model.evaluate(val, verbose=0)
    assert 0.8 <= accuracy <= 1.0  # an MLP on 800 digits


@needs_mnist
def test_label_modes_rgb_and_resize(digits):
    root, _, _ = digits
    ds = tf.keras.utils.image_dataset_from_directory(
        root, image_size=(14, 14), label_mode="categorical", class_names=["3", "7"],
        batch_size=8, seed=1, verbose=False)
    images, labels = next(iter(ds))
    assert images.shape == (8, 14, 14, 3) and labels.shape == (8, 2)
    np.testing.assert_array_equal(labels.numpy().sum(axis=1), 1)
    single = tf.keras.utils.image_dataset_from_directory(
        root, image_size=(14, 14), class_names=["3", "7"], batch_size=None, seed=1,
        shuffle=False, verbose=False, label_mode="binary")
    image, label = next(iter(single))
    with PIL.open(single.file_paths[0]) as img:
        source = np.asarray(img.convert("RGB"), dtype=np.float32)
    assert np.array_equal(source[..., 0], source[..., 2])  # gray replicated into RGB
    # 28 -> 14 bilinear with half-pixel centers: the mean of each 2x2 block
    blocks = source.reshape(14, 2, 14, 2, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(image.numpy(), blocks, rtol=1e-6)
    assert label.numpy().shape == (1,)


def test_resize_matches_tf_half_pixel_bilinear():
    image = np.arange(16, dtype=np.float32).reshape(4, 4, 1)
    # output pixel centers map to input 0.5 and 2.5: the mean of each 2x2 block
    np.testing.assert_allclose(resize(image, (2, 2))[:, :, 0], [[2.5, 4.5], [10.5, 12.5]])
    up = resize(np.array([[[0.0], [4.0]]], np.float32), (1, 4))[0, :, 0]
    np.testing.assert_allclose(up, [0.0, 1.0, 3.0, 4.0])  # edges clamp
    np.testing.assert_array_equal(resize(image, (2, 2), "nearest")[:, :, 0], [[5, 7], [13, 15]])


@needs_mnist
def test_directory_errors_name_the_problem(tmp_path, digits):
    root, _, _ = digits
    load = tf.keras.utils.image_dataset_from_directory
    (tmp_path / "empty" / "cats").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"empty.*1 class folders \['cats'\]"):
        load(tmp_path / "empty")
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "notes.md").write_text("x")
    with pytest.raises(ValueError, match=r"no class subfolders.*notes\.md"):
        load(tmp_path / "flat")
    with pytest.raises(ValueError, match="does not exist"):
        load(tmp_path / "missing")
    (tmp_path / "bad" / "a").mkdir(parents=True)
    (tmp_path / "bad" / "a" / "broken.png").write_bytes(b"not a png")
    ds = load(tmp_path / "bad", verbose=False)
    with pytest.raises(ValueError, match=r"broken\.png"):
        next(iter(ds))
    with pytest.raises(ValueError, match="pass a seed"):
        load(root, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="subset must be one of"):
        load(root, validation_split=0.2, subset="train", seed=1)
    with pytest.raises(ValueError, match="binary' needs exactly 2 classes"):
        load(root, label_mode="binary")
    with pytest.raises(ValueError, match="color_mode"):
        load(root, color_mode="cmyk")
    with pytest.raises(ValueError, match="image_size"):
        load(root, image_size=(0, 28))
    with pytest.raises(ValueError, match=r"class_names \['x'\] have no subfolder"):
        load(root, class_names=["x"])


@needs_mnist
def test_missing_pillow_names_the_extra(monkeypatch, digits):
    real_import = builtins.__import__

    def no_pil(name, *args, **kwargs):
        if name.startswith("PIL"):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    with pytest.raises(ImportError, match=r'pip install "myelin\[image\]"'):
        tf.keras.utils.image_dataset_from_directory(digits[0])


def test_text_dataset_labels_split_and_max_length(tmp_path):
    for label, texts in (("neg", ["bad film", "awful"]), ("pos", ["great film", "fine",
                                                                  "héllo wörld"])):
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pos" / "skip.md").write_text("not a txt")
    ds = tf.keras.utils.text_dataset_from_directory(tmp_path, shuffle=False, verbose=False)
    texts, labels = next(ds.as_numpy_iterator())
    assert ds.class_names == ["neg", "pos"]
    assert texts.tolist() == ["bad film", "awful", "great film", "fine", "héllo wörld"]
    np.testing.assert_array_equal(labels, [0, 0, 1, 1, 1])
    short = tf.keras.utils.text_dataset_from_directory(
        tmp_path, shuffle=False, max_length=2, label_mode=None, verbose=False)
    # max_length counts bytes like tf.strings.substr; a cut "é" (2 bytes) is dropped
    assert next(iter(short)).tolist() == ["ba", "aw", "gr", "fi", "h"]
    train, val = tf.keras.utils.text_dataset_from_directory(
        tmp_path, validation_split=0.4, subset="both", seed=3, verbose=False)
    assert len(train.file_paths) == 3 and len(val.file_paths) == 2
    assert sorted(train.file_paths + val.file_paths) == sorted(ds.file_paths)
    binary = tf.keras.utils.text_dataset_from_directory(
        tmp_path, label_mode="binary", shuffle=False, verbose=False)
    assert next(iter(binary))[1].numpy().tolist() == [[0.0], [0.0], [1.0], [1.0], [1.0]]
    with pytest.raises(ValueError, match="max_length must be"):
        tf.keras.utils.text_dataset_from_directory(tmp_path, max_length=0)
    with pytest.raises(ValueError, match="label_mode must be one of"):
        tf.keras.utils.text_dataset_from_directory(tmp_path, label_mode="sparse")


def test_crop_to_aspect_ratio_and_explicit_labels(tmp_path):
    (tmp_path / "only").mkdir()
    wide = np.tile(np.arange(8, dtype=np.uint8) * 10, (4, 1))  # 4 x 8, columns 0..70
    PIL.fromarray(wide).save(tmp_path / "only" / "a.png")
    PIL.fromarray(wide[:, ::-1].copy()).save(tmp_path / "only" / "b.png")
    ds = tf.keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 4), color_mode="grayscale", crop_to_aspect_ratio=True,
        labels=None, shuffle=False, verbose=False)
    images = next(iter(ds)).numpy()[..., 0]
    np.testing.assert_array_equal(images[0], np.tile([20, 30, 40, 50], (4, 1)))  # center
    np.testing.assert_array_equal(images[1], np.tile([50, 40, 30, 20], (4, 1)))
    labelled = tf.keras.utils.image_dataset_from_directory(
        tmp_path / "only", labels=[5, 9], image_size=(4, 8), shuffle=False,
        verbose=False)
    _, labels = next(iter(labelled))
    np.testing.assert_array_equal(labels.numpy(), [5, 9])
    with pytest.raises(ValueError, match="labels has 1 entries but .* holds 2 files"):
        tf.keras.utils.image_dataset_from_directory(tmp_path / "only", labels=[1])
