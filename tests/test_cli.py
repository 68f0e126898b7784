"""The `compat-layers` command line: scan and migrate over files, directories
and notebooks; exit statuses; bad input (one line each, the rest still
processed, nothing left changed); atomic, mode-keeping writes."""

from __future__ import annotations

import configparser
import contextlib
import importlib
import io
import json
import os
import stat
import textwrap
from pathlib import Path
from unittest import mock

from absl.testing import absltest, parameterized

from compat_layers import cli
from compat_layers._version import __version__

REPO_ROOT = Path(__file__).resolve().parents[1]

MODEL = textwrap.dedent(
    """\
    import tensorflow.compat.v1 as tf  # TF1
    from tensorflow.compat.v1 import layers as L


    def net(x):
        h = tf.layers.conv2d(x, 8, 3)  # features
        return L.dense(tf.layers.flatten(h), 10)
    """
)
CLEAN = "import tensorflow as tf\n\nx = tf.keras.layers.Dense(3)\n"
NOTEBOOK = json.dumps(
    {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": ["import tensorflow.compat.v1 as tf"]},
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": ["%matplotlib inline\n", "y = tf.layers.dense(x, 3)"]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    indent=1,
) + "\n"


class CliTestCase(parameterized.TestCase):
    def setUp(self):
        super().setUp()
        self.root = Path(self.create_tempdir().full_path)

    def write(self, name: str, content: str | bytes, mode: int | None = None) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        if mode is not None:
            path.chmod(mode)
        return path

    def run_cli(self, *args: str) -> tuple[int, str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        # Paths are given relative to the tree, as a user in it would.
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                status = cli.main(list(args))
        finally:
            os.chdir(cwd)
        return status, stdout.getvalue(), stderr.getvalue()

    def snapshot(self) -> dict[str, bytes]:
        return {str(path): path.read_bytes() for path in sorted(self.root.rglob("*"))
                if path.is_file() and not path.is_symlink()}


class ScanTest(CliTestCase):
    def test_lists_every_use_then_a_summary(self):
        self.write("src/model.py", MODEL)
        status, out, err = self.run_cli("scan", "src")
        self.assertEqual(status, cli.EXIT_FOUND)
        self.assertEqual(err, "")
        lines = out.splitlines()
        self.assertEqual(lines[:4], [
            "src/model.py:2:34 tf.compat.v1.layers",
            "src/model.py:6:9 tf.compat.v1.layers.conv2d",
            "src/model.py:7:12 tf.compat.v1.layers.dense",
            "src/model.py:7:20 tf.compat.v1.layers.flatten",
        ])
        self.assertRegex(out, r"\nname +uses +files\n")
        self.assertRegex(out, r"tf\.compat\.v1\.layers\.conv2d +1 +1\n")
        self.assertTrue(out.endswith("4 uses in 1 file (1 file scanned).\n"), out)

    def test_clean_tree_exits_0(self):
        self.write("src/clean.py", CLEAN)
        status, out, _ = self.run_cli("scan", "src")
        self.assertEqual(status, cli.EXIT_CLEAN)
        self.assertEqual(out, "No TF1 uses found (1 file scanned).\n")

    def test_json(self):
        self.write("model.py", MODEL)
        self.write("bad.py", "def f(:\n")
        status, out, _ = self.run_cli("scan", "--format", "json", ".")
        self.assertEqual(status, cli.EXIT_ERROR)
        report = json.loads(out)
        self.assertEqual(report["uses"][1], {"path": "model.py", "line": 6, "column": 9,
                                             "name": "tf.compat.v1.layers.conv2d", "cell": None})
        self.assertEqual(report["summary"]["tf.compat.v1.layers.flatten"], 1)
        self.assertEqual(report["files_scanned"], 2)
        self.assertEqual(report["errors"][0]["path"], "bad.py")

    def test_notebook_uses_name_their_cell(self):
        self.write("nb.ipynb", NOTEBOOK)
        status, out, _ = self.run_cli("scan", "nb.ipynb")
        self.assertEqual(status, cli.EXIT_FOUND)
        self.assertEqual(out.splitlines()[0], "nb.ipynb#cell2:2:5 tf.compat.v1.layers.dense")

    def test_walk_skips_hidden_directories_environments_and_links(self):
        self.write("pkg/model.py", MODEL)
        self.write("pkg/notes.txt", MODEL)
        self.write(".git/hook.py", MODEL)
        self.write("pkg/__pycache__/model.py", MODEL)
        self.write("venv/pyvenv.cfg", "")
        self.write("venv/lib/site.py", MODEL)
        (self.root / "pkg" / "link.py").symlink_to(self.root / "pkg" / "model.py")
        (self.root / "linked_dir").symlink_to(self.root / "pkg")
        status, out, err = self.run_cli("scan", ".")
        self.assertEqual(status, cli.EXIT_FOUND)
        self.assertEqual({line.split(":")[0] for line in out.splitlines() if ".py:" in line},
                         {"pkg/model.py"})
        self.assertIn("linked_dir: skipped: symbolic link\n", err)
        self.assertIn("pkg/link.py: skipped: symbolic link\n", err)
        self.assertIn("venv: skipped: virtual environment\n", err)

    def test_a_file_named_twice_is_scanned_once(self):
        self.write("model.py", MODEL)
        _, out, _ = self.run_cli("scan", "model.py", ".", "./model.py")
        self.assertIn("(1 file scanned)", out)


class BadInputTest(CliTestCase):
    """Each bad path: one line on stderr, the others still processed, exit 2."""

    def setUp(self):
        super().setUp()
        self.good = self.write("good.py", MODEL)
        self.write("broken.ipynb", '{"cells": [')
        self.write("syntax.py", "def f(:\n    pass\n")
        self.write("python2.py", 'print "hello"\n')
        self.write("latin1.py", b"x = '\xe9'\n")
        (self.root / "dangling.py").symlink_to(self.root / "gone.py")
        self.paths = ["missing.py", "dangling.py", "broken.ipynb", "syntax.py",
                      "python2.py", "latin1.py", "good.py"]

    def assert_one_line_each(self, err: str) -> None:
        errors = [line for line in err.splitlines() if ": error: " in line]
        self.assertEqual([line.split(":")[0] for line in errors], self.paths[:-1])
        self.assertIn("missing.py: error: no such file or directory", err)
        self.assertIn("dangling.py: error: broken symbolic link", err)
        self.assertIn("broken.ipynb: error: is not a valid notebook", err)
        self.assertIn("syntax.py: error: does not parse", err)
        self.assertIn("latin1.py: error: cannot be decoded", err)

    def test_scan(self):
        status, out, err = self.run_cli("scan", *self.paths)
        self.assertEqual(status, cli.EXIT_ERROR)
        self.assertIn("good.py:6:9 tf.compat.v1.layers.conv2d", out)
        self.assert_one_line_each(err)

    def test_migrate_write_changes_only_the_good_file(self):
        before = self.snapshot()
        status, out, err = self.run_cli("migrate", "--write", *self.paths)
        self.assertEqual(status, cli.EXIT_ERROR)
        self.assert_one_line_each(err)
        self.assertEqual(out, "migrated good.py\n")
        after = self.snapshot()
        self.assertNotEqual(after.pop(str(self.good)), before.pop(str(self.good)))
        self.assertEqual(after, before)


class MigrateTest(CliTestCase):
    def test_default_prints_a_diff_and_writes_nothing(self):
        self.write("model.py", MODEL)
        before = self.snapshot()
        status, out, err = self.run_cli("migrate", "model.py")
        self.assertEqual(status, cli.EXIT_CLEAN)
        self.assertTrue(out.startswith("--- a/model.py\n+++ b/model.py\n"), out)
        self.assertIn("\n-    h = tf.layers.conv2d(x, 8, 3)  # features\n", out)
        self.assertIn("\n+    h = compat_layers.conv2d(x, 8, 3)  # features\n", out)
        self.assertIn("1 file would be migrated (1 file read).", err)
        self.assertEqual(self.snapshot(), before)

    def test_check_fails_while_changes_are_pending(self):
        self.write("model.py", MODEL)
        self.write("clean.py", CLEAN)
        status, out, _ = self.run_cli("migrate", "--check", ".")
        self.assertEqual((status, out), (cli.EXIT_FOUND, "would migrate model.py\n"))
        self.assertEqual(self.run_cli("migrate", "--write", ".")[0], cli.EXIT_CLEAN)
        self.assertEqual(self.run_cli("migrate", "--check", ".")[:2], (cli.EXIT_CLEAN, ""))
        self.assertEqual(self.run_cli("scan", ".")[0], cli.EXIT_CLEAN)

    def test_write_keeps_the_mode_and_leaves_no_temporary_file(self):
        path = self.write("model.py", MODEL, mode=0o751)
        status, out, _ = self.run_cli("migrate", "--write", "model.py")
        self.assertEqual((status, out), (cli.EXIT_CLEAN, "migrated model.py\n"))
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o751)
        self.assertIn("    h = compat_layers.conv2d(x, 8, 3)  # features\n", path.read_text())
        self.assertEqual(sorted(p.name for p in self.root.iterdir()), ["model.py"])
        # A second run has nothing left to do.
        self.assertEqual(self.run_cli("migrate", "--write", "model.py")[1], "")

    def test_write_refuses_read_only_files_and_links(self):
        read_only = self.write("read_only.py", MODEL, mode=0o444)
        target = self.write("target.py", MODEL)
        (self.root / "link.py").symlink_to(target)
        before = self.snapshot()
        status, _, err = self.run_cli("migrate", "--write", "read_only.py", "link.py")
        self.assertEqual(status, cli.EXIT_ERROR)
        self.assertIn("read_only.py: error: not changed: read-only\n", err)
        self.assertIn(f"link.py: error: not changed: a symbolic link; migrate {target}", err)
        self.assertEqual(self.snapshot(), before)
        self.assertTrue((self.root / "link.py").is_symlink())
        self.assertEqual(stat.S_IMODE(read_only.stat().st_mode), 0o444)

    def test_a_failed_write_leaves_the_original(self):
        path = self.write("model.py", MODEL)
        with mock.patch.object(os, "replace", side_effect=OSError(28, "No space left on device")):
            status, _, err = self.run_cli("migrate", "--write", "model.py")
        self.assertEqual(status, cli.EXIT_ERROR)
        self.assertIn("model.py: error: not changed: [Errno 28] No space left on device", err)
        self.assertEqual(path.read_text(), MODEL)
        self.assertEqual(sorted(p.name for p in self.root.iterdir()), ["model.py"])

    def test_notebook(self):
        path = self.write("nb.ipynb", NOTEBOOK)
        _, out, _ = self.run_cli("migrate", "nb.ipynb")
        self.assertIn("+++ b/nb.ipynb#cell2\n", out)
        self.assertEqual(self.run_cli("migrate", "--write", "nb.ipynb")[0], cli.EXIT_CLEAN)
        cells = json.loads(path.read_text())["cells"]
        self.assertEqual(cells[0]["source"], ["import tensorflow.compat.v1 as tf\n",
                                              "import compat_layers"])
        self.assertEqual(cells[1]["source"], ["%matplotlib inline\n",
                                              "y = compat_layers.dense(x, 3)"])

    def test_assignments_left_unchanged_are_reported(self):
        self.write("patch.py", "import tensorflow.compat.v1 as tf\ntf.layers = None\n")
        status, _, err = self.run_cli("migrate", "--write", "patch.py")
        self.assertEqual(status, cli.EXIT_CLEAN)
        self.assertIn("patch.py:2:1: left unchanged: tf.compat.v1.layers is assigned or deleted", err)


class CommandLineTest(CliTestCase):
    def test_version(self):
        with self.assertRaises(SystemExit) as exit_, \
                contextlib.redirect_stdout(io.StringIO()) as out:
            cli.main(["--version"])
        self.assertEqual(exit_.exception.code, 0)
        self.assertEqual(out.getvalue(), f"compat-layers {__version__}\n")

    @parameterized.parameters(["--help"], ["scan", "--help"], ["migrate", "--help"])
    def test_help_has_examples(self, *args):
        with self.assertRaises(SystemExit) as exit_, \
                contextlib.redirect_stdout(io.StringIO()) as out:
            cli.main(list(args))
        self.assertEqual(exit_.exception.code, 0)
        self.assertIn("compat-layers migrate --write src/", out.getvalue())
        self.assertIn("exit status:", out.getvalue())

    @parameterized.parameters([], ["scan"], ["migrate", "--write", "--check", "x.py"],
                              ["scan", "--format", "xml", "x.py"])
    def test_usage_errors(self, *args):
        with self.assertRaises(SystemExit) as exit_, contextlib.redirect_stderr(io.StringIO()):
            cli.main(list(args))
        self.assertEqual(exit_.exception.code, cli.EXIT_ERROR)

    def test_entry_points(self):
        config = configparser.ConfigParser()
        config.read(REPO_ROOT / "setup.cfg")
        entry_points = config["options.entry_points"]
        for group, expected in (("console_scripts", "compat-layers"),
                                ("pytest11", "compat_layers_pytest")):
            name, _, target = entry_points[group].strip().partition(" = ")
            self.assertEqual(name, expected)
            module, _, attribute = target.partition(":")
            loaded = importlib.import_module(module)
            self.assertTrue(callable(getattr(loaded, attribute)) if attribute else loaded)


if __name__ == "__main__":
    absltest.main()
