"""The seed tutorials' Keras code, as written there except for the import line.

Seed 001 (house prices, one neuron), seed 003 (a first classifier: ReLU hidden
layer, sigmoid output) and the model of seed 000 (IMDB reviews) on small data.
"""

import numpy as np

import myelin as tf
from myelin import keras

house_areas = [3765, 7530, 11295, 15060, 18825, 22590, 26355, 30120, 33885, 37650, 41415,
               45180, 48945, 52710, 56475]
house_prices = [16203815, 11924806, 15363025, 20681588, 23343728, 31297816, 45029324,
                48653516, 43981690, 52140160, 64208930, 59116732, 69043050, 66664916,
                77795170]


def test_seed_001_house_price_perceptron(capsys):
    tf.keras.utils.clear_session()
    tf.keras.utils.set_random_seed(1)

    ml_model = tf.keras.Sequential([  # 1
        tf.keras.layers.Dense(1)
    ])

    ml_model.compile(  # 2
        loss="mae",
        optimizer=tf.keras.optimizers.SGD()
    )

    ml_model.build((None, 1))  # 3

    ml_model.summary()  # 4

    weights = ml_model.weights  # 5

    ml_model_history = ml_model.fit(house_areas, house_prices, epochs=100)

    house_prices_pred = ml_model.predict(house_areas)

    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out and "dense (Dense)" in out
    assert " Total params: 2 (8.00 B)" in out and "Epoch 100/100" in out
    assert [w.name for w in weights] == ["dense/kernel", "dense/bias"]
    loss = ml_model_history.history["loss"]
    assert len(loss) == 100 and max(loss[-10:]) < loss[0] / 3  # "the loss decreases"
    assert house_prices_pred.shape == (15, 1)
    # "almost perfect": predictions within 25% of the prices on the upper half
    relative = np.abs(house_prices_pred[7:, 0] - house_prices[7:]) / house_prices[7:]
    assert relative.max() < 0.25


def test_seed_001_with_two_dimensional_areas():
    areas = [[a] for a in house_areas]
    ml_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    ml_model.compile(loss="mae", optimizer=tf.keras.optimizers.SGD())
    history = ml_model.fit(areas, house_prices, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and ml_model.input_shape == (None, 1)


def test_seed_003_first_classifier():
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(16, activation="relu", input_shape=(2,)),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    X = np.random.rand(200, 2)
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    history = model.fit(X, y, epochs=60, batch_size=10, verbose=0)

    loss, accuracy = model.evaluate(X, y, verbose=0)
    assert history.history["accuracy"][-1] > 0.9 and accuracy > 0.9
    assert history.history["loss"][-1] < history.history["loss"][0]
    predictions = model.predict(X[:5], verbose=0)
    assert predictions.shape == (5, 1) and np.all((predictions > 0) & (predictions < 1))


def test_seed_000_imdb_model_on_small_data():
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    vocab_size = 10000
    train_data = rng.integers(1, 200, size=(64, 250))
    train_labels = rng.integers(0, 2, size=64)
    train_data[train_labels == 1, :5] = 7  # a word that marks positive reviews

    model = keras.Sequential()
    model.add(keras.layers.Embedding(vocab_size, 16))
    model.add(keras.layers.GlobalAveragePooling1D())
    model.add(keras.layers.Dense(16, activation=tf.nn.relu))
    model.add(keras.layers.Dense(1, activation=tf.nn.sigmoid))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["acc"])

    x_val, partial_x_train = train_data[:16], train_data[16:]
    y_val, partial_y_train = train_labels[:16], train_labels[16:]
    history = model.fit(partial_x_train, partial_y_train, epochs=40, batch_size=512,
                        validation_data=(x_val, y_val), verbose=0)
    assert list(history.history) == ["loss", "acc", "val_loss", "val_acc"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.count_params() == 10000 * 16 + 16 * 16 + 16 + 16 + 1
