"""The `compat-layers` command line: scan and migrate over files, directories
and notebooks; exit statuses; bad input (one line each, the rest still
processed, nothing left changed); atomic, mode-keeping writes; SARIF and
GitHub output; what compat_layers does not cover; a run with TensorFlow
unimportable; a real-world sized tree; the pre-commit hook."""

from __future__ import annotations

import configparser
import contextlib
import importlib
import importlib.util
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

from absl.testing import absltest, parameterized

from benchmarks.cli import generate_tree
from compat_layers_cli import cli, config, rules

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS_URL = config.DEFAULT_DOCS_URL
# Read, not imported: importing compat_layers imports TensorFlow.
__version__ = re.search(r'__version__ = "(.+)"',
                        (REPO_ROOT / "compat_layers" / "_version.py").read_text()).group(1)

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
        self.assertEqual(report["schema_version"], 1)
        self.assertEqual(report["uses"][1], {"path": "model.py", "line": 6, "column": 9,
                                             "name": "tf.compat.v1.layers.conv2d", "cell": None,
                                             "rule": "tf1-layers",
                                             "docs": f"{DOCS_URL}#tf1-layers"})
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

    def test_exit_zero(self):
        self.write("model.py", MODEL)
        self.assertEqual(self.run_cli("scan", "--exit-zero")[0], cli.EXIT_CLEAN)
        self.write("bad.py", "def f(:\n")
        self.assertEqual(self.run_cli("scan", "--exit-zero")[0], cli.EXIT_ERROR)

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

    @parameterized.parameters([], ["migrate", "--write", "--check", "x.py"],
                              ["migrate", "--diff", "--write", "x.py"],
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

    def test_default_docs_url_is_the_projects(self):
        # setup.cfg holds the project's addresses; the CLI cannot read it at
        # run time (a wheel has no setup.cfg), so the two are compared here.
        config_file = configparser.ConfigParser()
        config_file.read(REPO_ROOT / "setup.cfg")
        url = config_file["metadata"]["url"].rstrip("/")
        project_urls = dict(line.split(" = ", 1) for line in
                            config_file["metadata"]["project_urls"].strip().splitlines())
        self.assertEqual(project_urls["Source"].rstrip("/"), url)
        self.assertEqual(config.DEFAULT_DOCS_URL, f"{url}/blob/main/docs/scan-rules.md")


NOT_COVERED = textwrap.dedent(
    """\
    import tensorflow as tf
    from tensorflow.contrib import slim

    init = tf.contrib.layers.xavier_initializer()
    cell = tf.keras.layers.LSTM(8, time_major=True)
    norm = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255)
    estimator = tf.estimator.Estimator(model_fn=None)
    dense = tf.keras.layers.Dense(3)  # still in Keras 3: not reported
    """
)


class NotCoveredTest(CliTestCase):
    """What TF 2.16+ removed and compat_layers does not provide: reported, marked."""

    def test_text_marks_each_and_sums_them_up(self):
        self.write("model.py", MODEL)
        self.write("legacy.py", NOT_COVERED)
        status, out, _ = self.run_cli("scan", ".")
        self.assertEqual(status, cli.EXIT_FOUND)
        self.assertIn("legacy.py:2:32 tf.contrib.slim (not covered: tf-contrib)\n", out)
        self.assertIn("legacy.py:5:32 tf.keras.layers.LSTM(time_major=) "
                      "(not covered: keras3-dropped-argument)\n", out)
        self.assertIn("legacy.py:6:8 tf.keras.layers.experimental.preprocessing.Rescaling "
                      "(not covered: keras3-dropped-layer)\n", out)
        self.assertIn("legacy.py:7:13 tf.estimator.Estimator (not covered: tf-estimator)\n", out)
        self.assertNotIn("Dense", out)
        self.assertRegex(out, r"\nnot covered by compat_layers +rule +uses +files\n")
        self.assertTrue(out.endswith(
            "4 uses in 1 file, 5 more not covered by compat_layers in 1 file "
            f"(see {DOCS_URL}) (2 files scanned).\n"), out)

    def test_json_keeps_uses_and_adds_not_covered(self):
        self.write("legacy.py", NOT_COVERED)
        status, out, _ = self.run_cli("scan", "--format", "json", ".")
        self.assertEqual(status, cli.EXIT_FOUND)
        report = json.loads(out)
        self.assertEqual(report["uses"], [])
        self.assertEqual(report["not_covered"][0], {
            "path": "legacy.py", "line": 2, "column": 32, "name": "tf.contrib.slim", "cell": None,
            "rule": "tf-contrib", "docs": f"{DOCS_URL}#tf-contrib"})
        self.assertEqual(report["not_covered_summary"]["tf.contrib.slim"], 1)

    def test_covered_only_and_migrate_leave_them_alone(self):
        path = self.write("legacy.py", NOT_COVERED)
        self.assertEqual(self.run_cli("scan", "--covered-only", ".")[0], cli.EXIT_CLEAN)
        self.assertEqual(self.run_cli("migrate", "--write", ".")[:2], (cli.EXIT_CLEAN, ""))
        self.assertEqual(path.read_text(), NOT_COVERED)

    def test_every_rule_has_a_docs_section(self):
        # The page each rule's link points into: the file the default address names.
        _, _, page = config.DEFAULT_DOCS_URL.partition("/blob/main/")
        docs = (REPO_ROOT / page).read_text()
        headings = re.findall(r"^## (\S+)$", docs, flags=re.MULTILINE)
        self.assertEqual(headings, list(rules.RULES))


class SarifAndGithubTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.write("src/model.py", MODEL)
        self.write("src/legacy.py", NOT_COVERED)
        self.write("src/nb.ipynb", NOTEBOOK)
        self.write("src/bad.py", "def f(:\n")

    def test_sarif(self):
        status, out, _ = self.run_cli("scan", "--format", "sarif", "src")
        self.assertEqual(status, cli.EXIT_ERROR)
        log = json.loads(out)
        self.assertEqual(log["version"], "2.1.0")
        self.assertIn("sarif-2.1.0", log["$schema"])
        run, = log["runs"]
        driver = run["tool"]["driver"]
        self.assertEqual((driver["name"], driver["version"]), ("compat-layers", __version__))
        self.assertEqual([rule["id"] for rule in driver["rules"]], list(rules.RULES))
        for rule in driver["rules"]:
            self.assertEqual(rule["helpUri"], f"{DOCS_URL}#{rule['id']}")
            self.assertIn(rule["helpUri"], rule["help"]["text"])
            self.assertTrue(rule["shortDescription"]["text"])
            self.assertIn(rules.RULES[rule["id"]].title, rule["fullDescription"]["text"])
        results = run["results"]
        # 4 in model.py, 1 in the notebook, 5 not covered.
        self.assertEqual(len(results), 10)
        conv2d = next(r for r in results if r["properties"]["name"] == "tf.compat.v1.layers.conv2d")
        self.assertEqual(conv2d["ruleId"], "tf1-layers")
        self.assertEqual(driver["rules"][conv2d["ruleIndex"]]["id"], "tf1-layers")
        location = conv2d["locations"][0]["physicalLocation"]
        self.assertEqual(location["artifactLocation"], {"uri": "src/model.py", "uriBaseId": "%SRCROOT%"})
        self.assertEqual(location["region"], {"startLine": 6, "startColumn": 9})
        slim = next(r for r in results if r["properties"]["name"] == "tf.contrib.slim")
        self.assertFalse(slim["properties"]["covered"])
        self.assertIn("not covered by compat_layers", slim["message"]["text"])
        cell = next(r for r in results if "cell" in r["properties"])
        self.assertEqual((cell["properties"]["cell"], cell["properties"]["cellLine"]), (2, 2))
        invocation, = run["invocations"]
        self.assertFalse(invocation["executionSuccessful"])
        notification, = invocation["toolExecutionNotifications"]
        self.assertEqual(notification["level"], "error")
        self.assertIn("src/bad.py: does not parse", notification["message"]["text"])

    def test_github_groups_per_file_and_rule(self):
        status, out, err = self.run_cli("scan", "--format", "github", "src")
        self.assertEqual(status, cli.EXIT_ERROR)
        lines = out.splitlines()
        self.assertIn("::warning file=src/model.py,title=compat-layers tf1-layers,line=2,col=34::"
                      "4 uses of tf.compat.v1.layers / tf.layers, which Keras 3 removed (provided "
                      "by compat_layers; `compat-layers migrate` rewrites them): line 2 "
                      "tf.compat.v1.layers, line 6 tf.compat.v1.layers.conv2d, line 7 "
                      "tf.compat.v1.layers.dense, line 7 tf.compat.v1.layers.flatten", lines)
        self.assertIn("::warning file=src/nb.ipynb,title=compat-layers tf1-layers::"
                      "tf.compat.v1.layers.dense (cell 2, line 2, column 5): provided by "
                      "compat_layers; `compat-layers migrate` rewrites it", lines)
        contrib = [line for line in lines if "title=compat-layers tf-contrib" in line]
        self.assertEqual(len(contrib), 1)
        self.assertTrue(contrib[0].startswith(
            "::warning file=src/legacy.py,title=compat-layers tf-contrib,line=2,col=32::2 uses of "), contrib)
        self.assertIn(f"see {DOCS_URL}#tf-contrib", contrib[0])
        self.assertTrue(lines[-1].startswith("::error file=src/bad.py,title=compat-layers::does not parse"))
        # model.py, the notebook, legacy.py's four rules; the error.
        self.assertEqual(len(lines), 7)
        self.assertIn("src/bad.py: error: does not parse", err)

    def test_github_stays_within_ten_annotations_of_each_kind(self):
        for index in range(12):
            self.write(f"many/model_{index:02}.py", MODEL)
            self.write(f"many/bad_{index:02}.py", "def f(:\n")
        status, out, _ = self.run_cli("scan", "--format", "github", "many")
        self.assertEqual(status, cli.EXIT_ERROR)
        warnings = [line for line in out.splitlines() if line.startswith("::warning ")]
        errors = [line for line in out.splitlines() if line.startswith("::error ")]
        self.assertEqual((len(warnings), len(errors)), (10, 10))
        self.assertIn("file=many/model_08.py", warnings[8])
        self.assertEqual(warnings[9], "::warning title=compat-layers::12 more uses under 3 more "
                         "rules in 3 more files (GitHub shows 10 annotations): see the step "
                         "summary or run `compat-layers scan`")
        self.assertEqual(errors[9], "::error title=compat-layers::3 more paths could not be "
                         "read or parsed: see the step summary or the log")

    def test_github_step_summary_has_every_file(self):
        for index in range(12):
            self.write(f"many/model_{index:02}.py", MODEL)
        summary = self.write("summary.md", "earlier step\n")
        with mock.patch.dict(os.environ, GITHUB_STEP_SUMMARY=str(summary)):
            status, _, _ = self.run_cli("scan", "--format", "github", "many", "src")
        self.assertEqual(status, cli.EXIT_ERROR)
        text = summary.read_text()
        self.assertTrue(text.startswith("earlier step\n## compat-layers scan\n"), text[:200])
        self.assertIn("\n58 uses in 15 files (16 files scanned): 53 provided by compat_layers "
                      "(`compat-layers migrate --write` rewrites them), 5 not covered; 1 path "
                      "could not be read or parsed.\n", text)
        for index in range(12):
            self.assertIn(f"| `many/model_{index:02}.py` | [tf1-layers]({DOCS_URL}#tf1-layers) | 4 | "
                          "line 2, line 6, line 7, line 7 |\n", text)
        self.assertIn("| `src/nb.ipynb` | [tf1-layers]", text)
        self.assertIn("| cell 2 line 2 |", text)
        self.assertIn("| `src/bad.py` | does not parse", text)

    def test_no_step_summary_outside_github(self):
        with mock.patch.dict(os.environ, {"GITHUB_STEP_SUMMARY": ""}):
            self.assertEqual(self.run_cli("scan", "--format", "github", "src")[0], cli.EXIT_ERROR)
        self.assertEqual(sorted(p.name for p in self.root.iterdir()), ["src"])


def _run_python(*args: str, env: dict[str, str] | None = None,
                cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


class UserRunTestCase(CliTestCase):
    """The command line as users run it: `python -m compat_layers_cli` in the tree."""

    def cli(self, *args: str, stdin: str | bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        result = subprocess.run(
            [sys.executable, "-m", "compat_layers_cli", *args], cwd=self.root, input=data,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT), **(env or {})),
            capture_output=True, timeout=600)
        return subprocess.CompletedProcess(result.args, result.returncode,
                                           result.stdout.decode(), result.stderr.decode())

    def git(self, *args: str) -> None:
        subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
                        *args], cwd=self.root, check=True, capture_output=True, timeout=60)

    def scanned(self, *args: str) -> set[str]:
        """The files `scan --format json` reports uses in."""
        result = self.cli("scan", "--format", "json", *args)
        self.assertIn(result.returncode, (cli.EXIT_CLEAN, cli.EXIT_FOUND), result.stderr)
        report = json.loads(result.stdout)
        return {use["path"] for use in report["uses"] + report["not_covered"]}


