"""A hyper-parameter search fans out over a local Dask cluster (2 worker processes on
127.0.0.1) through joblib's Dask backend and gives the sequential run's results."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from myelin.sklearn import MLPClassifier  # noqa: E402


def _search():
    return GridSearchCV(MLPClassifier(max_iter=15, random_state=0),
                        {"hidden_layer_sizes": [(16,), (32,)], "alpha": [1e-4, 1e-1]}, cv=2)


@pytest.fixture
def dask_client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_search_on_a_dask_cluster_matches_the_sequential_search(dask_client):
    X, y = load_digits(return_X_y=True)
    X, y = X[:600] / 16, y[:600]
    sequential = _search().fit(X, y)
    with joblib.parallel_backend("dask"):
        clustered = _search().fit(X, y)
    workers = dask_client.scheduler_info()["workers"]
    assert len(workers) == 2 and all(w["host"] == "127.0.0.1" for w in workers.values())
    assert clustered.best_params_ == sequential.best_params_
    np.testing.assert_allclose(clustered.cv_results_["mean_test_score"],
                               sequential.cv_results_["mean_test_score"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(clustered.predict(X), sequential.predict(X))
