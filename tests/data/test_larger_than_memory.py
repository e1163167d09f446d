"""Training streams from disk: under a memory limit smaller than the data, fit reads a
memory-mapped .npy through a Dataset, a from_generator over the file and a PyDataset,
and ends with exactly the weights in-memory training reaches for the same order.

The limit is RLIMIT_DATA (heap and anonymous memory, where arrays live; a read-only
file mapping is not counted), set in a subprocess to what it uses after import plus
64 MB, for a 192 MB file. The subprocess also shows that the limit bites: loading the
file into memory raises MemoryError there.
"""

import json
import subprocess
import sys

import numpy as np

ROWS, FEATURES, BATCH = 49_152, 1024, 256  # 192 MB of float32
HEADROOM = 64 * 2**20

TRAINING = '''
import numpy as np
import myelin as tf

def model_():
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(FEATURES,))])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    return model

class FileBatches(tf.keras.utils.PyDataset):
    def __init__(self, path, y, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = np.load(path, mmap_mode="r"), y
    def __len__(self):
        return -(-len(self.y) // BATCH)
    def __getitem__(self, i):
        part = slice(i * BATCH, (i + 1) * BATCH)
        return np.array(self.x[part]), self.y[part]

def file_generator(path, y):
    x = np.load(path, mmap_mode="r")
    for lo in range(0, len(y), BATCH):
        yield np.array(x[lo:lo + BATCH]), y[lo:lo + BATCH]

def train(x, y, path):
    """Final weights of each way of feeding fit; x is memory-mapped or in memory."""
    results = {}
    model = model_()
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(y), seed=1).batch(BATCH)
    model.fit(ds.prefetch(2), epochs=1, verbose=0)
    results["dataset"] = model.get_weights()
    if path is None:  # in memory: the same order from arrays
        model = model_()
        model.fit(x, y, batch_size=BATCH, shuffle=False, epochs=1, verbose=0)
        results["in_order"] = model.get_weights()
        return results
    model = model_()
    spec = (tf.TensorSpec((None, FEATURES), "float32"), tf.TensorSpec((None, 1), "float32"))
    model.fit(tf.data.Dataset.from_generator(lambda: file_generator(path, y),
                                             output_signature=spec), epochs=1, verbose=0)
    results["generator"] = model.get_weights()
    model = model_()
    model.fit(FileBatches(path, y, workers=2), shuffle=False, epochs=1, verbose=0)
    results["pydataset"] = model.get_weights()
    return results
'''.replace("FEATURES", str(FEATURES)).replace("BATCH", str(BATCH))

CHILD = TRAINING + '''
import json, resource, sys
path, out = sys.argv[1], sys.argv[2]
y = np.load(path.replace("x.npy", "y.npy"))

def vm_data():
    for line in open("/proc/self/status"):
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024

limit = vm_data() + HEADROOM
resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
try:
    np.load(path)
    loads = True
except MemoryError:
    loads = False
results = train(np.load(path, mmap_mode="r"), y, path)
np.savez(out, **{f"{k}_{i}": w for k, ws in results.items() for i, w in enumerate(ws)})
print(json.dumps({"limit": limit, "loads_in_memory": loads}))
'''.replace("HEADROOM", str(HEADROOM))


def test_fit_from_disk_under_a_memory_limit_smaller_than_the_data(tmp_path):
    rng = np.random.default_rng(0)
    x = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.float32,
                                  shape=(ROWS, FEATURES))
    for lo in range(0, ROWS, 8192):  # written in parts: the test itself stays small too
        x[lo:lo + 8192] = rng.standard_normal((min(8192, ROWS - lo), FEATURES),
                                              dtype=np.float32)
    true_w = rng.standard_normal((FEATURES, 1)).astype(np.float32) / 32
    y = np.concatenate([x[lo:lo + 8192] @ true_w for lo in range(0, ROWS, 8192)])
    x.flush()
    del x
    np.save(tmp_path / "y.npy", y)

    # one BLAS thread and two malloc arenas: per-thread reservations would count too
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
           "PATH": "/usr/bin:/bin",
           "PYTHONPATH": ":".join(sys.path)}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "x.npy"),
                           str(tmp_path / "w.npz")], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    data_bytes = ROWS * FEATURES * 4
    assert report["limit"] < data_bytes
    assert report["loads_in_memory"] is False  # the limit is real: the data cannot fit

    scope = {}
    exec(TRAINING, scope)
    reference = scope["train"](np.load(tmp_path / "x.npy"), y, None)
    with np.load(tmp_path / "w.npz") as streamed:
        for name, expected in (("dataset", "dataset"), ("generator", "in_order"),
                               ("pydataset", "in_order")):
            for i, weight in enumerate(reference[expected]):
                np.testing.assert_array_equal(streamed[f"{name}_{i}"], weight)
    # and training worked: the weights moved towards the true ones
    kernel = reference["dataset"][0]
    assert np.linalg.norm(kernel - true_w) < 0.5 * np.linalg.norm(true_w)
