"""Convolution and pooling kernels: values against loop references and hand computation,
gradients against finite differences (float64), TensorFlow's tie rule, bad inputs."""

import sys
from pathlib import Path

import numpy as np
import pytest

import myelin as tf
from myelin.autodiff import GradientTape, Variable, constant
from myelin.ops.spatial import conv, conv_transpose, depthwise_conv, pool
from myelin.testing import gradcheck

sys.path.insert(0, str(Path(__file__).parent))
from _conv_reference import conv2d as ref_conv2d  # noqa: E402
from _conv_reference import pool2d as ref_pool2d  # noqa: E402
from _conv_reference import same_pads  # noqa: E402

RNG = np.random.default_rng(12)

# (input hw, channels, filters, kernel, strides, padding, dilation, groups)
CONV_CASES = [
    ((5, 5), 3, 2, (3, 3), (1, 1), "valid", (1, 1), 1),
    ((7, 6), 4, 6, (3, 2), (2, 1), "same", (1, 1), 2),
    ((6, 7), 2, 3, (2, 3), (1, 1), "same", (2, 1), 1),
    ((8, 7), 2, 4, (3, 3), (3, 2), "valid", (1, 1), 1),
    ((5, 6), 6, 3, (1, 1), (1, 1), "valid", (1, 1), 3),
    ((4, 5), 8, 2, (3, 3), (1, 1), "same", (1, 1), 1),  # K = 72: bias added after the product
    ((3, 4), 4, 3, (1, 1), (1, 1), "valid", (1, 1), 1),  # pointwise: no im2col copy
]


@pytest.mark.parametrize("hw, cin, cout, kernel, strides, padding, dilation, groups", CONV_CASES)
def test_conv2d_matches_loop_reference_and_gradients(hw, cin, cout, kernel, strides, padding,
                                                    dilation, groups):
    x = RNG.normal(size=(2, *hw, cin))
    w = RNG.normal(size=(*kernel, cin // groups, cout))
    b = RNG.normal(size=cout)
    out = conv(constant(x), constant(w), constant(b), strides, padding, dilation, groups)
    np.testing.assert_allclose(out.numpy(), ref_conv2d(x, w, strides, padding, dilation, groups)
                               + b, atol=1e-12)
    assert gradcheck(lambda a, k, c: conv(a, k, c, strides, padding, dilation, groups,
                                          activation="tanh"), x, w, b)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "softmax", "linear"])
def test_fused_activation_values_and_gradients(activation):
    x, w, b = RNG.normal(size=(2, 4, 5, 2)), RNG.normal(size=(2, 2, 2, 3)), RNG.normal(size=3)
    z = ref_conv2d(x, w, padding="same") + b
    expected = {"relu": np.maximum(z, 0), "sigmoid": 1 / (1 + np.exp(-z)), "linear": z,
                "softmax": np.exp(z) / np.exp(z).sum(-1, keepdims=True)}[activation]
    out = conv(constant(x), constant(w), constant(b), padding="same", activation=activation)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    assert gradcheck(lambda a, k, c: conv(a, k, c, padding="same", activation=activation),
                     x, w, b)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "linear"])
def test_first_layer_weight_gradients_over_several_chunks(activation, monkeypatch):
    # A short patch with a bias on an untracked input (a network's first conv): the
    # product, the activation and the weight gradients walk the batch in chunks.
    from myelin.ops import conv_geometry

    monkeypatch.setattr(conv_geometry, "_CHUNK", 40)  # 2 of the 5 images per chunk
    x, w, b = RNG.normal(size=(5, 5, 6, 1)), RNG.normal(size=(3, 2, 1, 4)), RNG.normal(size=4)
    z = ref_conv2d(x, w, (1, 2), "same") + b
    expected = {"relu": np.maximum(z, 0), "sigmoid": 1 / (1 + np.exp(-z)), "linear": z}
    out = conv(constant(x), constant(w), constant(b), (1, 2), "same", activation=activation)
    np.testing.assert_allclose(out.numpy(), expected[activation], atol=1e-12)
    assert gradcheck(lambda k, c: conv(constant(x), k, c, (1, 2), "same",
                                       activation=activation), w, b)


@pytest.mark.parametrize("strides, padding, dilation, activation", [
    ((1, 1), "valid", (1, 1), "relu"), ((2, 1), "same", (1, 2), "tanh"),
    ((1, 2), "same", (1, 1), "linear"), ((1, 1), "same", (2, 2), "sigmoid")])
