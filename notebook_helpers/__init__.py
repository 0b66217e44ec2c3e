"""What the notebooks use but do not teach: loading MNIST offline, and plotting helpers."""
from .mnist import MnistUnavailableError, load_mnist

__all__ = ["MnistUnavailableError", "load_mnist"]
