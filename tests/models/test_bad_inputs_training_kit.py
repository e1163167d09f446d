"""Issue 10, item 4 (and tf.function/tf.print): every new public optimizer, schedule,
loss, metric and function refuses bad input with an error that names it, what was
expected and what was received, and leaves its state exactly as it was."""

from collections import namedtuple

import numpy as np
import pytest

import myelin as tf
from myelin import losses, metrics, optimizers
from myelin.autodiff import Variable
from myelin.layers import Dense, clear_session
from myelin.models import Sequential

S = optimizers.schedules

# (what is called, the error, regex the message must match)
CONSTRUCTOR_CASES = [
    (lambda: optimizers.AdamW(weight_decay=None), r"AdamW: weight_decay must be a number"),
    (lambda: optimizers.AdamW(weight_decay=-0.1), r"AdamW: weight_decay must be a number in "
                                                  r">= 0.0, received -0.1"),
    (lambda: optimizers.AdamW(beta_1=1.0), r"AdamW: beta_1 must be a number in \[0.0, 1.0\)"),
    (lambda: optimizers.SGD(weight_decay="0.1"), r"SGD: weight_decay must be a number"),
    (lambda: optimizers.Nadam(beta_2=1.5), r"Nadam: beta_2 must be a number in \[0.0, 1.0\)"),
    (lambda: optimizers.Adamax(epsilon=-1), r"Adamax: epsilon must be a number in >= 0.0"),
    (lambda: optimizers.Adadelta(rho=2.0), r"Adadelta: rho must be a number in \[0.0, 1.0\]"),
    (lambda: optimizers.Lion(beta_1=0.0), r"Lion: beta_1 must be a number in \(0, 1\]"),
    (lambda: optimizers.Lion(learning_rate=-1.0), r"Lion: learning_rate must be a non-negative"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), r"Ftrl: learning_rate_power must be a "
                                                       r"number <= 0, received 0.5"),
    (lambda: optimizers.Ftrl(initial_accumulator_value=-1.0),
     r"Ftrl: initial_accumulator_value must be a number in >= 0.0, received -1.0"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-0.1),
     r"Ftrl: l1_regularization_strength must be"),
    (lambda: optimizers.get("adma"), r"Unknown optimizer 'adma'\. Did you mean 'adam'"),
    (lambda: optimizers.get("nadma"), r"Did you mean 'nadam'"),
    (lambda: S.PolynomialDecay(0.1, 0), r"PolynomialDecay: decay_steps must be positive"),
    (lambda: S.CosineDecay(0.1, -5), r"CosineDecay: decay_steps must be positive, received -5"),
    (lambda: S.CosineDecayRestarts(0.1, 0), r"CosineDecayRestarts: first_decay_steps must be "
                                            r"positive"),
    (lambda: S.CosineDecayRestarts(0.1, 5, t_mul=0.0), r"CosineDecayRestarts: t_mul must be "
                                                       r"positive"),
    (lambda: S.deserialize({"class_name": "CosineDecy", "config": {}}),
     r"Unknown learning rate schedule 'CosineDecy'\. Did you mean 'CosineDecay'"),
    (lambda: losses.get("hinj"), r"Unknown loss 'hinj'\. Did you mean 'hinge'"),
    (lambda: metrics.AUC(num_thresholds=1), r"AUC: num_thresholds must be an integer > 1, "
                                            r"received 1"),
    (lambda: metrics.AUC(curve="ROCC"), r"AUC: curve must be one of \['PR', 'PRGAIN', 'ROC'\], "
                                        r"received 'ROCC'"),
    (lambda: metrics.AUC(summation_method="trapezoid"), r"AUC: summation_method must be one "
                                                        r"of \['interpolation'"),
    (lambda: metrics.AUC(num_labels=3), r"AUC: num_labels is needed only when multi_label"),
    (lambda: metrics.AUC(thresholds=[0.2, 1.5]), r"AUC: thresholds must be numbers in \[0, 1\]"),
    (lambda: metrics.Precision(thresholds=2), r"Precision: thresholds must be numbers in "
                                              r"\[0, 1\], received 2"),
    (lambda: metrics.Recall(top_k=0), r"Recall: top_k must be a positive integer or None"),
    (lambda: metrics.Precision(class_id="a"), r"Precision: class_id must be an integer or None"),
    (lambda: metrics.TruePositives(thresholds=[-0.1]), r"TruePositives: thresholds must be"),
    (lambda: metrics.F1Score(average="mean"), r"F1Score: average must be one of \[None, "
                                              r"'micro', 'macro', 'weighted'\]"),
    (lambda: metrics.FBetaScore(beta=1), r"FBetaScore: beta must be a Python float > 0, "
                                         r"received 1"),
    (lambda: metrics.F1Score(threshold=1.5), r"F1Score: threshold must be a Python float in "
                                             r"\(0, 1\]"),
    (lambda: metrics.get("AUCC"), r"Unknown metric 'AUCC'\. Did you mean 'AUC'"),
    (lambda: tf.function(jit_compiled=True), r"function: unexpected keyword argument\(s\) "
                                             r"\['jit_compiled'\]"),
    (lambda: tf.function(3), r"function: expected a Python function to wrap, received 3"),
    (lambda: tf.function(lambda x: x, input_signature=[3]),
     r"function: input_signature entries must be TensorSpecs"),
    (lambda: tf.print("x", summarise=2), r"print: unrecognized keyword arguments "
                                         r"\['summarise'\]"),
    (lambda: tf.print("x", summarize=-2), r"print: summarize must be an integer >= -1"),
    (lambda: tf.print("x", sep=1), r"print: sep and end must be strings"),
    (lambda: tf.print("x", output_stream="stdout"), r"print: output_stream must be sys.stdout"),
]