class DocsLinkTest(UserRunTestCase):
    """Every rule link is absolute: the default address, or pyproject.toml's `docs-url`."""

    def test_default_links_are_absolute(self):
        self.assertTrue(DOCS_URL.startswith("https://"))
        self.assertTrue(DOCS_URL.endswith("/docs/scan-rules.md"))
        self.write("legacy.py", NOT_COVERED)
        result = self.cli("scan", "--format", "github")
        self.assertIn(f"see {DOCS_URL}#tf-contrib", result.stdout)
        self.assertNotIn(" docs/scan-rules.md", result.stdout)

    def test_docs_url_setting_reaches_every_format(self):
        url = "https://docs.example.com/compat-layers/scan-rules.html"
        self.write("pyproject.toml", f'[tool.compat-layers]\ndocs-url = "{url}"\n')
        self.write("src/legacy.py", NOT_COVERED)
        text = self.cli("scan", "src").stdout
        self.assertIn(f"(see {url})", text)
        report = json.loads(self.cli("scan", "--format", "json", "src").stdout)
        self.assertEqual(report["not_covered"][0]["docs"], f"{url}#tf-contrib")
        sarif = json.loads(self.cli("scan", "--format", "sarif", "src").stdout)
        driver = sarif["runs"][0]["tool"]["driver"]
        self.assertEqual({rule["helpUri"] for rule in driver["rules"]},
                         {f"{url}#{rule}" for rule in rules.RULES})
        self.assertIn(f"{url}#tf-contrib", self.cli("scan", "--format", "github", "src").stdout)


