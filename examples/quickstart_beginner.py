"""TensorFlow 2's "quickstart for beginners", with only the import line changed.

The program of https://www.tensorflow.org/tutorials/quickstart/beginner: a
Flatten-Dense(128, relu)-Dropout(0.2)-Dense(10) network trained on MNIST for 5 epochs
with Adam and a from-logits loss, evaluated on the test set, then wrapped with a
Softmax layer to return probabilities. The notebook's displayed expressions are
printed here.

Run: python examples/quickstart_beginner.py
"""

import myelin as tf  # instead of: import tensorflow as tf

print("TensorFlow version:", tf.__version__)

mnist = tf.keras.datasets.mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

model = tf.keras.models.Sequential([
  tf.keras.layers.Flatten(input_shape=(28, 28)),
  tf.keras.layers.Dense(128, activation='relu'),
  tf.keras.layers.Dropout(0.2),
  tf.keras.layers.Dense(10)
])

predictions = model(x_train[:1]).numpy()
print(predictions)

print(tf.nn.softmax(predictions).numpy())

loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

print(loss_fn(y_train[:1], predictions).numpy())

model.compile(optimizer='adam',
              loss=loss_fn,
              metrics=['accuracy'])

model.fit(x_train, y_train, epochs=5)

print(model.evaluate(x_test,  y_test, verbose=2))

probability_model = tf.keras.Sequential([
  model,
  tf.keras.layers.Softmax()
])

print(probability_model(x_test[:5]))
