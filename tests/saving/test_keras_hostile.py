"""Hostile ``.keras`` / ``.h5`` files are refused by name, before any code could run."""

import io
import json
import zipfile
from pathlib import Path

import pytest

import myelin as my
from myelin.saving import UnsafeFileError

h5py = pytest.importorskip("h5py")
FIXTURE = Path(__file__).parent / "keras_files" / "seq_dense.keras"


def _members():
    with zipfile.ZipFile(FIXTURE) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_layer(tmp_path, edit):
    members = _members()
    config = json.loads(members["config.json"])
    edit(config["config"]["layers"])
    members["config.json"] = json.dumps(config).encode()
    return _write(tmp_path / "hostile.keras", members)


def _load(path):
    return my.keras.models.load_model(path)


LAMBDA = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
          "config": {"name": "lambda", "function": {
              "class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAA", "defaults": None,
                                                     "closure": None}}}}


def test_lambda_layer_is_refused(tmp_path):
    path = _with_layer(tmp_path, lambda layers: layers.insert(2, LAMBDA))
    with pytest.raises(UnsafeFileError, match="'Lambda'.*never runs"):
        _load(path)


def test_unknown_module_is_refused(tmp_path):
    def edit(layers):
        layers[1]["module"] = "os"
        layers[1]["class_name"] = "system"
    with pytest.raises(UnsafeFileError, match="'system' from module 'os'.*allow-list"):
        _load(_with_layer(tmp_path, edit))


def test_custom_registered_object_is_refused(tmp_path):
    def edit(layers):
        layers[1]["registered_name"] = "my_package>Dense"
    with pytest.raises(UnsafeFileError, match="custom object 'my_package>Dense'"):
        _load(_with_layer(tmp_path, edit))


def test_function_valued_config_is_refused(tmp_path):
    def edit(layers):
        layers[1]["config"]["activation"] = {"module": "builtins", "class_name": "function",
                                             "config": "eval", "registered_name": "function"}
    with pytest.raises(UnsafeFileError, match="'function'"):
        _load(_with_layer(tmp_path, edit))


def test_custom_initializer_module_is_refused(tmp_path):
    def edit(layers):
        layers[1]["config"]["kernel_initializer"]["module"] = "my_package.initializers"
    with pytest.raises(UnsafeFileError, match="GlorotUniform.*my_package.initializers"):
        _load(_with_layer(tmp_path, edit))


def test_oversized_weights_member_is_refused_before_inflating(tmp_path):
    members = _members()
    members["model.weights.h5"] = bytes(8 << 20)  # zeros: deflates to ~8 KB
    with pytest.raises(UnsafeFileError, match="model.weights.h5.*(zip bomb|ratio)"):
        _load(_write(tmp_path / "big.keras", members))


def test_path_traversal_member_is_refused(tmp_path):
    members = _members()
    members["../../metadata.json"] = members.pop("metadata.json")
    with pytest.raises(UnsafeFileError, match="path traversal"):
        _load(_write(tmp_path / "traversal.keras", members))


def test_unexpected_member_is_refused(tmp_path):
    members = _members()
    members.pop("metadata.json")
    members["assets/run.pkl"] = b"\x80\x04."
    with pytest.raises(UnsafeFileError, match="unexpected member 'assets/run.pkl'"):
        _load(_write(tmp_path / "extra.keras", members))


def _h5_with_kernel(make):
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for path in ("vars", "layers/dropout/vars", "layers/dense_1/vars"):
            f.require_group(path)
        f["layers/dense_1/vars/0"] = [[0.0] * 3] * 16
        f["layers/dense_1/vars/1"] = [0.0] * 3
        f.require_group("layers/dense/vars")
        make(f)
    return buffer.getvalue()


def test_h5_with_huge_declared_dataset_is_refused_without_reading(tmp_path):
    def make(f):  # declares ~4 TB; never allocated, so the file stays small
        f.create_dataset("layers/dense/vars/0", shape=(1 << 20, 1 << 20), dtype="f4")
        f["layers/dense/vars/1"] = [0.0] * 16
    members = {**_members(), "model.weights.h5": _h5_with_kernel(make)}
    expected = r"'dense/kernel'.*\(1048576, 1048576\), expected \(8, 16\)"
    with pytest.raises(UnsafeFileError, match=expected):
        _load(_write(tmp_path / "huge.keras", members))


def test_h5_external_link_is_refused(tmp_path):
    def make(f):
        f["layers/dense/vars/0"] = h5py.ExternalLink("/etc/passwd.h5", "/x")
        f["layers/dense/vars/1"] = [0.0] * 16
    members = {**_members(), "model.weights.h5": _h5_with_kernel(make)}
    with pytest.raises(UnsafeFileError, match="external or soft link"):
        _load(_write(tmp_path / "link.keras", members))


def test_legacy_h5_with_lambda_is_refused(tmp_path):
    path = tmp_path / "lambda.h5"
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Lambda", "config": {"function": ["4wEA", None, None]}}]}}
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(config)
    with pytest.raises(UnsafeFileError, match="'Lambda'"):
        _load(path)
