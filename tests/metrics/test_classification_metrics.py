"""Confusion counts, precision, recall, AUC and F-scores: hand computations, values
printed by Keras 3.15.1 on the same data, state handling and use inside fit."""

import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import metrics, optimizers
from myelin.layers import Dense, clear_session
from myelin.models import Sequential

sys.path.insert(0, str(Path(__file__).parent))
from _keras_data import reference_arrays, run  # noqa: E402

D = reference_arrays()
Y, P, SW, YM, PM, ONEHOT, P3 = (D[k] for k in ("y", "p", "sw", "ym", "pm", "onehot", "p3"))
RNG = np.random.default_rng(7)


def test_confusion_counts_by_hand():
    y, p = [0, 1, 1, 1, 0, 0], [0.9, 0.2, 0.6, 0.5, 0.1, 0.51]
    assert float(metrics.TruePositives()(y, p)) == 1  # 0.6 (0.5 is not > 0.5)
    assert float(metrics.FalsePositives()(y, p)) == 2  # 0.9, 0.51
    assert float(metrics.TrueNegatives()(y, p)) == 1  # 0.1
    assert float(metrics.FalseNegatives()(y, p)) == 2  # 0.2, 0.5
    assert float(metrics.Precision()(y, p)) == pytest.approx(1 / 3)
    assert float(metrics.Recall()(y, p)) == pytest.approx(1 / 3)
    np.testing.assert_allclose(metrics.TruePositives(thresholds=[0.0, 0.55, 1.0])(y, p)
                               .numpy(), [3, 1, 0])
    weighted = metrics.Precision()
    weighted.update_state(y, p, sample_weight=[1, 1, 3, 1, 1, 2])
    assert float(weighted.result()) == pytest.approx(3 / (3 + 1 + 2))


def test_precision_recall_top_k_and_class_id_by_hand():
    y = np.array([[0, 0, 1, 1], [1, 0, 0, 0]])
    p = np.array([[0.1, 0.9, 0.8, 0.2], [0.6, 0.3, 0.7, 0.2]])
    # top 2 per row: {1, 2} and {2, 0} -> hits 1 (class 2) and 1 (class 0) of 4 kept
    assert float(metrics.Precision(top_k=2)(y, p)) == pytest.approx(0.5)
    assert float(metrics.Recall(top_k=1)(y, p)) == pytest.approx(0 / 3)
    assert float(metrics.Precision(class_id=2)(y, p)) == pytest.approx(0.5)  # 0.8 ok, 0.7 not
    assert float(metrics.Recall(class_id=3)(y, p)) == 0.0


def test_auc_by_hand():
    # thresholds [-eps, 0.5, 1 + eps]: ROC points (1, 1), (0.5, 0.5), (0, 0)
    y, p = [0, 0, 1, 1], [0, 0.5, 0.3, 0.9]
    assert float(metrics.AUC(num_thresholds=3)(y, p)) == pytest.approx(0.75)
    # 0.5 is not above the threshold 0.5: TP/FP at 0.5 are 1 and 0 -> FPR 0, TPR 0.5
    assert float(metrics.AUC(num_thresholds=3, summation_method="minoring")(y, p)) == \
        pytest.approx(0.5)
    assert float(metrics.AUC(num_thresholds=3, summation_method="majoring")(y, p)) == \
        pytest.approx(1.0)
    # PR with Davis-Goadrich interpolation on this tiny curve: P = TP + FP goes 4, 1, 0
    tp, p_ = np.array([2.0, 1.0, 0.0]), np.array([4.0, 1.0, 0.0])
    slope = (tp[0] - tp[1]) / (p_[0] - p_[1])
    intercept = tp[1] - slope * p_[1]
    first = slope * ((tp[0] - tp[1]) + intercept * np.log(p_[0] / p_[1])) / (tp[1] + 1)
    second = (tp[1] - tp[2]) / (p_[1] - p_[2]) * (tp[1] - tp[2]) / 2  # P_B = 0: no log term
    assert float(metrics.AUC(num_thresholds=3, curve="PR")(y, p)) == pytest.approx(
        first + second)
    assert metrics.AUC(num_thresholds=3).thresholds == [-1e-7, 0.5, 1 + 1e-7]


