"""Benchmarks of the core work: `make bench` (bench/run.py); results in docs/benchmarks.md."""
