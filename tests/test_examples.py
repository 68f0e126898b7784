"""The examples run, and old TF1 code gives TF1's numbers three ways.

`examples/tf1_pix2pix_train.py` is unchanged TF1 code (it does not import
compat_layers). It trains the same way, with the same variables, losses and
final values:

* (a) under `compat_layers.install()`;
* (b) as `examples/tf1_pix2pix_train_migrated.py`, the file
  `compat-layers migrate --write` makes of it, without `install()`;
* (c) on TF1's own layers: tf_keras's legacy layers under
  `TF_USE_LEGACY_KERAS=1`, the live oracle.

The committed migrated file is exactly what the tool makes of the original,
and the tool finds nothing left to migrate in it, so the two cannot drift.
`examples/tf1_deconv_generator.py` runs too. The scripts run in three
processes at once, started in `setUpClass`: the deconv example; (b) then,
after `install()`, (a); and (c).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import tensorflow as tf
from absl.testing import absltest

from compat_layers import cli

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "examples"
ORIGINAL = EXAMPLES / "tf1_pix2pix_train.py"
MIGRATED = EXAMPLES / "tf1_pix2pix_train_migrated.py"
DECONV_EXAMPLE = EXAMPLES / "tf1_deconv_generator.py"
STEPS = 20
TIMEOUT_S = 300

# `python -c RUNNER '[[name, script, [args...], install], ...]'`: runs scripts one
# after the other in one process, each as `__main__` with its own argv,
# calling `compat_layers.install()` before the first one marked `install` (a
# source checkout has no compat_layers.pth, so COMPAT_LAYERS_INSTALL=1 alone
# would not do it). Each script's output starts with a MARKER line.
MARKER = "##### test_examples.py runs: "
RUNNER = textwrap.dedent(
    f"""
    import json, runpy, sys
    for name, script, args, install in json.loads(sys.argv[1]):
        if install:
            import compat_layers
            if not compat_layers.install():
                sys.exit("compat_layers.install() installed nothing")
        print({MARKER!r} + name, flush=True)
        print({MARKER!r} + name, file=sys.stderr, flush=True)
        sys.argv = [script, *args]
        runpy.run_path(script, run_name="__main__")
        sys.stdout.flush()
    """
)

HAS_TF_KERAS = importlib.util.find_spec("tf_keras") is not None


def environment(**extra: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if name not in ("COMPAT_LAYERS_INSTALL", "TF_USE_LEGACY_KERAS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    env.update(extra)
    return env


class _Run:
    """One script's run: its report, checkpoint and output (once its process is done)."""

    def __init__(self, name: str, workdir: Path):
        self.name = name
        self.report = workdir / name / "report.json"
        self.checkpoint_dir = workdir / name / "checkpoint"
        self.process: _Process | None = None

    def pix2pix_args(self) -> list[str]:
        return ["--steps", str(STEPS), "--report", str(self.report),
                "--checkpoint-dir", str(self.checkpoint_dir)]

    @property
    def stdout(self) -> str:
        return self.process.section(self.name)

    def result(self, test: absltest.TestCase) -> dict:
        """The JSON report, failing `test` with the process's output if the script failed."""
        test.assertEqual(self.process.returncode, 0,
                         f"{self.name} failed:\n{self.process.stdout[-2000:]}\n"
                         f"{self.process.stderr[-4000:]}")
        return json.loads(self.report.read_text())

    def checkpoint(self) -> dict[str, np.ndarray]:
        reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(str(self.checkpoint_dir)))
        return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}


