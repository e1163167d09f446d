"""examples/mnist_fast.py's network and schedule in Keras/TensorFlow or PyTorch.

    python mnist_fast_peer.py keras|torch HIDDEN,... EPOCHS PEAK_RATE BATCH

Run by benchmarks/headline.py as a whole process (its wall time includes the
framework's import and the data loading, as the myelin example's does). Both read
MNIST from the same local mnist.npz the myelin example reads; prints the test accuracy.
"""

import math
import sys

import numpy as np

import common


def load():
    """Train and test pixels in [0, 1] as float32, labels as int64."""
    with np.load(common.datasets_dir() / "mnist" / "mnist.npz", allow_pickle=False) as f:
        x, y, xt, yt = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    return (x.reshape(-1, 784).astype(np.float32) / 255, y.astype(np.int64),
            xt.reshape(-1, 784).astype(np.float32) / 255, yt.astype(np.int64))


def keras_run(hidden, epochs, peak_rate, batch):
    """The myelin example's code under TensorFlow's Keras."""
    import tensorflow as tf

    x, y, xt, yt = load()
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(784,))]
        + [tf.keras.layers.Dense(units, activation="relu") for units in hidden]
        + [tf.keras.layers.Dense(10)]
    )
    steps = epochs * math.ceil(len(x) / batch)
    rate = tf.keras.optimizers.schedules.CosineDecay(peak_rate, decay_steps=steps)
    model.compile(optimizer=tf.keras.optimizers.Adam(rate),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    return model.evaluate(xt, yt, batch_size=1000, verbose=0)[1]


def torch_run(hidden, epochs, peak_rate, batch):
    """The same network and schedule as a plain PyTorch loop (Keras's Adam epsilon)."""
    import torch

    torch.manual_seed(0)
    x, y, xt, yt = (torch.from_numpy(a) for a in load())
    sizes = [784, *hidden]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-1], 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=peak_rate, eps=1e-7)
    steps = epochs * math.ceil(len(x) / batch)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        order = torch.randperm(len(x))
        for start in range(0, len(x), batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss_fn(model(x[index]), y[index]).backward()
            optimizer.step()
            schedule.step()
    with torch.inference_mode():
        return (model(xt).argmax(1) == yt).float().mean().item()


if __name__ == "__main__":
    framework, hidden, epochs, rate, batch = sys.argv[1:6]
    run = {"keras": keras_run, "torch": torch_run}[framework]
    accuracy = run(tuple(int(u) for u in hidden.split(",")), int(epochs), float(rate),
                   int(batch))
    print(f"test accuracy {accuracy:.4f}")
