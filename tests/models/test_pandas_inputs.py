"""fit / evaluate / predict take pandas objects as tutorials pass them (df[cols], df[col])."""

import numpy as np
import pytest

from myelin.layers import Dense, clear_session
from myelin.models import Sequential

pd = pytest.importorskip("pandas")


def _frame():
    rng = np.random.default_rng(0)
    area = rng.uniform(500, 3000, 64)
    rooms = rng.integers(1, 6, 64)
    return pd.DataFrame({"area": area, "rooms": rooms,
                         "price": 100 * area + 5000 * rooms + rng.normal(0, 1000, 64)})


def _model():
    clear_session()
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_dataframe_and_series_give_the_same_training_as_numpy():
    df = _frame()
    x_df = (df[["area", "rooms"]] - df[["area", "rooms"]].mean()) / df[["area", "rooms"]].std()
    y = df["price"] / 1e5
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    ha = a.fit(x_df, y, epochs=5, shuffle=False, verbose=0)
    hb = b.fit(x_df.to_numpy(), y.to_numpy(), epochs=5, shuffle=False, verbose=0)
    assert ha.history["loss"] == hb.history["loss"]
    np.testing.assert_array_equal(a.predict(x_df, verbose=0), b.predict(x_df.to_numpy(),
                                                                          verbose=0))
    assert a.evaluate(x_df, y, verbose=0) == b.evaluate(x_df.to_numpy(), y.to_numpy(),
                                                       verbose=0)


def test_numbers_stored_as_objects_are_accepted():
    df = _frame()
    x = df[["area", "rooms"]].astype(object) / 1000
    assert x.to_numpy().dtype == object
    history = _model().fit(x, df["price"] / 1e5, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_a_text_column_is_refused_by_name():
    df = _frame().assign(rooms=lambda d: d["rooms"].map(str) + " rooms")
    with pytest.raises(TypeError, match=r"fit: x has dtype object \(Python objects\); "
                                        r"expected numbers"):
        _model().fit(df[["area", "rooms"]], df["price"], epochs=1, verbose=0)