def test_long_patch_conv_over_chunks_and_cores(strides, padding, dilation, activation,
                                               monkeypatch):
    # A long patch (K = 3*3*8 = 72 >= 64): forward and backward walk the batch one
    # image per chunk, the chunks shared between two cores with one BLAS thread each;
    # stride 1 adds the input gradient's taps along rows as wide as the padded input.
    from myelin.ops import conv as conv_module
    from myelin.ops import threads

    monkeypatch.setattr(conv_module, "_PATCH_CHUNK", 1)
    monkeypatch.setattr(threads, "_MIN_ELEMENTS", 1)
    monkeypatch.setattr(threads, "_CORES", 2)
    x, w, b = RNG.normal(size=(3, 6, 5, 8)), RNG.normal(size=(3, 3, 8, 2)), RNG.normal(size=2)
    z = ref_conv2d(x, w, strides, padding, dilation) + b
    expected = {"relu": np.maximum(z, 0), "tanh": np.tanh(z), "linear": z,
                "sigmoid": 1 / (1 + np.exp(-z))}[activation]
    out = conv(constant(x), constant(w), constant(b), strides, padding, dilation,
               activation=activation)
    np.testing.assert_allclose(out.numpy(), expected, atol=1e-12)
    assert gradcheck(lambda a, k, c: conv(a, k, c, strides, padding, dilation,
                                          activation=activation), x, w, b)


def test_conv2d_hand_computed():
    # 3x3 image 1..9, 2x2 kernel [[1, 0], [0, -1]]: each output is top-left minus bottom-right.
    x = np.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    w = np.array([[1.0, 0.0], [0.0, -1.0]]).reshape(2, 2, 1, 1)
    out = tf.nn.conv2d(x, w, strides=1, padding="VALID").numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, [[-4.0, -4.0], [-4.0, -4.0]])
    # SAME pads one zero after (bottom/right) for a 2x2 kernel.
    same = tf.nn.conv2d(x, w, strides=1, padding="SAME").numpy()[0, :, :, 0]
    np.testing.assert_array_equal(same, [[-4.0, -4.0, 3.0], [-4.0, -4.0, 6.0], [7.0, 8.0, 9.0]])


def test_conv1d_causal_and_dilated():
    x = RNG.normal(size=(2, 9, 3))
    w = RNG.normal(size=(3, 3, 4))
    out = conv(constant(x), constant(w), None, (1,), "causal", (2,)).numpy()
    ref = ref_conv2d(x[:, None], w[None], padding="causal", dilation=(1, 2))[:, 0]
    np.testing.assert_allclose(out, ref, atol=1e-12)
    # Causality: changing the last step changes only the last output.
    x2 = x.copy()
    x2[:, -1] += 1
    out2 = conv(constant(x2), constant(w), None, (1,), "causal", (2,)).numpy()
    np.testing.assert_allclose(out2[:, :-1], out[:, :-1])
    assert gradcheck(lambda a, k: conv(a, k, None, (2,), "causal", (1,)), x, w)
    hand = tf.nn.conv1d(np.array([[[1.0], [2.0], [4.0]]]), np.array([[[1.0]], [[10.0]]]), 1,
                        "VALID").numpy()
    np.testing.assert_array_equal(hand[0, :, 0], [21.0, 42.0])


@pytest.mark.parametrize("padding, strides, size", [("same", (2, 2), (9, 8)),
                                                    ("valid", (2, 3), (9, 8)),
                                                    ("valid", (1, 1), (5, 4))])
def test_conv_transpose_is_the_adjoint_of_conv(padding, strides, size):
    w = RNG.normal(size=(3, 2, 3, 5))  # (kh, kw, out=3, in=5)
    y = RNG.normal(size=(2, *size, 3))
    cy = conv(constant(y), constant(w), None, strides, padding).numpy()
    x = RNG.normal(size=cy.shape)
    ct = conv_transpose(constant(x), constant(w), size, None, strides, padding).numpy()
    assert ct.shape == y.shape
    # <conv(y), x> == <y, conv_transpose(x)> for every y, x
    np.testing.assert_allclose(np.sum(cy * x), np.sum(y * ct), rtol=1e-10)
    b = RNG.normal(size=3)
    assert gradcheck(lambda a, k, c: conv_transpose(a, k, size, c, strides, padding,
                                                    activation="sigmoid"), x, w, b)


