"""The optional scikit-learn dependency, imported lazily with a message naming the extra."""


def require_sklearn():
    """Import scikit-learn or explain how to install it."""
    try:
        import sklearn  # noqa: F401
    except ImportError as error:
        raise ImportError('myelin.sklearn needs scikit-learn: pip install "myelin[sklearn]"') \
            from error
