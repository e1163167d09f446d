"""Issue 17, item 2: seeded mutants of .keras archives and tf.train.Saver checkpoints.

Each mutant loads (finite predictions of the right shape) or restores (every variable
with its shape and dtype), or is refused with a myelin error leaving the variables as
they were. The long runs are ``python tests/saving/fuzz_other_files.py --kind ...``.
"""

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fuzz_model_files as base  # noqa: E402
import fuzz_other_files as fuzz  # noqa: E402

from myelin.saving import UnsafeFileError, load_model  # noqa: E402

pytest.importorskip("h5py")  # .keras weights are HDF5 (the "keras" extra)


@pytest.mark.parametrize("seed", range(2))
def test_keras_mutants_load_or_are_refused_with_a_myelin_error(seed, tmp_path):
    result = fuzz.run("keras", 150, seed, tmp_path)
    assert result["failures"] == []
    outcomes = {key.split("/")[1] for key in result["by_kind"]}
    assert outcomes == {"loaded", "refused"}  # both paths were exercised


@pytest.mark.parametrize("seed", range(2))
def test_saver_mutants_restore_or_are_refused_with_a_myelin_error(seed, tmp_path):
    result = fuzz.run("saver", 200, seed, tmp_path)
    assert result["failures"] == []
    kinds = {key.split("/")[0] for key in result["by_kind"]}
    assert "npy_header" in kinds and len(kinds) == 8  # every kind was exercised
    assert result["outcomes"].get("restored", 0) > 0


def test_a_checkpoint_with_an_unclosed_npy_header_is_refused_not_a_token_error(tmp_path):
    # Found by the checkpoint fuzzer (seed 0, mutants 191 and 265): a damaged byte in an
    # .npy header left a bracket open and NumPy's tokenize.TokenError escaped restore().
    target = fuzz.SaverTarget(tmp_path)
    try:
        members = [(i.filename, payload) for i, payload in base._members(target.seed)]
        name, payload = members[0]
        members[0] = (name, payload.replace(b"'shape': (", b"'shape': ((", 1))
        before = [v.numpy().copy() for v in target.variables]
        with pytest.raises(ValueError, match=r"damaged \.npy header"):
            target.saver.restore(target.sess, _write(target, base._zip(members)))
        for old, var in zip(before, target.variables, strict=True):
            np.testing.assert_array_equal(var.numpy(), old)
    finally:
        target.close()


def _write(target, data):
    Path(target.path + ".index").write_bytes(data)
    return target.path


def _keras_members(name="seq_dense"):
    data = (Path(__file__).parent / "keras_files" / f"{name}.keras").read_bytes()
    return [(i.filename, payload) for i, payload in base._members(data)]


def _load(members):
    return load_model(io.BytesIO(base._zip(members)))


def test_a_damaged_hdf5_size_field_is_refused_not_an_overflow_error():
    # Found by the .keras long run: h5py's OverflowError ("Python int too large to
    # convert to C ssize_t"), RuntimeError ("bad heap free list") and KeyError ("bad
    # layout type") escaped load_model for damaged weights. Byte 49 is the first kind.
    members = _keras_members()
    weights = bytearray(dict(members)["model.weights.h5"])
    weights[49] ^= 0xFF
    members = [(n, bytes(weights) if n == "model.weights.h5" else p) for n, p in members]
    with pytest.raises(UnsafeFileError, match=r"model.weights.h5 is not a readable HDF5"):
        _load(members)


def test_a_keras_config_asking_for_an_unsupported_feature_is_refused():
    # Found by the .keras long run: loss_weights edited into a dict made compile()
    # raise NotImplementedError out of load_model (the .myelin loader was fixed before).
    members = _keras_members()
    config = json.loads(dict(members)["config.json"])
    config["compile_config"]["loss_weights"] = {"out": 1.0}
    members = [(n, json.dumps(config).encode() if n == "config.json" else p)
               for n, p in members]
    with pytest.raises(UnsafeFileError, match=r"compile_config cannot be applied"):
        _load(members)


def test_a_keras_config_without_an_input_shape_is_refused():
    # Found by the .keras long run: a config whose Input and build_config were edited
    # away loaded an unbuilt model (AttributeError on input_shape, weights not placed).
    members = _keras_members()
    config = json.loads(dict(members)["config.json"])
    config["config"]["layers"] = [layer for layer in config["config"]["layers"]
                                  if layer["class_name"] != "InputLayer"]
    config.pop("build_config", None)
    config["config"].pop("build_input_shape", None)
    members = [(n, json.dumps(config).encode() if n == "config.json" else p)
               for n, p in members]
    with pytest.raises(UnsafeFileError, match=r"no input shape"):
        _load(members)
