"""`compat-layers`: find and migrate TF1 uses of `tf.compat.v1.layers`.

The command line over `compat_layers_cli.codemod`: which files to read (`.py`
files and notebooks, directories walked), what to print (text, JSON, SARIF,
GitHub workflow commands), how to write (atomically), and the exit status.
Options come from `[tool.compat-layers]` in pyproject.toml
(`compat_layers_cli.config`) and the command line, in ruff's manner. It
imports no TensorFlow (see `compat_layers_cli`); large trees are scanned by a
pool of worker processes.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import errno
import functools
import importlib.util
import json
import os
import re
import runpy
import stat
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence, TextIO, TypeVar

from compat_layers_cli import config as config_
from compat_layers_cli import rules

# codemod (libcst), formats and tqdm are imported where
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
# The reader of standard output went away (`compat-layers scan | head`): what
# a shell reports for a program a closed pipe ended (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141
# JSON output's layout; raised when a key changes meaning or goes away.
JSON_SCHEMA_VERSION = 1
STDIN = "-"

_SOURCE_SUFFIXES = (".py", ".ipynb")
_T = TypeVar("_T")
# Below this many files one process is faster: each worker first imports libcst.
_PARALLEL_MIN_FILES = 200
_MAX_JOBS = 8

_EPILOG = textwrap.dedent(
    """\
    examples:
      compat-layers scan                         the current directory
      compat-layers scan src/ notebooks/         list every use, then a summary
      compat-layers scan --format json src/      the same, as JSON
      compat-layers scan --ignore tf-estimator   all rules but one
      compat-layers scan - < model.py            standard input
      compat-layers migrate src/                 show the rewrite as a diff
      compat-layers migrate --write src/         apply it
      compat-layers migrate --check src/         exit 1 while changes are pending
      compat-layers migrate - < old.py > new.py  standard input to output

    uses: tf.layers.* / tf.compat.v1.layers.* / tensorflow.compat.v1.layers.*
    (and TF1's tensorflow.python.layers modules) and
    tf.compat.v1.keras.utils.{track_tf1_style_variables,
    get_or_create_layer, DeterministicRandomTestTool}, through any import
    alias, in .py files and the code cells of .ipynb notebooks. Directories
    are walked for both, skipping hidden directories, __pycache__, virtual
    environments, symbolic links, git-ignored paths and what
    [tool.compat-layers] in pyproject.toml excludes. scan also lists, marked
    "not covered", what TensorFlow 2.16+ removed that compat_layers does not
    provide (tf.contrib, tf.estimator, names and arguments Keras 3 dropped);
    each finding links its rule's docs. A `# compat-layers: ignore[RULE]`
    comment (or `# compat-layers: ignore`) hides a line's findings from scan
    and keeps migrate from rewriting them; select and ignore apply to both.

    exit status: 0 nothing found / nothing to change, 1 uses found (scan) or
    changes pending (migrate --check), 2 a path could not be read, parsed or
    written (the others are still processed) or bad usage or configuration.

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
    try:
        status = args.command(args)
        # Inside the `try`: a reader that left early shows here at the latest.
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's own flush at exit would fail again and print a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except config_.ConfigError as error:
        print(f"compat-layers: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    return status


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
    scan.add_argument("--exit-zero", action="store_true",
                      help="exit 0 even when uses are found (2 still means an error)")
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
    mode.add_argument("--diff", action="store_true",
                      help="print the changes as a unified diff (the default; for `-` too)")
    migrate.set_defaults(command=_migrate)

    for command in (scan, migrate):
        command.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                             help="a .py file, a notebook, a directory (default: .) or - "
                             "for standard input")
        command.add_argument("--no-progress", dest="progress", action="store_false",
                             help="no progress bar (it only shows on a terminal anyway)")
        command.add_argument("--extend-exclude", action="append", default=[], metavar="PATTERN",
                             help="one more pattern of paths not to walk into")
        command.add_argument("--force-exclude", action="store_true",
                             help="apply exclusions and .gitignore to the files named too")
        command.add_argument("--select", action="append", metavar="RULES",
                             help="comma-separated rule ids to report / apply, replacing the "
                             "configured `select` (default: all)")
        command.add_argument("--ignore", action="append", default=[], metavar="RULES",
                             help="comma-separated rule ids not to report / apply, added to the "
                             "configured `ignore`")
        command.add_argument("--stdin-filename", metavar="NAME",
                             help="the name `-` is reported under (a .ipynb name reads a notebook)")
    return parser


def _settings(args: argparse.Namespace) -> config_.Config:
    """pyproject.toml's `[tool.compat-layers]` for the first path, with the command line's options.

    Raises:
      ConfigError: An option is unusable, or `-` is given with other paths.
    """
    if STDIN in args.paths and len(args.paths) > 1:
        raise config_.ConfigError("- (standard input) cannot be combined with other paths")
    start = (args.stdin_filename or ".") if args.paths == [STDIN] else args.paths[0]
    return config_.find(Path(start)).with_command_line(
        select=args.select, ignore=args.ignore,
        extend_exclude=args.extend_exclude, force_exclude=args.force_exclude,
    )


# ------------------------------------------------------------------- scan
def _jobs(text: str) -> int:
    jobs = int(text)
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (automatic) or more")
    return jobs


def _scan(args: argparse.Namespace) -> int:
    from compat_layers_cli import codemod, formats

    settings = _settings(args)
    selected = settings.rules()
    if not args.not_covered:
        selected = frozenset(rule for rule in selected if rules.RULES[rule].covered)
    report = _Report()
    scan_data = functools.partial(_scan_data, selected=selected)
    if args.paths == [STDIN]:
        names = [args.stdin_filename or "<stdin>"]
        results: Iterable[tuple[list[codemod.Use], str | None]] = [
            scan_data(sys.stdin.buffer.read(), notebook=names[0].endswith(".ipynb"))
        ]
    else:
        files = _discover(args.paths, settings, report)
        names = [str(path) for path in files]
        scan_file = functools.partial(_scan_file, selected=selected)
        results = _progress(_map(scan_file, files, _job_count(args.jobs, len(files))),
                            len(files), "scanning", args.progress)
    found: list[tuple[str, codemod.Use]] = []
    failed = 0
    for name, (uses, error) in zip(names, results):
        if error is not None:
            report.errors.append((name, error))
            failed += 1
        found += [(name, use) for use in uses]

    uses = [(path, use) for path, use in found if use.covered]
    not_covered = [(path, use) for path, use in found if not use.covered]
    if args.format == "json":
        json.dump(_scan_json(uses, not_covered, len(names), report, settings.docs_url),
                  sys.stdout, indent=2)
        print()
    elif args.format == "sarif":
        sarif = formats.sarif(found, report.errors, settings.docs_url, report.notes,
                              tool_version=__version__)
        json.dump(sarif, sys.stdout, indent=2)
        print()
    elif args.format == "github":
        sys.stdout.writelines(formats.github(found, report.errors, settings.docs_url))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            # Appended: the file collects every command of the step.
            with open(summary, "a", encoding="utf-8") as file:
                file.write(formats.github_summary(found, report.errors, settings.docs_url,
                                                  len(names)))
    else:
        for path, use in found:
            mark = "" if use.covered else f" (not covered: {use.rule})"
            print(f"{formats.location(path, use)} {use.name}{mark}")
        _print_summary(uses, not_covered, len(names), failed, report, settings.docs_url)
    report.print(sys.stderr)
    if report.errors:
        return EXIT_ERROR
    return EXIT_FOUND if found and not args.exit_zero else EXIT_CLEAN


def _scan_file(path: Path, selected: frozenset[str]) -> tuple[list[codemod.Use], str | None]:
    """One file's uses, or its one-line error (in a worker process, for large trees)."""
    data, error = _read(path)
    if data is None:
        return [], error
    return _scan_data(data, path.suffix == ".ipynb", selected)


def _scan_data(
    data: bytes, notebook: bool, selected: frozenset[str]
) -> tuple[list[codemod.Use], str | None]:
    """The uses of the `selected` rules in one file's contents that no
    `# compat-layers: ignore` comment hides, or the file's one-line error."""
    from compat_layers_cli import codemod

    scanner = codemod.scan_notebook if notebook else codemod.scan_source
    # The not-covered rules cost a second look at every name: only when asked.
    not_covered = any(not rules.RULES[rule].covered for rule in selected)
    uses, error = _apply(functools.partial(scanner, not_covered=not_covered), data, notebook)
    if uses is None:
        return [], error
    if codemod.SUPPRESSION_MARK not in data:
        return [use for use in uses if use.rule in selected], None
    if notebook:
        # Valid: it was scanned. Cells are numbered as the scan numbers them.
        cells = json.loads(data.decode("utf-8"))["cells"]
        hidden = {number: codemod.suppressions(codemod.cell_source(cell))
                  for number, cell in enumerate(cells, start=1)}
    else:
        hidden = {None: codemod.suppressions(data)}
    return [use for use in uses if use.rule in selected
            and not codemod.is_suppressed(hidden.get(use.cell, {}), use.line, use.rule)], None


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
    uses: list[tuple[str, codemod.Use]],
    not_covered: list[tuple[str, codemod.Use]],
    scanned: int,
    failed: int,
    report: _Report,
    docs_url: str,
) -> None:
    """The tables and a closing line; `failed` of the `scanned` files had errors."""
    from compat_layers_cli.formats import advice, plural

    if not uses and not not_covered:
        # A path that could not be read is not a clean tree: its error says so.
        if not report.errors:
            print(f"No TF1 uses found ({plural(scanned, 'file')} scanned).")
        elif scanned > failed:
            print(f"No TF1 uses found in the {plural(scanned - failed, 'file')} that could be "
                  f"read ({plural(len(report.errors), 'path')} with errors).")
        return
    if uses:
        _print_table(uses, ("name",))
    if not_covered:
        _print_table(not_covered, ("not covered by compat_layers", "rule"))
    # What to do, per kind of rule, before the closing line (which scripts read last).
    print(f"\nTo do: {advice([use for _, use in uses + not_covered])}.")
    summary = f"{plural(len(uses), 'use')} in {plural(len({p for p, _ in uses}), 'file')}"
    if not_covered:
        summary += (
            f", {len(not_covered)} more not covered by compat_layers in "
            f"{plural(len({p for p, _ in not_covered}), 'file')} (see {docs_url})"
        )
    print(f"{summary} ({plural(scanned, 'file')} scanned).")


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
    docs_url: str,
) -> dict:
    """The layout docs/cli.md describes, version `JSON_SCHEMA_VERSION`."""
    from compat_layers_cli import codemod, formats

    def entry(path: str, use: codemod.Use) -> dict:
        return {"path": path, "line": use.line, "column": use.column, "name": use.name,
                "cell": use.cell, "rule": use.rule, "docs": formats.rule_url(docs_url, use.rule)}

    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "uses": [entry(path, use) for path, use in uses],
        "summary": codemod.summarize([use for _, use in uses]),
        "not_covered": [entry(path, use) for path, use in not_covered],
        "not_covered_summary": codemod.summarize([use for _, use in not_covered]),
        "files_scanned": scanned,
        "errors": [{"path": path, "message": message} for path, message in report.errors],
        "skipped": [{"path": path, "reason": reason} for path, reason in report.notes],
    }


