"""What every peer shares: the workload table, the data (built in NumPy so every
framework trains on identical arrays), memory probes and the JSON result line.

Imports nothing but NumPy, so it runs unchanged in the myelin, TF and torch venvs.
"""

import argparse
import hashlib
import json
import os
import resource
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
IMDB_SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"

# units: Dense widths after the input; rows: training rows per epoch; val: validation
# rows (their forward pass is part of each epoch); epochs / quick: full and smoke runs.
WORKLOADS = {
    "house": dict(inputs=1, units=[1], batch=32, rows=15, val=0, epochs=100, quick=10),
    "xor": dict(inputs=2, units=[4, 1], batch=4, rows=4, val=0, epochs=500, quick=50),
    "mnist-mlp": dict(
        inputs=784, units=[300, 100, 10], batch=50, rows=50_000, val=10_000, epochs=5, quick=2
    ),
    # mnist-mlp's network built with keras.Model(inputs, outputs): must cost the same
    "mnist-functional": dict(
        inputs=784, units=[300, 100, 10], batch=50, rows=50_000, val=10_000, epochs=5, quick=2
    ),
    # mnist-mlp fed by an input pipeline: from_tensor_slices -> shuffle -> batch (tf.data
    # for Keras and myelin, a shuffling DataLoader for torch); compare with mnist-mlp
    "mnist-mlp-pipeline": dict(
        inputs=784, units=[300, 100, 10], batch=50, rows=50_000, val=10_000, epochs=5, quick=2,
        pipeline=True,
    ),
    # the embedding is a gather, not a matmul: only its 16-wide Dense layers count as FLOPs
    "imdb": dict(inputs=16, units=[16, 1], batch=512, rows=15_000, val=10_000, epochs=10, quick=2),
    # seed 004's TF-1 graph program (tf1_peer.py): myelin's graph and eager versions, and
    # TensorFlow under tf.compat.v1; PyTorch has no such program
    "tf1-mnist": dict(inputs=784, units=[300, 100, 10], batch=50, rows=50_000, val=10_000,
                      epochs=5, quick=1, frameworks=("myelin", "keras"), script="tf1_peer.py"),
    "wide-mlp": dict(
        inputs=784, units=[1024, 1024, 10], batch=256, rows=50_000, val=10_000, epochs=3, quick=2
    ),
    # the classic IMDB LSTM: Embedding(10000, 32), LSTM(32) over 200 steps, Dense(1); the
    # last 20% of the training reviews validate (Keras's validation_split=0.2)
    "lstm": dict(inputs=32, units=[32, 1], steps=200, batch=128, rows=20_000, val=5_000,
                 epochs=3, quick=1),
    # Keras's "Simple MNIST convnet": conv 32 3x3, pool 2, conv 64 3x3, pool 2, dense 10 on
    # the flattened 5x5x64; validation_split=0.1 of the 60k training images
    "convnet": dict(
        inputs=1600, units=[10], batch=128, rows=54_000, val=6_000, epochs=3, quick=1
    ),
}
# convnet: output positions x kernel size (kh*kw*in) x filters, i.e. the MACs per image
CONV_MACS = {"convnet": 26 * 26 * 9 * 1 * 32 + 11 * 11 * 9 * 32 * 64}


def dense_params(name):
    spec = WORKLOADS[name]
    widths = [spec["inputs"], *spec["units"]]
    return sum(a * b + b for a, b in pairwise(widths))


def flops_per_epoch(name):
    """~6 FLOPs per parameter per training row (forward 2, backward 4), 2 per validation row;
    a convolution's weights are reused at every output position, so it counts 2 FLOPs per
    multiply-add forward (and 6 per row in training) instead. For the LSTM, the parameters
    of its four gates are used once per step."""
    spec = WORKLOADS[name]
    params = dense_params(name)
    if "steps" in spec:
        features, units = spec["inputs"], spec["units"][0]
        params = 4 * units * (features + units + 1) * spec["steps"] + units + 1
    forward = 2 * params + 2 * CONV_MACS.get(name, 0)
    return forward * (3 * spec["rows"] + spec["val"])


def conv_flops_per_epoch(name):
    """The convolutions' share of ``flops_per_epoch`` (0 for the dense workloads)."""
    spec = WORKLOADS[name]
    return 2 * CONV_MACS.get(name, 0) * (3 * spec["rows"] + spec["val"])


def datasets_dir():
    return Path(os.environ.get("MYELIN_DATASETS", REPO.parent / "shared" / "data"))


# --- data ---------------------------------------------------------------------------


def load(name):
    """Return (x_train, y_train, validation or None, test or None) as NumPy arrays."""
    loaders = {"house": _house, "xor": _xor, "imdb": _imdb, "lstm": _imdb_lstm,
               "convnet": _mnist_images}
    return loaders.get(name, _mnist)()


def _house():
    # The seed's house-price table: size (1000 sq ft) -> price ($100k), a line plus noise.
    rng = np.random.default_rng(15)
    x = np.linspace(0.8, 3.6, 15, dtype=np.float32).reshape(15, 1)
    y = (0.5 + 1.5 * x + rng.normal(0, 0.2, (15, 1))).astype(np.float32)
    return x, y, None, None


