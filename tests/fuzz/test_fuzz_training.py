"""Issue 17, item 1: ``fit``/``evaluate``/``predict`` with fuzzed data and arguments.

x, y, batch_size, epochs, validation_split, class_weight and sample_weight are drawn
from valid and hostile values. A refused call names the method or argument and leaves
every weight and optimizer slot as it was; an accepted ``predict`` returns one finite row
per sample for finite inputs.
"""

import sys
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import _strategies as fz  # noqa: E402

from myelin.keras import layers  # noqa: E402
from myelin.models import Sequential  # noqa: E402

FEATURES, CLASSES = 3, 2
# Names an error may cite: the method, an argument, or the model's first layer.
NAMES = ("fit", "evaluate", "predict", "batch_size", "epochs", "validation_split",
         "class_weight", "sample_weight", "x", "y", "dense", "model", "loss")


def _model():
    model = Sequential([layers.Dense(4, activation="relu", input_shape=(FEATURES,)),
                        layers.Dense(CLASSES, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.linspace(-1, 1, 8 * FEATURES, dtype=np.float32).reshape(8, FEATURES)
    model.fit(x, np.arange(8) % CLASSES, epochs=1, batch_size=4, verbose=0)  # build slots
    return model


def _state(model):
    return model.weights + list(model.optimizer.variables)


@st.composite
def data(draw):
    n = draw(st.sampled_from([0, 1, 3, 5]))
    how = draw(st.sampled_from(["valid", "valid", "values", "shape", "dtype"]))
    if how == "valid":
        x = draw(fz.shaped((n, FEATURES), ["float32", "float64", "int32"], fz.FINITE))
    elif how == "values":
        x = draw(fz.shaped((n, FEATURES), ["float32", "float64"]))
    elif how == "shape":
        x = draw(fz.arrays(dtypes=["float32"]))
    else:
        x = draw(fz.shaped((n, FEATURES)))
    y = draw(st.one_of(
        st.just(np.arange(n) % CLASSES),
        fz.shaped((n,), ["int64", "float32", "bool"], [0.0, 1.0]),
        fz.arrays(dtypes=["int64", "float32", "U3", "object"], max_dims=2),
        st.none()))
    return how, x, y


ARGS = st.fixed_dictionaries({}, optional={
    "batch_size": st.sampled_from([None, 1, 2, 0, -1, 2.5, "4", np.int64(3), True]),
    "epochs": st.sampled_from([1, 2, 0, -1, 1.5, None, "2"]),
    "validation_split": st.sampled_from([0.0, 0.25, 0.5, 1.0, -0.1, 2, np.nan, "x"]),
    "class_weight": st.sampled_from([None, {0: 1.0, 1: 2.0}, {0: 1.0}, {5: 1.0},
                                     {"a": 1.0}, {0: np.nan, 1: 1.0}, [1.0, 2.0], {}]),
    "sample_weight": st.one_of(st.none(), fz.arrays(dtypes=["float32", "int64", "U3"],
                                                    max_dims=2)),
    "shuffle": st.sampled_from([True, False, "batch"]),
})


@fz.FUZZ
@given(case=data(), args=ARGS)
def test_fit_with_fuzzed_data_and_arguments(case, args):
    _, x, y = case
    model = _model()
    before = fz.snapshot(_state(model))
    _, error = fz.call(lambda: model.fit(x, y, verbose=0, **args), *NAMES)
    if error is not None:
        fz.assert_unchanged(before, _state(model), "fit")


@fz.FUZZ
@given(case=data(), batch_size=st.sampled_from([None, 1, 3, 0, -2, 1.5, "2"]),
       sample_weight=st.one_of(st.none(), fz.arrays(dtypes=["float32"], max_dims=1)))
def test_evaluate_and_predict_with_fuzzed_data(case, batch_size, sample_weight):
    how, x, y = case
    model = _model()
    before = fz.snapshot(_state(model))
    fz.call(lambda: model.evaluate(x, y, batch_size=batch_size, sample_weight=sample_weight,
                                   verbose=0), *NAMES)
    out, error = fz.call(lambda: model.predict(x, batch_size=batch_size, verbose=0), *NAMES)
    fz.assert_unchanged(before, _state(model), "evaluate/predict")
    if error is None and how == "valid":
        assert out.shape == (len(x), CLASSES)
        assert np.isfinite(out).all()
        np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)
