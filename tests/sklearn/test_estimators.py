"""scikit-learn estimators: the estimator checks, real data sets, pickling, partial_fit."""

import pickle

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

from myelin import layers, models  # noqa: E402
from myelin.sklearn import KerasClassifier, KerasRegressor, MLPClassifier, MLPRegressor  # noqa: E402
from myelin.utils import set_random_seed  # noqa: E402

# Minibatch training with shuffled batches cannot make a weight of 2 equal to a repeated
# row bit for bit (scikit-learn's own MLP marks the same check as an expected failure).
_SGD = {"check_sample_weight_equivalence_on_dense_data":
        "minibatch SGD: weighting is not identical to repeating rows"}
# The wrappers' point is extra keyword parameters for the model function (scikeras too).
_WRAPPER = {**_SGD, "check_no_attributes_set_in_init":
            "extra keyword parameters (units=8, model__units=8) are the wrapper's interface"}


def _build(meta, units=8):
    n_classes = meta.get("n_classes_")
    if n_classes is None:
        head = layers.Dense(meta["n_outputs_"])
    else:
        head = layers.Dense(1 if n_classes == 2 else n_classes,
                            activation="sigmoid" if n_classes == 2 else "softmax")
    return models.Sequential([layers.Input((meta["n_features_in_"],)),
                              layers.Dense(units, activation="relu"), head])


@pytest.mark.parametrize("estimator, expected_failures", [
    (MLPClassifier(max_iter=100, random_state=0), _SGD),
    (MLPRegressor(max_iter=100, random_state=0), _SGD),
    (KerasClassifier(model=_build, units=16, epochs=30, optimizer="adam", random_state=0),
     _WRAPPER),
    (KerasRegressor(model=_build, epochs=100, optimizer="adam", optimizer__learning_rate=0.01,
                    random_state=0), _WRAPPER),
], ids=["MLPClassifier", "MLPRegressor", "KerasClassifier", "KerasRegressor"])
def test_check_estimator(estimator, expected_failures):
    results = check_estimator(estimator, expected_failed_checks=expected_failures,
                              on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results
              if r["status"] == "failed"]
    assert len(results) > 45 and failed == []


def test_digits_grid_search_in_a_pipeline_reaches_95_percent():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    pipe = make_pipeline(StandardScaler(), MLPClassifier(max_iter=60, random_state=0))
    search = GridSearchCV(pipe, {"mlpclassifier__hidden_layer_sizes": [(32,), (64,)]}, cv=3)
    search.fit(X_train, y_train)
    assert search.score(X_test, y_test) >= 0.95


def test_string_labels_round_trip_and_probabilities_sum_to_one():
    X, y = load_digits(return_X_y=True)
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                      "nine"])[y]
    clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=40, random_state=0).fit(X / 16,
                                                                                    names)
    assert list(clf.classes_) == sorted(set(names))
    predicted = clf.predict(X[:200] / 16)
    assert predicted.dtype.kind == "U" and np.mean(predicted == names[:200]) > 0.9
    np.testing.assert_allclose(clf.predict_proba(X[:5] / 16).sum(axis=1), 1.0, rtol=1e-5)


def test_multilabel_indicator_targets():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4)).astype(np.float32)
    Y = np.stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0], axis=1).astype(int)
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=100, learning_rate_init=0.01,
                        random_state=0).fit(X, Y)
    assert clf.predict(X).shape == (400, 2) and np.mean(clf.predict(X) == Y) > 0.95


def test_regressor_on_diabetes_in_cross_val_score():
    X, y = load_diabetes(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(32,), max_iter=300,
                                                        learning_rate_init=0.01,
                                                        random_state=0))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.3


def test_keras_classifier_on_breast_cancer():
    X, y = load_breast_cancer(return_X_y=True)
    clf = make_pipeline(StandardScaler(), KerasClassifier(
        model=_build, units=8, optimizer="adam", epochs=20, batch_size=32, random_state=0))
    assert cross_val_score(clf, X, y, cv=3).mean() > 0.9


def test_pickled_estimators_predict_and_continue_identically():
    X, y = load_digits(return_X_y=True)
    X = X / 16
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=5, random_state=0).fit(X, y)
    twin = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(twin.predict_proba(X), clf.predict_proba(X))
    blob = pickle.dumps(clf.model_)
    assert b"numpy" not in blob and b"myelin.layers" not in blob  # bytes of a model file
    for est in (clf, twin):  # the same seed gives the same continued training
        set_random_seed(3)
        est.partial_fit(X, y)
    np.testing.assert_array_equal(twin.predict_proba(X), clf.predict_proba(X))


def test_partial_fit_needs_classes_first_and_refuses_new_ones():
    X, y = load_digits(return_X_y=True)
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0)
    with pytest.raises(ValueError, match="pass classes=\\[...\\]"):
        clf.partial_fit(X[:50], y[:50])
    clf.partial_fit(X[:50], y[:50], classes=np.arange(10))
    with pytest.raises(ValueError, match="classes \\[10\\] that are not in `classes`"):
        clf.partial_fit(X[:5], np.array([10, 1, 2, 3, 4]))


def test_bad_parameters_name_the_estimator_and_value():
    X, y = load_digits(return_X_y=True)
    for params, message in [({"activation": "gelu"}, "activation must be one of"),
                            ({"solver": "lbfgs"},
                             "solver must be .adam. or .sgd. \\(myelin has no lbfgs\\)"),
                            ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes must be"),
                            ({"max_iter": 0}, "max_iter \\(epochs\\) must be")]:
        with pytest.raises(ValueError, match=f"MLPClassifier: {message}"):
            MLPClassifier(**params).fit(X[:20], y[:20])
    assert clone(MLPClassifier(alpha=0.5)).get_params()["alpha"] == 0.5


def test_training_accuracy_is_tracked_only_for_early_stopping():
    X, y = load_digits(return_X_y=True)
    X = X[:300] / 16
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=3, random_state=0).fit(X, y[:300])
    assert clf.model_.metrics == []  # scikit-learn's MLP tracks no training accuracy
    # early stopping switched on for a warm start needs the validation accuracy
    clf.set_params(warm_start=True, early_stopping=True, max_iter=4)
    slots = clf.model_.optimizer.get_state()
    clf.fit(X, y[:300])
    assert [m.name for m in clf.model_.metrics] == ["accuracy"]
    assert len(clf.validation_scores_) == 4 and 0.1 < clf.best_validation_score_ <= 1
    assert int(clf.model_.optimizer.iterations.numpy()) > int(slots[0])  # state kept