def test_conv2d_transpose_hand_computed():
    # Each input pixel stamps the 2x2 kernel, stride 2: the output is a block image.
    x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    w = np.array([[1.0, 10.0], [100.0, 1000.0]]).reshape(2, 2, 1, 1)
    out = tf.nn.conv2d_transpose(x, w, [1, 4, 4, 1], strides=2, padding="VALID").numpy()
    np.testing.assert_array_equal(out[0, :2, :2, 0], [[1.0, 10.0], [100.0, 1000.0]])
    np.testing.assert_array_equal(out[0, 2:, 2:, 0], [[4.0, 40.0], [400.0, 4000.0]])


def test_depthwise_matches_per_channel_convolutions_and_gradients():
    x, w = RNG.normal(size=(2, 5, 6, 3)), RNG.normal(size=(3, 3, 3, 2))
    out = tf.nn.depthwise_conv2d(x, w, [1, 2, 1, 1], "SAME").numpy()
    for c in range(3):
        for m in range(2):
            ref = ref_conv2d(x[..., c:c + 1], w[:, :, c:c + 1, m:m + 1], (2, 1), "same")
            np.testing.assert_allclose(out[..., c * 2 + m], ref[..., 0], atol=1e-12)
    assert gradcheck(lambda a, k: depthwise_conv(a, k, None, (2, 1), "same", (1, 1)), x, w)
    assert gradcheck(lambda a, k: depthwise_conv(a, k, None, 1, "valid", (2, 2)), x, w)


POOL_CASES = [((2, 2), (2, 2), "valid"), ((3, 3), (2, 2), "same"), ((2, 3), (1, 2), "same"),
              ((3, 2), (3, 2), "valid"), ((2, 2), (2, 2), "same")]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("pool_size, strides, padding", POOL_CASES)
def test_pool2d_matches_reference_and_gradients(kind, pool_size, strides, padding):
    x = RNG.normal(size=(2, 7, 6, 3))
    out = pool(constant(x), kind, pool_size, strides, padding).numpy()
    np.testing.assert_allclose(out, ref_pool2d(x, kind, pool_size, strides, padding),
                               atol=1e-12)
    assert gradcheck(lambda a: pool(a, kind, pool_size, strides, padding), x)


def test_pool1d_hand_computed_and_gradient():
    x = np.array([[[1.0], [3.0], [2.0], [0.0], [5.0]]])
    np.testing.assert_array_equal(tf.nn.max_pool1d(x, 2, 2, "VALID").numpy()[0, :, 0], [3, 2])
    np.testing.assert_array_equal(tf.nn.avg_pool1d(x, 2, 2, "SAME").numpy()[0, :, 0],
                                  [2.0, 1.0, 5.0])  # the last window holds one real input
    assert gradcheck(lambda a: pool(a, "max", (3,), (1,), "same"), RNG.normal(size=(2, 6, 2)))


