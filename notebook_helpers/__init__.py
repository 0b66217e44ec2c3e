"""What the notebooks use but do not teach: loading MNIST offline, and plotting helpers.

`load_mnist` and `MnistUnavailableError` are imported on first use, so that the prefetch command
`python -m notebook_helpers.mnist` runs its module once, without a double-import warning.
"""

__all__ = ["MnistUnavailableError", "load_mnist"]


def __getattr__(name):
    if name in __all__:
        from . import mnist

        return getattr(mnist, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