@pytest.mark.parametrize("make, message", CONSTRUCTOR_CASES,
                         ids=[str(i) for i in range(len(CONSTRUCTOR_CASES))])
def test_constructors_and_lookups_name_the_problem(make, message, capsys):
    with pytest.raises((ValueError, TypeError), match=message):
        make()
    assert capsys.readouterr() == ("", "")  # tf.print wrote nothing half-way


NEW_OPTIMIZERS = [optimizers.AdamW, optimizers.Nadam, optimizers.Adamax, optimizers.Adadelta,
                  optimizers.Lion, optimizers.Ftrl]


@pytest.mark.parametrize("cls", NEW_OPTIMIZERS, ids=lambda c: c.__name__)
def test_optimizer_bad_gradients_change_nothing(cls):
    opt = cls(0.1)
    a, b = Variable([1.0, 2.0], name="a"), Variable([3.0], name="b")
    opt.apply_gradients([(np.ones(2, np.float32), a), (np.ones(1, np.float32), b)])
    weights, state = [a.numpy(), b.numpy()], opt.get_state()
    with pytest.raises(ValueError, match=rf"{cls.__name__}: the gradient for variable 'b' has "
                                         rf"shape \(3,\), expected the variable's shape \(1,\)"):
        opt.apply_gradients([(np.ones(2, np.float32), a), (np.ones(3, np.float32), b)])
    with pytest.raises(ValueError, match=rf"{cls.__name__}: received 1 gradients for 2"):
        opt.apply([np.ones(2, np.float32)], [a, b])
    assert np.array_equal(a.numpy(), weights[0]) and np.array_equal(b.numpy(), weights[1])
    assert all(np.array_equal(x, y) for x, y in zip(state, opt.get_state(), strict=True))


def test_exclude_from_weight_decay_bad_calls():
    opt = optimizers.AdamW()
    with pytest.raises(TypeError, match=r"AdamW.exclude_from_weight_decay: var_names must be "
                                        r"strings"):
        opt.exclude_from_weight_decay(var_names=[3])
    w = Variable([1.0])
    opt.apply_gradients([(np.ones(1, np.float32), w)])
    with pytest.raises(ValueError, match=r"already built .* call it before the first update"):
        opt.exclude_from_weight_decay(var_names=["bias"])


NEW_LOSSES = [losses.mean_absolute_percentage_error, losses.mean_squared_logarithmic_error,
              losses.log_cosh, losses.cosine_similarity, losses.hinge, losses.squared_hinge,
              losses.kl_divergence, losses.poisson]


@pytest.mark.parametrize("fn", NEW_LOSSES, ids=lambda f: f.__name__)
def test_loss_functions_name_mismatched_or_non_numeric_input(fn):
    with pytest.raises(ValueError, match=rf"{fn.__name__}: y_true of shape \(2, 2\) does not "
                                         rf"match y_pred of shape \(2, 3\)"):
        fn(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=rf"{fn.__name__}: y_true and y_pred must be numbers"):
        fn([["a", "b"]], [[0.5, 0.5]])


def test_categorical_hinge_wants_one_hot_labels():
    with pytest.raises(ValueError, match=r"categorical_hinge: expected one-hot y_true of shape "
                                         r"\(2, 3\), received shape \(2,\)"):
        losses.categorical_hinge([0, 2], np.ones((2, 3)))


def _state(metric):
    return np.asarray(metric.result().numpy()).copy()


