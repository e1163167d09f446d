"""tf.strings on NumPy text batches: TensorFlow's results and errors."""

import numpy as np
import pytest

import myelin as tf


def test_string_ops_match_tensorflow():
    batch = np.array([["Hé <br />Wörld!"], ["ABC"]])
    np.testing.assert_array_equal(tf.strings.lower(batch), [["hé <br />wörld!"], ["abc"]])
    np.testing.assert_array_equal(tf.strings.lower(["É"], encoding="utf-8"), ["é"])
    np.testing.assert_array_equal(tf.strings.upper(["aé"]), ["Aé"])  # ASCII only
    np.testing.assert_array_equal(tf.strings.regex_replace(batch, "<br />", " "),
                                  [["Hé  Wörld!"], ["ABC"]])
    np.testing.assert_array_equal(tf.strings.regex_replace(["aaa"], "a", "b",
                                                           replace_global=False), ["baa"])
    np.testing.assert_array_equal(tf.strings.regex_replace([b"x-y"], r"(\w)-(\w)", r"\2\1"),
                                  ["yx"])
    np.testing.assert_array_equal(tf.strings.strip([" a b\n"]), ["a b"])
    assert tf.strings.length(["hé", ""]).tolist() == [3, 0]
    assert tf.strings.length(["hé"], unit="UTF8_CHAR").tolist() == [2]
    assert tf.strings.as_string([True, False]).tolist() == ["true", "false"]
    assert tf.strings.as_string([1.5]).tolist() == ["1.500000"]
    assert tf.strings.as_string(np.array([7, -2])).tolist() == ["7", "-2"]


def test_string_ops_refuse_bad_inputs():
    with pytest.raises(TypeError, match="expects strings.*float"):
        tf.strings.lower(np.array([1.0]))
    with pytest.raises(ValueError, match="invalid pattern"):
        tf.strings.regex_replace(["a"], "(", "")
    with pytest.raises(ValueError, match="unit must be"):
        tf.strings.length(["a"], unit="CHAR")
