"""Finds and rewrites TF1 uses of `tf.compat.v1.layers` and of the migration
tools Keras 3 dropped from `tf.compat.v1.keras.utils`.

A use is any reference that resolves, through any import alias, to
`tf.layers.*` / `tf.compat.v1.layers.*` (`tensorflow.layers`,
`tensorflow.compat.v1.layers`) or to
`tf.compat.v1.keras.utils.{track_tf1_style_variables, get_or_create_layer,
DeterministicRandomTestTool}`, including the imports that bind them.
`scan_source` lists them; `migrate_source` rewrites them to `compat_layers`
and `compat_layers.utils` on libcst's concrete syntax tree, so formatting and
comments stay as they were:

    tf.layers.dense(x, 3)                         -> compat_layers.dense(x, 3)
    from tensorflow.compat.v1 import layers       -> import compat_layers as layers
    from tensorflow.compat.v1.layers import conv2d -> from compat_layers import conv2d
    tf.compat.v1.keras.utils.get_or_create_layer  -> compat_layers.utils.get_or_create_layer

and adds `import compat_layers` once where a rewritten reference needs it.
Migrating twice changes nothing the second time. Notebooks (`.ipynb`) go cell
by cell, with IPython magics kept as they are. TF1's private
`tensorflow.python.layers.{base, core, convolutional, normalization, pooling,
layers}` modules count as `tf.compat.v1.layers` too (they are its
implementation, and old code bases import them directly).

`scan_source(..., not_covered=True)` also lists what TensorFlow 2.16+ removed
and compat_layers does not provide (`tf.contrib`, `tf.estimator`, names and
layer arguments Keras 3 dropped); `Use.rule` says which rule of
`compat_layers_cli.rules` each use falls under. `migrate_source` leaves those
alone.

A text prefilter spares most files libcst: a use is always spelled out in
the file (see `_may_use`), so a file without one is only checked to parse,
by CPython's own parser, and goes to libcst only when that fails (for
libcst's error message, which is the one reported).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import warnings
from typing import Iterator, Sequence

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    PositionProvider,
    QualifiedNameProvider,
)

from compat_layers_cli import rules
from compat_layers_cli._keras3_tables import DROPPED_ARGUMENTS, DROPPED_V1, DROPPED_V2
from compat_layers_cli.rules import KERAS_UTILS_NAMES

TARGET = "compat_layers"


@dataclasses.dataclass(frozen=True)
class _Mapping:
    """A TF1 namespace or name (`tensorflow...`), its replacement, its display
    name, and whether the replacement is a module (`compat_layers`,
    `compat_layers.core`) rather than a function or class."""

    tf1: str
    replacement: str
    display: str
    rule: str
    is_module: bool = True


_MAPPINGS = (
    _Mapping("tensorflow.compat.v1.layers", TARGET, "tf.compat.v1.layers", rules.TF1_LAYERS),
    _Mapping("tensorflow.layers", TARGET, "tf.compat.v1.layers", rules.TF1_LAYERS),
    # TF1's implementation modules; `compat_layers` has the same submodules
    # (`layers.py` re-exported them all). Not `tensorflow.python.layers.utils`:
    # `compat_layers.utils` is something else.
    _Mapping("tensorflow.python.layers.layers", TARGET, "tf.compat.v1.layers", rules.TF1_LAYERS),
    *(
        _Mapping(f"tensorflow.python.layers.{module}", f"{TARGET}.{module}",
                 "tf.compat.v1.layers", rules.TF1_LAYERS)
        for module in ("base", "convolutional", "core", "normalization", "pooling")
    ),
    *(
        _Mapping(
            f"tensorflow.compat.v1.keras.utils.{name}",
            f"{TARGET}.utils.{name}",
            f"tf.compat.v1.keras.utils.{name}",
            rules.TF1_KERAS_UTILS,
            is_module=False,
        )
        for name in KERAS_UTILS_NAMES
    ),
)


class CodemodError(Exception):
    """A file that cannot be scanned or migrated; the message is one line."""


@dataclasses.dataclass(frozen=True)
class Use:
    """One use of a TF1 name: 1-based `line` and `column`, notebook `cell`,
    and the id of the rule in `compat_layers_cli.rules` it falls under."""

    line: int
    column: int
    name: str
    cell: int | None = None
    rule: str = dataclasses.field(default=rules.TF1_LAYERS, kw_only=True)

    @property
    def covered(self) -> bool:
        """Whether `migrate` rewrites it to compat_layers."""
        return rules.RULES[self.rule].covered


@dataclasses.dataclass(frozen=True)
class Migration:
    """The migrated text of one file and the uses it had to leave as they were."""

    before: bytes
    after: bytes
    left_unchanged: tuple[Use, ...]
    diff: str

    @property
    def changed(self) -> bool:
        return self.after != self.before


# `tf.compat.v1.compat.v1`, `tf.compat.v2.compat.v1`: TensorFlow's API trees
# nest, so `import tensorflow.compat.v1 as tf; tf.compat.v1.layers` is TF1's.
_NESTED_COMPAT_V1 = re.compile(r"^tensorflow(?:\.compat\.v[12])+\.compat\.v1\.")


def _match(qualified: str) -> tuple[_Mapping, str] | None:
    """The mapping `qualified` falls under, with the rest of its dotted name."""
    qualified = _NESTED_COMPAT_V1.sub("tensorflow.compat.v1.", qualified)
    for mapping in _MAPPINGS:
        if qualified == mapping.tf1 or qualified.startswith(mapping.tf1 + "."):
            return mapping, qualified[len(mapping.tf1):]
    return None


# `tensorflow`, `tensorflow.compat.v1`, `tensorflow.compat.v2.compat.v1`, ...:
# group 1 is the compat path, the rest of the name follows.
_TF_NAMESPACE = re.compile(r"^tensorflow((?:\.compat\.v[12])*)(?=\.|$)")


def _not_covered(qualified: str) -> tuple[str, str] | None:
    """`(rule id, display name)` when `qualified` is something TF 2.16+
    removed that compat_layers does not provide."""
    if qualified == "tensorflow_estimator" or qualified.startswith("tensorflow_estimator."):
        return rules.TF_ESTIMATOR, qualified
    namespace = _TF_NAMESPACE.match(qualified)
    if namespace is None or namespace.end() == len(qualified):
        return None
    display = "tf" + qualified.removeprefix("tensorflow")
    head, *rest = qualified[namespace.end() + 1:].split(".")
    if head == "contrib":
        return rules.TF_CONTRIB, display
    if head == "estimator":
        return rules.TF_ESTIMATOR, display
    if head != "keras" or not rest:
        return None
    v1 = namespace.group(1).endswith("v1")
    dropped = DROPPED_V1 if v1 else DROPPED_V2
    for length in range(1, len(rest) + 1):
        if ".".join(rest[:length]) in dropped:
            if rest[0] == "layers":
                return rules.KERAS3_DROPPED_LAYER, display
            return (rules.TF1_KERAS if v1 else rules.KERAS3_DROPPED), display
    return None


def _keras_layer(qualified: str) -> str | None:
    """`"LSTM"` for `tensorflow.keras.layers.LSTM` (any compat path), else None."""
    namespace = _TF_NAMESPACE.match(qualified)
    if namespace is None:
        return None
    parts = qualified[namespace.end() + 1:].split(".")
    return parts[2] if len(parts) == 3 and parts[:2] == ["keras", "layers"] else None


# Every name a scan reports is spelled out in the file itself:
# QualifiedNameProvider builds qualified names only from the file's own
# imports and attribute chains, every reported name starts with `tensorflow`
# (or `tensorflow_estimator`) and has one of these words as a part. A file
# (in an ASCII-compatible encoding) without them has no use.
_KEYWORDS = re.compile(r"contrib|estimator|keras|layers")
_KEYWORDS_BYTES = re.compile(_KEYWORDS.pattern.encode())


def _may_use(source: bytes | str) -> bool:
    if isinstance(source, str):
        return "tensorflow" in source and _KEYWORDS.search(source) is not None
    return b"tensorflow" in source and _KEYWORDS_BYTES.search(source) is not None


def _check_parses(source: bytes | str) -> None:
    """Raises CodemodError if libcst cannot parse `source`, paying for libcst
    only when CPython's parser (~15x faster) rejects it.

    A rejection goes to libcst, so the verdict and message are libcst's, also
    for what only the compiler rejects (`return` outside a function). Only a
    source CPython takes and libcst does not (syntax newer than libcst's) is
    taken here; it cannot contain a use anyway.
    """
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like warn at compile time; not ours to report.
            warnings.simplefilter("ignore")
            compile(source, "<compat-layers>", "exec", dont_inherit=True)
    except Exception:  # noqa: BLE001  (whatever it is, libcst decides)
        _parse(source)


def _parse(source: bytes | str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        # libcst's message carries the position: "error at 3:2: expected ...".
        message = error.message.removeprefix("parser error: ")
        raise CodemodError(f"does not parse: {message}") from None
    except (UnicodeDecodeError, LookupError, SyntaxError) as error:
        raise CodemodError(f"cannot be decoded: {error}") from None


# ---------------------------------------------------------------------- scan
class _UseFinder(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, not_covered: bool) -> None:
        super().__init__()
        self.uses: list[Use] = []
        self._not_covered = not_covered

    def _add(self, node: cst.CSTNode, name: str, rule: str) -> None:
        start = self.get_metadata(PositionProvider, node).start
        self.uses.append(Use(start.line, start.column + 1, name, rule=rule))

    def _find(self, node: cst.CSTNode, qualified: str, suffix: str = "") -> bool:
        """Adds the use `qualified` is, if any; whether it is one."""
        found = _match(qualified)
        if found:
            mapping, rest = found
            self._add(node, mapping.display + rest + suffix, mapping.rule)
            return True
        uncovered = _not_covered(qualified) if self._not_covered else None
        if uncovered:
            rule, name = uncovered
            self._add(node, name + suffix, rule)
            return True
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            self._find(alias, get_full_name_for_node(alias.name) or "")
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = _absolute_module(node)
        if module is None:
            return False
        if isinstance(node.names, cst.ImportStar):
            self._find(node, module, ".*")
            return False
        for alias in node.names:
            self._find(alias, f"{module}.{get_full_name_for_node(alias.name)}")
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        # `tf.keras.layers.LSTM(..., time_major=True)`: the layer exists in
        # Keras 3, the argument does not.
        if not self._not_covered:
            return True
        for qualified in self.get_metadata(QualifiedNameProvider, node.func, ()):
            layer = _keras_layer(qualified.name)
            if layer is None:
                continue
            dropped = DROPPED_ARGUMENTS["*"] | DROPPED_ARGUMENTS.get(layer, frozenset())
            for argument in node.args:
                if argument.keyword is not None and argument.keyword.value in dropped:
                    name = "tf" + qualified.name.removeprefix("tensorflow")
                    self._add(argument, f"{name}({argument.keyword.value}=)",
                              rules.KERAS3_DROPPED_ARGUMENT)
            break
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._visit_reference(node)

    def visit_Name(self, node: cst.Name) -> bool:
        return self._visit_reference(node)

    def _visit_reference(self, node: cst.Attribute | cst.Name) -> bool:
        # The outermost match is the use: `tf.layers.dense`, not also `tf.layers`.
        for qualified in sorted(q.name for q in self.get_metadata(QualifiedNameProvider, node, ())):
            if self._find(node, qualified):
                return False
        return True


def _absolute_module(node: cst.ImportFrom) -> str | None:
    if node.relative or node.module is None:
        return None
    return get_full_name_for_node(node.module)


def scan_source(source: bytes | str, *, not_covered: bool = False) -> list[Use]:
    """Every use in a Python source, in source order.

    Args:
      source: The file's contents.
      not_covered: Also list what compat_layers does not cover (`Use.covered`
        is False for those).

    Raises:
      CodemodError: The source does not decode or parse.
    """
    if not _may_use(source):
        _check_parses(source)
        return []
    finder = _UseFinder(not_covered)
    MetadataWrapper(_parse(source)).visit(finder)
    # A call's dropped argument is found before the call's own name.
    return sorted(finder.uses, key=lambda use: (use.line, use.column))


# ------------------------------------------------------------------- migrate
class _Migrate(VisitorBasedCodemodCommand):
    """Rewrites uses in place; `left_unchanged` collects what it cannot rewrite."""

    DESCRIPTION = "tf.compat.v1.layers and keras.utils migration tools -> compat_layers"
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ExpressionContextProvider)

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.left_unchanged: list[Use] = []
        self._needs_import = False

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self._needs_import or any(map(_imports_target, updated_node.body)):
            return updated_node
        # Right after TensorFlow's own import: `import compat_layers` imports
        # TensorFlow, so it must not run before what a script does first
        # (setting TF_CPP_MIN_LOG_LEVEL or CUDA_VISIBLE_DEVICES, say).
        for index, statement in enumerate(updated_node.body):
            if _imports_tensorflow(statement):
                body = list(updated_node.body)
                body.insert(index + 1, cst.parse_statement(f"import {TARGET}\n"))
                return updated_node.with_changes(body=body)
        # TensorFlow imported elsewhere (in a function, say): libcst's place.
        AddImportsVisitor.add_needed_import(self.context, TARGET)
        return updated_node

    # References: the namespace part (`tf.layers` in `tf.layers.dense`) becomes
    # `compat_layers`; names bound by an import stay, their import is rewritten.
    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        for qualified in self.get_metadata(QualifiedNameProvider, original_node, ()):
            found = _match(qualified.name)
            if found is None or found[1]:
                continue
            mapping = found[0]
            if self.get_metadata(ExpressionContextProvider, original_node, None) in (
                ExpressionContext.STORE,
                ExpressionContext.DEL,
            ):
                start = self.get_metadata(PositionProvider, original_node).start
                self.left_unchanged.append(
                    Use(start.line, start.column + 1, mapping.display, rule=mapping.rule)
                )
                return updated_node
            self._needs_import = True
            return _dotted(mapping.replacement).with_changes(
                lpar=updated_node.lpar, rpar=updated_node.rpar
            )
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        body, moved = _migrate_imports(updated_node.body)
        if len(updated_node.body) > 1 or not moved:
            # Several statements on one line (`a; b`) stay on one line.
            return updated_node.with_changes(body=[*body, *moved])
        lines = [cst.SimpleStatementLine(body=[statement]) for statement in [*body, *moved]]
        # The first line keeps the comments above and after the original.
        lines[0] = lines[0].with_changes(
            leading_lines=updated_node.leading_lines,
            trailing_whitespace=updated_node.trailing_whitespace,
        )
        return cst.FlattenSentinel(lines)

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        body, moved = _migrate_imports(updated_node.body)
        return updated_node.with_changes(body=[*body, *moved])


def _top_level_imports(statement: cst.CSTNode) -> Iterator[tuple[str, cst.ImportAlias | None]]:
    """`(module, alias)` for each module a top-level import line imports."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return
    for small in statement.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                yield get_full_name_for_node(alias.name) or "", alias
        elif isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
            yield get_full_name_for_node(small.module) or "", None


def _imports_tensorflow(statement: cst.CSTNode) -> bool:
    return any(module == "tensorflow" or module.startswith("tensorflow.")
               for module, _ in _top_level_imports(statement))


def _imports_target(statement: cst.CSTNode) -> bool:
    return any(module == TARGET and alias is not None and alias.asname is None
               for module, alias in _top_level_imports(statement))


def _migrate_imports(
    statements: Sequence[cst.BaseSmallStatement],
) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
    """The statements with their imports rewritten, and the imports split off."""
    body: list[cst.BaseSmallStatement] = []
    moved: list[cst.BaseSmallStatement] = []
    for statement in statements:
        if isinstance(statement, cst.Import):
            statement = _migrate_import(statement)
        elif isinstance(statement, cst.ImportFrom):
            statement, split_off = _migrate_import_from(statement)
            moved += split_off
        if statement is not None:
            body.append(statement)
    return body, moved


def _migrate_import(node: cst.Import) -> cst.Import:
    names = []
    for alias in node.names:
        found = _match(get_full_name_for_node(alias.name) or "")
        if found and found[0].is_module:
            mapping, rest = found
            if alias.asname is None:
                # `import tensorflow.compat.v1.layers` binds `tensorflow`; keep
                # that, its `tensorflow.compat.v1.layers.X` uses are rewritten.
                alias = alias.with_changes(name=_dotted(mapping.tf1.rpartition(".")[0]))
            else:
                alias = alias.with_changes(name=_dotted(mapping.replacement + rest))
        names.append(alias)
    return node.with_changes(names=names)


def _migrate_import_from(
    node: cst.ImportFrom,
) -> tuple[cst.ImportFrom | None, list[cst.BaseSmallStatement]]:
    """The statement (None when nothing is left of it) and new imports."""
    module = _absolute_module(node)
    if module is None:
        return node, []
    found = _match(module)
    if found and found[0].is_module:
        mapping, rest = found
        return node.with_changes(module=_dotted(mapping.replacement + rest)), []
    if isinstance(node.names, cst.ImportStar):
        return node, []
    kept: list[cst.ImportAlias] = []
    moved: list[cst.BaseSmallStatement] = []
    for alias in node.names:
        name = get_full_name_for_node(alias.name)
        found = _match(f"{module}.{name}")
        if found is None:
            kept.append(alias)
            continue
        mapping, _ = found
        local = alias.asname.name.value if alias.asname else name
        if mapping.is_module:
            statement = f"import {mapping.replacement} as {local}"
        else:
            parent, _, leaf = mapping.replacement.rpartition(".")
            statement = f"from {parent} import {leaf}" + (f" as {local}" if local != leaf else "")
        moved.append(cst.parse_statement(statement).body[0])
    if not moved:
        return node, []
    if not kept:
        if all(isinstance(statement, cst.ImportFrom) for statement in moved):
            # Only migration tools: the statement keeps its layout, a new module.
            return node.with_changes(module=_dotted(f"{TARGET}.utils")), []
        return None, moved
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=kept), moved


