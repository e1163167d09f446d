"""load_model refuses hostile or broken files quickly, without running code or side effects."""

import io
import json
import pickle
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from myelin import backend
from myelin.saving import UnsafeFileError, load_model, load_weights, save_model, save_weights

sys.path.insert(0, str(Path(__file__).parent))
from _models import Touch, assert_bit_identical, pickled_npy, xor  # noqa: E402


@pytest.fixture
def good(tmp_path):
    model, x, y = xor()
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "good.myelin"
    save_model(model, path)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    return members, tmp_path


def _write(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _edit_config(members, edit):
    config = json.loads(members["config.json"])
    edit(config)
    return {**members, "config.json": json.dumps(config).encode()}


def _refused(path, match):
    state = backend.get_rng_state()
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match=match):
        load_model(path)
    assert time.perf_counter() - start < 2.0
    assert backend.get_rng_state() == state  # no side effect on the random stream


def test_the_unmodified_file_loads(good):
    members, tmp = good
    rezipped = load_model(_write(tmp / "f.myelin", members))
    original = load_model(tmp / "good.myelin")
    fresh, x, _ = xor()
    for a, b, c in zip(rezipped.get_weights(), original.get_weights(), fresh.get_weights(),
                       strict=True):
        assert np.array_equal(a, b) and a.shape == c.shape
    assert not all(np.array_equal(a, c) for a, c in zip(rezipped.get_weights(),
                                                         fresh.get_weights(), strict=True))
    assert np.array_equal(rezipped.predict(x, verbose=0), original.predict(x, verbose=0))


@pytest.mark.parametrize("where, key", [("top", "os.system"), ("layer", "Evil.v1"),
                                        ("optimizer", "builtins>eval.v1")])
def test_unknown_class_names(good, where, key):
    members, tmp = good

    def edit(config):
        if where == "top":
            config["class_name"] = key
        elif where == "layer":
            config["config"]["layers"][0]["class_name"] = key
        else:
            config["compile_config"]["optimizer"]["class_name"] = key

    _refused(_write(tmp / "f.myelin", _edit_config(members, edit)), key)


def test_module_paths_in_the_config_are_never_imported(good):
    members, tmp = good

    def edit(config):
        config["module"] = "os"
        config["config"]["layers"][0] = {"module": "subprocess", "class_name": "Popen",
                                         "config": {"args": ["touch", str(tmp / "pwned")]}}

    _refused(_write(tmp / "f.myelin", _edit_config(members, edit)), "Popen")
    assert not (tmp / "pwned").exists()


def test_pickle_payload_in_weights_is_refused_without_running_it(good):
    members, tmp = good
    marker = tmp / "pwned"
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        z.writestr("weights/0/0.npy", pickled_npy(marker))
    _refused(_write(tmp / "f.myelin", {**members, "weights.npz": npz.getvalue()}), "pickle")
    assert not marker.exists()


def test_pickle_as_the_whole_file(good):
    _, tmp = good
    path = tmp / "f.myelin"
    path.write_bytes(pickle.dumps(Touch(tmp / "pwned")))
    _refused(path, "pickle")
    assert not (tmp / "pwned").exists()


def test_not_a_zip_and_truncated(good):
    members, tmp = good
    path = tmp / "f.myelin"
    path.write_text("just some text\n")
    _refused(path, "not a complete zip")
    data = _write(tmp / "g.myelin", members).read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    _refused(path, "truncated")


def test_weights_far_larger_than_the_model_needs(good):
    members, tmp = good
    big = np.random.default_rng(0).random(1 << 20)  # 8 MB for a model of 17 weights
    buffer = io.BytesIO()
    np.savez(buffer, big=big)
    path = _write(tmp / "f.myelin", {**members, "weights.npz": buffer.getvalue()},
                  compression=zipfile.ZIP_STORED)
    _refused(path, "far more than")


def test_zip_bomb_is_refused_without_inflating(good):
    members, tmp = good
    path = tmp / "bomb.myelin"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", members["metadata.json"])
        with z.open("config.json", "w", force_zip64=True) as f:
            for _ in range(256):  # 256 MiB of spaces
                f.write(b" " * (1 << 20))
    _refused(path, "zip bomb")


def test_path_traversal_and_unexpected_members(good):
    members, tmp = good
    _refused(_write(tmp / "a.myelin", {"../config.json": members["config.json"]}),
             "path traversal")
    _refused(_write(tmp / "b.myelin", {**members, "exploit.py": b"import os"}),
             "4 members; at most 3")
    swapped = {"metadata.json": members["metadata.json"], "exploit.py": b"import os",
               "config.json": members["config.json"]}
    _refused(_write(tmp / "c.myelin", swapped), "unexpected member 'exploit.py'")
    _refused(_write(tmp / "d.myelin", {k: v for k, v in members.items() if k != "weights.npz"}),
             "no 'weights.npz' member")


@pytest.mark.parametrize("member, content, match", [
    ("config.json", b"{not json", "not valid JSON"),
    ("config.json", b"[1, 2]", "should hold a JSON object"),
    ("config.json", b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ("metadata.json", b'{"format_version": 99}', "format_version 99.*Upgrade myelin"),
    ("metadata.json", b"{}", "no valid format_version"),
])
def test_broken_json(good, member, content, match):
    members, tmp = good
    _refused(_write(tmp / "f.myelin", {**members, member: content}), match)


@pytest.mark.parametrize("edit, match", [
    (lambda c: c["config"]["layers"][0]["config"].update(units="many"), "units"),
    (lambda c: c["config"]["layers"][0]["config"].update(rm="-rf"), "rm"),
    (lambda c: c.update(config="x"), "needs a dict config"),
    (lambda c: c.update(compile_config={"optimizer": {"class_name": "Dense.v1",
                                                      "config": {"units": 1}}}), "not a"),
])
def test_bad_values_in_a_known_class(good, edit, match):
    members, tmp = good
    _refused(_write(tmp / "f.myelin", _edit_config(members, edit)), match)


def test_weights_with_other_shapes_in_the_model_file(good):
    members, tmp = good
    buffer = io.BytesIO()
    np.savez(buffer, layer_names=np.array(["dense", "dense_1"]),
             **{"weights/0/0": np.zeros((3, 4), np.float32),
                "weights/0/1": np.zeros(4, np.float32),
                "weights/1/0": np.zeros((4, 1), np.float32),
                "weights/1/1": np.zeros(1, np.float32)})
    path = _write(tmp / "f.myelin", {**members, "weights.npz": buffer.getvalue()})
    with pytest.raises(ValueError, match=r"shape \(2, 4\) in the model but \(3, 4\)"):
        load_model(path)


def test_hostile_weights_file_leaves_the_model_unchanged(tmp_path):
    model, _, _ = xor()
    before = model.get_weights()
    with zipfile.ZipFile(tmp_path / "w.npz", "w") as z:
        z.writestr("weights/0/0.npy", pickled_npy(tmp_path / "pwned"))
    with pytest.raises(UnsafeFileError, match="pickle"):
        load_weights(model, tmp_path / "w.npz")
    np.savez(tmp_path / "x.npz", whatever=np.zeros(3))
    with pytest.raises(UnsafeFileError, match="unexpected arrays"):
        load_weights(model, tmp_path / "x.npz")
    save_weights(model, tmp_path / "ok.npz")
    assert not (tmp_path / "pwned").exists()
    assert_bit_identical(model.get_weights(), before)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "nope.myelin")
