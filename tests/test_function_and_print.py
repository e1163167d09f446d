"""tf.function (accepted, runs the Python as it is) and tf.print (TensorFlow's format)."""

import io
import logging
import sys
from collections import namedtuple

import numpy as np
import pytest

import myelin as tf

Spec = namedtuple("Spec", "shape dtype")  # anything with shape and dtype, as tf.TensorSpec


def test_function_decorator_forms_run_the_python_function():
    calls = []

    @tf.function
    def plain(x):
        calls.append("plain")
        return x * 2

    @tf.function(jit_compile=True, reduce_retracing=True)
    def compiled(x, y=1.0):
        calls.append("compiled")
        return x + y

    assert float(plain(tf.constant(3.0))) == 6.0
    assert float(compiled(tf.constant(3.0), y=2.0)) == 5.0
    assert float(tf.function(lambda x: x - 1)(tf.constant(3.0))) == 2.0
    plain(tf.constant(1.0))
    # no tracing: the Python body (and its side effects) runs on every call
    assert calls == ["plain", "compiled", "plain"]
    assert plain.python_function.__name__ == "plain" and plain.__name__ == "plain"
    assert plain.get_concrete_function() is plain


def test_function_gradient_tape_inside_and_on_methods():
    w = tf.Variable([1.0, 2.0])

    class Trainer:
        def __init__(self):
            self.opt = tf.optimizers.SGD(0.5)

        @tf.function
        def step(self, x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(w * x)
            grads = tape.gradient(loss, [w])
            self.opt.apply_gradients(zip(grads, [w], strict=True))
            return loss

    trainer = Trainer()
    assert float(trainer.step(tf.constant([1.0, 3.0]))) == 7.0
    np.testing.assert_allclose(w.numpy(), [0.5, 0.5])


def test_input_signature_is_checked_and_converts_python_values():
    @tf.function(input_signature=[Spec((None, 2), "float32"), Spec((), "int64")])
    def f(x, n):
        return x, n

    x, n = f([[1, 2], [3, 4]], 3)
    assert x.dtype == np.float32 and x.shape == (2, 2) and n.dtype == np.int64
    with pytest.raises(ValueError, match=r"function 'test_input_signature.*f', argument 'x': "
                                         r"expected shape \(None, 2\).*received shape \(2, 3\)"):
        f(np.ones((2, 3), np.float32), 1)
    with pytest.raises(TypeError, match=r"argument 'x': expected a tensor of dtype float32, "
                                        r"received dtype float64"):
        f(tf.constant(np.ones((1, 2))), 1)
    with pytest.raises(TypeError, match=r"function '.*f': missing a required argument: 'n'"):
        f(np.ones((1, 2), np.float32))


def printed(*inputs, **kwargs):
    stream = io.StringIO()
    tf.print(*inputs, output_stream=stream, **kwargs)
    return stream.getvalue()


def test_print_formats_like_tensorflow():
    assert printed(tf.range(10)) == "[0 1 2 ... 7 8 9]\n"
    assert printed("tensors:", tf.range(10), {2: tf.range(10) * 2}) == \
        "tensors: [0 1 2 ... 7 8 9] {2: [0 2 4 ... 14 16 18]}\n"
    assert printed(tf.range(2), tf.range(2) * 2, sep=",") == "[0 1],[0 2]\n"
    assert printed(tf.constant([[1.5, 2.0], [3.0, 4.0]])) == "[[1.5 2]\n [3 4]]\n"
    # float32 needs 9 digits to read 1/3 back; float64 17; short values stay short
    assert printed(tf.constant(1 / 3), tf.constant(0.1, dtype="float64"),
                   tf.constant(1 / 3, dtype="float64")) == \
        "0.333333343 0.1 0.33333333333333331\n"
    assert printed(tf.constant([True, False]), tf.constant(7)) == "[1 0] 7\n"
    assert printed(np.arange(8).reshape(2, 2, 2)) == "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]\n"
    assert printed(tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    assert printed(tf.range(10), summarize=1, end="") == "[0 ... 9]"
    assert printed([1, tf.range(3)], ("a",), 2.5) == "[1, [0 1 2]] ('a',) 2.5\n"
    assert printed(np.zeros((0,))) == "[]\n"
    assert printed(np.array(["ab", 'c"d'])) == '["ab" "c\\"d"]\n'  # quoted, escaped
    assert printed(tf.constant(123456789.0), tf.constant(1e-8)) == "123456792 1e-08\n"


def test_print_streams(capsys, tmp_path, caplog):
    tf.print("to", tf.constant(1))
    assert capsys.readouterr().err == "to 1\n"  # TensorFlow's default stream: stderr
    tf.print("out", output_stream=sys.stdout)
    assert capsys.readouterr().out == "out\n"
    target = tmp_path / "log.txt"
    tf.print("a", output_stream=f"file://{target}")
    tf.print("b", output_stream=f"file://{target}")
    assert target.read_text() == "a\nb\n"
    with caplog.at_level(logging.INFO):
        tf.print("logged", tf.range(2), output_stream=logging.getLogger("t").info)
    assert caplog.records[-1].getMessage() == "logged [0 1]"
