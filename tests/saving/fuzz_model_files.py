"""Mutation fuzzing of ``.myelin`` model files (issue 17, item 2).

Each mutant of a valid file must either load into a model whose predictions are
finite and of the right shape, or be refused with a myelin error (a ``ValueError``
or ``TypeError`` subclass, normally ``UnsafeFileError``) in under 2 s. Anything else
(``zlib.error``, ``KeyError``, ``struct.error``, a hang) is a failure.

Usage (the long run whose numbers are in docs/RELIABILITY.md):
    python tests/saving/fuzz_model_files.py --mutants 100000 --seed 0
"""

import argparse
import io
import json
import random
import resource
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from myelin import layers
from myelin.models import Sequential
from myelin.saving import load_model

ALLOWED = (ValueError, TypeError)  # myelin errors subclass these
OTHER_CLASSES = ["Conv2D", "LSTM", "Functional", "Sequential", "os.system", "builtins.eval",
                 "subprocess.Popen", "__import__", "Lambda", "InputLayer", ""]


def seed_files(folder):
    """Two small valid model files (one compiled with optimizer state)."""
    mlp = Sequential([layers.Dense(6, activation="relu", input_shape=(4,)),
                      layers.BatchNormalization(), layers.Dropout(0.1), layers.Dense(3)])
    mlp.compile("adam", "mse")
    x = np.random.default_rng(0).normal(size=(16, 4)).astype(np.float32)
    mlp.fit(x, x[:, :3], epochs=1, verbose=0)
    conv = Sequential([layers.Conv1D(2, 3, input_shape=(8, 2)), layers.Flatten(),
                       layers.Dense(2, activation="softmax")])
    paths = []
    for name, model in (("mlp", mlp), ("conv", conv)):
        path = Path(folder) / f"{name}.myelin"
        model.save(path)
        paths.append(path.read_bytes())
    return paths


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _zip(members, compress=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compress
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names warn
                z.writestr(info, payload)
    return out.getvalue()


def _find_all(data, marker):
    found, at = [], data.find(marker)
    while at >= 0:
        found.append(at)
        at = data.find(marker, at + 1)
    return found


def _json_edit(rng, value, depth=0):
    """A random structural edit somewhere in a JSON value."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: _json_edit(rng, value[key], depth + 1)}
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        return value[:i] + [_json_edit(rng, value[i], depth + 1)] + value[i + 1:]
    choice = rng.randrange(7)
    if choice == 0:  # swap the type
        return rng.choice([None, True, -1, 0, 1e308, float("nan"), "x", [], {}, [1, 2],
                           {"class_name": "Dense"}, 2**63])
    if choice == 1:  # nest deeply
        nested = value
        for _ in range(rng.choice([50, 2000, 20_000])):
            nested = [nested]
        return nested
    if choice == 2:  # name another class
        return {"class_name": rng.choice(OTHER_CLASSES), "config": value}
    if choice == 3 and isinstance(value, str):
        return rng.choice(OTHER_CLASSES)
    if choice == 4 and isinstance(value, (int, float)) and not isinstance(value, bool):
        return rng.choice([-value, value * 1000, 0, -1, 10**9, 0.5])
    if choice == 5:
        return None
    return [value, value]


KINDS = ("bitflip", "truncate", "delete", "duplicate", "inflate", "json", "json",
         "bitflip_member", "stored")


def mutate(rng, data, kinds=KINDS):
    """One random mutant of the bytes of a zip-based file; returns (kind, bytes).

    ``kinds`` limits the mutations (an archive without JSON members drops "json")."""
    kind = rng.choice(kinds)
    buf = bytearray(data)
    if kind == "bitflip":
        for _ in range(rng.choice([1, 1, 2, 8, 64])):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        return kind, bytes(buf)
    if kind == "truncate":
        return kind, bytes(buf[:rng.randrange(len(buf))])
    members = [(i.filename, payload) for i, payload in _members(data)]
    if kind == "delete":
        members.pop(rng.randrange(len(members)))
        return kind, _zip(members)
    if kind == "duplicate":
        i = rng.randrange(len(members))
        members.insert(rng.randrange(len(members) + 1), members[i])
        return kind, _zip(members)
    if kind == "inflate":  # a local or central header declaring another size
        for marker, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
            starts = _find_all(buf, marker)
            pos = rng.choice(starts) + offset
            buf[pos:pos + 4] = rng.choice([2**32 - 1, 2**31, 10**9, 0, 1]).to_bytes(4, "little")
        return kind, bytes(buf)
    if kind == "bitflip_member":  # damage inside a compressed member, CRCs recomputed
        i = rng.randrange(len(members))
        name, payload = members[i]
        raw = bytearray(payload)
        if raw:
            raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
        members[i] = (name, bytes(raw))
        return kind, _zip(members)
    if kind == "stored":  # a compressed stream with a flipped byte (zlib errors)
        out = bytearray(_zip(members))
        starts = _find_all(out, b"PK\x03\x04")
        pos = rng.choice(starts) + 30 + rng.randrange(40)
        if pos < len(out):
            out[pos] ^= 0xFF
        return kind, bytes(out)
    names = [n for n, _ in members if n.endswith(".json")]
    name = rng.choice(names)
    i = [n for n, _ in members].index(name)
    try:
        edited = _json_edit(rng, json.loads(members[i][1]))
        members[i] = (name, json.dumps(edited).encode())
    except RecursionError:
        members[i] = (name, b"[" * 100_000 + b"]" * 100_000)
    return kind, _zip(members)


def check(data):
    """'loaded' or 'refused'; raises AssertionError describing anything else."""
    try:
        model = load_model(io.BytesIO(data))
    except ALLOWED as error:
        return f"refused ({type(error).__name__})"
    shape = (2,) + tuple(model.input_shape[1:])
    out = model.predict(np.ones(shape, np.float32), verbose=0)
    expected = (2,) + tuple(model.output_shape[1:])
    assert out.shape == expected, f"predicted shape {out.shape}, expected {expected}"
    assert np.isfinite(out).all(), "non-finite predictions"
    return "loaded"


def tally(count, draw, check, report_every=0):
    """Check ``count`` mutants, each ``(how, bytes)`` from ``draw()``; returns the statistics,
    every exception that is not a myelin error listed as a failure (never raised)."""
    stats, outcomes = Counter(), Counter()
    failures, slowest = [], 0.0
    for n in range(count):
        how, data = draw()
        start = time.perf_counter()
        try:
            outcome = check(data)
        except Exception as error:  # anything that is not a myelin error is a finding
            outcome = "FAILED"
            failures.append((n, how, f"{type(error).__module__}.{type(error).__name__}: "
                                     f"{str(error)[:200]}"))
            if report_every:
                print("FAILURE", failures[-1], flush=True)
        slowest = max(slowest, time.perf_counter() - start)
        stats[how, outcome.split(" ")[0]] += 1
        outcomes[outcome] += 1
        if report_every and (n + 1) % report_every == 0:
            print(f"{n + 1} mutants, {len(failures)} failures, slowest {slowest:.3f}s",
                  flush=True)
    return {"mutants": count, "by_kind": {f"{k}/{o}": v for (k, o), v in sorted(stats.items())},
            "outcomes": dict(outcomes), "failures": failures, "slowest_s": slowest,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(count, seed, folder, report_every=0):
    """Fuzz ``count`` mutants; returns the statistics (failures listed, never raised)."""
    rng = random.Random(seed)
    seeds = seed_files(folder)
    return tally(count, lambda: mutate(rng, rng.choice(seeds)), check, report_every)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return report(lambda folder: run(args.mutants, args.seed, folder, report_every=5000))


def report(run_in):
    """Run ``run_in(folder)`` in a temporary folder, print its tally and first failures.

    Returns:
        The exit status: 1 when any mutant failed its check, else 0.
    """
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        result = run_in(folder)
        result["seconds"] = time.perf_counter() - start
    print(json.dumps({k: v for k, v in result.items() if k != "failures"}, indent=1))
    for failure in result["failures"][:30]:
        print("FAILURE", failure)
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
