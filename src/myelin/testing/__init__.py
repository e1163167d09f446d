"""Helpers for testing code built on myelin: ``gradcheck`` compares analytic
gradients with finite differences."""

from .gradcheck import gradcheck

__all__ = ["gradcheck"]