class ConfigTest(UserRunTestCase):
    """`[tool.compat-layers]` in pyproject.toml, found walking up from the path."""

    def setUp(self):
        super().setUp()
        self.write("src/model.py", MODEL)
        self.write("src/legacy.py", NOT_COVERED)
        self.write("src/generated/model_pb2.py", MODEL)
        self.write("src/vendored/lib.py", MODEL)
        self.write("src/.hidden/model.py", MODEL)

    def configure(self, text: str, where: str = "pyproject.toml") -> None:
        self.write(where, "[project]\nname = 'x'\n\n[tool.compat-layers]\n" + textwrap.dedent(text))

    def test_defaults(self):
        self.assertEqual(self.scanned(), {"src/model.py", "src/legacy.py",
                                          "src/generated/model_pb2.py", "src/vendored/lib.py"})

    def test_extend_exclude_names_and_relative_paths(self):
        self.configure('extend-exclude = ["*_pb2.py", "src/vendored"]\n')
        self.assertEqual(self.scanned(), {"src/model.py", "src/legacy.py"})
        # Found from a subdirectory too, with patterns still relative to the table's directory.
        self.assertEqual(self.scanned("src"), {"src/model.py", "src/legacy.py"})
        # Named explicitly, an excluded directory is walked (as in ruff).
        self.assertEqual(self.scanned("src/vendored"), {"src/vendored/lib.py"})

    def test_extend_exclude_on_the_command_line(self):
        self.assertEqual(self.scanned("--extend-exclude", "*_pb2.py", "--extend-exclude",
                                      "src/vendored/"), {"src/model.py", "src/legacy.py"})

    def test_exclude_replaces_the_defaults(self):
        self.configure('exclude = ["generated"]\n')
        self.assertEqual(self.scanned("src"), {"src/model.py", "src/legacy.py",
                                               "src/vendored/lib.py", "src/.hidden/model.py"})

    def test_the_nearest_table_wins_and_tables_without_it_are_passed(self):
        self.configure('extend-exclude = ["vendored"]\n')
        self.write("src/pyproject.toml", "[tool.black]\nline-length = 100\n")
        self.assertEqual(self.scanned("src"), {"src/model.py", "src/legacy.py",
                                               "src/generated/model_pb2.py"})

    def test_select_and_ignore(self):
        self.configure('ignore = ["tf-contrib", "keras3-dropped-argument"]\n')
        report = json.loads(self.cli("scan", "--format", "json", "src/legacy.py").stdout)
        self.assertEqual({use["rule"] for use in report["not_covered"]},
                         {"keras3-dropped-layer", "tf-estimator"})
        # --ignore adds to the configured ignore; --select replaces the configured select.
        report = json.loads(self.cli("scan", "--format", "json", "--ignore", "tf-estimator",
                                     "src/legacy.py").stdout)
        self.assertEqual({use["rule"] for use in report["not_covered"]}, {"keras3-dropped-layer"})
        result = self.cli("scan", "--select", "tf-contrib,tf-estimator", "src/legacy.py")
        self.assertEqual(result.returncode, cli.EXIT_FOUND)
        self.assertIn("src/legacy.py:7:13 tf.estimator.Estimator (not covered: tf-estimator)",
                      result.stdout)
        self.assertNotIn("tf-contrib)", result.stdout)  # Still ignored by the table.
        self.assertEqual(self.cli("scan", "--select", "tf-contrib", "src/legacy.py").returncode,
                         cli.EXIT_CLEAN)

    def test_select_in_the_table(self):
        self.configure('select = ["tf1-layers"]\n')
        self.assertEqual(self.scanned("src/legacy.py", "src/model.py"), {"src/model.py"})

    @parameterized.named_parameters(
        ("unknown_rule_on_the_command_line", "", ("--select", "tf1-layer"),
         "--select: unknown rule tf1-layer (known: tf1-layers, "),
        ("unknown_rule_in_the_table", 'ignore = ["contrib"]\n', (),
         "[tool.compat-layers]: ignore: unknown rule contrib (known: "),
        ("unknown_option", 'exlude = ["x"]\n', (), "unknown option 'exlude' (known: exclude, "),
        ("wrong_type", 'exclude = "build"\n', (), "exclude must be a list of strings"),
        ("relative_docs_url", 'docs-url = "docs/scan-rules.md"\n', (),
         "docs-url must be an http(s) address"),
    )
    def test_bad_option_is_one_line_and_exit_2(self, table, args, message):
        if table:
            self.configure(table)
        result = self.cli("scan", *args, "src")
        self.assertEqual(result.returncode, cli.EXIT_ERROR)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertTrue(result.stderr.startswith("compat-layers: error: "), result.stderr)
        self.assertIn(message, result.stderr)

    def test_broken_pyproject(self):
        self.write("pyproject.toml", "[tool.compat-layers\n")
        result = self.cli("scan", "src")
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_ERROR, ""))
        self.assertRegex(result.stderr, r"^compat-layers: error: .*pyproject\.toml: cannot be read: ")

    def test_git_ignored_trees_are_not_scanned(self):
        self.write("build/lib/model.py", MODEL)
        self.write("third_party/tf/layers.py", MODEL)
        self.write("notes/scratch.py", MODEL)
        self.write(".gitignore", "build/\nthird_party\n*scratch*\n")
        # Outside a git work tree .gitignore means nothing (as to git).
        self.assertLessEqual({"build/lib/model.py", "third_party/tf/layers.py",
                              "notes/scratch.py"}, self.scanned())
        self.git("init", "-q")
        self.write("build/tracked.py", MODEL)
        self.git("add", "-f", "build/tracked.py")
        found = self.scanned()
        self.assertEqual(found & {"build/lib/model.py", "third_party/tf/layers.py",
                                  "notes/scratch.py"}, set())
        self.assertIn("build/tracked.py", found)  # Tracked: git does not ignore it.
        self.assertIn("src/model.py", found)
        # From a subdirectory, and for files named explicitly with --force-exclude.
        self.assertNotIn("third_party/tf/layers.py", self.scanned("third_party/.."))
        self.assertEqual(self.scanned("notes/scratch.py"), {"notes/scratch.py"})
        self.assertEqual(self.scanned("--force-exclude", "notes/scratch.py", "src/model.py"),
                         {"src/model.py"})
        self.configure("respect-gitignore = false\n")
        self.assertIn("third_party/tf/layers.py", self.scanned())

    def test_force_exclude_applies_patterns_to_named_files(self):
        self.configure('extend-exclude = ["*_pb2.py"]\n')
        named = ("src/generated/model_pb2.py", "src/model.py")
        self.assertEqual(self.scanned(*named), set(named))
        self.assertEqual(self.scanned("--force-exclude", *named), {"src/model.py"})
        self.assertEqual(self.cli("migrate", "--check", "--force-exclude", named[0]).returncode,
                         cli.EXIT_CLEAN)