def test_max_pool_gradient_goes_to_the_first_maximum_on_ties():
    # Overlapping 2x2 windows, stride 1, all inputs equal: TF routes each window's
    # gradient to its first (top-left) element, so only row 0/1, col 0/1 get any.
    x = Variable(np.ones((1, 3, 3, 1)))
    with GradientTape() as tape:
        y = tf.nn.max_pool2d(x, 2, 1, "VALID")
    grad = tape.gradient(y, x).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(grad, [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    # Disjoint windows with a tie inside: the first in row-major order wins.
    x = Variable(np.array([[0.0, 2.0], [2.0, 1.0]]).reshape(1, 2, 2, 1))
    with GradientTape() as tape:
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy()[0, :, :, 0], [[0, 1], [0, 0]])


def _first_max_routing(x, pool, padding, grad):
    """Loop oracle: each window's gradient goes to its first maximum in row-major order
    (disjoint windows; a ``same`` border window holds only its real inputs)."""
    (ph, pw), (h, w) = pool, x.shape[1:3]
    top = same_pads(h, ph, ph, 1)[0] if padding == "same" else 0
    left = same_pads(w, pw, pw, 1)[0] if padding == "same" else 0
    gx = np.zeros_like(x)
    for b, i, j, ch in np.ndindex(grad.shape):
        rows = [r for r in range(i * ph - top, i * ph - top + ph) if 0 <= r < h]
        cols = [q for q in range(j * pw - left, j * pw - left + pw) if 0 <= q < w]
        cells = [(r, q) for r in rows for q in cols]
        r, q = max(cells, key=lambda rc: (x[b, rc[0], rc[1], ch], -cells.index(rc)))
        gx[b, r, q, ch] += grad[b, i, j, ch]
    return gx


@pytest.mark.parametrize("pool_size, padding", [((2, 2), "valid"), ((2, 2), "same"),
                                                ((3, 2), "valid"), ((2, 3), "same")])
def test_disjoint_max_pool_routes_ties_to_the_first_maximum(pool_size, padding):
    # Small integers make ties in most windows; odd sizes leave ragged edges.
    x = RNG.integers(0, 3, size=(2, 7, 9, 3)).astype(np.float32)
    grad = RNG.normal(size=pool(constant(x), "max", pool_size, pool_size, padding).shape)
    xv = Variable(x)
    with GradientTape() as tape:
        y = pool(xv, "max", pool_size, pool_size, padding)
        loss = tf.reduce_sum(y * grad.astype(np.float32))
    np.testing.assert_allclose(tape.gradient(loss, xv).numpy(),
                               _first_max_routing(x, pool_size, padding, grad), rtol=1e-6)
    np.testing.assert_array_equal(y.numpy(), ref_pool2d(x, "max", pool_size, pool_size,
                                                         padding))


def test_chunked_batch_walk_covers_every_sample_once(monkeypatch):
    from myelin.ops import conv_geometry

    monkeypatch.setattr(conv_geometry, "_CHUNK", 10)
    seen = []
    conv_geometry.over_batch_in_chunks(lambda part: seen.append(part), 7, 7 * 4)
    assert sorted(i for part in seen for i in range(part.start, part.stop)) == list(range(7))
    assert max(part.stop - part.start for part in seen) == 2  # 10 elements = 2 samples
    # Pooling walked in chunks of one image gives the unchunked result.
    x = RNG.normal(size=(3, 6, 5, 2))
    chunked = pool(constant(x), "max", (2, 2), (2, 2), "valid").numpy()
    np.testing.assert_array_equal(chunked, ref_pool2d(x, "max", (2, 2), (2, 2), "valid"))


def test_avg_pool_same_divides_by_real_inputs():
    x = np.ones((1, 3, 3, 1))
    out = tf.nn.avg_pool2d(x, 2, 2, "SAME").numpy()
    np.testing.assert_array_equal(out, np.ones((1, 2, 2, 1)))


def test_float32_stays_float32():
    x = np.ones((2, 6, 6, 3), np.float32)
    w = np.ones((3, 3, 3, 4), np.float32)
    assert tf.nn.conv2d(x, w, 1, "SAME").dtype == np.float32
    assert tf.nn.max_pool2d(x, 2, 2, "VALID").dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda: tf.nn.conv2d(np.ones((4, 4, 1)), np.ones((2, 2, 1, 1)), 1, "VALID"),
     "expected an input of rank 4"),
    (lambda: tf.nn.conv2d(np.ones((1, 4, 4, 3)), np.ones((2, 2, 2, 1)), 1, "VALID"),
     "the input has 3 channels"),
    (lambda: tf.nn.conv2d(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)), 1, "VALID"),
     "larger than the input's spatial size"),
    (lambda: tf.nn.conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), [1, 2, 2], "VALID"),
     "strides must be"),
    (lambda: tf.nn.conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), 1, "FULL"),
     "padding must be one of"),
    (lambda: tf.nn.conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), 1, "VALID", "NCHW"),
     "data_format"),
    (lambda: tf.nn.conv1d(np.ones((1, 4, 1)), np.ones((2, 1, 1)), 1, "CAUSAL"),
     "padding must be one of"),
    (lambda: tf.nn.conv2d_transpose(np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1)), [1, 5, 5, 1],
                                    2, "SAME"), "does not match the input"),
    (lambda: tf.nn.conv2d_transpose(np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1)), [1, 4, 4],
                                    2, "SAME"), "output_shape must be"),
    (lambda: tf.nn.max_pool2d(np.ones((1, 1, 4, 1)), 2, 2, "VALID"), "pool window"),
    (lambda: tf.nn.avg_pool2d(np.ones((1, 4, 4, 1)), 0, 2, "VALID"), "positive int"),
    (lambda: tf.nn.depthwise_conv2d(np.ones((1, 4, 4, 2)), np.ones((2, 2, 3, 1)), 1, "VALID"),
     "channels"),
])
def test_bad_inputs_name_the_op_and_the_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_explicit_padding_lists_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="explicit padding"):
        tf.nn.conv2d(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), 1, [[0, 0], [1, 1], [1, 1],
                                                                       [0, 0]])


