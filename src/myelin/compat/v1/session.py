"""``Session``: runs the graph parts that fetches need, with values fed for placeholders.

Variable values live in the Variable objects (one copy, shared by every session of the
graph), but which variables are initialised is per session, as in TF 1: a new session
must run an initializer or ``saver.restore`` before it reads a graph variable. Runs are
compiled once per fetch/feed structure (see ``executor``).
"""

from contextlib import contextmanager

from ...autodiff import Tensor, Variable
from ...autodiff.static_value import graph_mode
from ...graph import get_default_graph
from ...graph.structure import flatten, map_structure
from ...graph.tensor import SymbolicTensor
from .executor import RunPlan, convert_feed
from .operation import Operation

_default_sessions = []  # innermost last: `with tf.Session() as sess:` and as_default()
# Plans kept per session: a loop that builds a new tensor per run (an anti-pattern in TF 1
# too) must not grow memory without bound; the oldest plan is dropped first.
_MAX_PLANS = 256


def get_default_session():
    """The session of the innermost ``with tf.Session() as sess:`` block (or None).

    Example:
        >>> with tf.Session() as sess:
        ...     assert tf.get_default_session() is sess
    """
    return _default_sessions[-1] if _default_sessions else None


def default_session(where, session=None):
    """``session``, else the default session, else a clear error for ``where``."""
    session = session or get_default_session()
    if session is None:
        raise ValueError(
            f"{where}: no default session. Call it inside a `with tf.Session() as sess:` "
            f"block, pass session=sess, or use sess.run(...) directly.")
    return session


class Session:
    """Runs graph tensors and operations (TF 1's ``tf.Session``).

    Args:
        target: ignored (no distributed runtime).
        graph: the graph to run (default: the default graph now).
        config: ignored (``tf.ConfigProto`` settings have no effect on NumPy).

    Example:
        >>> with tf.Session() as sess:
        ...     init.run()
        ...     sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        ...     acc = accuracy.eval(feed_dict={X: X_test, y: y_test})
    """

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph or get_default_graph()
        self._plans = {}
        self._initialized = set()  # ids of the graph variables set in this session
        self._closed = False

    # --- context and lifetime ---------------------------------------------------------

    def __enter__(self):
        _default_sessions.append(self)
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @contextmanager
    def as_default(self):
        """Make this session the default inside a ``with`` block (without closing it)."""
        _default_sessions.append(self)
        try:
            yield self
        finally:
            _remove(self)

    def close(self):
        """Free the session; running it afterwards raises an error."""
        self._closed = True
        self._plans.clear()
        _remove(self)

    # --- running --------------------------------------------------------------------

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Values of ``fetches`` with ``feed_dict``'s values for placeholders.

        Args:
            fetches: a tensor, operation, Variable or name (``"loss:0"``), or a nested
                list/tuple/dict of them.
            feed_dict: ``{placeholder (or its name): value}``; values are checked against
                the placeholder's dtype and static shape.

        Returns:
            ``fetches``' structure with NumPy values (``None`` for an operation).

        Raises:
            FailedPreconditionError: a variable the run reads is not initialised.
            InvalidArgumentError: a needed placeholder is not fed, or a fed value does
                not fit. A failed run changes no variable.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session: it was closed (its "
                               "`with` block ended, or close() was called). Run inside the "
                               "block, or open a new tf.Session().")
        single = not isinstance(fetches, (list, tuple, dict))
        leaves = [self._resolve(fetches)] if single else [
            self._resolve(f) for f in flatten(fetches)]
        feed_dict = feed_dict or {}
        fed = [self._feed_key(k) for k in feed_dict]
        key = (tuple(map(id, leaves)), tuple(map(id, fed)))
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _MAX_PLANS:
                del self._plans[next(iter(self._plans))]
            plan = self._plans[key] = RunPlan(self, leaves, fed)
        if not plan.ready:
            plan.check_initialized(self)
        feeds = {id(t): convert_feed(t, v) for t, v in zip(fed, feed_dict.values(),
                                                            strict=True)}
        saved, graph_mode[0] = graph_mode[0], False  # a run computes; it records nothing
        try:
            results = plan.run(self, feeds)
        finally:
            graph_mode[0] = saved
        if single:
            return results[0]
        found = iter(results)
        return map_structure(lambda _: next(found), fetches)

    def _resolve(self, leaf):
        if isinstance(leaf, str):
            if ":" in leaf:
                return self.graph.get_tensor_by_name(leaf)
            node = self.graph._nodes.get(leaf)
            if node is None:
                raise KeyError(f"Session.run: the graph has no operation named {leaf!r}.")
            return node if isinstance(node, Operation) else node.outputs[0]
        if isinstance(leaf, (Tensor, Operation)):  # a constant (e.g. tf.rank) fetches as is
            return leaf
        raise TypeError(
            f"Session.run: cannot fetch {type(leaf).__name__} ({leaf!r:.60}). Fetch graph "
            f"tensors, operations or Variables (or their names), alone or in lists, tuples "
            f"and dicts.")

    def _feed_key(self, key):
        if isinstance(key, str):
            key = self.graph.get_tensor_by_name(key)
        if not isinstance(key, SymbolicTensor) or key.node.kind == "action":
            kind = "a Variable" if isinstance(key, Variable) else type(key).__name__
            raise TypeError(
                f"feed_dict: cannot feed {kind} ({key!r:.60}); its keys must be placeholders "
                f"(or other graph tensors) or their names like 'X:0'. To set a variable use "
                f"sess.run(tf.assign(var, value)) or saver.restore.")
        return key


class InteractiveSession(Session):
    """A session that makes itself the default at once (for shells and notebooks).

    Example:
        >>> sess = tf.InteractiveSession()
        >>> init.run()
        >>> sess.close()
    """

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _default_sessions.append(self)


def _remove(session):
    for i in range(len(_default_sessions) - 1, -1, -1):
        if _default_sessions[i] is session:
            del _default_sessions[i]
            return


def _tensor_eval(self, feed_dict=None, session=None):
    """``t.eval(feed_dict=None, session=None)``: ``session.run(t, feed_dict)`` in the
    default session.

    Example:
        >>> acc = accuracy.eval(feed_dict={X: X_test, y: y_test})
    """
    return default_session("Tensor.eval", session).run(self, feed_dict=feed_dict)


SymbolicTensor.eval = _tensor_eval