class SuppressionTest(UserRunTestCase):
    """`# compat-layers: ignore[rule]` hides that line's findings of that rule."""

    SOURCE = textwrap.dedent(
        """\
        import tensorflow.compat.v1 as tf
        a = tf.layers.dense(x, 3)  # compat-layers: ignore[tf1-layers]
        b = tf.layers.dense(tf.contrib.layers.flatten(x), 3)  # compat-layers: ignore[tf1-layers]
        c = tf.layers.dense(tf.contrib.layers.flatten(x), 3)  #compat-layers:ignore
        d = tf.layers.dense(x, 3)  # compat-layers: ignore[tf-contrib, tf-estimator]
        e = tf.layers.dense(x, 3)
        """
    )

    def test_source(self):
        self.write("model.py", self.SOURCE)
        report = json.loads(self.cli("scan", "--format", "json").stdout)
        self.assertEqual([(use["line"], use["rule"]) for use in report["uses"]],
                         [(5, "tf1-layers"), (6, "tf1-layers")])
        self.assertEqual([(use["line"], use["rule"]) for use in report["not_covered"]],
                         [(3, "tf-contrib")])

    def test_notebook_cell_lines(self):
        notebook = json.loads(NOTEBOOK)
        notebook["cells"][1]["source"].append("\nz = tf.layers.dense(y, 3)  # compat-layers: ignore")
        self.write("nb.ipynb", json.dumps(notebook, indent=1) + "\n")
        report = json.loads(self.cli("scan", "--format", "json").stdout)
        self.assertEqual([(use["cell"], use["line"]) for use in report["uses"]], [(2, 2)])


class MigrateHonoursSuppressionTest(UserRunTestCase):
    """`migrate` (and so the pre-commit hook's `migrate --check`) rewrites
    only what `scan` reports: a suppressed use stays, a rule that is not
    selected is not applied."""

    TF1 = textwrap.dedent(
        """\
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 4])  # compat-layers: ignore[tf1-api]
        y = tf.layers.dense(x, 3)
        """
    )

    def test_suppressed_lines_stay(self):
        path = self.write("model.py", SuppressionTest.SOURCE)
        result = self.cli("migrate", "--write", ".")
        self.assertEqual(result.returncode, cli.EXIT_CLEAN, result.stderr)
        lines = path.read_text().splitlines()
        original = SuppressionTest.SOURCE.splitlines()
        # Lines 2-4 hide tf1-layers (4 hides everything): as they were.
        self.assertEqual(lines[2:5], original[1:4])
        self.assertEqual(lines[5:], ["d = compat_layers.dense(x, 3)  "
                                     "# compat-layers: ignore[tf-contrib, tf-estimator]",
                                     "e = compat_layers.dense(x, 3)"])
        # Nothing left that scan reports as covered; migrate --check agrees.
        report = json.loads(self.cli("scan", "--format", "json").stdout)
        self.assertEqual(report["uses"], [])
        self.assertEqual(self.cli("migrate", "--check", ".").returncode, cli.EXIT_CLEAN)

    def test_every_use_suppressed_is_nothing_to_do(self):
        source = "import tensorflow as tf\ny = tf.layers.dense(x, 3)  # compat-layers: ignore\n"
        self.write("model.py", source)
        self.assertEqual(self.cli("scan").returncode, cli.EXIT_CLEAN)
        result = self.cli("migrate", "--check", ".")
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_CLEAN, ""))
        self.assertEqual(self.cli("migrate", "-", stdin=source).stdout, source)

    def test_tf1_api_suppressed_does_not_switch_the_file(self):
        path = self.write("model.py", self.TF1)
        self.assertEqual(self.cli("migrate", "--write", ".").returncode, cli.EXIT_CLEAN)
        self.assertEqual(path.read_text(), self.TF1.replace(
            "import tensorflow as tf\n", "import tensorflow as tf\nimport compat_layers\n"
        ).replace("tf.layers.dense", "compat_layers.dense"))

    def test_ignored_and_selected_rules(self):
        source = self.TF1.replace("  # compat-layers: ignore[tf1-api]", "")
        self.write("model.py", source)
        # --ignore tf1-api: the file is not switched, tf.layers still is rewritten.
        after = self.cli("migrate", "--ignore", "tf1-api", "-", stdin=source).stdout
        self.assertIn("import tensorflow as tf\n", after)
        self.assertNotIn("disable_v2_behavior", after)
        self.assertIn("compat_layers.dense(x, 3)", after)
        # --select tf1-api: switched, tf.layers left as it was.
        after = self.cli("migrate", "--select", "tf1-api", "-", stdin=source).stdout
        self.assertIn("import tensorflow.compat.v1 as tf\n", after)
        self.assertIn("tf.disable_v2_behavior()", after)
        self.assertIn("tf.layers.dense(x, 3)", after)
        self.assertNotIn("compat_layers", after)
        # The table's `ignore`, through the pre-commit hook's command.
        self.write("pyproject.toml", '[tool.compat-layers]\nignore = ["tf1-api", "tf1-layers"]\n')
        result = self.cli("migrate", "--no-progress", "--force-exclude", "--check", "model.py")
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_CLEAN, ""))
        self.assertEqual(self.cli("scan", "model.py").returncode, cli.EXIT_CLEAN)

    def test_notebook(self):
        notebook = json.loads(NOTEBOOK)
        notebook["cells"][1]["source"].append("\nz = tf.layers.dense(y, 3)  # compat-layers: ignore")
        path = self.write("nb.ipynb", json.dumps(notebook, indent=1) + "\n")
        self.assertEqual(self.cli("migrate", "--write", ".").returncode, cli.EXIT_CLEAN)
        cell = "".join(json.loads(path.read_text())["cells"][1]["source"])
        self.assertIn("compat_layers.dense", cell.splitlines()[1])
        self.assertEqual(cell.splitlines()[-1], "z = tf.layers.dense(y, 3)  # compat-layers: ignore")


