"""Graph mode switches: ``disable_eager_execution``, ``disable_v2_behavior`` and friends.

TF-1 graph mode is on while the default graph holds a ``placeholder`` (so a TF-1
program needs no switch at all), or for the rest of the process once eager execution
was disabled. In graph mode random ops (``truncated_normal``, ``random_normal``,
``random_uniform``) record their recipe as graph nodes and new Variables register
with the default graph, so ``global_variables_initializer()`` draws them anew each
time it runs. Eager TF-2 code never meets either.
"""

from ...autodiff.static_value import graph_mode
from ...graph.graph import eager_disabled, sync_graph_mode


def disable_eager_execution():
    """Build graphs from here on (TF 1's default): random ops and Variables record their
    recipe in the default graph until ``enable_eager_execution()``.

    Example:
        >>> tf.compat.v1.disable_eager_execution()
    """
    eager_disabled[0] = True
    sync_graph_mode()


def disable_v2_behavior():
    """TF 1's behaviour: the same as ``disable_eager_execution()`` in myelin."""
    disable_eager_execution()


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Compute eagerly again (TF 2's default); a graph with placeholders stays a graph."""
    eager_disabled[0] = False
    sync_graph_mode()


enable_v2_behavior = enable_eager_execution


def executing_eagerly():
    """Whether new ops compute now (True) or record graph nodes (TF-1 graph mode)."""
    return not graph_mode[0]
