"""Masked sequence outputs: losses and metrics count only the unmasked steps (Keras 3)."""

import numpy as np

from myelin.layers import LSTM, Dense, Embedding, Input, TimeDistributed
from myelin.models import Sequential


def _tagger():
    model = Sequential([Input(shape=(5,), dtype="int32"), Embedding(20, 4, mask_zero=True),
                        LSTM(3, return_sequences=True),
                        TimeDistributed(Dense(3, activation="softmax"))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_loss_and_accuracy_average_over_unmasked_steps_only():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 20, size=(6, 5))
    x[0, 3:] = 0
    x[1, 1:] = 0
    y = rng.integers(0, 3, size=(6, 5))
    model = _tagger()
    loss, accuracy = model.evaluate(x, y, batch_size=6, verbose=0)
    p = model.predict(x, verbose=0)
    ce = -np.log(np.take_along_axis(p, y[..., None], -1)[..., 0])
    keep = x != 0
    np.testing.assert_allclose(loss, ce[keep].mean(), rtol=1e-5)
    assert abs(ce.mean() - ce[keep].mean()) > 1e-4  # the padded steps would change it
    np.testing.assert_allclose(accuracy, (p.argmax(-1) == y)[keep].mean(), rtol=1e-6)
    # labels under the mask are ignored: changing them changes nothing
    y2 = y.copy()
    y2[~keep] = (y2[~keep] + 1) % 3
    np.testing.assert_allclose(model.evaluate(x, y2, batch_size=6, verbose=0),
                               [loss, accuracy], rtol=1e-6)
    # with sample weights, the mask multiplies them (Keras's apply_mask)
    sw = np.array([1.0, 2.0, 0.5, 1.0, 1.0, 3.0])
    weighted = model.evaluate(x, y, sample_weight=sw, batch_size=6, verbose=0)[0]
    want = (ce * keep * sw[:, None]).sum() / keep.sum()
    np.testing.assert_allclose(weighted, want, rtol=1e-5)
    history = model.fit(x, y2, epochs=2, batch_size=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_dense_passes_the_mask_of_a_sequence_to_the_loss():
    """Keras 3's Dense supports masking: LSTM(return_sequences) -> Dense keeps the mask."""
    x = np.array([[3, 4, 0, 0, 0], [5, 6, 7, 8, 9]])
    y = np.array([[1, 0, 2, 2, 2], [0, 1, 2, 0, 1]])
    model = Sequential([Input(shape=(5,), dtype="int32"), Embedding(20, 4, mask_zero=True),
                        LSTM(3, return_sequences=True), Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    p = model.predict(x, verbose=0)
    ce = -np.log(np.take_along_axis(p, y[..., None], -1)[..., 0])
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), ce[x != 0].mean(), rtol=1e-5)