class Tf1CodebaseReportTest(UserRunTestCase):
    """A TF 1.x training script: `scan` lists everything TF 2.16+ breaks in
    it, each under its rule, and says what to do; after `migrate --write`
    only what compat_layers and tf.compat.v1 do not cover is left."""

    SOURCE = textwrap.dedent(
        """\
        \"\"\"A TF 1.x classifier: a GRU over sequences, then dense layers.\"\"\"
        import numpy as np
        import tensorflow as tf

        tf.set_random_seed(0)

        inputs = tf.placeholder(tf.float32, [None, 20, 8], name="inputs")
        labels = tf.placeholder(tf.int64, [None], name="labels")

        cell = tf.nn.rnn_cell.GRUCell(32)
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
        hidden = tf.layers.dense(state, 64, activation=tf.nn.relu,
                                 kernel_initializer=tf.contrib.layers.xavier_initializer())
        logits = tf.layers.dense(hidden, 10)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            keras_session = tf.keras.backend.get_session()
            feed = {inputs: np.zeros([4, 20, 8]), labels: np.zeros([4])}
            print(session.run([loss, train_op], feed)[0])
        """
    )
    NOT_COVERED = [(13, "tf.contrib.layers.xavier_initializer", "tf-contrib"),
                   (20, "tf.keras.backend.get_session", "tf1-keras")]

    def findings(self) -> list[tuple[int, str, str]]:
        report = json.loads(self.cli("scan", "--format", "json").stdout)
        return sorted((use["line"], use["name"], use["rule"])
                      for use in report["uses"] + report["not_covered"])

    def test_scan_then_migrate(self):
        path = self.write("train.py", self.SOURCE)
        self.assertEqual(self.findings(), sorted([
            (5, "tf.set_random_seed", "tf1-api"),
            (7, "tf.placeholder", "tf1-api"),
            (8, "tf.placeholder", "tf1-api"),
            (10, "tf.compat.v1.nn.rnn_cell.GRUCell", "tf1-rnn-cells"),
            (11, "tf.nn.dynamic_rnn", "tf1-api"),
            (12, "tf.compat.v1.layers.dense", "tf1-layers"),
            (14, "tf.compat.v1.layers.dense", "tf1-layers"),
            (15, "tf.losses.sparse_softmax_cross_entropy", "tf1-api"),
            (16, "tf.train.AdamOptimizer", "tf1-api"),
            (18, "tf.Session", "tf1-api"),
            (19, "tf.global_variables_initializer", "tf1-api"),
            *self.NOT_COVERED,
        ]))

        text = self.cli("scan").stdout
        self.assertIn("\nTo do: 3 provided by compat_layers (`compat-layers migrate --write` "
                      "rewrites them), 8 kept by tf.compat.v1 (`compat-layers migrate --write` "
                      "switches their files to it), 2 not covered.\n", text)
        self.assertIn(f"2 more not covered by compat_layers in 1 file (see {DOCS_URL})", text)
        github = self.cli("scan", "--format", "github").stdout
        self.assertIn("(kept by tf.compat.v1; `compat-layers migrate` switches the file to it): "
                      "line 5 tf.set_random_seed", github)
        self.assertNotIn("provided by compat_layers; `compat-layers migrate` switches", github)
        self.assertIn("tf.compat.v1.nn.rnn_cell.GRUCell: provided by compat_layers; "
                      "`compat-layers migrate` rewrites it", github)
        sarif = json.loads(self.cli("scan", "--format", "sarif").stdout)
        descriptions = {rule["id"]: rule["fullDescription"]["text"]
                        for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
        self.assertIn("kept by tf.compat.v1", descriptions["tf1-api"])
        self.assertNotIn("compat_layers", descriptions["tf1-api"])
        self.assertIn(f"see {DOCS_URL}#tf-contrib", github)

        result = self.cli("migrate", "--write", ".")
        self.assertEqual(result.returncode, cli.EXIT_CLEAN, result.stderr)
        migrated = path.read_text()
        self.assertIn("import tensorflow.compat.v1 as tf\n", migrated)
        self.assertIn("\ntf.disable_v2_behavior()\n", migrated)
        self.assertIn("cell = compat_layers.rnn_cell.GRUCell(32)\n", migrated)
        # Left: only the not-covered uses, under the same rules, now reached
        # through tf.compat.v1 and 3 lines lower (the added import, a blank
        # line, disable_v2_behavior()).
        self.assertEqual(self.findings(), [
            (line + 3, name.replace("tf.", "tf.compat.v1.", 1), rule)
            for line, name, rule in self.NOT_COVERED])
        self.assertEqual(self.cli("migrate", "--check", ".").returncode, cli.EXIT_CLEAN)
        text = self.cli("scan").stdout
        self.assertIn("\nTo do: 2 not covered.\n", text)


class StandardInputTest(UserRunTestCase):
    """`-` reads standard input; `.` is the default path."""

    def test_scan(self):
        result = self.cli("scan", "-", stdin=MODEL)
        self.assertEqual(result.returncode, cli.EXIT_FOUND, result.stderr)
        self.assertIn("<stdin>:6:9 tf.compat.v1.layers.conv2d\n", result.stdout)
        self.assertIn("(1 file scanned)", result.stdout)
        result = self.cli("scan", "--format", "json", "--stdin-filename", "nb.ipynb", "-",
                          stdin=NOTEBOOK)
        self.assertEqual(json.loads(result.stdout)["uses"][0]["path"], "nb.ipynb")
        self.assertEqual(self.cli("scan", "-", stdin=CLEAN).returncode, cli.EXIT_CLEAN)

    def test_scan_error(self):
        result = self.cli("scan", "-", stdin='print "hello"\n')
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_ERROR, ""))
        self.assertEqual(result.stderr, "<stdin>: error: looks like Python 2 (print statement at "
                         "line 1); compat-layers reads Python 3: port the file, or exclude it\n")

    def test_migrate_writes_the_source_to_stdout(self):
        result = self.cli("migrate", "-", stdin=MODEL)
        self.assertEqual((result.returncode, result.stderr), (cli.EXIT_CLEAN, ""))
        migrated = subprocess.run(
            [sys.executable, "-c", "import sys; from compat_layers_cli import codemod; "
             "sys.stdout.buffer.write(codemod.migrate_source(sys.stdin.buffer.read()).after)"],
            input=MODEL, env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), capture_output=True,
            text=True, check=True).stdout
        self.assertEqual(result.stdout, migrated)
        self.assertIn("    h = compat_layers.conv2d(x, 8, 3)  # features\n", result.stdout)
        # Unchanged input comes back unchanged; --write also writes to stdout.
        self.assertEqual(self.cli("migrate", "-", stdin=CLEAN).stdout, CLEAN)
        self.assertEqual(self.cli("migrate", "--write", "-", stdin=MODEL).stdout, migrated)
        self.assertEqual(self.snapshot(), {})

    def test_migrate_diff_and_check(self):
        result = self.cli("migrate", "--diff", "-", stdin=MODEL)
        self.assertTrue(result.stdout.startswith("--- a/<stdin>\n+++ b/<stdin>\n"), result.stdout)
        result = self.cli("migrate", "--check", "-", stdin=MODEL)
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_FOUND, "would migrate <stdin>\n"))
        self.assertEqual(self.cli("migrate", "--check", "-", stdin=CLEAN).returncode, cli.EXIT_CLEAN)

    def test_dash_with_other_paths_is_a_usage_error(self):
        self.write("model.py", MODEL)
        result = self.cli("scan", "-", "model.py", stdin=MODEL)
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_ERROR, ""))
        self.assertIn("cannot be combined with other paths", result.stderr)

    def test_dot_is_the_default_path(self):
        self.write("src/model.py", MODEL)
        self.assertEqual(self.cli("scan").stdout, self.cli("scan", ".").stdout)
        self.assertEqual(self.cli("migrate", "--diff").stdout, self.cli("migrate", ".").stdout)
        self.assertIn("+++ b/src/model.py", self.cli("migrate").stdout)