# ---------------------------------------------------------------- migrate
def _migrate(args: argparse.Namespace) -> int:
    from compat_layers_cli import codemod, formats

    settings = _settings(args)
    if args.paths == [STDIN]:
        return _migrate_stdin(args, settings.rules())
    report = _Report()
    files = _discover(args.paths, settings, report)
    changed: list[Path] = []
    for path in _progress(files, len(files), "migrating", args.progress):
        notebook = path.suffix == ".ipynb"
        migrator = codemod.migrate_notebook if notebook else codemod.migrate_source
        data, error = _read(path)
        migration = None
        if data is not None:
            migration, error = _apply(
                functools.partial(migrator, path=str(path), selected=settings.rules()), data, notebook)
        if migration is None:
            report.errors.append((str(path), error))
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
    print(f"{formats.plural(len(changed), 'file')} {verb} "
          f"({formats.plural(len(files), 'file')} read).", file=sys.stderr)
    if report.errors:
        return EXIT_ERROR
    return EXIT_FOUND if args.check and changed else EXIT_CLEAN


def _migrate_stdin(args: argparse.Namespace, selected: frozenset[str]) -> int:
    """`migrate -`: the migrated source on standard output (a filter, for
    editors), the diff with `--diff`, only the status with `--check`; only
    the `selected` rules apply."""
    from compat_layers_cli import codemod, formats

    name = args.stdin_filename or "<stdin>"
    notebook = name.endswith(".ipynb")
    migrator = codemod.migrate_notebook if notebook else codemod.migrate_source
    migration, error = _apply(functools.partial(migrator, path=name, selected=selected),
                              sys.stdin.buffer.read(), notebook)
    if migration is None:
        print(f"{name}: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for use in migration.left_unchanged:
        print(f"{formats.location(name, use)}: left unchanged: {use.name} is assigned or deleted",
              file=sys.stderr)
    if args.check:
        if migration.changed:
            print(f"would migrate {name}")
            return EXIT_FOUND
    elif args.diff:
        sys.stdout.write(migration.diff)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(migration.after)
    return EXIT_CLEAN


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
def _discover(paths: Sequence[str], settings: config_.Config, report: _Report) -> list[Path]:
    """The files to read, each once: explicit files as given (unless
    --force-exclude excludes them), directories walked."""
    files: list[Path] = []
    seen: set[Path] = set()
    for name in paths:
        path = Path(name)
        problem = _unusable(path)
        if problem is not None:
            report.errors.append((name, problem))
            continue
        if path.is_dir():
            found = _walk(path, settings, report)
        elif settings.force_exclude and (
            settings.excludes(path)
            or settings.respect_gitignore and path in _git_ignored(path.parent, report, [path])
        ):
            continue
        else:
            found = [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def _unusable(path: Path) -> str | None:
    """Why a path named on the command line cannot be read, if it cannot."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return "broken symbolic link"
        if error.errno == errno.ENOENT:
            return "no such file or directory"
        return f"cannot be read: {error.strerror or error}"
    return None


def _walk(root: Path, settings: config_.Config, report: _Report) -> list[Path]:
    ignored = _git_ignored(root, report) if settings.respect_gitignore else frozenset()

    def unreadable(error: OSError) -> None:
        report.errors.append((error.filename, f"cannot be read: {error.strerror or error}"))

    files = []
    for directory, subdirectories, names in os.walk(root, onerror=unreadable):
        here = Path(directory)
        kept = []
        for name in sorted(subdirectories):
            path = here / name
            if settings.excludes(path) or path in ignored:
                continue
            if path.is_symlink():
                report.notes.append((str(path), "skipped: symbolic link"))
            elif (path / "pyvenv.cfg").exists():
                report.notes.append((str(path), "skipped: virtual environment"))
            else:
                kept.append(name)
        subdirectories[:] = kept
        for name in sorted(names):
            path = here / name
            if not name.endswith(_SOURCE_SUFFIXES) or settings.excludes(path) or path in ignored:
                continue
            if path.is_symlink():
                report.notes.append((str(path), "skipped: symbolic link"))
            else:
                files.append(path)
    return files


def _git_ignored(
    directory: Path, report: _Report, candidates: Sequence[Path] | None = None
) -> frozenset[Path]:
    """What git ignores (.gitignore, .git/info/exclude, the global excludes file):
    of `candidates`, or the untracked files and directories under `directory`.

    Empty outside a git work tree; a tracked file is never ignored. Git
    itself decides, so every rule of its ignore files holds.
    """
    if not any((parent / ".git").exists() for parent in (directory.resolve(), *directory.resolve().parents)):
        return frozenset()
    if candidates is None:
        # Relative to `directory`; a wholly ignored directory once, with a slash.
        command = ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]
        stdin = None
    else:
        command = ["check-ignore", "-z", "--stdin"]
        stdin = "\0".join(os.path.relpath(path, directory) for path in candidates)
    import subprocess  # Here: `--version` and `--help` start without it.

    try:
        result = subprocess.run(["git", "-C", str(directory), *command], input=stdin,
                                capture_output=True, text=True, check=False)
    except OSError as error:
        report.notes.append((str(directory), f".gitignore not applied: git: {error.strerror or error}"))
        return frozenset()
    # check-ignore exits 1 when nothing is ignored.
    if result.returncode not in (0, 1) or candidates is None and result.returncode:
        message = (result.stderr.strip().splitlines() or ["failed"])[0]
        report.notes.append((str(directory), f".gitignore not applied: git: {message}"))
        return frozenset()
    return frozenset(directory / name.rstrip("/") for name in result.stdout.split("\0") if name)


def _read(path: Path) -> tuple[bytes | None, str | None]:
    """`(contents of path, None)`, or `(None, why not)` in one line."""
    try:
        return path.read_bytes(), None
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"


# A Python 2 statement at the start of a line; checked only once a file
# does not parse, to say why in words.
_PYTHON2 = (
    (re.compile(rb"^[ \t]*print(?:[ \t]*>>|[ \t]+[\"'\w])", re.MULTILINE), "print statement"),
    (re.compile(rb"^[ \t]*exec[ \t]+[\"'\w]", re.MULTILINE), "exec statement"),
    (re.compile(rb"^[ \t]*raise[ \t]+[\w.]+[ \t]*,", re.MULTILINE), "`raise E, message`"),
)


def _apply(action: Callable[[bytes], _T], data: bytes, notebook: bool) -> tuple[_T | None, str | None]:
    """`(action(data), None)`, or `(None, why not)` in one line."""
    from compat_layers_cli import codemod

    try:
        return action(data), None
    except codemod.CodemodError as error:
        if not notebook and str(error).startswith("does not parse"):
            found = [(match.start(), what) for pattern, what in _PYTHON2
                     if (match := pattern.search(data))]
            if found:
                start, what = min(found)
                line = data.count(b"\n", 0, start) + 1
                return None, (f"looks like Python 2 ({what} at line {line}); "
                              "compat-layers reads Python 3: port the file, or exclude it")
        return None, str(error)


def _progress(items: Iterable[_T], total: int, description: str, enabled: bool) -> Iterable[_T]:
    from tqdm import tqdm

    # tqdm draws only on a terminal (disable=None) and only after `delay`
    # seconds, so small trees and pipes never see a bar.
    return tqdm(items, total=total, desc=description, unit="file", delay=0.5, leave=False,
                disable=None if enabled else True)


if __name__ == "__main__":
    sys.exit(main())