BINARY = ([0.0, 1.0], [0.3, 0.8])  # a valid first batch, so "nothing changed" means something
MULTI = ([[0, 1, 1], [1, 0, 0]], [[0.2, 0.8, 0.6], [0.9, 0.4, 0.1]])
# (metric factory, valid first batch or None, bad arguments, regex of the message)
METRIC_CASES = [
    (lambda: metrics.AUC(), BINARY, ([0, 1], ["a", "b"]), r"AUC 'auc\w*': y_pred must be numbers"),
    (lambda: metrics.AUC(multi_label=True), None, ([0, 1], [0.2, 0.9]),
     r"AUC 'auc\w*': y_pred must have rank 2 \(samples, labels\) when multi_label=True"),
    (lambda: metrics.AUC(multi_label=True), MULTI, (np.ones((2, 4)), np.ones((2, 4)) / 2),
     r"AUC 'auc\w*': expected 3 labels as before"),
    (lambda: metrics.Precision(), BINARY, ([0, 1, 1], [0.2, 0.3]),
     r"Precision 'precision\w*': y_true of shape \(3,\) must match y_pred of shape \(2,\)"),
    (lambda: metrics.Recall(), BINARY, ([0, 1], [0.2, 0.3], [1.0, 2.0, 3.0]),
     r"Recall 'recall\w*': y_true of shape \(2,\) and sample_weight of shape \(3,\) must "
     r"match"),
    (lambda: metrics.Precision(class_id=2), MULTI, ([[0, 1]], [[0.1, 0.2]]),
     r"class_id=2 needs y_pred of shape \(samples, classes\) with that class, received \(1, 2\)"),
    (lambda: metrics.TrueNegatives(), BINARY, ([0, 1], None),
     r"TrueNegatives 'true_negatives\w*': y_pred must be numbers"),
    (lambda: metrics.F1Score(), None, ([0, 1], [0.2, 0.3]),
     r"F1Score 'f1_score' expects 2D inputs of shape \(batch_size, classes\)"),
    (lambda: metrics.F1Score(), MULTI, (np.eye(2), np.eye(2)),
     r"F1Score 'f1_score': expected 3 classes as before, received y_pred of shape \(2, 2\)"),
    (lambda: metrics.RootMeanSquaredError(), BINARY, ([1.0, 2.0], [1.0, 2.0, 3.0]),
     r"RootMeanSquaredError 'root_mean_squared_error': y_true of shape \(2,\) does not match"),
    (lambda: metrics.Sum(), ([1.0, 2.0],), (["x"],), r"Sum 'sum': values must be numbers"),
    (lambda: metrics.BinaryCrossentropy(), BINARY, ([[0, 1]], [[0.1, 0.2, 0.3]]),
     r"binary_crossentropy: y_true of shape \(1, 2\) does not match y_pred of shape \(1, 3\)"),
    (lambda: metrics.MeanAbsolutePercentageError(), BINARY, ([1.0], ["a"]),
     r"mean_absolute_percentage_error: y_true and y_pred must be numbers"),
]


@pytest.mark.parametrize("make, first, args, message", METRIC_CASES,
                         ids=[str(i) for i in range(len(METRIC_CASES))])
def test_metric_bad_updates_change_nothing(make, first, args, message):
    metric = make()
    if first is not None:
        metric.update_state(*first)
    before = _state(metric)
    with pytest.raises(ValueError, match=message):
        metric.update_state(*args)
    assert np.array_equal(_state(metric), before)


Spec = namedtuple("Spec", "shape dtype")


def test_function_input_signature_mismatch_changes_nothing():
    calls = []

    @tf.function(input_signature=[Spec((None, 2), "float32")])
    def f(x):
        calls.append(x)
        return x

    with pytest.raises(ValueError, match=r"function '.*f', argument 'x': expected shape "
                                         r"\(None, 2\) \(None matches any size\), received "
                                         r"shape \(3,\)"):
        f(np.ones(3, np.float32))
    with pytest.raises(TypeError, match=r"argument 'x': cannot convert 'abc' to a tensor of "
                                        r"dtype float32"):
        f("abc")
    assert calls == []  # the body never ran


def test_compile_with_new_names_and_a_typo_keeps_the_previous_compile():
    clear_session()
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(3,))])
    model.compile("nadam", "hinge", metrics=["AUC", "precision"])
    previous = model.optimizer
    with pytest.raises(ValueError, match=r"Unknown metric 'presicion'\. Did you mean "
                                         r"'precision'"):
        model.compile("lion", "squared_hinge", metrics=["presicion"])
    assert model.optimizer is previous and model.metrics_names == ["loss", "AUC", "precision"]
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    with pytest.raises(ValueError, match=r"x contains nan"):
        model.fit(np.where(x > 2, np.nan, x) * np.nan, np.ones(16), verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 0