class ClosedPipeTest(UserRunTestCase):
    def test_scan_piped_into_head_ends_quietly(self):
        # Far more output than a pipe holds (~250 bytes a use), so that writing fails.
        self.write("many.py", "import tensorflow.compat.v1 as tf\n"
                   + "y = tf.layers.dense(x, 3)\n" * 600)
        process = subprocess.Popen(
            [sys.executable, "-m", "compat_layers_cli", "scan", "--format", "json", "many.py"],
            cwd=self.root,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        self.assertEqual(process.stdout.readline(), b"{\n")
        process.stdout.close()
        stderr = process.stderr.read().decode()
        self.assertEqual(process.wait(timeout=600), cli.EXIT_BROKEN_PIPE)
        self.assertEqual(stderr, "")


class MoreBadInputTest(UserRunTestCase):
    """Bad input as users meet it: one line each, every other file still read, exit 2."""

    def test_python2_file(self):
        self.write("py2/old.py", "import os\n\ndef f():\n    print 'x'\n")
        self.write("py2/raise.py", "try:\n    pass\nexcept IOError:\n    raise ValueError, 'x'\n")
        self.write("model.py", MODEL)
        result = self.cli("scan")
        self.assertEqual(result.returncode, cli.EXIT_ERROR)
        self.assertIn("model.py:6:9 tf.compat.v1.layers.conv2d", result.stdout)
        self.assertEqual(result.stderr.splitlines(), [
            "py2/old.py: error: looks like Python 2 (print statement at line 4); "
            "compat-layers reads Python 3: port the file, or exclude it",
            "py2/raise.py: error: looks like Python 2 (`raise E, message` at line 4); "
            "compat-layers reads Python 3: port the file, or exclude it",
        ])

    def test_missing_path_is_an_error_not_a_clean_tree(self):
        result = self.cli("scan", "missing")
        self.assertEqual((result.returncode, result.stdout), (cli.EXIT_ERROR, ""))
        self.assertEqual(result.stderr, "missing: error: no such file or directory\n")
        self.write("clean.py", CLEAN)
        result = self.cli("scan", "missing", "clean.py")
        self.assertEqual(result.returncode, cli.EXIT_ERROR)
        self.assertEqual(result.stdout, "No TF1 uses found in the 1 file that could be read "
                         "(1 path with errors).\n")
        self.assertEqual(self.cli("migrate", "missing").returncode, cli.EXIT_ERROR)

    def test_symbolic_link_loops(self):
        self.write("model.py", MODEL)
        (self.root / "loop_a.py").symlink_to(self.root / "loop_b.py")
        (self.root / "loop_b.py").symlink_to(self.root / "loop_a.py")
        (self.root / "pkg").mkdir()
        (self.root / "pkg" / "self").symlink_to(self.root / "pkg")
        result = self.cli("scan", "loop_a.py", ".")
        self.assertEqual(result.returncode, cli.EXIT_ERROR)
        self.assertIn("model.py:6:9 tf.compat.v1.layers.conv2d", result.stdout)
        self.assertEqual(result.stderr.splitlines(), [
            "loop_a.py: skipped: symbolic link", "loop_b.py: skipped: symbolic link",
            "pkg/self: skipped: symbolic link", "loop_a.py: error: symbolic link loop"])

    @absltest.skipIf(os.geteuid() == 0, "root reads every directory")
    def test_unreadable_directory(self):
        self.write("model.py", MODEL)
        self.write("locked/model.py", MODEL)
        (self.root / "locked").chmod(0)
        self.addCleanup((self.root / "locked").chmod, 0o755)
        result = self.cli("scan")
        self.assertEqual(result.returncode, cli.EXIT_ERROR)
        self.assertIn("model.py:6:9", result.stdout)
        self.assertEqual(result.stderr, "locked: error: cannot be read: Permission denied\n")

    def test_write_interrupted_while_writing_leaves_the_original(self):
        path = self.write("model.py", MODEL)
        notebook = self.write("nb.ipynb", NOTEBOOK)
        with mock.patch.object(os, "fsync", side_effect=OSError(28, "No space left on device")):
            status, out, err = self.run_cli("migrate", "--write", ".")
        self.assertEqual((status, out), (cli.EXIT_ERROR, ""))
        self.assertIn("model.py: error: not changed: [Errno 28] No space left on device", err)
        self.assertIn("nb.ipynb: error: not changed: [Errno 28] No space left on device", err)
        self.assertEqual((path.read_text(), notebook.read_text()), (MODEL, NOTEBOOK))
        self.assertEqual(sorted(p.name for p in self.root.iterdir()), ["model.py", "nb.ipynb"])


class NoTensorFlowTest(CliTestCase):
    """The command line runs with tensorflow, keras and tf_keras unimportable."""

    def setUp(self):
        super().setUp()
        blocked = Path(self.create_tempdir().full_path)
        for name in ("tensorflow", "keras", "tf_keras"):
            (blocked / name).mkdir()
            (blocked / name / "__init__.py").write_text(
                f"raise ImportError('{name} imported by the compat-layers CLI')\n")
        # Workers of the scan pool inherit PYTHONPATH, so they are blocked too.
        self.env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocked), str(REPO_ROOT)]))
        self.write("src/model.py", MODEL)
        self.write("src/nb.ipynb", NOTEBOOK)
        self.write("src/legacy.py", NOT_COVERED)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        # The console script's target, as setup.cfg names it; afterwards
        # nothing of TensorFlow, Keras or compat_layers may be loaded.
        config = configparser.ConfigParser()
        config.read(REPO_ROOT / "setup.cfg")
        target = config["options.entry_points"]["console_scripts"].split("=")[1].strip()
        module, _, function = target.partition(":")
        code = (
            f"import sys; from {module} import {function} as main\n"
            "try:\n    status = main(sys.argv[1:])\n"
            "except SystemExit as exit_:\n    status = exit_.code\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('tensorflow', 'keras', 'tf_keras', 'compat_layers'))\n"
            "assert not loaded, loaded\n"
            "sys.exit(status)\n"
        )
        return _run_python("-c", code, *args, env=self.env, cwd=self.root)

    def test_version(self):
        result = self.cli("--version")
        self.assertEqual((result.returncode, result.stdout), (0, f"compat-layers {__version__}\n"))
        self.assertEqual(result.stderr, "")

    def test_scan_in_one_process_and_in_a_pool(self):
        single = self.cli("scan", "--jobs", "1", "src")
        pooled = self.cli("scan", "--jobs", "2", "--format", "sarif", "src")
        self.assertEqual(single.returncode, cli.EXIT_FOUND, single.stderr)
        self.assertEqual(pooled.returncode, cli.EXIT_FOUND, pooled.stderr)
        self.assertIn("src/model.py:6:9 tf.compat.v1.layers.conv2d", single.stdout)
        self.assertEqual(single.stderr, "")
        self.assertEqual(len(json.loads(pooled.stdout)["runs"][0]["results"]), 10)

    def test_migrate(self):
        self.assertEqual(self.cli("migrate", "--check", "src").returncode, cli.EXIT_FOUND)
        result = self.cli("migrate", "--write", "src")
        self.assertEqual(result.returncode, cli.EXIT_CLEAN, result.stderr)
        self.assertIn("compat_layers.conv2d(x, 8, 3)", (self.root / "src/model.py").read_text())

    def test_python_dash_m(self):
        result = _run_python("-m", "compat_layers_cli", "--version", env=self.env)
        self.assertEqual(result.stdout, f"compat-layers {__version__}\n")


