"""`compat-layers`: find and migrate TF1 uses of `tf.compat.v1.layers`.

The command line over `compat_layers_cli.codemod`: which files to read (`.py`
files and notebooks, directories walked), what to print (text, JSON, SARIF,
GitHub workflow commands), how to write (atomically), and the exit status.
It imports no TensorFlow (see `compat_layers_cli`); large trees are scanned
by a pool of worker processes.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import functools
import importlib.util
import json
import os
import runpy
import stat
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence, TextIO, TypeVar

from compat_layers_cli import rules

# codemod (libcst's metadata machinery), formats and tqdm are imported where
# they are used: together they take longer to import than Python takes to
# start, and `--version`, `--help` and usage errors need none of them.
if TYPE_CHECKING:
    from compat_layers_cli import codemod


def _read_version() -> str:
    """compat_layers' release number, from `compat_layers/_version.py`
    without importing the package (which imports TensorFlow)."""
    spec = importlib.util.find_spec("compat_layers")
    if spec is None or not spec.submodule_search_locations:
        return "unknown"
    return runpy.run_path(str(Path(spec.submodule_search_locations[0]) / "_version.py"))[
        "__version__"
    ]


__version__ = _read_version()

EXIT_CLEAN = 0
EXIT_FOUND = 1  # scan: uses found; migrate --check: changes pending
EXIT_ERROR = 2  # a path could not be read, parsed or written (or bad usage)

_SOURCE_SUFFIXES = (".py", ".ipynb")
_T = TypeVar("_T")
# Below this many files one process is faster: each worker first imports libcst.
_PARALLEL_MIN_FILES = 200
_MAX_JOBS = 8

_EPILOG = textwrap.dedent(
    """\
    examples:
      compat-layers scan src/ notebooks/         list every use, then a summary
      compat-layers scan --format json src/      the same, as JSON
      compat-layers migrate src/                 show the rewrite as a diff
      compat-layers migrate --write src/         apply it
      compat-layers migrate --check src/         exit 1 while changes are pending

    uses: tf.layers.* / tf.compat.v1.layers.* / tensorflow.compat.v1.layers.*
    (and TF1's tensorflow.python.layers modules) and
    tf.compat.v1.keras.utils.{track_tf1_style_variables,
    get_or_create_layer, DeterministicRandomTestTool}, through any import
    alias, in .py files and the code cells of .ipynb notebooks. Directories
    are walked for both, skipping hidden directories, __pycache__, virtual
    environments and symbolic links. scan also lists, marked "not covered",
    what TensorFlow 2.16+ removed that compat_layers does not provide
    (tf.contrib, tf.estimator, names and arguments Keras 3 dropped); each
    rule is explained in docs/scan-rules.md.

    exit status: 0 nothing found / nothing to change, 1 uses found (scan) or
    changes pending (migrate --check), 2 a path could not be read, parsed or
    written (the others are still processed).

    To run TF1 code unchanged instead, call compat_layers.install() or set
    COMPAT_LAYERS_INSTALL=1.
    """
)


@dataclasses.dataclass
class _Report:
    """Per-path problems, printed as one line each."""

    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    notes: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def print(self, stream: TextIO) -> None:
        for path, message in self.notes:
            print(f"{path}: {message}", file=stream)
        for path, message in self.errors:
            print(f"{path}: error: {message}", file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return args.command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compat-layers",
        description="Find and migrate TF1 uses of tf.compat.v1.layers and of the "
        "keras.utils migration tools Keras 3 dropped.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    scan = commands.add_parser(
        "scan",
        help="list every use (exit 1 when there are any)",
        description="List every use as file:line:col name, then a summary table.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), default="text",
        help="text (default), json, sarif (SARIF 2.1.0, for code scanning) or github "
        "(workflow-command annotations)",
    )
    scan.add_argument("--covered-only", dest="not_covered", action="store_false",
                      help="only what compat_layers provides (what migrate rewrites)")
    scan.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                      help="worker processes (default: one per CPU for large trees)")
    scan.set_defaults(command=_scan)

    migrate = commands.add_parser(
        "migrate",
        help="rewrite the uses to compat_layers (a diff unless --write)",
        description="Rewrite every use to compat_layers / compat_layers.utils, adding "
        "`import compat_layers` once. Prints a unified diff unless --write or --check.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = migrate.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true",
                      help="apply the changes (each file replaced atomically)")
    mode.add_argument("--check", action="store_true",
                      help="only list the files that would change; exit 1 if any")
    migrate.set_defaults(command=_migrate)

    for command in (scan, migrate):
        command.add_argument("paths", nargs="+", metavar="PATH",
                             help="a .py file, a notebook or a directory")
        command.add_argument("--no-progress", dest="progress", action="store_false",
                             help="no progress bar (it only shows on a terminal anyway)")
    return parser


# ------------------------------------------------------------------- scan
def _jobs(text: str) -> int:
    jobs = int(text)
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (automatic) or more")
    return jobs


def _scan(args: argparse.Namespace) -> int:
    from compat_layers_cli import codemod, formats

    report = _Report()
    files = _discover(args.paths, report)
    found: list[tuple[str, codemod.Use]] = []
    scan_file = functools.partial(_scan_file, not_covered=args.not_covered)
    results = _map(scan_file, files, _job_count(args.jobs, len(files)))
    for path, (uses, error) in zip(files, _progress(results, len(files), "scanning", args.progress)):
        if error is not None:
            report.errors.append((str(path), error))
        found += [(str(path), use) for use in uses]

    uses = [(path, use) for path, use in found if use.covered]
    not_covered = [(path, use) for path, use in found if not use.covered]
    if args.format == "json":
        json.dump(_scan_json(uses, not_covered, len(files), report), sys.stdout, indent=2)
        print()
    elif args.format == "sarif":
        sarif = formats.sarif(found, report.errors, report.notes, tool_version=__version__)
        json.dump(sarif, sys.stdout, indent=2)
        print()
    elif args.format == "github":
        sys.stdout.writelines(formats.github(found, report.errors))
    else:
        for path, use in found:
            mark = "" if use.covered else f" (not covered: {use.rule})"
            print(f"{formats.location(path, use)} {use.name}{mark}")
        _print_summary(uses, not_covered, len(files))
    report.print(sys.stderr)
    if report.errors:
        return EXIT_ERROR
    return EXIT_FOUND if found else EXIT_CLEAN


def _scan_file(path: Path, not_covered: bool) -> tuple[list[codemod.Use], str | None]:
    """One file's uses, or its one-line error (in a worker process, for large trees)."""
    from compat_layers_cli import codemod

    scanner = codemod.scan_notebook if path.suffix == ".ipynb" else codemod.scan_source
    uses, error = _try(path, functools.partial(scanner, not_covered=not_covered))
    return uses or [], error


def _job_count(requested: int, files: int) -> int:
    """`--jobs`, or for 0 one worker per usable CPU once a tree is large enough."""
    if requested:
        return requested
    if files < _PARALLEL_MIN_FILES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, _MAX_JOBS, files // (_PARALLEL_MIN_FILES // 2)))


def _map(function: Callable[[Path], _T], files: list[Path], jobs: int) -> Iterator[_T]:
    """`map(function, files)` in order, over `jobs` worker processes when > 1."""
    if jobs <= 1:
        yield from map(function, files)
        return
    # "spawn", not fork: the parent may have threads (tqdm's monitor, a test
    # runner's), and a forked copy of a lock some thread held deadlocks.
    # Workers import only compat_layers_cli (libcst), never TensorFlow.
    import concurrent.futures
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        # Chunks amortize the round trips; a few per worker keep them all busy.
        yield from pool.map(function, files, chunksize=max(1, len(files) // (jobs * 8)))


def _print_summary(
    uses: list[tuple[str, codemod.Use]], not_covered: list[tuple[str, codemod.Use]], scanned: int
) -> None:
    if not uses and not not_covered:
        print(f"No TF1 uses found ({_plural(scanned, 'file')} scanned).")
        return
    if uses:
        _print_table(uses, ("name",))
    if not_covered:
        _print_table(not_covered, ("not covered by compat_layers", "rule"))
    summary = f"{_plural(len(uses), 'use')} in {_plural(len({p for p, _ in uses}), 'file')}"
    if not_covered:
        summary += (
            f", {len(not_covered)} more not covered by compat_layers in "
            f"{_plural(len({p for p, _ in not_covered}), 'file')} (see {rules.DOCS})"
        )
    print(f"{summary} ({_plural(scanned, 'file')} scanned).")


def _print_table(uses: list[tuple[str, codemod.Use]], header: tuple[str, ...]) -> None:
    """Per name: (its rule,) how often it is used and in how many files."""
    from compat_layers_cli import codemod

    files_per_name: dict[str, set[str]] = collections.defaultdict(set)
    rule_per_name = {}
    for path, use in uses:
        files_per_name[use.name].add(path)
        rule_per_name[use.name] = use.rule
    counts = codemod.summarize([use for _, use in uses])
    width = max(len(header[0]), *map(len, counts))
    rule_column = len(header) > 1
    rule_width = max(len("rule"), *map(len, rule_per_name.values())) if rule_column else 0
    print()
    rule_header = f"  {'rule':<{rule_width}}" if rule_column else ""
    print(f"{header[0]:<{width}}{rule_header}  {'uses':>5}  {'files':>5}")
    for name, count in counts.items():
        rule = f"  {rule_per_name[name]:<{rule_width}}" if rule_column else ""
        print(f"{name:<{width}}{rule}  {count:>5}  {len(files_per_name[name]):>5}")


def _scan_json(
    uses: list[tuple[str, codemod.Use]],
    not_covered: list[tuple[str, codemod.Use]],
    scanned: int,
    report: _Report,
) -> dict:
    from compat_layers_cli import codemod

    def entry(path: str, use: codemod.Use) -> dict:
        # The keys `uses` always had; not-covered entries add their rule.
        return {"path": path, "line": use.line, "column": use.column, "name": use.name,
                "cell": use.cell}

    return {
        "uses": [entry(path, use) for path, use in uses],
        "summary": codemod.summarize([use for _, use in uses]),
        "not_covered": [{**entry(path, use), "rule": use.rule, "docs": rules.RULES[use.rule].docs}
                        for path, use in not_covered],
        "not_covered_summary": codemod.summarize([use for _, use in not_covered]),
        "files_scanned": scanned,
        "errors": [{"path": path, "message": message} for path, message in report.errors],
        "skipped": [{"path": path, "reason": reason} for path, reason in report.notes],
    }


# ---------------------------------------------------------------- migrate
def _migrate(args: argparse.Namespace) -> int:
    from compat_layers_cli import codemod, formats

    report = _Report()
    files = _discover(args.paths, report)
    changed: list[Path] = []
    for path in _progress(files, len(files), "migrating", args.progress):
        migrator = codemod.migrate_notebook if path.suffix == ".ipynb" else codemod.migrate_source
        migration = _process(path, report, functools.partial(migrator, path=str(path)))
        if migration is None:
            continue
        for use in migration.left_unchanged:
            report.notes.append(
                (formats.location(str(path), use),
                 f"left unchanged: {use.name} is assigned or deleted")
            )
        if not migration.changed:
            continue
        if args.write:
            try:
                _write_atomically(path, migration.before, migration.after)
            except (OSError, _NotWritten) as error:
                report.errors.append((str(path), f"not changed: {error}"))
                continue
            print(f"migrated {path}")
        elif args.check:
            print(f"would migrate {path}")
        else:
            sys.stdout.write(migration.diff)
        changed.append(path)

    report.print(sys.stderr)
    verb = "migrated" if args.write else "would be migrated"
    print(f"{_plural(len(changed), 'file')} {verb} ({_plural(len(files), 'file')} read).",
          file=sys.stderr)
    if report.errors:
        return EXIT_ERROR
    return EXIT_FOUND if args.check and changed else EXIT_CLEAN


class _NotWritten(Exception):
    """A file `--write` must leave alone."""


def _write_atomically(path: Path, before: bytes, after: bytes) -> None:
    """Replaces `path`'s contents in one rename, keeping its permission bits.

    The new contents go to a temporary file in the same directory first, so an
    interrupted run leaves either the old file or the new one, never a part.

    Raises:
      _NotWritten: `path` is a symbolic link, read-only, or changed since it
        was read.
      OSError: The directory cannot be written.
    """
    if path.is_symlink():
        raise _NotWritten(f"a symbolic link; migrate {path.resolve()} itself")
    mode = stat.S_IMODE(path.stat().st_mode)
    # The mode bits too: os.access() lets root write anything.
    if not os.access(path, os.W_OK) or not mode & 0o222:
        raise _NotWritten("read-only")
    if path.read_bytes() != before:
        raise _NotWritten("it changed while compat-layers was running")
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(after)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


# ----------------------------------------------------------------- shared
def _discover(paths: Sequence[str], report: _Report) -> list[Path]:
    """The files to read, each once: explicit files as given, directories walked."""
    files: list[Path] = []
    seen: set[Path] = set()
    for name in paths:
        path = Path(name)
        if not path.exists():
            reason = "broken symbolic link" if path.is_symlink() else "no such file or directory"
            report.errors.append((name, reason))
            continue
        for file in _walk(path, report) if path.is_dir() else [path]:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def _walk(root: Path, report: _Report) -> list[Path]:
    files = []
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory)
        kept = []
        for name in sorted(subdirectories):
            if name.startswith(".") or name == "__pycache__":
                continue
            if (here / name).is_symlink():
                report.notes.append((str(here / name), "skipped: symbolic link"))
            elif (here / name / "pyvenv.cfg").exists():
                report.notes.append((str(here / name), "skipped: virtual environment"))
            else:
                kept.append(name)
        subdirectories[:] = kept
        for name in sorted(names):
            if not name.endswith(_SOURCE_SUFFIXES):
                continue
            if (here / name).is_symlink():
                report.notes.append((str(here / name), "skipped: symbolic link"))
            else:
                files.append(here / name)
    return files


def _try(path: Path, action: Callable[[bytes], _T]) -> tuple[_T | None, str | None]:
    """`(action(contents of path), None)`, or `(None, why not)` in one line."""
    from compat_layers_cli import codemod

    try:
        return action(path.read_bytes()), None
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"
    except codemod.CodemodError as error:
        return None, str(error)


def _process(path: Path, report: _Report, action: Callable[[bytes], _T]) -> _T | None:
    """`action(contents of path)`, or None with the reason in `report`."""
    result, error = _try(path, action)
    if error is not None:
        report.errors.append((str(path), error))
    return result


def _progress(items: Iterable[_T], total: int, description: str, enabled: bool) -> Iterable[_T]:
    from tqdm import tqdm

    # tqdm draws only on a terminal (disable=None) and only after `delay`
    # seconds, so small trees and pipes never see a bar.
    return tqdm(items, total=total, desc=description, unit="file", delay=0.5, leave=False,
                disable=None if enabled else True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
