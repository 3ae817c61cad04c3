"""The benchmarkkit test suite."""
