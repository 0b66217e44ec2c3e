"""What the notebooks use but do not teach: loading MNIST offline, and plotting helpers."""