# Hand-written TF1 files in the idioms of real code bases.
REAL_WORLD = {
    "nmt/model.py": textwrap.dedent(
        """\
        from __future__ import absolute_import

        import tensorflow as tf
        from tensorflow.python.layers import core as layers_core


        def projection(num_units):
            return layers_core.Dense(num_units, use_bias=False, name="output_projection")
        """
    ),
    "slim_style/net.py": textwrap.dedent(
        """\
        import tensorflow as tf

        layers = tf.layers
        slim = tf.contrib.slim


        def net(x):
            x = layers.conv2d(x, 32, 3)
            return slim.fully_connected(x, 10)
        """
    ),
    "star/ops.py": textwrap.dedent(
        """\
        from tensorflow.compat.v1.layers import *
        from tensorflow.compat.v1 import *


        def head(x):
            return dense(flatten(x), 10)
        """
    ),
    "estimator/train.py": textwrap.dedent(
        """\
        import tensorflow.compat.v1 as tf


        def model_fn(features, labels, mode):
            logits = tf.layers.dense(features["x"], 10)
            K = tf.keras.backend
            session = tf.keras.backend.get_session()
            return tf.estimator.EstimatorSpec(mode, predictions=logits)
        """
    ),
    "notebooks/explore.ipynb": NOTEBOOK,
}