def test_batch_split_over_threads_gives_identical_results(monkeypatch):
    """Large inputs split their elementwise work over threads: same numbers as one thread."""
    from myelin.ops import threads

    x = RNG.normal(size=(33, 32, 32, 8)).astype(np.float32)  # > 2**18 elements
    w = RNG.normal(size=(3, 3, 8, 4)).astype(np.float32)
    b = RNG.normal(size=4).astype(np.float32)

    def run():
        xv, wv, bv = Variable(x), Variable(w), Variable(b)
        with GradientTape() as tape:
            y = conv(xv, wv, bv, 1, "same", activation="relu")
            z = pool(y, "max", (2, 2), (2, 2))
            loss = tf.reduce_sum(z * z)
        return [z.numpy(), *(g.numpy() for g in tape.gradient(loss, [xv, wv, bv]))]

    monkeypatch.setattr(threads, "_CORES", 3)
    split = run()
    monkeypatch.setattr(threads, "_CORES", 1)
    for a, b_ in zip(split, run(), strict=True):
        np.testing.assert_array_equal(a, b_)



def test_first_layer_split_over_cores_gives_identical_weight_gradients(monkeypatch):
    """A first layer (short patch, untracked input) shares its chunks between the
    cores: per-chunk partial sums make the gradients independent of the core count."""
    from myelin.ops import conv_geometry, threads

    monkeypatch.setattr(conv_geometry, "_CHUNK", 2048)  # 2 images of 32x32x32 a chunk
    monkeypatch.setattr(threads, "_MIN_ELEMENTS", 1)
    x = constant(RNG.normal(size=(9, 32, 32, 1)).astype(np.float32))
    w = RNG.normal(size=(3, 3, 1, 32)).astype(np.float32)
    b = RNG.normal(size=32).astype(np.float32)

    def run():
        wv, bv = Variable(w), Variable(b)
        with GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(conv(x, wv, bv, 1, "same", activation="relu")))
        return [g.numpy() for g in tape.gradient(loss, [wv, bv])]

    monkeypatch.setattr(threads, "_CORES", 3)
    split = run()
    monkeypatch.setattr(threads, "_CORES", 1)
    for a, b_ in zip(split, run(), strict=True):
        np.testing.assert_array_equal(a, b_)

def test_a_forked_child_splits_work_with_its_own_threads():
    import multiprocessing

    x = np.ones((16, 64, 64, 4), np.float32)  # large enough to use the thread pool
    expected = pool(constant(x), "max", (2, 2), (2, 2)).numpy().sum()  # the parent's pool
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as workers:  # hangs (then times out) if the child reused it
        result = workers.apply_async(_max_pool_sum, (x,)).get(timeout=60)
    assert result == expected


def _max_pool_sum(x):
    return pool(constant(x), "max", (2, 2), (2, 2)).numpy().sum()



@pytest.mark.parametrize("x_dtype, k_dtype", [(np.float32, np.float64), (np.float64, np.float32)])
@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
@pytest.mark.parametrize("channels", [1, 8])  # a short patch (bias in the product), a long one
def test_the_conv_kernel_takes_mixed_float_dtypes(x_dtype, k_dtype, activation, channels):
    # The public ops cast to one dtype first; the kernel itself must still not fail on
    # a mix (its buffers take the widest dtype), and give the float64 numbers.
    from myelin.ops.conv import Conv

    x = RNG.normal(size=(2, 6, 5, channels))
    w, b = RNG.normal(size=(3, 3, channels, 4)), RNG.normal(size=4)
    grad = RNG.normal(size=(2, 4, 3, 4)).astype(np.float32)

    def run(*arrays):
        op = Conv((1, 1), (1, 1), "valid", activation=activation)
        op.needs = (True, True, True)
        return [op.forward(*arrays), *op.backward(grad)]

    mixed = run(x.astype(x_dtype), w.astype(k_dtype), b.astype(k_dtype))
    exact = run(x.astype(x_dtype).astype(np.float64), w.astype(k_dtype).astype(np.float64),
                b.astype(k_dtype).astype(np.float64))
    for got, want in zip(mixed, exact, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
