"""Whole TF1 programs give TF1's variables, collections and numbers under install().

`tests/tf1_programs/*.py` are small, complete TF1 programs written in the
idioms of different kinds of TF1 code bases (a DCGAN, DDPG, a transformer
block, a MonitoredTrainingSession classifier exported and frozen, weight
normalisation, EMA, tf_slim, a U-Net, a text CNN, sonnet-style layer objects,
an official-models ResNet, a VAE with a custom `tf.layers.Layer`, and
recurrent ones with `tf.nn.rnn_cell`: a character language model, a
bidirectional GRU tagger, a recurrent policy-gradient agent, a `raw_rnn`
decoder). None of them imports compat_layers. Each starts
`import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()`, builds a graph
with `tf.layers`, reads the layer objects as TF1 code did (`sess.run(layer.kernel)`,
`.initializer`, `tf.assign`, `var_list=layer.trainable_weights`,
`tf.train.Saver(var_list=layer.variables)`, ...), trains a few steps from
deterministic initial values and ends with one JSON line
(`tests/tf1_programs/tf1_report.py`): the variables (names, shapes, dtypes,
in `tf.global_variables()` order), the collections, the per-step numbers, the
final values of all variables and what it read off its layers.

Every program runs unchanged twice, each time in its own process:

* the live oracle: `TF_USE_LEGACY_KERAS=1`, where `tf.compat.v1.layers` is
  tf_keras's real TF1 layers;
* under compat_layers: `compat_layers.install()`, then the program as
  `__main__` (TF_USE_LEGACY_KERAS unset, so Keras 3).

The two reports must agree: names, shapes, dtypes and order exactly, the
collections exactly, the numbers to float32 rounding (rtol 1e-5, atol 1e-6:
same machine, same TensorFlow, same ops). Each program repeats its own
numbers bit for bit from run to run on the oracle; where TF1 itself would not
(two moving-average updates of one ref variable in one `session.run`, Adam
amplifying the last-bit noise of a near-zero gradient), the program says how
it avoids that. All processes are started in `setUpClass`, two at a time.
"""

from __future__ import annotations

import ast
import concurrent.futures
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from absl.testing import absltest, parameterized

REPO_ROOT = Path(__file__).resolve().parents[1]
PROGRAMS_DIR = Path(__file__).resolve().parent / "tf1_programs"
REPORT_HELPER = "tf1_report"
PROGRAMS = sorted(path.stem for path in PROGRAMS_DIR.glob("*.py")
                  if path.stem not in (REPORT_HELPER, "__init__"))
MARKER = "##### tf1 program report: "  # tf1_report.MARKER
TIMEOUT_S = 240
WORKERS = 2
RTOL, ATOL = 1e-5, 1e-6

# `python -c RUNNER SCRIPT INSTALL`: runs SCRIPT as `python SCRIPT` would (its
# folder first on sys.path, so it finds tf1_report), after
# `compat_layers.install()` when INSTALL is "1" (a source checkout has no
# compat_layers.pth, so COMPAT_LAYERS_INSTALL=1 alone would not do it).
# For the oracle it first repairs tf_slim's batch norm, as
# tests/oracle_scripts/tf_slim_tf1.py does: TensorFlow 2.21's
# `tensorflow.python.layers.normalization` loads `tf_keras.legacy_tf_layers`,
# which tf_keras moved, so `slim.batch_norm` fails even under
# TF_USE_LEGACY_KERAS=1; `tf.layers.BatchNormalization` is the same TF1 layer.
RUNNER = textwrap.dedent(
    """
    import os, runpy, sys
    script, install = sys.argv[1], sys.argv[2] == "1"
    if install:
        import compat_layers
        if not compat_layers.install():
            sys.exit("compat_layers.install() installed nothing")
    else:
        import tensorflow.compat.v1 as tf
        from tensorflow.python.layers import normalization
        normalization.BatchNormalization = tf.layers.BatchNormalization
        normalization.batch_normalization = tf.layers.batch_normalization
    sys.path.insert(0, os.path.dirname(script))
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
    """
)

# The example scripts' process environment (no install, no legacy Keras).
from tests.test_examples import HAS_TF_KERAS, environment  # noqa: E402


