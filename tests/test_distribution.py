"""The release artifacts: `python -m build` makes an sdist and a wheel (the
wheel from the sdist) that pass `twine check`, with the metadata and files a
release needs. The sdist carries the whole test suite (its pytest collects
every test file); the wheel only the packages; a plain install needs only the
command line's requirements.
"""

from __future__ import annotations

import configparser
import email.parser
import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import zipfile
from pathlib import Path

from absl.testing import absltest

REPO_ROOT = Path(__file__).resolve().parents[1]
_TIMEOUT_S = 900
# Source-tree folders whose every file the sdist carries.
_SOURCE_FOLDERS = ("compat_layers", "compat_layers_cli", "tests", "benchmarks", "examples", "docs", ".ci")
_NOT_SOURCE = ("__pycache__", ".hypothesis", ".pytest_cache", "_build")


def run(*command: str, cwd: Path = REPO_ROOT, **env: str) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=_TIMEOUT_S,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
    )
    if result.returncode != 0:
        raise AssertionError(f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def source_files() -> set[str]:
    """The files of the source tree a release is made from."""
    files = {path.name for path in REPO_ROOT.iterdir() if path.is_file() and not path.name.startswith(".")}
    files |= {".pre-commit-hooks.yaml"}
    for folder in _SOURCE_FOLDERS:
        for path in (REPO_ROOT / folder).rglob("*"):
            relative = path.relative_to(REPO_ROOT)
            if path.is_file() and path.suffix != ".pyc" and not set(relative.parts) & set(_NOT_SOURCE):
                files.add(relative.as_posix())
    return files


class DistributionTest(absltest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outdir = Path(tempfile.mkdtemp(prefix="compat_layers_dist_"))
        run(sys.executable, "-m", "build", "--outdir", str(cls.outdir), str(REPO_ROOT))
        (cls.sdist,) = cls.outdir.glob("*.tar.gz")
        (cls.wheel,) = cls.outdir.glob("*.whl")
        with zipfile.ZipFile(cls.wheel) as wheel:
            cls.wheel_files = set(wheel.namelist())
            (metadata,) = [name for name in cls.wheel_files if name.endswith(".dist-info/METADATA")]
            cls.metadata = email.parser.Parser().parsestr(wheel.read(metadata).decode())
        with tarfile.open(cls.sdist) as sdist:
            cls.sdist_root = cls.sdist.name.removesuffix(".tar.gz")
            cls.sdist_files = {
                name.removeprefix(cls.sdist_root + "/") for name in sdist.getnames()
                if sdist.getmember(name).isfile()
            }

    def test_twine_check_passes(self):
        out = run(sys.executable, "-m", "twine", "check", "--strict", str(self.sdist), str(self.wheel))
        self.assertEqual(out.count("PASSED"), 2, out)

    def test_plain_install_needs_only_the_command_lines_requirements(self):
        requires = self.metadata.get_all("Requires-Dist")
        plain = sorted(req.split(">")[0].split(";")[0].strip() for req in requires if "extra ==" not in req)
        # tomli only where Python has no tomllib (the CLI reads pyproject.toml).
        self.assertEqual(plain, ["libcst", "tomli", "tqdm"])
        (tomli,) = [req for req in requires if req.startswith("tomli")]
        self.assertIn('python_version < "3.11"', tomli)
        extras = set(self.metadata.get_all("Provides-Extra"))
        self.assertLessEqual({"keras", "tensorflow", "test", "docs"}, extras)
        for extra in ("keras", "tensorflow"):
            with self.subTest(extra=extra):
                given = {req.split(";")[0].replace(" ", "") for req in requires if f'extra == "{extra}"' in req}
                self.assertLessEqual({"keras>=3.10", "numpy"}, given)

    def test_metadata_for_an_index_page(self):
        self.assertEqual(self.metadata["License-Expression"], "Apache-2.0")
        classifiers = self.metadata.get_all("Classifier")
        self.assertEqual([c for c in classifiers if c.startswith("License ::")], [])
        for version in ("3.10", "3.11", "3.12", "3.13"):
            self.assertIn(f"Programming Language :: Python :: {version}", classifiers)
        self.assertIn("Typing :: Typed", classifiers)
        config = configparser.ConfigParser()
        config.read(REPO_ROOT / "setup.cfg")
        for line in config["metadata"]["project_urls"].strip().splitlines():
            label, url = (part.strip() for part in line.split("="))
            self.assertIn(f"{label}, {url}", self.metadata.get_all("Project-URL"))
        self.assertTrue(self.metadata["Author"])
        description = self.metadata.get_payload()
        self.assertEqual(description.strip(), (REPO_ROOT / "docs" / "pypi.md").read_text().strip())
        # An index page has no checkout: no relative links, and `pip install` first.
        self.assertNotRegex(description, r"\]\((?!https?://)[^)]*\)")
        self.assertLess(description.index("pip install"), description.index("```python"))

    def test_wheel_has_the_packages_and_start_up_hook_only(self):
        for name in ("compat_layers/py.typed", "compat_layers_cli/py.typed", "compat_layers.pth",
                     "_compat_layers_autoinstall.py", "compat_layers_pytest.py"):
            self.assertIn(name, self.wheel_files)
        for folder in ("compat_layers", "compat_layers_cli"):
            for path in (REPO_ROOT / folder).glob("*.py"):
                self.assertIn(f"{folder}/{path.name}", self.wheel_files)
        self.assertEqual({name.split("/")[0] for name in self.wheel_files if name.startswith(("tests", "docs"))}, set())

    def test_sdist_carries_the_source_tree(self):
        self.assertEqual(source_files() - self.sdist_files, set())
        for name in ("tests/conftest.py", "tests/parity/oracle.py", "CHANGELOG.md", "docs/conf.py"):
            self.assertIn(name, self.sdist_files)

    def test_pytest_collects_every_test_file_from_the_sdist(self):
        with tempfile.TemporaryDirectory() as directory, tarfile.open(self.sdist) as sdist:
            sdist.extractall(directory, filter="data")
            root = Path(directory) / self.sdist_root
            out = run(sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                      "tests", cwd=root, PYTHONPATH=str(root))
        collected = {line.split("::")[0] for line in out.splitlines() if "::" in line}
        expected = {path.relative_to(REPO_ROOT).as_posix() for path in (REPO_ROOT / "tests").glob("test_*.py")}
        self.assertEqual(collected, expected)


class WithoutTensorFlowTest(absltest.TestCase):
    def test_import_names_the_extra_to_install(self):
        # TensorFlow made unimportable, as in `pip install compat-layers`.
        code = textwrap.dedent(
            """
            import sys
            class Missing:
                def find_spec(self, name, path=None, target=None):
                    if name.split(".")[0] == "tensorflow":
                        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            sys.meta_path.insert(0, Missing())
            try:
                import compat_layers
            except ModuleNotFoundError as error:
                print(type(error).__name__, error.name, "|", error)
            print("partly imported:", "compat_layers" in sys.modules)
            """
        )
        out = run(sys.executable, "-c", code, PYTHONPATH=str(REPO_ROOT))
        self.assertIn("ModuleNotFoundError tensorflow |", out)
        self.assertIn('pip install "compat-layers[tensorflow]"', out)
        self.assertIn("partly imported: False", out)


if __name__ == "__main__":
    absltest.main()
