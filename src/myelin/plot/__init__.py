"""Pictures of training and of networks: loss/metric curves, fitted lines, decision
boundaries, digit grids, convolution filters and feature maps, a dense network's neurons
and weights, and the layer graph.

Needs the ``plot`` extra (``pip install "myelin[plot]"``, i.e. matplotlib). matplotlib is
imported inside each function, never by ``import myelin``, so the core install stays
small. On a machine without a display the Agg backend is used, so plots work in scripts,
CI and over SSH. Every function returns the matplotlib ``Figure``; with ``path`` it also
writes the image and detaches the figure from pyplot; in a notebook the figure renders
inline once.

Example:
    >>> history = model.fit(x, y, validation_split=0.2, epochs=20)
    >>> myelin.plot.history(history, path="output/history.png")
"""

from .figures import decision_boundary, feature_maps, filters, history, images, predictions
from .model_graph import plot_model
from .network import network

__all__ = [
    "decision_boundary", "feature_maps", "filters", "history", "images", "network",
    "plot_model", "predictions",
]
