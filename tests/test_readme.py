"""The README works as written.

Every ```` ```python ```` block runs as pasted, in a fresh interpreter with
nothing imported for it, and every `print(...)` prints what its comment says
(the rules of tests/test_docstring_examples.py). Shell and YAML blocks install
or configure things, so they are checked lightly: each `pip install` names
extras setup.cfg defines, each path a command runs exists, each
`compat-layers` command line runs (exit status 0 or 1, not a usage or file
error) on a copy of `examples/`, each YAML block parses and each pre-commit
hook id is one .pre-commit-hooks.yaml defines. A command of another kind
fails the test, so that a new kind of block gets a check.
"""

from __future__ import annotations

import concurrent.futures
import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from absl.testing import absltest, parameterized

from tests.test_docstring_examples import mismatches, stated_outputs

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
_TIMEOUT_S = 300
# Records what each print printed, as the test of docstring examples does.
_RUNNER = """\
import builtins, io, json, sys
printed = []
def _print(*args, **kwargs):
    output = io.StringIO()
    builtins.print(*args, **{**kwargs, "file": output})
    printed.append(output.getvalue())
code = open(sys.argv[1]).read()
exec(compile(code, sys.argv[2], "exec"), {"__name__": "__main__", "print": _print})
sys.stdout.write("\\0" + json.dumps(printed))
"""


def blocks(language: str) -> list[str]:
    return [code for lang, code in _FENCE.findall(README.read_text()) if lang == language]


def run_python_block(name: str, code: str) -> tuple[list[str], str | None]:
    """What each print printed, and the error output when the block failed."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
        file.write(code)
    try:
        result = subprocess.run(
            [sys.executable, "-c", _RUNNER, file.name, name],
            cwd=tempfile.gettempdir(),  # not the checkout: the package as installed
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_S,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
    finally:
        os.unlink(file.name)
    if result.returncode != 0 or "\0" not in result.stdout:
        return [], result.stderr[-4000:]
    return json.loads(result.stdout.rsplit("\0", 1)[1]), None


def shell_commands(code: str) -> list[list[str]]:
    """The commands of a shell block: one a line or `&&` part, comments dropped,
    leading `VAR=value` assignments dropped."""
    commands = []
    for line in code.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                words = words[1:]
            if words:
                commands.append(words)
    return commands


def workflow_commands(code: str) -> list[list[str]]:
    """The `run:` commands of a YAML block of workflow steps."""
    steps = yaml.safe_load(code)
    return [
        shlex.split(step["run"].split("||")[0].split(">")[0], comments=True)
        for step in steps if isinstance(step, dict) and "run" in step
    ]


PYTHON_BLOCKS = {f"README block {number}": code for number, code in enumerate(blocks("python"), 1)}


class ReadmePythonTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = concurrent.futures.ThreadPoolExecutor(2)
        cls.results = {
            name: cls.pool.submit(run_python_block, name, code) for name, code in PYTHON_BLOCKS.items()
        }

    @classmethod
    def tearDownClass(cls):
        cls.pool.shutdown(cancel_futures=True)
        super().tearDownClass()

    def test_the_readme_has_its_examples(self):
        self.assertGreaterEqual(len(PYTHON_BLOCKS), 5)

    @parameterized.named_parameters((name.replace(" ", "_"), name) for name in PYTHON_BLOCKS)
    def test_block_runs_as_pasted(self, name):
        code = PYTHON_BLOCKS[name]
        stated = stated_outputs(code)
        printed, error = self.results[name].result(timeout=_TIMEOUT_S)
        if error is not None:
            self.fail(f"{name} raised:\n{error}")
        self.assertEqual(mismatches(stated, printed), [], name)


class ReadmeCommandsTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        config = configparser.ConfigParser()
        config.read(REPO_ROOT / "setup.cfg")
        self.extras = set(config["options.extras_require"])
        self.url = config["metadata"]["url"]
        self.hook_ids = {hook["id"] for hook in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())}
        # `compat-layers scan src/ notebooks/` and the like run on the examples.
        self.workdir = Path(self.create_tempdir().full_path)
        for name in ("src", "notebooks"):
            shutil.copytree(REPO_ROOT / "examples", self.workdir / name)

    def check_pip(self, words: list[str]) -> None:
        targets = [word for word in words[2:] if not word.startswith("-")]
        self.assertNotEqual(targets, [], words)
        for target in targets:
            match = re.fullmatch(r"(?:compat-layers|\.)(?:\[([\w,]+)\])?", target)
            self.assertIsNotNone(match, f"`{' '.join(words)}` installs something else: {target}")
            for extra in (match.group(1) or "").split(","):
                self.assertTrue(not extra or extra in self.extras, f"no extra [{extra}] in setup.cfg")

    def check_command(self, words: list[str]) -> None:
        program = Path(words[0]).name
        if program in ("python", "python3") and words[1:2] == ["-m"]:
            self.assertIn(words[2], ("venv", "pytest", "benchmarks", "compat_layers_cli"), words)
        elif program in ("python", "python3"):
            if words[1] != "train.py":  # the user's program
                self.assertTrue((REPO_ROOT / words[1]).is_file(), words)
        elif program == "pip":
            self.assertEqual(words[1], "install", words)
            self.check_pip(words)
        elif program == "pytest":
            self.assertIn("--compat-layers", words)
            self.assertIn('"--compat-layers"', (REPO_ROOT / "compat_layers_pytest.py").read_text())
        elif program == "compat-layers":
            result = subprocess.run(
                [sys.executable, "-m", "compat_layers_cli", *words[1:]],
                cwd=self.workdir, capture_output=True, text=True, timeout=_TIMEOUT_S,
                env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            )
            self.assertIn(result.returncode, (0, 1), f"{words}: {result.stderr[-2000:]}")
        else:
            self.fail(f"no check for this command of the README: {words}")

    def test_shell_blocks(self):
        commands = [words for code in blocks("sh") for words in shell_commands(code)]
        self.assertGreaterEqual(len(commands), 10)
        for words in commands:
            with self.subTest(command=" ".join(words)):
                self.check_command(words)

    def test_yaml_blocks(self):
        codes = blocks("yaml")
        self.assertLen(codes, 2)
        for words in workflow_commands(codes[0]):
            with self.subTest(command=" ".join(words)):
                self.check_command(words)
        (repository,) = yaml.safe_load(codes[1])
        self.assertEqual(repository["repo"], self.url)
        self.assertEqual({hook["id"] for hook in repository["hooks"]} - self.hook_ids, set())

    def test_the_readme_says_what_the_index_will_install(self):
        text = README.read_text()
        self.assertIn('pip install "compat-layers[tensorflow]"', text)
        self.assertIn("not on a package index yet", text)


class RelativeLinksTest(parameterized.TestCase):
    """Every relative link of the Markdown pages reaches a file of the
    checkout (and a heading, for `#anchor` links within a page)."""

    @parameterized.parameters("README.md", "CHANGELOG.md", *sorted(p.name for p in (REPO_ROOT / "docs").glob("*.md")))
    def test_links_resolve(self, name):
        page = REPO_ROOT / name if (REPO_ROOT / name).exists() else REPO_ROOT / "docs" / name
        text = _FENCE.sub("", page.read_text())
        anchors = {
            re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.*)$", text, flags=re.M)
        }
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            with self.subTest(link=target):
                path, _, anchor = target.partition("#")
                if path:
                    self.assertTrue((page.parent / path).exists(), f"{name}: {target}")
                else:
                    self.assertIn(anchor, anchors, f"{name}: {target}")


if __name__ == "__main__":
    absltest.main()