def test_auc_is_the_rank_statistic_with_many_thresholds():
    # with distinct predictions and fine thresholds the trapezoidal ROC area equals the
    # share of (positive, negative) pairs ranked correctly (Mann-Whitney U)
    p = np.round(RNG.uniform(size=300), 3)
    y = (RNG.uniform(size=300) < p).astype(float)
    pos, neg = p[y == 1], p[y == 0]
    u = ((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])).mean()
    assert float(metrics.AUC(num_thresholds=2001)(y, p)) == pytest.approx(u, abs=2e-3)


def test_values_printed_by_keras():
    # keras 3.15.1 on the same arrays, updated with the same two halves
    cases = [
        (metrics.AUC(), (Y, P), {}, 0.7948718),
        (metrics.AUC(), (Y, P), {"sample_weight": SW}, 0.778585),
        (metrics.AUC(curve="PR"), (Y, P), {}, 0.6094327),
        (metrics.AUC(curve="PR"), (Y, P), {"sample_weight": SW}, 0.5741838),
        (metrics.AUC(curve="PR", summation_method="minoring"), (Y, P), {}, 0.5952983),
        (metrics.AUC(summation_method="majoring", num_thresholds=13), (Y, P), {}, 0.8266471),
        (metrics.AUC(curve="PRGAIN", num_thresholds=50), (Y, P), {}, 0.7216852),
        (metrics.AUC(thresholds=[0.1, 0.35, 0.5, 0.8]), (Y, P), {}, 0.7554901),
        (metrics.AUC(thresholds=[0.25, 0.5, 0.75]), (Y, P), {}, 0.7726046),
        (metrics.AUC(from_logits=True), (Y, (P - 0.5) * 6), {}, 0.7949945),
        (metrics.AUC(multi_label=True), (YM, PM), {}, 0.3931604),
        (metrics.AUC(multi_label=True, label_weights=[0.2, 0.5, 1.0]), (YM, PM), {},
         0.4018338),
        (metrics.AUC(label_weights=[0.2, 0.5, 1.0]), (YM, PM), {}, 0.4028119),
        (metrics.AUC(multi_label=True, curve="PR"), (YM, PM), {"sample_weight": SW[:50]},
         0.3753399),
        (metrics.Precision(), (Y, P), {}, 0.4722222),
        (metrics.Precision(), (Y, P), {"sample_weight": SW}, 0.4733806),
        (metrics.Precision(thresholds=[0.0, 0.3, 0.5, 0.9, 1.0]), (Y, P), {},
         [0.2864321, 0.4318182, 0.4722222, 0.8333333, 0.0]),
        (metrics.Precision(thresholds=[0.0, 0.5, 1.0]), (Y, P), {}, [0.2864321, 0.4722222, 0]),
        (metrics.Recall(), (Y, P), {}, 0.5964912),
        (metrics.Recall(thresholds=[0.2, 0.7]), (Y, P), {"sample_weight": SW},
         [1.0, 0.3210494]),
        (metrics.Precision(top_k=2), (YM, PM), {}, 0.37),
        (metrics.Recall(top_k=1), (YM, PM), {}, 0.2903226),
        (metrics.Precision(class_id=1), (YM, PM), {}, 0.3103448),
        (metrics.Recall(class_id=2, top_k=2), (YM, PM), {"sample_weight": SW[:50]}, 0.538911),
        (metrics.TruePositives(), (Y, P), {}, 34.0),
        (metrics.FalsePositives(thresholds=[0.15, 0.5]), (Y, P), {"sample_weight": SW},
         [105.5840759, 38.033432]),
        (metrics.TrueNegatives(), (YM, PM), {}, 36.0),
        (metrics.FalseNegatives(thresholds=0.3), (Y, P), {}, 0.0),
        (metrics.F1Score(), (ONEHOT, P3), {}, [0.4390243, 0.3703703, 0.3125]),
        (metrics.F1Score(threshold=0.4), (YM, PM), {}, [0.4444444, 0.3773584, 0.2790697]),
        (metrics.F1Score(average="micro", threshold=0.4), (YM, PM),
         {"sample_weight": SW[:50]}, 0.3999973),
        (metrics.F1Score(average="macro"), (ONEHOT, P3), {}, 0.3739649),
        (metrics.F1Score(average="weighted", threshold=0.3), (YM, PM), {}, 0.4482448),
        (metrics.FBetaScore(beta=2.0, threshold=0.5), (YM, PM), {},
         [0.3515625, 0.4285714, 0.3296703]),
    ]
    for metric, arrays, weights, keras_value in cases:
        np.testing.assert_allclose(run(metric, *arrays, **weights), keras_value, rtol=1e-6,
                                   atol=1e-7, err_msg=type(metric).__name__)