def _xor():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    y = np.array([[0], [1], [1], [0]], np.float32)
    return x, y, None, (x, y)


def _mnist():
    with np.load(datasets_dir() / "mnist" / "mnist.npz", allow_pickle=False) as f:
        x, y, xt, yt = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    x = x.reshape(len(x), 784).astype(np.float32) / 255
    xt = xt.reshape(len(xt), 784).astype(np.float32) / 255
    y, yt = y.astype(np.int64), yt.astype(np.int64)
    # the seed tutorials keep the last 10k training images for validation
    return x[:50_000], y[:50_000], (x[50_000:], y[50_000:]), (xt, yt)


def _mnist_images():
    """MNIST as the convnet example prepares it: (n, 28, 28, 1) in [0, 1]; the last 10% of
    the training images validate (what Keras's validation_split=0.1 holds out)."""
    with np.load(datasets_dir() / "mnist" / "mnist.npz", allow_pickle=False) as f:
        x, y, xt, yt = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    x = x.reshape(-1, 28, 28, 1).astype(np.float32) / 255
    xt = xt.reshape(-1, 28, 28, 1).astype(np.float32) / 255
    y, yt = y.astype(np.int64), yt.astype(np.int64)
    return x[:54_000], y[:54_000], (x[54_000:], y[54_000:]), (xt, yt)


def _imdb(num_words=10_000, maxlen=256):
    (x, y), (xt, yt) = _imdb_arrays(num_words, maxlen, "post")
    # the tutorial's split: first 10k for validation, the next 15k for training
    return x[10_000:], y[10_000:], (x[:10_000], y[:10_000]), (xt, yt)


def _imdb_lstm(num_words=10_000, maxlen=200):
    # imdb.load_data + sequence.pad_sequences(maxlen=200): padding at the front
    (x, y), (xt, yt) = _imdb_arrays(num_words, maxlen, "pre")
    return x[:20_000], y[:20_000], (x[20_000:], y[20_000:]), (xt, yt)


def _imdb_arrays(num_words, maxlen, padding):
    path = datasets_dir() / "imdb" / "imdb.npz"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != IMDB_SHA256:  # the file holds pickles: never unpickle one we don't know
        raise RuntimeError(f"{path}: sha256 {digest} is not the expected {IMDB_SHA256}")
    with np.load(path, allow_pickle=True) as f:
        x, y, xt, yt = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    # keras.datasets.imdb.load_data shuffles train then test with one RandomState(113)
    rng = np.random.RandomState(113)
    order, order_t = rng.permutation(len(x)), rng.permutation(len(xt))
    x, y, xt, yt = x[order], y[order], xt[order_t], yt[order_t]
    x, xt = _encode(x, num_words, maxlen, padding), _encode(xt, num_words, maxlen, padding)
    y, yt = y.astype(np.float32).reshape(-1, 1), yt.astype(np.float32).reshape(-1, 1)
    return (x, y), (xt, yt)


def _encode(seqs, num_words, maxlen, padding):
    """Keras's encoding (start 1, oov 2, ranks + 3) then pad_sequences(padding=padding)."""
    out = np.zeros((len(seqs), maxlen), np.int64)
    for i, seq in enumerate(seqs):
        ids = np.asarray([1, *seq], np.int64)
        ids[1:] += 3
        ids[ids >= num_words] = 2
        ids = ids[-maxlen:]  # pad_sequences truncates at the front by default
        if padding == "post":
            out[i, : len(ids)] = ids
        else:
            out[i, maxlen - len(ids) :] = ids
    return out


# --- measurement --------------------------------------------------------------------


def rss_mb(field="VmRSS"):
    """Current (VmRSS) or peak (VmHWM) resident memory of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def training_starts():
    """Restart the peak (VmHWM) so the one read after fit belongs to training, not to data
    loading or import; return the resident memory training starts from."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # not Linux or not allowed: the peak then also covers import and loading
    return round(rss_mb(), 1)


def training_peak():
    return round(rss_mb("VmHWM"), 1)


def latency_us(fn, x, calls=500, warmup=50):
    """Median wall time of one call, in microseconds."""
    for _ in range(warmup):
        fn(x)
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - t)
    return float(np.median(times)) * 1e6


def cli(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--epochs", type=int, help="default: the workload's own")
    parser.add_argument("--quick", action="store_true", help="the smoke-run epoch count")
    parser.add_argument("--json", action="store_true", help="print one JSON line (for run.py)")
    args = parser.parse_args()
    spec = WORKLOADS[args.workload]
    if args.epochs is None:
        args.epochs = spec["quick"] if args.quick else spec["epochs"]
    return args


def report(args, result):
    """Print the run's result: one JSON line for run.py, or a readable summary."""
    result = {"workload": args.workload, "epochs": args.epochs, **result}
    if args.json:
        print(json.dumps(result), flush=True)
        return
    times = result.pop("epoch_times")
    print(
        f"{result['framework']} {args.workload}: median epoch {np.median(times):.4f} s "
        f"(first {times[0]:.4f} s)"
    )
    for key, value in result.items():
        print(f"  {key}: {value}")
