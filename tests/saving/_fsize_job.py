"""Save a model under a file-size limit (RLIMIT_FSIZE), for test_full_disk.py.

Usage: python _fsize_job.py PATH. Saves a small model to PATH without a limit, then
tries to save a large one with a limit below its size; prints one JSON line.
"""

import json
import resource
import sys

import numpy as np

from myelin.layers import Dense
from myelin.models import Sequential


def main(path):
    small = Sequential([Dense(2, input_shape=(3,))])
    small.save(path)
    before = open(path, "rb").read()
    big = Sequential([Dense(512, input_shape=(512,))])  # about 1 MB of weights
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, resource.RLIM_INFINITY))
    report = {}
    try:
        big.save(path)
        report["error"] = None
    except Exception as error:  # the test checks the type and the message
        report["error"] = type(error).__name__
        report["message"] = str(error)
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
    report["intact"] = open(path, "rb").read() == before
    report["loads"] = bool(np.isfinite(
        __import__("myelin").saving.load_model(path).predict(np.ones((1, 3)), verbose=0)).all())
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
