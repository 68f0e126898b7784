"""Benchmarks of compat_layers against native Keras 3, tf_keras and raw ops.

Run `python -m benchmarks` (`--quick` for CI, `--json PATH`, `--png PATH`);
see benchmarks/RESULTS.md. Standard library only at import time: subprocesses
import TensorFlow themselves, each under its own environment.
"""