def _dotted(name: str) -> cst.Attribute | cst.Name:
    return cst.parse_expression(name)


def migrate_source(source: bytes | str, path: str = "") -> Migration:
    """Rewrites every use in a Python source (bytes keep their encoding).

    Args:
      source: The file's contents.
      path: Shown in the diff's header.

    Raises:
      CodemodError: The source does not decode or parse.
    """
    if not _may_use(source):
        _check_parses(source)
        # Nobody writes a str back: its bytes are only compared.
        data = source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source
        return Migration(data, data, (), "")
    module = _parse(source)
    command = _Migrate(CodemodContext())
    migrated = command.transform_module(module)
    if isinstance(source, str):
        before, after = source.encode(module.encoding), migrated.code.encode(module.encoding)
    else:
        before, after = source, migrated.bytes
    diff = _unified_diff(module.code, migrated.code, path)
    return Migration(before, after, tuple(command.left_unchanged), diff)


def _unified_diff(before: str, after: str, path: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# ----------------------------------------------------------------- notebooks
# IPython syntax that is not Python: line magics, shell escapes, help.
_IPYTHON_LINE = re.compile(r"^(\s*)([%!?].*|.*\?\s*)$")
_MASK = "#compat-layers-ipython: "
_MASKED_LINE = re.compile(rf"^(\s*){re.escape(_MASK)}(.*)$")
# Cell magics whose body is Python; any other cell magic (`%%bash`) is skipped.
_PYTHON_CELL_MAGICS = ("%%time", "%%timeit", "%%capture", "%%prun", "%%debug")
_CELL_MARKER = "#compat-layers-cell "
_CELL_MARKER_LINE = re.compile(rf"^{re.escape(_CELL_MARKER)}(\d+)\n", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class _NotebookCode:
    """A notebook's Python cells as one module: they share one namespace, so
    `tf` imported in one cell is the same `tf` in the next.

    Each cell follows a marker comment line; IPython lines are masked as
    comments so that the module parses.
    """

    source: str
    # (cell number, first line of the cell in `source`, its trailing newlines)
    cells: tuple[tuple[int, int, int], ...]

    @classmethod
    def of(cls, notebook: dict) -> _NotebookCode:
        parts, cells, line = [], [], 1
        for number, cell in enumerate(notebook["cells"], start=1):
            if cell.get("cell_type") != "code":
                continue
            source = _cell_source(cell)
            first_line = source.lstrip().split("\n", 1)[0]
            if first_line.startswith("%%") and not first_line.startswith(_PYTHON_CELL_MAGICS):
                continue
            masked = "".join(_IPYTHON_LINE.sub(rf"\1{_MASK}\2", text)
                             for text in source.splitlines(keepends=True))
            try:
                _check_parses(masked)
            except CodemodError as error:
                raise CodemodError(f"cell {number} {error}") from None
            newlines = len(masked) - len(masked.rstrip("\n"))
            # Every cell ends a line, so that the next marker starts one.
            text = masked if newlines else masked + "\n"
            parts.append(f"{_CELL_MARKER}{number}\n{text}")
            cells.append((number, line + 1, newlines))
            line += 1 + text.count("\n")
        return cls("".join(parts), tuple(cells))

    def locate(self, use: Use) -> Use:
        """`use` (a line of `source`) as a line of its cell."""
        number, first_line, _ = max(cell for cell in self.cells if cell[1] <= use.line)
        return dataclasses.replace(use, line=use.line - first_line + 1, cell=number)

    def split(self, source: str) -> dict[int, str]:
        """Cell number -> that cell's text in a rewritten `source`."""
        pieces = _CELL_MARKER_LINE.split(source)
        # Text before the first marker (an import added at the very top)
        # belongs to the first cell.
        prefix, texts = pieces[0], dict(zip(map(int, pieces[1::2]), pieces[2::2], strict=True))
        result = {}
        for index, (number, _, newlines) in enumerate(self.cells):
            text = (prefix if index == 0 else "") + texts[number]
            # The cell ends as it did (an added import may leave a blank line).
            text = text.rstrip("\n") + "\n" * newlines
            result[number] = "".join(_MASKED_LINE.sub(r"\1\2", line)
                                     for line in text.splitlines(keepends=True))
        return result


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _load_notebook(data: bytes) -> dict:
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CodemodError(f"is not a valid notebook: {error}") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise CodemodError("is not a valid notebook: no list of cells")
    language = notebook.get("metadata", {}).get("kernelspec", {}).get("language", "python")
    if language != "python":
        raise CodemodError(f"is a {language} notebook, not a Python one")
    return notebook


def scan_notebook(data: bytes, *, not_covered: bool = False) -> list[Use]:
    """Every use in a notebook's code cells; `Use.cell` says which cell.

    Args:
      data: The notebook file's contents.
      not_covered: As for `scan_source`.

    Raises:
      CodemodError: Not a Python notebook, or a code cell does not parse.
    """
    code = _NotebookCode.of(_load_notebook(data))
    return [code.locate(use) for use in scan_source(code.source, not_covered=not_covered)]


def migrate_notebook(data: bytes, path: str = "") -> Migration:
    """Rewrites every use in a notebook's code cells, keeping its JSON layout.

    `import compat_layers` is added once, to the first cell that imports.

    Raises:
      CodemodError: Not a Python notebook, a code cell does not parse, or the
        notebook's JSON layout cannot be reproduced (it is not rewritten).
    """
    notebook = _load_notebook(data)
    indent = _json_indent(data)
    if _dump_notebook(notebook, indent) != data:
        raise CodemodError(
            "has a JSON layout compat-layers cannot reproduce; save it from "
            "Jupyter and run again"
        )
    code = _NotebookCode.of(notebook)
    migration = migrate_source(code.source)
    diffs = []
    for number, after in code.split(migration.after.decode("utf-8")).items():
        cell = notebook["cells"][number - 1]
        before = _cell_source(cell)
        if after != before:
            cell["source"] = after.splitlines(keepends=True) if isinstance(cell["source"], list) else after
            diffs.append(_unified_diff(before, after, f"{path}#cell{number}"))
    left_unchanged = tuple(code.locate(use) for use in migration.left_unchanged)
    return Migration(data, _dump_notebook(notebook, indent), left_unchanged, "".join(diffs))


def _json_indent(data: bytes) -> int:
    match = re.search(rb"\n( +)\"", data)
    return len(match.group(1)) if match else 1


def _dump_notebook(notebook: dict, indent: int) -> bytes:
    # nbformat's own layout: `json.dumps(indent=1, ensure_ascii=False)` + "\n".
    return (json.dumps(notebook, indent=indent, ensure_ascii=False) + "\n").encode("utf-8")


def summarize(uses: Sequence[Use]) -> dict[str, int]:
    """How often each name is used, most used first."""
    counts: dict[str, int] = {}
    for use in uses:
        counts[use.name] = counts.get(use.name, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
