"""`[tool.compat-layers]` in pyproject.toml: which files and rules `compat-layers` uses.

    [tool.compat-layers]
    extend-exclude = ["third_party", "experiments/*.py"]
    ignore = ["tf-estimator"]
    docs-url = "https://docs.example.com/compat-layers/scan-rules.html"

The options follow ruff's `[tool.ruff]` where ruff has one (`exclude`,
`extend-exclude`, `select`, `ignore`, `respect-gitignore`, `force-exclude`),
and the table is found as ruff finds its own: the nearest pyproject.toml with a
`[tool.compat-layers]` table, walking up from the path given. `docs-url` has
no ruff equivalent: it is where the rule pages live (a mirror inside a
company network, a pinned release).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import sys
from pathlib import Path
from typing import Any, Iterable

from compat_layers_cli import rules

SECTION = "compat-layers"
# The scan-rules page; each rule's link is this address plus `#<rule id>`.
# The project's addresses are written in setup.cfg (`project_urls`) too: keep
# the two in step.
DEFAULT_DOCS_URL = "https://github.com/OWNER/compat_layers/blob/main/docs/scan-rules.md"
# Hidden directories (.git, .tox, .venv) and bytecode caches. Virtual
# environments and symbolic links are skipped whatever `exclude` says.
DEFAULT_EXCLUDE = (".*", "__pycache__")


class ConfigError(Exception):
    """A pyproject.toml or command-line option that cannot be used; the message is one line."""


@dataclasses.dataclass(frozen=True)
class Config:
    """The options in effect for one path given on the command line.

    Attributes:
      root: The directory that relative `exclude` patterns start from: the
        pyproject.toml's, or the working directory when there is none.
      source: The pyproject.toml read, if any.
      exclude: Glob patterns of paths not walked into (replaces the default).
      extend_exclude: More patterns, on top of `exclude`.
      select: The rule ids reported (None: all).
      ignore: Rule ids not reported, whatever `select` says.
      docs_url: The address of the scan-rules page.
      respect_gitignore: Whether git-ignored files and directories are skipped.
      force_exclude: Whether `exclude` and .gitignore apply to files named on
        the command line too (pre-commit names every staged file).
    """

    root: Path
    source: Path | None = None
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    docs_url: str = DEFAULT_DOCS_URL
    respect_gitignore: bool = True
    force_exclude: bool = False

    def with_command_line(
        self,
        select: Iterable[str] | None,
        ignore: Iterable[str],
        extend_exclude: Iterable[str] = (),
        force_exclude: bool = False,
    ) -> Config:
        """These options with the command line's: `--select` replaces `select`,
        `--ignore` and `--extend-exclude` add to theirs (as in ruff)."""
        select = _rule_ids(select, "--select") if select is not None else self.select
        return dataclasses.replace(
            self,
            select=select,
            ignore=self.ignore + _rule_ids(ignore, "--ignore"),
            extend_exclude=self.extend_exclude + tuple(extend_exclude),
            force_exclude=self.force_exclude or force_exclude,
        )

    def rules(self) -> frozenset[str]:
        """The ids of the rules reported."""
        selected = self.select if self.select is not None else tuple(rules.RULES)
        return frozenset(selected) - frozenset(self.ignore)

    def excludes(self, path: Path) -> bool:
        """Whether `exclude` / `extend-exclude` match `path`.

        As in ruff: a pattern without a slash matches a file or directory
        name anywhere (`build`, `*_pb2.py`); one with a slash matches the path
        relative to `root` (`src/generated/*.py`).
        """
        relative = None
        for pattern in self.exclude + self.extend_exclude:
            pattern = pattern.removeprefix("./").rstrip("/")
            if "/" not in pattern:
                if fnmatch.fnmatchcase(path.name, pattern):
                    return True
                continue
            if relative is None:  # Only for such a pattern (it reads the working directory).
                relative = Path(os.path.relpath(os.path.abspath(path), self.root)).as_posix()
            if fnmatch.fnmatchcase(relative, pattern):
                return True
        return False


def find(start: Path) -> Config:
    """The options for `start`: those of the nearest pyproject.toml with a
    `[tool.compat-layers]` table in `start`'s directory or above it, else the
    defaults.

    Raises:
      ConfigError: That table has an unknown option or a wrong value.
    """
    directory = Path(os.path.abspath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            table = _table(pyproject)
            if table is not None:
                return _config(table, pyproject)
    return Config(root=Path.cwd())


def _table(pyproject: Path) -> dict[str, Any] | None:
    # Imported here: `--version` and `--help` read no pyproject.toml.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same parser, as a package (a dependency there only).
        import tomli as tomllib

    try:
        with pyproject.open("rb") as file:
            document = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot be read: {error}") from None
    return document.get("tool", {}).get(SECTION)


_LIST_OPTIONS = ("exclude", "extend-exclude", "select", "ignore")
_BOOL_OPTIONS = ("respect-gitignore", "force-exclude")


def _config(table: dict[str, Any], pyproject: Path) -> Config:
    where = f"{pyproject}: [tool.{SECTION}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} is not a table")
    options: dict[str, Any] = {}
    for key, value in table.items():
        if key in _LIST_OPTIONS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{where}: {key} must be a list of strings")
            value = tuple(value)
            if key in ("select", "ignore"):
                value = _rule_ids(value, f"{where}: {key}")
        elif key in _BOOL_OPTIONS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: {key} must be true or false")
        elif key == "docs-url":
            if not isinstance(value, str) or not value.startswith(("https://", "http://")):
                raise ConfigError(f"{where}: docs-url must be an http(s) address")
        else:
            known = ", ".join((*_LIST_OPTIONS, *_BOOL_OPTIONS, "docs-url"))
            raise ConfigError(f"{where}: unknown option {key!r} (known: {known})")
        options[key.replace("-", "_")] = value
    return Config(root=pyproject.parent, source=pyproject, **options)


def _rule_ids(values: Iterable[str], where: str) -> tuple[str, ...]:
    """Rule ids, each checked; command-line values may be comma-separated."""
    ids = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    unknown = [rule_id for rule_id in ids if rule_id not in rules.RULES]
    if unknown:
        raise ConfigError(
            f"{where}: unknown rule {', '.join(unknown)} (known: {', '.join(rules.RULES)})"
        )
    return ids
