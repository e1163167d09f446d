"""The workloads in myelin: keras_peer.py's code, unchanged, under `import myelin as keras`.

Sharing the code is the point: myelin promises that Keras code runs with only the
import line changed, so the benchmark measures exactly that code.
"""

import myelin as keras
from keras_peer import run

if __name__ == "__main__":
    import os

    import numpy as np

    version = f"myelin {getattr(keras, '__version__', '?')}, numpy {np.__version__}"
    # myelin computes with NumPy's BLAS, which sizes its thread pool to the cores
    run(keras, "myelin", version, os.cpu_count(), data=keras.data)
