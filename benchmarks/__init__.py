"""Benchmarks of the series' reference code (run them from the repository root: python -m benchmarks.<name>)."""