class RealWorldTreeTest(CliTestCase):
    """300 generated files and the hand-written idioms, scanned and migrated."""

    def setUp(self):
        super().setUp()
        self.counts = generate_tree(self.root / "generated", 300)
        for name, content in REAL_WORLD.items():
            self.write(name, content)

    def scan_json(self, *args: str) -> dict:
        status, out, err = self.run_cli("scan", "--format", "json", *args, ".")
        self.assertEqual(status, cli.EXIT_FOUND, err)
        return json.loads(out)

    def test_scan_finds_every_idiom(self):
        report = self.scan_json()
        self.assertEqual(report["files_scanned"], 300 + len(REAL_WORLD))
        generated = [use for use in report["uses"] if use["path"].startswith("generated")]
        self.assertEqual(len(generated), self.counts["uses"])
        found = {(use["path"], use["name"]) for use in report["uses"]}
        for expected in [
            ("nmt/model.py", "tf.compat.v1.layers"),
            ("nmt/model.py", "tf.compat.v1.layers.Dense"),
            ("slim_style/net.py", "tf.compat.v1.layers"),
            ("star/ops.py", "tf.compat.v1.layers.*"),
            ("estimator/train.py", "tf.compat.v1.layers.dense"),
            ("notebooks/explore.ipynb", "tf.compat.v1.layers.dense"),
        ]:
            self.assertIn(expected, found)
        not_covered = {(use["path"], use["name"], use["rule"]) for use in report["not_covered"]}
        self.assertEqual(not_covered, {
            ("slim_style/net.py", "tf.contrib.slim", "tf-contrib"),
            ("estimator/train.py", "tf.compat.v1.keras.backend.get_session", "tf1-keras"),
            ("estimator/train.py", "tf.compat.v1.estimator.EstimatorSpec", "tf-estimator"),
        })

    def test_a_pool_finds_the_same(self):
        self.assertEqual(self.scan_json("--jobs", "2"), self.scan_json("--jobs", "1"))

    def test_migrate_then_only_the_not_covered_remain(self):
        status, out, err = self.run_cli("migrate", "--write", ".")
        self.assertEqual(status, cli.EXIT_CLEAN, err)
        self.assertEqual(len(out.splitlines()), self.counts["with_uses"] + len(REAL_WORLD))
        self.assertIn("import compat_layers.core as layers_core\n",
                      (self.root / "nmt/model.py").read_text())
        self.assertIn("from compat_layers import *\n", (self.root / "star/ops.py").read_text())
        self.assertIn("layers = compat_layers\n", (self.root / "slim_style/net.py").read_text())
        self.assertEqual(self.run_cli("scan", "--covered-only", ".")[0], cli.EXIT_CLEAN)
        self.assertEqual(len(self.scan_json()["not_covered"]), 3)
        self.assertEqual(self.run_cli("migrate", "--check", ".")[:2], (cli.EXIT_CLEAN, ""))


@absltest.skipIf(importlib.util.find_spec("pre_commit") is None, "pre-commit is not installed")
class PreCommitHookTest(CliTestCase):
    """.pre-commit-hooks.yaml through pre-commit itself, on a temporary git repository.

    `try-repo` installs the `language: python` hook as a user's pre-commit
    would: a virtualenv with this project and its PyPI dependencies (from
    pip's configured index; no TensorFlow). It clones the hook repository at
    HEAD, so the project is copied into a committed repository first.
    """

    HOOK_FILES = ("setup.cfg", "setup.py", "pyproject.toml", "README.md", "LICENSE",
                  "MANIFEST.in", "compat_layers.pth", "_compat_layers_autoinstall.py",
                  "compat_layers_pytest.py", "compat_layers", "compat_layers_cli", "docs",
                  ".pre-commit-hooks.yaml")

    def setUp(self):
        super().setUp()
        self.hooks = Path(self.create_tempdir().full_path)
        for name in self.HOOK_FILES:
            source = REPO_ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.hooks / name,
                                ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, self.hooks / name)
        self.git("init", "-q", cwd=self.hooks)
        self.git("add", "-A", cwd=self.hooks)
        self.git("commit", "-q", "-m", "hooks", cwd=self.hooks)
        self.git("init", "-q")
        self.model = self.write("model.py", MODEL)
        self.write("clean.py", CLEAN)
        self.git("add", "-A")
        self.env = dict(os.environ, PRE_COMMIT_HOME=self.create_tempdir().full_path,
                        PYTHONPATH=str(REPO_ROOT))

    def git(self, *args: str, cwd: Path | None = None) -> None:
        subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
                        *args], cwd=cwd or self.root, check=True, timeout=60)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess:
        return _run_python("-m", "pre_commit", *args, env=self.env, cwd=self.root)

    def test_hooks_apply_the_exclusions_to_the_files_named(self):
        # pre-commit names every staged file; as ruff's hook does, both hooks
        # pass --force-exclude so that `exclude` and .gitignore still apply.
        import yaml  # pre-commit's own dependency.

        hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
        self.assertEqual([hook["id"] for hook in hooks],
                         ["compat-layers-migrate", "compat-layers-migrate-system"])
        for hook in hooks:
            self.assertIn("--force-exclude", hook["entry"].split(), hook["id"])
        self.write("pyproject.toml", '[tool.compat-layers]\nextend-exclude = ["model.py"]\n')
        entry = hooks[0]["entry"].split()[1:]
        self.assertEqual(self.run_cli(*entry, *hooks[0]["args"], "model.py", "clean.py")[:2],
                         (cli.EXIT_CLEAN, ""))
        without = [arg for arg in entry if arg != "--force-exclude"]
        self.assertEqual(self.run_cli(*without, *hooks[0]["args"], "model.py")[:2],
                         (cli.EXIT_FOUND, "would migrate model.py\n"))

    def test_try_repo_check_fails_while_uses_are_left(self):
        result = self.pre_commit("try-repo", str(self.hooks), "compat-layers-migrate",
                                 "--files", "model.py", "clean.py")
        self.assertEqual(result.returncode, 1, result.stdout[-3000:])
        self.assertRegex(result.stdout, r"compat-layers migrate .*\.+Failed")
        self.assertIn("would migrate model.py", result.stdout)
        self.assertEqual(self.model.read_text(), MODEL)

    def test_write_through_args(self):
        # The system variant (no virtualenv to build), with `args: [--write]`
        # replacing the hook's `--check`; the entry names this interpreter.
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.hooks, check=True,
                             capture_output=True, text=True).stdout.strip()
        self.write(".pre-commit-config.yaml", textwrap.dedent(
            f"""\
            repos:
            - repo: {self.hooks}
              rev: {rev}
              hooks:
              - id: compat-layers-migrate-system
                entry: {sys.executable} -m compat_layers_cli migrate --no-progress
                args: [--write]
            """))
        self.git("add", "-A")
        result = self.pre_commit("run", "--files", "model.py", "clean.py")
        self.assertEqual(result.returncode, 1, result.stdout[-3000:])
        self.assertIn("files were modified by this hook", result.stdout)
        self.assertIn("compat_layers.conv2d(x, 8, 3)", self.model.read_text())
        self.assertEqual(self.pre_commit("run", "--files", "model.py", "clean.py").returncode, 0)


if __name__ == "__main__":
    absltest.main()
