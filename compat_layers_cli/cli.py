"""`compat-layers`: find and migrate TF1 uses of `tf.compat.v1.layers`.

The command line over `compat_layers.codemod`: which files to read (`.py`
files and notebooks, directories walked), what to print, how to write
(atomically), and the exit status.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import functools
import json
import os
import stat
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Callable, Iterable, Sequence, TextIO, TypeVar

from tqdm import tqdm

from compat_layers import codemod
from compat_layers._version import __version__

EXIT_CLEAN = 0
EXIT_FOUND = 1  # scan: uses found; migrate --check: changes pending
EXIT_ERROR = 2  # a path could not be read, parsed or written (or bad usage)

_SOURCE_SUFFIXES = (".py", ".ipynb")
_T = TypeVar("_T")

_EPILOG = textwrap.dedent(
    """\
    examples:
      compat-layers scan src/ notebooks/         list every use, then a summary
      compat-layers scan --format json src/      the same, as JSON
      compat-layers migrate src/                 show the rewrite as a diff
      compat-layers migrate --write src/         apply it
      compat-layers migrate --check src/         exit 1 while changes are pending

    uses: tf.layers.* / tf.compat.v1.layers.* / tensorflow.compat.v1.layers.*
    and tf.compat.v1.keras.utils.{track_tf1_style_variables,
    get_or_create_layer, DeterministicRandomTestTool}, through any import
    alias, in .py files and the code cells of .ipynb notebooks. Directories
    are walked for both, skipping hidden directories, __pycache__, virtual
    environments and symbolic links.

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
    scan.add_argument("--format", choices=("text", "json"), default="text")
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
def _scan(args: argparse.Namespace) -> int:
    report = _Report()
    files = _discover(args.paths, report)
    uses: list[tuple[str, codemod.Use]] = []
    for path in _progress(files, "scanning", args.progress):
        scanner = codemod.scan_notebook if path.suffix == ".ipynb" else codemod.scan_source
        uses += [(str(path), use) for use in _process(path, report, scanner) or ()]

    if args.format == "json":
        json.dump(_scan_json(uses, len(files), report), sys.stdout, indent=2)
        print()
    else:
        for path, use in uses:
            print(f"{_location(path, use)} {use.name}")
        _print_summary(uses, len(files))
    report.print(sys.stderr)
    if report.errors:
        return EXIT_ERROR
    return EXIT_FOUND if uses else EXIT_CLEAN


def _location(path: str, use: codemod.Use) -> str:
    cell = f"#cell{use.cell}" if use.cell is not None else ""
    return f"{path}{cell}:{use.line}:{use.column}"


def _print_summary(uses: list[tuple[str, codemod.Use]], scanned: int) -> None:
    if not uses:
        print(f"No TF1 uses found ({_plural(scanned, 'file')} scanned).")
        return
    files_per_name: dict[str, set[str]] = collections.defaultdict(set)
    for path, use in uses:
        files_per_name[use.name].add(path)
    counts = codemod.summarize([use for _, use in uses])
    width = max(len("name"), *map(len, counts))
    print()
    print(f"{'name':<{width}}  {'uses':>5}  {'files':>5}")
    for name, count in counts.items():
        print(f"{name:<{width}}  {count:>5}  {len(files_per_name[name]):>5}")
    files_with_uses = len({path for path, _ in uses})
    print(
        f"{_plural(len(uses), 'use')} in {_plural(files_with_uses, 'file')} "
        f"({_plural(scanned, 'file')} scanned)."
    )


def _scan_json(uses: list[tuple[str, codemod.Use]], scanned: int, report: _Report) -> dict:
    return {
        "uses": [{"path": path, **dataclasses.asdict(use)} for path, use in uses],
        "summary": codemod.summarize([use for _, use in uses]),
        "files_scanned": scanned,
        "errors": [{"path": path, "message": message} for path, message in report.errors],
        "skipped": [{"path": path, "reason": reason} for path, reason in report.notes],
    }


# ---------------------------------------------------------------- migrate
def _migrate(args: argparse.Namespace) -> int:
    report = _Report()
    files = _discover(args.paths, report)
    changed: list[Path] = []
    for path in _progress(files, "migrating", args.progress):
        migrator = codemod.migrate_notebook if path.suffix == ".ipynb" else codemod.migrate_source
        migration = _process(path, report, functools.partial(migrator, path=str(path)))
        if migration is None:
            continue
        for use in migration.left_unchanged:
            report.notes.append(
                (_location(str(path), use), f"left unchanged: {use.name} is assigned or deleted")
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


def _process(path: Path, report: _Report, action: Callable[[bytes], _T]) -> _T | None:
    """`action(contents of path)`, or None with the reason in `report`."""
    try:
        return action(path.read_bytes())
    except OSError as error:
        report.errors.append((str(path), f"cannot be read: {error.strerror or error}"))
    except codemod.CodemodError as error:
        report.errors.append((str(path), str(error)))
    return None


def _progress(files: list[Path], description: str, enabled: bool) -> Iterable[Path]:
    # tqdm draws only on a terminal (disable=None) and only after `delay`
    # seconds, so small trees and pipes never see a bar.
    return tqdm(files, desc=description, unit="file", delay=0.5, leave=False,
                disable=None if enabled else True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