class _Result:
    """One program's run in one process: exit status, output and its report."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        lines = [line for line in stdout.splitlines() if line.startswith(MARKER)]
        self.report = json.loads(lines[-1][len(MARKER):]) if lines else None

    def failure(self) -> str:
        return (f"exit status {self.returncode}\n--- stdout (end)\n{self.stdout[-2000:]}\n"
                f"--- stderr (end)\n{self.stderr[-6000:]}")


def run_program(name: str, install: bool) -> _Result:
    script = PROGRAMS_DIR / f"{name}.py"
    # One thread each: a TF1 `session.run` may otherwise order its ops (and
    # split its sums) differently from run to run on a loaded machine
    # (measured: 1.6e-5 relative on DDPG's soft-updated targets). Both sides
    # run so, and what is compared is the layers, not the scheduler.
    threads = {"TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1"}
    env = environment(**threads) if install else environment(TF_USE_LEGACY_KERAS="1", **threads)
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, str(script), "1" if install else "0"],
            env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        return _Result(-1, _text(error.stdout), _text(error.stderr) + f"\ntimed out ({TIMEOUT_S}s)")
    return _Result(done.returncode, done.stdout, done.stderr)


def _text(output: bytes | str | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


def assert_same(test: absltest.TestCase, got, want, path: str) -> None:
    """`got` is `want`: same structure, strings and bools exactly, numbers to RTOL/ATOL."""
    if isinstance(want, dict):
        test.assertIsInstance(got, dict, path)
        test.assertEqual(sorted(got), sorted(want), f"{path}: keys")
        for key in want:
            assert_same(test, got[key], want[key], f"{path}.{key}")
        return
    if isinstance(want, list):
        test.assertIsInstance(got, list, path)
        want_array = _numeric(want)
        if want_array is not None:
            got_array = _numeric(got)
            test.assertIsNotNone(got_array, f"{path}: not numbers: {str(got)[:200]}")
            test.assertEqual(got_array.shape, want_array.shape, f"{path}: shape")
            if want_array.dtype == bool:
                np.testing.assert_array_equal(got_array, want_array, err_msg=path)
            else:
                np.testing.assert_allclose(got_array, want_array, rtol=RTOL, atol=ATOL,
                                           err_msg=path)
            return
        test.assertLen(got, len(want), path)
        for index, (got_item, want_item) in enumerate(zip(got, want)):
            assert_same(test, got_item, want_item, f"{path}[{index}]")
        return
    if isinstance(want, float) and not isinstance(got, bool) and isinstance(got, (int, float)):
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=path)
        return
    test.assertEqual(got, want, path)


def _numeric(value: list) -> np.ndarray | None:
    """`value` as a bool or float array, or None when it is not a (nested) list of numbers."""
    if not value:
        return None
    try:
        array = np.asarray(value)
    except ValueError:  # ragged
        return None
    if array.dtype == bool:
        return array
    if array.dtype.kind in "iuf":
        return array.astype(np.float64)
    return None


class TF1ProgramsTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.results: dict[tuple[str, bool], concurrent.futures.Future] = {}
        # Not shut down here: each test waits only for the runs it compares,
        # so the first tests run while later programs still train.
        cls.pool = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS)
        for name in PROGRAMS:
            for install in (False, True):
                if install or HAS_TF_KERAS:
                    cls.results[name, install] = cls.pool.submit(run_program, name, install)

    @classmethod
    def tearDownClass(cls):
        cls.pool.shutdown(wait=True, cancel_futures=True)
        super().tearDownClass()

    def report(self, name: str, install: bool) -> dict:
        if not install and not HAS_TF_KERAS:
            self.skipTest("tf_keras is not installed (the TF1 oracle)")
        result = self.results[name, install].result()
        where = "under compat_layers.install()" if install else "on tf_keras's TF1 layers"
        self.assertEqual(result.returncode, 0, f"{name} failed {where}: {result.failure()}")
        self.assertIsNotNone(result.report, f"{name} printed no report {where}")
        return result.report

    def test_there_are_programs(self):
        self.assertGreaterEqual(len(PROGRAMS), 10)

    @parameterized.named_parameters((name, name) for name in PROGRAMS)
    def test_is_unchanged_tf1_code(self, name):
        source = (PROGRAMS_DIR / f"{name}.py").read_text()
        tree = ast.parse(source)
        body = [node for node in tree.body
                if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        self.assertEqual(ast.unparse(body[0]), "import tensorflow.compat.v1 as tf")
        self.assertEqual(ast.unparse(body[1]), "tf.disable_v2_behavior()")
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        self.assertFalse(any(module.split(".")[0] == "compat_layers"
                             for module in imported if module))

    @parameterized.named_parameters((name, name) for name in PROGRAMS)
    def test_runs_on_tf1_layers(self, name):
        report = self.report(name, install=False)
        self.assertStartsWith(report["layers"], "tf_keras.")
        self.assertNotEmpty(report["steps"])

    @parameterized.named_parameters((name, name) for name in PROGRAMS)
    def test_matches_tf1_under_install(self, name):
        tf1 = self.report(name, install=False)
        ours = self.report(name, install=True)
        self.assertStartsWith(ours["layers"], "compat_layers.")
        self.assertEqual(ours["variables"], tf1["variables"], "names, shapes, dtypes, order")
        self.assertEqual(ours["collections"], tf1["collections"])
        self.assertEqual([name for name, _ in ours["final"]], [name for name, _ in tf1["final"]])
        assert_same(self, ours["extra"], tf1["extra"], "extra")
        assert_same(self, ours["steps"], tf1["steps"], "steps")
        for (variable, value), (_, want) in zip(ours["final"], tf1["final"]):
            assert_same(self, value, want, f"final value of {variable}")


if __name__ == "__main__":
    absltest.main()