class _Process:
    """Scripts `(run, script, args, install)` run in order by RUNNER in a new process."""

    def __init__(self, scripts: list[tuple[_Run, Path, list[str], bool]], env: dict[str, str],
                 workdir: Path):
        plan = [(run.name, str(script), args, install) for run, script, args, install in scripts]
        for run, *_ in scripts:
            run.process = self
            run.report.parent.mkdir(parents=True)
        name = "+".join(run.name for run, *_ in scripts)
        self._stdout = open(workdir / f"{name}.stdout", "w+")  # noqa: SIM115  (closed in finish())
        self._stderr = open(workdir / f"{name}.stderr", "w+")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, json.dumps(plan)], env=env, cwd=REPO_ROOT,
            stdout=self._stdout, stderr=self._stderr)
        self.returncode: int | None = None
        self.stdout = self.stderr = ""

    def finish(self) -> None:
        try:
            self.returncode = self._process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self.returncode = self._process.wait()
        for stream in (self._stdout, self._stderr):
            stream.seek(0)
        self.stdout, self.stderr = self._stdout.read(), self._stderr.read()
        self._stdout.close()
        self._stderr.close()

    def section(self, name: str) -> str:
        """What the script `name` printed."""
        _, found, rest = self.stdout.partition(f"{MARKER}{name}\n")
        return rest.split(MARKER)[0] if found else ""


class ExamplesTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workdir = Path(tempfile.mkdtemp(prefix="compat_layers_examples_"))
        cls.runs = {name: _Run(name, cls.workdir)
                    for name in ("deconv", "migrated", "install", "tf1")}
        runs = cls.runs
        # Three processes at once. The migrated file runs first, before
        # install(), then the original in the same process after install():
        # two graphs in one process, as TF1 programs often had.
        processes = [
            _Process([(runs["deconv"], DECONV_EXAMPLE, [], False)], environment(), cls.workdir),
            _Process([(runs["migrated"], MIGRATED, runs["migrated"].pix2pix_args(), False),
                      (runs["install"], ORIGINAL, runs["install"].pix2pix_args(), True)],
                     environment(), cls.workdir),
        ]
        if HAS_TF_KERAS:
            processes.append(_Process([(runs["tf1"], ORIGINAL, runs["tf1"].pix2pix_args(), False)],
                                      environment(TF_USE_LEGACY_KERAS="1"), cls.workdir))
        for process in processes:
            process.finish()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir, ignore_errors=True)
        super().tearDownClass()

    def reports(self, *names: str) -> list[dict]:
        if "tf1" in names and not HAS_TF_KERAS:
            self.skipTest("tf_keras is not installed (the TF1 oracle)")
        return [self.runs[name].result(self) for name in names]

    # ------------------------------------------------------ the examples run
    def test_deconv_generator_example(self):
        process = self.runs["deconv"].process
        self.assertEqual(process.returncode, 0, process.stderr[-4000:])
        self.assertIn("OK: the loss decreased in both runs.", self.runs["deconv"].stdout)

    def test_pix2pix_prints_its_variables_and_losses(self):
        for name in ("install", "migrated"):
            self.reports(name)
            stdout = self.runs[name].stdout
            self.assertIn("generator/encoder_1/kernel:0", stdout)
            self.assertIn("discriminator/logit/kernel:0", stdout)
            self.assertIn(f"step {STEPS:3d}  discrim_loss", stdout)

    def test_each_run_uses_the_layers_it_should(self):
        install, migrated = self.reports("install", "migrated")
        self.assertStartsWith(install["layers"], "compat_layers.")
        self.assertStartsWith(migrated["layers"], "compat_layers.")
        (tf1,) = self.reports("tf1")
        self.assertStartsWith(tf1["layers"], "tf_keras.")

    # ------------------------------------------- same as TF1, three ways
    def test_migrated_matches_install_bit_for_bit(self):
        install, migrated = self.reports("install", "migrated")
        for key in ("trainable_variables", "update_ops", "losses", "eval_l1"):
            self.assertEqual(migrated[key], install[key], key)
        self.assert_same_variables(migrated, install, exact=True)
        self.assert_same_checkpoints("migrated", "install")

    def test_install_matches_tf1(self):
        install, tf1 = self.reports("install", "tf1")
        self.assertEqual(install["trainable_variables"], tf1["trainable_variables"])
        self.assertEqual(install["update_ops"], tf1["update_ops"])
        np.testing.assert_allclose(install["losses"], tf1["losses"], rtol=1e-5)
        np.testing.assert_allclose(install["eval_l1"], tf1["eval_l1"], rtol=1e-5)
        self.assert_same_variables(install, tf1, exact=False)
        self.assert_same_checkpoints("install", "tf1")

    def test_tf1_names_and_collections(self):
        (install,) = self.reports("install")
        names = [variable["name"] for variable in install["variables"]]
        for name in ("generator/encoder_1/kernel:0", "generator/decoder_3/kernel:0",
                     "generator/decoder_3_bn/moving_mean:0", "discriminator/layer_2_bn/gamma:0",
                     "discriminator/logit/bias:0", "global_step:0",
                     "generator/encoder_1/kernel/Adam:0", "beta1_power:0"):
            self.assertIn(name, names)
        self.assertLen(install["trainable_variables"], 28)
        # Two per batch norm call: the generator's 4, the discriminator's 1
        # called twice; the training step runs the generator's.
        self.assertEqual(install["update_ops"], [2 * (4 + 2), 2 * 4])
        first_l1, last_l1 = install["losses"][0][2], install["losses"][-1][2]
        self.assertLess(last_l1, first_l1)

    def assert_same_variables(self, report: dict, expected: dict, exact: bool) -> None:
        self.assertEqual([(v["name"], v["shape"]) for v in report["variables"]],
                         [(v["name"], v["shape"]) for v in expected["variables"]])
        for variable, want in zip(report["variables"], expected["variables"], strict=True):
            if exact:
                self.assertEqual(variable["sha256"], want["sha256"], variable["name"])
            else:
                np.testing.assert_allclose(variable["sum"], want["sum"], rtol=1e-5, atol=1e-6,
                                           err_msg=variable["name"])

    def assert_same_checkpoints(self, name: str, expected_name: str) -> None:
        """The Saver checkpoints hold the same variables with the same values."""
        values, expected = self.runs[name].checkpoint(), self.runs[expected_name].checkpoint()
        self.assertEqual(sorted(values), sorted(expected))
        reported = [v["name"].split(":")[0] for v in self.runs[name].result(self)["variables"]]
        self.assertEqual(sorted(values), sorted(reported))
        for variable, value in values.items():
            np.testing.assert_allclose(value, expected[variable], rtol=1e-5, atol=1e-6,
                                       err_msg=variable)

    # --------------------------------------- the migrated file stays in sync
    def test_original_is_unchanged_tf1_code(self):
        tree = ast.parse(ORIGINAL.read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        self.assertIn("tensorflow.compat.v1", imported)
        self.assertFalse(any(name.split(".")[0] == "compat_layers" for name in imported if name))

    def test_migrated_file_has_nothing_left_to_migrate(self):
        status, stdout, stderr = run_cli("migrate", "--check", str(MIGRATED))
        self.assertEqual(status, cli.EXIT_CLEAN, stdout + stderr)
        self.assertNotIn("would migrate", stdout)
        self.assertIn("0 files would be migrated (1 file read).", stderr)

    def test_migrating_the_original_gives_the_migrated_file(self):
        copy = Path(self.create_tempdir().full_path) / MIGRATED.name
        shutil.copyfile(ORIGINAL, copy)
        status, stdout, stderr = run_cli("migrate", "--write", str(copy))
        self.assertEqual(status, cli.EXIT_CLEAN, stdout + stderr)
        self.assertEqual(copy.read_bytes(), MIGRATED.read_bytes(),
                         f"regenerate it: cp {ORIGINAL.relative_to(REPO_ROOT)} "
                         f"{MIGRATED.relative_to(REPO_ROOT)} && compat-layers migrate "
                         f"--write {MIGRATED.relative_to(REPO_ROOT)}")


def run_cli(*args: str) -> tuple[int, str, str]:
    """`compat-layers ARGS` in this process: (exit status, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = cli.main([*args, "--no-progress"])
    return status, stdout.getvalue(), stderr.getvalue()


if __name__ == "__main__":
    absltest.main()
