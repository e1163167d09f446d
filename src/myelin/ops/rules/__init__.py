"""The higher-order (VJP) and forward-mode (JVP) rules of every built-in op.

Imported lazily by ``myelin.autodiff.higher_order.load_rules`` the first time a
gradient must be differentiable, so the first-order path never loads them.
"""

from . import composite, elementwise, structural  # noqa: F401  (registration)
