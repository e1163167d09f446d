"""Shape ops and indexing: values, gradients, and errors naming op and shapes."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import GradientTape, Variable, constant
from myelin.testing import gradcheck

X = np.random.default_rng(2).normal(size=(2, 3, 4))


def test_reshape_values_and_gradient():
    assert ops.reshape(constant(X), [4, -1]).shape == (4, 6)
    assert ops.reshape(constant(X), constant([-1])).shape == (24,)
    assert ops.reshape(constant(5.0), [1, 1]).shape == (1, 1)
    assert gradcheck(lambda x: ops.reshape(x, (6, 4)) * np.arange(4.0), X)


@pytest.mark.parametrize("shape, message", [
    ([4], r"reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\) into shape "
          r"\(4,\) \(4 elements\)"),
    ([4, -1], r"into shape \(4, -1\) \(a multiple of 4 elements\)"),
    ([-1, -1], r"may contain one -1"),
    ([-2, 3], r"may contain one -1 and no other negative size"),
])
def test_reshape_errors(shape, message):
    with pytest.raises(ValueError, match=message):
        ops.reshape(ops.zeros([2, 3]), shape)


def test_transpose_values_and_gradient():
    assert ops.transpose(constant(X)).shape == (4, 3, 2)
    out = ops.transpose(constant(X), perm=[1, 0, 2])
    np.testing.assert_array_equal(out.numpy(), X.transpose(1, 0, 2))
    assert gradcheck(lambda x: ops.transpose(x, [2, 0, 1]) * np.arange(3.0), X)
    with pytest.raises(ValueError, match=r"transpose: perm \(0, 0, 1\) is not a permutation "
                                         r"of the axes of a tensor of shape \(2, 3, 4\)"):
        ops.transpose(constant(X), [0, 0, 1])


def test_expand_dims_and_squeeze():
    t = constant(X)
    assert ops.expand_dims(t, 0).shape == (1, 2, 3, 4)
    assert ops.expand_dims(t, -1).shape == (2, 3, 4, 1)
    assert ops.expand_dims(t, 2).shape == (2, 3, 1, 4)
    u = ops.zeros([1, 3, 1, 2])
    assert ops.squeeze(u).shape == (3, 2)
    assert ops.squeeze(u, axis=2).shape == (1, 3, 2)
    assert ops.squeeze(u, axis=[0, -2]).shape == (3, 2)
    assert gradcheck(lambda x: ops.squeeze(ops.expand_dims(x, 1)) * 2.0, X)
    with pytest.raises(ValueError, match=r"squeeze: cannot squeeze axis 1 of a tensor of shape "
                                         r"\(1, 3, 1, 2\): its size is 3, not 1"):
        ops.squeeze(u, axis=1)
    with pytest.raises(ValueError, match=r"expand_dims: axis 4 is out of range for a tensor of "
                                         r"shape \(2, 3\) \(rank 2\); expected an axis in "
                                         r"\[-3, 3\)"):
        ops.expand_dims(ops.zeros([2, 3]), 4)


def test_concat_values_gradient_and_errors():
    a, b = X[:, :1], X[:, 1:]
    np.testing.assert_array_equal(ops.concat([constant(a), constant(b)], 1).numpy(), X)
    assert gradcheck(lambda p, q: ops.concat([p, q, p], axis=-2) * np.arange(4.0), a, b)
    assert ops.concat([constant([1.0]), [2.0, 3.0]], 0).numpy().tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match=r"concat: input 1 has shape \(2, 4\) but input 0 has "
                                         r"shape \(2, 3\); all dimensions except axis 0"):
        ops.concat([ops.zeros([2, 3]), ops.zeros([2, 4])], 0)
    with pytest.raises(ValueError, match=r"concat: input 1 has shape \(3,\)"):
        ops.concat([ops.zeros([2, 3]), ops.zeros([3])], 0)
    with pytest.raises(TypeError, match="concat: all inputs must have the same dtype, received "
                                        "float32 and int32"):
        ops.concat([ops.zeros([2]), constant([1, 2])], 0)
    with pytest.raises(ValueError, match="concat: expected a non-empty list"):
        ops.concat([], 0)


def test_stack_values_gradient_and_errors():
    a, b = X[0], X[1]
    np.testing.assert_array_equal(ops.stack([constant(a), constant(b)]).numpy(), X)
    assert ops.stack([constant(a), constant(b)], axis=-1).shape == (3, 4, 2)
    assert gradcheck(lambda p, q: ops.stack([p, q, p], axis=1) * np.arange(4.0), a, b)
    with pytest.raises(ValueError, match=r"stack: input 1 has shape \(3,\) but input 0 has "
                                         r"shape \(2, 3\)"):
        ops.stack([ops.zeros([2, 3]), ops.zeros([3])])


def test_gather_values_and_dense_gradient_with_repeats():
    params = np.arange(12.0).reshape(4, 3)
    out = ops.gather(constant(params), constant([3, 0, 3]))
    np.testing.assert_array_equal(out.numpy(), params[[3, 0, 3]])
    w = Variable(params)
    with GradientTape() as tape:
        y = ops.gather(w, [3, 0, 3])
    np.testing.assert_array_equal(tape.gradient(y, w).numpy()[:, 0], [1.0, 0.0, 0.0, 2.0])
    assert gradcheck(lambda p: ops.gather(p, [[1, 1], [0, 2]]), params)


def test_gather_along_another_axis():
    ids = np.array([[2, 0], [2, 2]])
    out = ops.gather(constant(X), ids, axis=2)
    np.testing.assert_array_equal(out.numpy(), np.take(X, ids, axis=2))
    assert out.shape == (2, 3, 2, 2)
    assert gradcheck(lambda p: ops.gather(p, ids, axis=2), X)
    assert gradcheck(lambda p: ops.gather(p, [1, 1], axis=-2), X)


def test_gather_errors():
    with pytest.raises(ValueError, match=r"gather: index 7 is outside \[0, 5\) for axis 0 of "
                                         r"params with shape \(5, 2\) \(indices shape \(1,\)\)"):
        ops.gather(ops.zeros([5, 2]), [7])
    with pytest.raises(ValueError, match=r"gather: index -1 is outside"):
        ops.gather(ops.zeros([5, 2]), [-1])
    with pytest.raises(TypeError, match="gather: indices must be integers, received dtype "
                                        "float32"):
        ops.gather(ops.zeros([5, 2]), constant([1.0]))


def test_getitem_gradients():
    assert gradcheck(lambda x: x[1, :, ::2], X)
    assert gradcheck(lambda x: x[..., None, 0], X)
    assert gradcheck(lambda x: x[[0, 1, 1], [2, 2, 2]], X)  # repeated elements add up
    assert gradcheck(lambda x: x[:, [0, 0, 2], 1:3], X)
    assert gradcheck(lambda x: x[X > 0], X)
    assert gradcheck(lambda x: x[constant([1, 1])], X)


def test_getitem_repeated_index_accumulates():
    v = Variable([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        y = v[[0, 0, 2, 0]]
    assert tape.gradient(y, v).numpy().tolist() == [3.0, 0.0, 1.0]


def test_getitem_out_of_range_names_the_shape():
    with pytest.raises(IndexError, match=r"on a tensor of shape \(2, 3, 4\): index 5 is out "
                                         r"of bounds"):
        constant(X)[:, 5]


def test_shape_size_rank():
    t = constant(X)
    s = ops.shape(t)
    assert s.dtype == np.int32 and s.numpy().tolist() == [2, 3, 4]
    assert ops.size(t).dtype == np.int32 and int(ops.size(t)) == 24
    assert ops.rank(t).dtype == np.int32 and int(ops.rank(t)) == 3
    assert int(ops.rank(constant(1.0))) == 0
    assert ops.zeros(ops.shape(t)).shape == (2, 3, 4)  # shapes accept shape tensors


def test_identity_is_a_new_tensor_with_gradient():
    x = constant([1.0])
    assert ops.identity(x) is not x
    assert gradcheck(ops.identity, X)
