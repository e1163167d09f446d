"""Functional model summaries match Keras 3.15.1's text exactly (captured with
print_fn from keras 3.15.1 at its 76-column default in an 80-column terminal): a chain
prints like a Sequential; branching graphs add "Connected to"; cut names end in "…"."""

import pytest

import myelin as keras
from myelin.graph import reset_default_graph
from myelin.keras import layers
from myelin.layers import clear_session
from myelin.models.summary import summary_text


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()
    yield
    reset_default_graph()  # op names recorded here must not leak into other tests


# Keras 3.15.1's text for the model built in test_ticket.
KERAS_TICKET = """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ title (InputLayer)  │ (None, None)      │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ body (InputLayer)   │ (None, None)      │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ embedding           │ (None, None, 64)  │    640,000 │ title[0][0]       │
│ (Embedding)         │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ embedding_1         │ (None, None, 64)  │    640,000 │ body[0][0]        │
│ (Embedding)         │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ global_average_poo… │ (None, 64)        │          0 │ embedding[0][0]   │
│ (GlobalAveragePool… │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ global_average_poo… │ (None, 64)        │          0 │ embedding_1[0][0] │
│ (GlobalAveragePool… │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ tags (InputLayer)   │ (None, 12)        │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate         │ (None, 140)       │          0 │ global_average_p… │
│ (Concatenate)       │                   │            │ global_average_p… │
│                     │                   │            │ tags[0][0]        │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ department (Dense)  │ (None, 4)         │        564 │ concatenate[0][0] │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ priority (Dense)    │ (None, 1)         │        141 │ concatenate[0][0] │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 1,280,705 (4.89 MB)
 Trainable params: 1,280,705 (4.89 MB)
 Non-trainable params: 0 (0.00 B)
"""


# Keras 3.15.1's text for the model built in test_residual.
KERAS_RESIDUAL = """\
Model: "toy_resnet"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ img (InputLayer)    │ (None, 16)        │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 32)        │        544 │ img[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 32)        │      1,056 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_2 (Dense)     │ (None, 32)        │      1,056 │ dense_1[0][0]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 32)        │          0 │ dense_2[0][0],    │
│                     │                   │            │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_3 (Dense)     │ (None, 32)        │      1,056 │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add_1 (Add)         │ (None, 32)        │          0 │ dense_3[0][0],    │
│                     │                   │            │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_4 (Dense)     │ (None, 10)        │        330 │ add_1[0][0]       │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 4,042 (15.79 KB)
 Trainable params: 4,042 (15.79 KB)
 Non-trainable params: 0 (0.00 B)
"""


# Keras 3.15.1's text for the model built in test_shared.
KERAS_SHARED = """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer         │ (None, None)      │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ input_layer_1       │ (None, None)      │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ embedding           │ (None, None, 128) │    128,000 │ input_layer[0][0… │
│ (Embedding)         │                   │            │ input_layer_1[0]… │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 128,000 (500.00 KB)
 Trainable params: 128,000 (500.00 KB)
 Non-trainable params: 0 (0.00 B)
"""


# Keras 3.15.1's text for the model built in test_op.
KERAS_OP = """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 4)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 3)              │            15 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ add (Add)                       │ (None, 3)              │             0 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 15 (60.00 B)
 Trainable params: 15 (60.00 B)
 Non-trainable params: 0 (0.00 B)
"""


# Keras 3.15.1's text for the model built in test_nested.
KERAS_NESTED = """\
Model: "functional_2"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer_2       │ (None, 128)       │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ functional          │ (None, 1)         │        129 │ input_layer_2[0]… │
│ (Functional)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ functional_1        │ (None, 1)         │        129 │ input_layer_2[0]… │
│ (Functional)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ average (Average)   │ (None, 1)         │          0 │ functional[0][0], │
│                     │                   │            │ functional_1[0][… │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 258 (1.01 KB)
 Trainable params: 258 (1.01 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_ticket_model_with_connected_to_and_cut_names():
    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(12,), name="tags")
    t = layers.GlobalAveragePooling1D()(layers.Embedding(10000, 64)(title_input))
    b = layers.GlobalAveragePooling1D()(layers.Embedding(10000, 64)(body_input))
    x = layers.concatenate([t, b, tags_input])
    p = layers.Dense(1, name="priority")(x)
    d = layers.Dense(4, name="department")(x)
    model = keras.Model(inputs=[title_input, body_input, tags_input],
                        outputs={"priority": p, "department": d})
    assert summary_text(model, line_length=76) == KERAS_TICKET


def test_residual():
    inputs = keras.Input(shape=(16,), name="img")
    x = layers.Dense(32, activation="relu")(inputs)
    y = layers.Dense(32, activation="relu")(x)
    y = layers.Dense(32, activation="relu")(y)
    block = layers.add([y, x])
    block2 = layers.add([layers.Dense(32, activation="relu")(block), block])
    model = keras.Model(inputs, layers.Dense(10)(block2), name="toy_resnet")
    assert summary_text(model, line_length=76) == KERAS_RESIDUAL


def test_shared():
    shared = layers.Embedding(1000, 128)
    a = keras.Input(shape=(None,), dtype="int32")
    b = keras.Input(shape=(None,), dtype="int32")
    model = keras.Model([a, b], [shared(a), shared(b)])
    assert summary_text(model, line_length=76) == KERAS_SHARED


def test_op():
    i = keras.Input(shape=(4,))
    model = keras.Model(i, layers.Dense(3)(i) + 1.0)
    assert summary_text(model, line_length=76) == KERAS_OP


def test_nested():
    def get_model():
        inputs = keras.Input(shape=(128,))
        return keras.Model(inputs, layers.Dense(1)(inputs))

    model1, model2 = get_model(), get_model()
    inputs = keras.Input(shape=(128,))
    outputs = layers.average([model1(inputs), model2(inputs)])
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert summary_text(model, line_length=76) == KERAS_NESTED


def test_default_width_of_a_branching_graph_is_108_columns():
    a, b = keras.Input(shape=(2,)), keras.Input(shape=(2,))
    model = keras.Model([a, b], layers.add([a, b]))
    lines = summary_text(model).splitlines()
    import shutil

    width = min(108, shutil.get_terminal_size().columns - 4)
    assert {len(line) for line in lines[1:4]} == {width}
    assert "Connected to" in lines[2]
