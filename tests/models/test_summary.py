"""model.summary(): Keras 3's table, number formats, unbuilt models, ASCII fallback."""

import io
import sys

import pytest

from myelin.layers import Dense, Embedding, GlobalAveragePooling1D, Normalization, clear_session
from myelin.models import Sequential
from myelin.models.summary import readable_size, summary_text


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


# Keras 3's output for this model in a notebook (80 columns, so lines of 76).
KERAS_SEED_001 = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 1)              │             2 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 2 (8.00 B)
 Trainable params: 2 (8.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def _seed_model():
    model = Sequential([Dense(1)])
    model.build((None, 1))
    return model


def test_seed_001_summary_matches_keras_exactly():
    assert summary_text(_seed_model(), line_length=76) == KERAS_SEED_001


def test_print_fn_receives_the_whole_text_once():
    calls = []
    _seed_model().summary(line_length=76, print_fn=calls.append)
    assert calls == [KERAS_SEED_001]


def test_default_width_is_88_and_columns_follow_keras_positions():
    lines = summary_text(_seed_model(), line_length=88).splitlines()
    assert {len(line) for line in lines[1:6]} == {88}
    # rich's widths for Keras's [0.45, 0.80, 1.0] at 88: cells of 38, 29 and 17
    assert lines[1] == "┏" + "━" * 38 + "┳" + "━" * 29 + "┳" + "━" * 17 + "┓"


def test_multi_layer_rows_thousands_separators_and_kilobytes():
    model = Sequential([Dense(300, activation="relu", input_shape=(784,)),
                        Dense(100, activation="relu"), Dense(10, activation="softmax")])
    text = summary_text(model, line_length=76)
    assert "│ dense (Dense)                   │ (None, 300)            │       235,500 │" in text
    assert "├─────────────────────────────────┼────────────────────────┼───────────────┤" in text
    assert " Total params: 266,610 (1.02 MB)" in text
    assert " Trainable params: 266,610 (1.02 MB)" in text


def test_unbuilt_model_says_unbuilt():
    text = summary_text(Sequential([Dense(4), Dense(1)]), line_length=76)
    assert "│ dense (Dense)                   │ ?                      │   0 (unbuilt) │" in text
    assert " Total params: 0 (0.00 B)" in text


def test_non_trainable_weights_and_int_count_sizes():
    norm = Normalization(input_shape=(9,))
    model = Sequential([norm, Dense(1)])
    text = summary_text(model, line_length=76)
    # mean + variance (9 float32 each) and count (one int64), as Keras counts them
    assert "│ normalization (Normalization)   │ (None, 9)              │            19 │" in text
    assert " Non-trainable params: 19 (80.00 B)" in text
    assert " Trainable params: 10 (40.00 B)" in text


def test_long_names_wrap_inside_the_cell():
    model = Sequential([Embedding(100, 4, embeddings_initializer="zeros"),
                        GlobalAveragePooling1D(), Dense(1)])
    model.build((None, 10))
    lines = summary_text(model, line_length=76).splitlines()
    assert "│ global_average_pooling1d        │ (None, 4)              │             0 │" in lines
    assert "│ (GlobalAveragePooling1D)        │                        │               │" in lines


def test_ascii_fallback_when_stdout_cannot_encode_box_characters(monkeypatch):
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="ascii"))
    _seed_model().summary(line_length=76)
    sys.stdout.flush()
    text = buffer.getvalue().decode("ascii")
    # rich's ASCII box: plain top and bottom edges, '+' where the header rule crosses
    assert "\n+" + "-" * 74 + "+\n" in text
    assert "|---------------------------------+------------------------+---------------|" in text
    assert "| dense (Dense)                   | (None, 1)              |             2 |" in text


def test_readable_size_uses_powers_of_1024():
    assert readable_size(8) == "8.00 B"
    assert readable_size(1066440) == "1.02 MB"
    assert readable_size(2048) == "2.00 KB"
