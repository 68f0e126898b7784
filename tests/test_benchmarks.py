"""The benchmark harness cannot rot: `python -m benchmarks --quick` and the
eager-call breakdown run in CI.

Only that they complete, print their tables and write a complete JSON report
is checked, that the breakdown's re-creation of the TF1-style eager call (its
"before" in the before/after) still matches the shipped call bit for bit,
that compat_layers' tf.function runs raw tf.nn's ops after grappler, that the
RNN rows' contenders compute the same cell and that compat_layers' cells run
no more ops per step than a hand-written step; timings are never asserted (CI
machines are shared and noisy).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from absl.testing import absltest

from benchmarks import config

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    """`python -m <args>` from the repository root, under Keras 3."""
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


class QuickBenchmarkTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.json_path = Path(cls.tmp.name) / "bench.json"
        cls.png_path = Path(cls.tmp.name) / "bench.png"
        cls.result = _run(
            "benchmarks", "--quick", "--json", str(cls.json_path), "--png", str(cls.png_path)
        )

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        super().tearDownClass()

    def test_completes(self):
        self.assertEqual(
            self.result.returncode, 0, f"stderr ends:\n{self.result.stderr[-4000:]}"
        )

    def test_prints_the_table(self):
        header = "| metric | unit | " + " | ".join(config.CONTENDERS) + " |"
        self.assertIn(header, self.result.stdout)
        for label, *_ in config.METRICS.values():
            self.assertIn(f"| {label} |", self.result.stdout)
        self.assertIn("| target | ratio of medians |", self.result.stdout)

    def test_writes_json_with_every_contender_and_metric(self):
        report = json.loads(self.json_path.read_text())
        self.assertEqual(report["mode"], "quick")
        self.assertEqual(report["contenders"], list(config.CONTENDERS))
        self.assertEqual(set(report["metrics"]), set(config.METRICS))
        for metric, entry in report["metrics"].items():
            for contender in config.CONTENDERS:
                result = entry["results"][contender]
                where = f"{metric} / {contender}: {result.get('na')}"
                if result["median"] is None:
                    # Only what a contender cannot do is N/A; nothing may fail.
                    self.assertTrue(result["na"].startswith("N/A"), where)
                else:
                    self.assertTrue(math.isfinite(result["median"]), where)
                    self.assertGreaterEqual(result["median"], 0.0, where)
        self.assertIsNotNone(report["metrics"]["import_time"]["results"]["compat_layers"]["median"])
        self.assertTrue(report["targets"])
        self.assertIn("tensorflow", report["versions"])

    def test_png_or_a_clear_message(self):
        if importlib.util.find_spec("matplotlib") is None:
            self.assertIn("PNG skipped", self.result.stderr)
            self.assertFalse(self.png_path.exists())
        else:
            self.assertEqual(self.png_path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")


class BreakdownTest(absltest.TestCase):
    def test_runs_and_the_tf1_style_call_matches_the_shipped_one(self):
        result = _run("benchmarks.breakdown", "--inner", "1", "--rounds", "1")
        self.assertEqual(result.returncode, 0, f"stderr ends:\n{result.stderr[-4000:]}")
        self.assertIn("outputs and gradients bit-identical: True", result.stdout)
        # Inside tf.function, after grappler, compat_layers runs raw tf.nn's ops.
        ops = dict(re.findall(r"^  (\S.*?fwd(?:\+bwd)?) +\d+ ops: (.*)$", result.stdout, re.M))
        for direction in ("fwd", "fwd+bwd"):
            self.assertEqual(ops[f"compat_layers {direction}"], ops[f"raw ops {direction}"])
        for row in ("compat_layers: layer(x)", "compat_layers, TF1-style call (before): layer(x)"):
            self.assertIn(f"| {row} |", result.stdout)



class RnnContendersAgreeTest(absltest.TestCase):
    """The RNN rows compare like with like: every contender's cell (Keras 3's
    with converted weights, the hand-written step) computes what tf_keras's
    legacy cell computes, from the same weights and input; and in graphs
    compat_layers' cells run no more ops per step than the hand-written
    step (timings on a shared machine cannot settle a 2 % target)."""

    # float32 over 50 steps: each step rounds differently (one matmul on
    # concat([x, h]) or two, oneDNN's blocking), a few ulps of values in
    # (-1, 1); tanh and the gates do not amplify them. 1e-5 is ~80 ulps.
    ATOL = 1e-5

    @staticmethod
    def _outputs(contenders: tuple[str, ...], legacy: bool, what: str = "rnn_last_outputs") -> dict:
        """`workloads.<what>(contender)` for each contender, in one process."""
        code = (
            "import json, sys\n"
            "from benchmarks import workloads\n"
            f"print(json.dumps({{c: workloads.{what}(workloads.make_contender(c))"
            " for c in sys.argv[1:]}))"
        )
        env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        if legacy:
            env["TF_USE_LEGACY_KERAS"] = "1"
        result = subprocess.run(
            [sys.executable, "-c", code, *contenders], cwd=REPO_ROOT, env=env,
            capture_output=True, text=True, timeout=600,
        )
        if result.returncode:
            raise AssertionError(f"stderr ends:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def test_every_contender_computes_the_tf1_cell(self):
        import numpy as np

        expected = self._outputs(("tf_keras",), legacy=True)["tf_keras"]
        others = self._outputs(("compat_layers", "keras3", "raw_ops"), legacy=False)
        self.assertEqual(set(expected), set(config.RNN_CELLS))
        for contender, outputs in others.items():
            for cell in config.RNN_CELLS:
                with self.subTest(contender=contender, cell=cell):
                    np.testing.assert_allclose(
                        outputs[cell], expected[cell], rtol=0, atol=self.ATOL
                    )

    def test_graphs_run_no_more_ops_per_step_than_the_hand_written_step(self):
        ops = self._outputs(("compat_layers", "raw_ops"), legacy=False, what="rnn_loop_ops")
        self.assertLen(ops["raw_ops"], 2 * len(config.RNN_CELLS))
        for loop, raw in ops["raw_ops"].items():
            with self.subTest(loop=loop):
                compat = ops["compat_layers"][loop]
                self.assertIn("MatMul", compat)
                # The session graph's cells read their weights once per run
                # (dynamic_rnn's caching device), the hand-written one per step.
                extra = {op: n - raw.get(op, 0) for op, n in compat.items() if n > raw.get(op, 0)}
                self.assertEqual(extra, {}, f"compat_layers {compat}, raw {raw}")


class CliBenchmarkTest(absltest.TestCase):
    def test_quick_run_prints_startup_and_scan_times(self):
        with tempfile.TemporaryDirectory() as directory:
            report_path = Path(directory) / "cli.json"
            result = _run("benchmarks.cli", "--quick", "--files", "120", "--json", str(report_path))
            self.assertEqual(result.returncode, 0, f"stderr ends:\n{result.stderr[-4000:]}")
            for row in ("start: import libcst", "start: compat-layers --version",
                        "scan: jobs=1", "scan: jobs=auto", "libcst.parse_module", "scan", "migrate"):
                self.assertIn(f"| {row} |", result.stdout)
            report = json.loads(report_path.read_text())
            self.assertEqual(report["tree"]["files"], 120)
            self.assertEqual(set(report["against_libcst_s"]), {"libcst.parse_module", "scan", "migrate"})


if __name__ == "__main__":
    absltest.main()