def test_reset_state_and_default_names():
    clear_session()
    auc = metrics.AUC()
    assert auc.name == "auc" and metrics.AUC().name == "auc_1"  # numbered as Keras does
    assert metrics.Precision().name == "precision" and metrics.F1Score().name == "f1_score"
    assert metrics.TruePositives().name == "true_positives"
    before = run(auc, Y, P)
    auc.reset_state()
    assert float(auc.result()) == 0.0
    assert run(auc, Y, P) == before
    f1 = metrics.F1Score(threshold=0.4)
    run(f1, YM, PM)
    f1.reset_state()
    np.testing.assert_array_equal(f1.result().numpy(), [0, 0, 0])


def test_config_round_trip():
    for metric in (metrics.AUC(curve="PR", num_thresholds=50, name="prc"),
                   metrics.AUC(thresholds=[0.2, 0.6], multi_label=True,
                               label_weights=[1.0, 2.0]),
                   metrics.Precision(thresholds=[0.3, 0.7], top_k=2, class_id=1),
                   metrics.FalseNegatives(thresholds=0.4), metrics.FBetaScore(beta=0.5),
                   metrics.F1Score(average="macro", threshold=0.3)):
        back = metrics.deserialize(metrics.serialize(metric))
        assert type(back) is type(metric) and back.get_config() == metric.get_config()


def test_imbalanced_data_metrics_inside_fit():
    # the metrics list of the imbalanced-data tutorial, by object and by string name
    clear_session()
    x = RNG.normal(size=(256, 4)).astype("float32")
    y = (x[:, 0] + 0.3 * x[:, 1] > 0.8).astype("float32")
    model = Sequential([Dense(8, activation="relu", input_shape=(4,)),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizers.Adam(0.02), "binary_crossentropy", metrics=[
        metrics.BinaryCrossentropy(name="cross entropy"), metrics.TruePositives(name="tp"),
        metrics.FalsePositives(name="fp"), metrics.Precision(name="precision"),
        metrics.Recall(name="recall"), metrics.AUC(name="auc"),
        metrics.AUC(name="prc", curve="PR"), "AUC", "Recall", "true_negatives"])
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0,
                        validation_data=(x[:64], y[:64]))
    logs = history.history
    assert {"cross entropy", "tp", "fp", "precision", "recall", "auc", "prc", "AUC",
            "Recall", "true_negatives", "val_auc", "val_prc"} <= set(logs)
    assert logs["recall"] == logs["Recall"]
    assert logs["auc"][-1] == logs["AUC"][-1] > 0.9  # same metric twice, same value
    # the epoch's counts cover every sample once: tp + fp + tn + fn = 256 when fn is
    # recovered from recall = tp / (tp + fn)
    tp, fp, tn = logs["tp"][-1], logs["fp"][-1], logs["true_negatives"][-1]
    fn = tp / logs["recall"][-1] - tp
    assert tp + fp + tn + fn == pytest.approx(256) and tp + fn == pytest.approx(y.sum())
    # evaluate recomputes the same statistics from scratch
    results = model.evaluate(x[:64], y[:64], verbose=0, return_dict=True)
    assert results["auc"] == pytest.approx(logs["val_auc"][-1], abs=1e-6)
