"""Issue 17, item 1: optimizers' constructors and ``apply_gradients`` with fuzzed gradients.

A step with gradients of the wrong shape, dtype, count or kind is refused with an error
naming the optimizer, and then no variable, slot or iteration count has moved; a step
SGD takes with finite gradients matches ``w - lr * g``.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import _strategies as fz  # noqa: E402

import myelin as tf  # noqa: E402
from myelin.keras import optimizers  # noqa: E402

OPTIMIZERS = [optimizers.SGD, optimizers.Adam, optimizers.AdamW, optimizers.RMSprop,
              optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam,
              optimizers.Ftrl, optimizers.Lion]
SHAPES = [(3, 2), (2,)]


@st.composite
def gradients(draw):
    """A list of gradients for variables of SHAPES: valid, hostile values, or wrong."""
    how = draw(st.sampled_from(["finite", "values", "shape", "dtype", "count", "none"]))
    if how == "finite":
        return how, [draw(fz.shaped(s, ["float32"], fz.FINITE)) for s in SHAPES]
    if how == "values":
        return how, [draw(fz.shaped(s, ["float32", "float64", "float16"])) for s in SHAPES]
    if how == "shape":
        return how, [draw(fz.arrays(dtypes=["float32"])) for _ in SHAPES]
    if how == "dtype":
        return how, [draw(fz.shaped(s)) for s in SHAPES]
    if how == "count":
        return how, [draw(fz.shaped(SHAPES[0], ["float32"]))]
    return how, [None, draw(fz.shaped(SHAPES[1], ["float32"], fz.FINITE))]


def _variables():
    return [tf.Variable(np.full(s, 0.5, np.float32), name=f"w{i}") for i, s in enumerate(SHAPES)]


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_apply_gradients_with_fuzzed_gradients(cls):

    @fz.FUZZ
    @given(case=gradients())
    def run(case):
        how, grads = case
        variables = _variables()
        optimizer = cls(learning_rate=0.1)
        ones = [np.ones(s, np.float32) for s in SHAPES]
        optimizer.apply_gradients(zip(ones, variables, strict=True))  # builds the slots
        before = fz.snapshot(variables), fz.snapshot(optimizer.variables)
        names = (cls.__name__, optimizer.name, "apply_gradients")
        # "count": a shorter list of pairs updates fewer variables
        pairs = list(zip(grads, variables, strict=False))
        _, error = fz.call(lambda: optimizer.apply_gradients(pairs), *names)
        if error is not None:
            fz.assert_unchanged(before[0], variables, cls.__name__)
            fz.assert_unchanged(before[1], optimizer.variables, cls.__name__)
            return
        if how == "finite" and cls is optimizers.SGD:
            for old, new, g in zip(before[0], variables, grads, strict=True):
                np.testing.assert_allclose(new.numpy(), old - 0.1 * g, rtol=1e-6)

    run()


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_constructor_arguments_are_validated(cls):

    @fz.FUZZ
    @given(lr=fz.odd_values(), clip=fz.odd_values())
    def run(lr, clip):
        names = (cls.__name__, "learning_rate", "clipnorm")
        optimizer, error = fz.call(lambda: cls(learning_rate=lr, clipnorm=clip), *names)
        if error is None:  # accepted: one step on finite values stays finite or is refused
            variables = _variables()
            grads = [np.ones(s, np.float32) for s in SHAPES]
            pairs = zip(grads, variables, strict=True)
            fz.call(lambda: optimizer.apply_gradients(pairs), *names)

    run()
