"""Finds and rewrites TF1 uses of `tf.compat.v1.layers`, of TF1's RNN cells,
of the migration tools Keras 3 dropped from `tf.compat.v1.keras.utils`, and
of TF 1.x API reached through `import tensorflow as tf`.

A use is any reference that resolves, through any import alias, to
`tf.layers.*` / `tf.compat.v1.layers.*` (`tensorflow.layers`,
`tensorflow.compat.v1.layers`), to `tf.nn.rnn_cell.*` or `tf.contrib.rnn`'s
ten cell classes, to
`tf.compat.v1.keras.utils.{track_tf1_style_variables, get_or_create_layer,
DeterministicRandomTestTool}`, or to a name of `_tf1_tables.TF1_ONLY` through
TensorFlow's TF 2 namespace (`tf.placeholder`), including the imports that
bind them. `scan_source` lists them; `migrate_source` rewrites them on
libcst's concrete syntax tree, so formatting and comments stay as they were
(argument lines aligned with a lengthened call's bracket move with it):

    tf.layers.dense(x, 3)                         -> compat_layers.dense(x, 3)
    from tensorflow.compat.v1 import layers       -> import compat_layers as layers
    from tensorflow.compat.v1.layers import conv2d -> from compat_layers import conv2d
    tf.compat.v1.keras.utils.get_or_create_layer  -> compat_layers.utils.get_or_create_layer
    tf.nn.rnn_cell.LSTMCell                       -> compat_layers.rnn_cell.LSTMCell
    import tensorflow as tf  (+ tf.placeholder)   -> import tensorflow.compat.v1 as tf
                                                     ... tf.disable_v2_behavior()

and adds `import compat_layers` once where a rewritten reference needs it
(docs/scan-rules.md#tf1-api says when a file is switched to `tf.compat.v1`).
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

Names are resolved on CPython's `ast` (see `_Names`), not with libcst's
metadata, which cost several times libcst's parse: a scan parses with CPython
only, a migration adds libcst's parse and one visit of the lines it changes.
A text prefilter spares most files even that: a use is always spelled out in
the file (see `_may_use`), so a file without one is only checked to parse,
by CPython's own parser. Whatever CPython rejects goes to libcst (for
libcst's error message, which is the one reported).
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import io
import json
import re
import tokenize
import warnings
from typing import Callable, Iterator, Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.helpers import get_full_name_for_node

from compat_layers_cli import rules
from compat_layers_cli._keras3_tables import DROPPED_ARGUMENTS, DROPPED_KERAS, DROPPED_V1, DROPPED_V2
from compat_layers_cli._tf1_tables import TF1_ONLY, TF2_ONLY
from compat_layers_cli.rules import KERAS_UTILS_NAMES

TARGET = "compat_layers"

# TF1's cell classes, which `tf.contrib.rnn` re-exported and
# `compat_layers.rnn_cell` provides.
RNN_CELL_NAMES = (
    "BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
    "LSTMCell", "LSTMStateTuple", "MultiRNNCell", "RNNCell", "ResidualWrapper",
)


@dataclasses.dataclass(frozen=True)
class _Mapping:
    """A TF1 namespace or name (`tensorflow...`), its replacement, its display
    name, whether the replacement is a module (`compat_layers`,
    `compat_layers.core`) rather than a function or class, and the module a
    rewritten reference needs imported."""

    tf1: str
    replacement: str
    display: str
    rule: str
    is_module: bool = True
    # `compat_layers.rnn_cell` is a submodule `import compat_layers` need not load.
    imports: str = TARGET


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
    *(
        _Mapping(f"{tf1}.nn.rnn_cell", f"{TARGET}.rnn_cell", "tf.compat.v1.nn.rnn_cell",
                 rules.TF1_RNN_CELLS, imports=f"{TARGET}.rnn_cell")
        for tf1 in ("tensorflow.compat.v1", "tensorflow")
    ),
    *(
        _Mapping(f"{tf1}.contrib.rnn.{name}", f"{TARGET}.rnn_cell.{name}",
                 f"tf.contrib.rnn.{name}", rules.TF1_RNN_CELLS, is_module=False,
                 imports=f"{TARGET}.rnn_cell")
        for tf1 in ("tensorflow", "tensorflow.compat.v1")
        for name in RNN_CELL_NAMES
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


def _in_table(parts: Sequence[str], table: frozenset[str]) -> str | None:
    """The entry of `table` (dotted names; a module stands for everything
    under it) that the name `parts` falls under, the shortest first."""
    for length in range(1, len(parts) + 1):
        name = ".".join(parts[:length])
        if name in table:
            return name
    return None


def _tf1_only(qualified: str) -> str | None:
    """The display name when `qualified` is TF 1.x API reached through
    TensorFlow's TF2 namespace (`tensorflow.placeholder`), which
    `tensorflow.compat.v1` has and `tensorflow` lacks."""
    if not qualified.startswith("tensorflow.") or qualified.startswith("tensorflow.compat."):
        return None
    parts = qualified.split(".")[1:]
    return "tf." + ".".join(parts) if _in_table(parts, TF1_ONLY) else None


def _not_covered(qualified: str) -> tuple[str, str] | None:
    """`(rule id, display name)` when `qualified` is something TF 2.16+
    removed that compat_layers does not provide."""
    if qualified == "tensorflow_estimator" or qualified.startswith("tensorflow_estimator."):
        return rules.TF_ESTIMATOR, qualified
    if qualified.startswith("keras."):
        # Standalone Keras 2 code: `import keras` is Keras 3 now.
        parts = qualified.split(".")[1:]
        if _in_table(parts, DROPPED_KERAS):
            rule = rules.KERAS3_DROPPED_LAYER if parts[0] == "layers" else rules.KERAS3_DROPPED
            return rule, qualified
        return None
    namespace = _TF_NAMESPACE.match(qualified)
    if namespace is None or namespace.end() == len(qualified):
        return None
    display = _display(qualified)
    head, *rest = qualified[namespace.end() + 1:].split(".")
    if head == "contrib":
        return rules.TF_CONTRIB, display
    if head == "estimator":
        return rules.TF_ESTIMATOR, display
    if head != "keras" or not rest:
        return None
    v1 = namespace.group(1).endswith("v1")
    # TF 1.x's own `tf.keras` was the TF1 tree: under `import tensorflow as
    # tf`, TF1 code reaches its names (`tf.keras.backend.get_session`) too.
    in_v2 = not v1 and _in_table(rest, DROPPED_V2)
    if not (in_v2 or _in_table(rest, DROPPED_V1)):
        return None
    if rest[0] == "layers":
        return rules.KERAS3_DROPPED_LAYER, display
    return (rules.KERAS3_DROPPED if in_v2 else rules.TF1_KERAS), display


def _display(qualified: str) -> str:
    """`tf.keras.layers.LSTM` for `tensorflow.keras.layers.LSTM`."""
    return "tf" + qualified[len("tensorflow"):] if qualified.startswith("tensorflow.") else qualified


def _keras_layer(qualified: str) -> str | None:
    """`"LSTM"` for `tensorflow.keras.layers.LSTM` (any compat path) or
    `keras.layers.LSTM`, else None."""
    namespace = _TF_NAMESPACE.match(qualified)
    if namespace is not None:
        parts = qualified[namespace.end() + 1:].split(".")
    elif qualified.startswith("keras."):
        parts = qualified.split(".")
    else:
        return None
    return parts[2] if len(parts) == 3 and parts[:2] == ["keras", "layers"] else None


# Every name a scan reports is spelled out in the file itself: `_Names`
# builds qualified names only from the file's own imports and attribute
# chains, and every reported name starts with
# `tensorflow` (`tensorflow_estimator`) or `keras`. A file (in an
# ASCII-compatible encoding) without either word has no use.
_KEYWORDS = re.compile(r"tensorflow|keras")
_KEYWORDS_BYTES = re.compile(_KEYWORDS.pattern.encode())


def _may_use(source: bytes | str) -> bool:
    if isinstance(source, str):
        return _KEYWORDS.search(source) is not None
    return _KEYWORDS_BYTES.search(source) is not None


# `# compat-layers: ignore` or `# compat-layers: ignore[rule-a, rule-b]`
SUPPRESSION_MARK = b"compat-layers:"
_SUPPRESSION = re.compile(rb"#[ \t]*compat-layers:[ \t]*ignore\b(?:\[([^\]\r\n]*)\])?")


def suppressions(source: bytes | str) -> dict[int, frozenset[str] | None]:
    """Line (1-based) -> the rule ids its `# compat-layers: ignore[...]`
    comment hides (None: every rule), for `scan` and `migrate` alike."""
    if isinstance(source, str):
        if SUPPRESSION_MARK.decode() not in source:
            return {}
        source = source.encode("utf-8", "surrogateescape")
    elif SUPPRESSION_MARK not in source:
        return {}
    hidden: dict[int, frozenset[str] | None] = {}
    # bytes.splitlines() ends lines where Python's parser does (\n, \r\n, \r).
    for number, line in enumerate(source.splitlines(), start=1):
        match = _SUPPRESSION.search(line)
        if match:
            ids = match.group(1)
            hidden[number] = None if ids is None else frozenset(
                part.strip() for part in ids.decode("ascii", "replace").split(",")
            )
    return hidden


def is_suppressed(hidden: dict[int, frozenset[str] | None], line: int, rule: str) -> bool:
    """Whether `hidden` (from `suppressions`) hides a use of `rule` on `line`."""
    if line not in hidden:
        return False
    rule_ids = hidden[line]
    return rule_ids is None or rule in rule_ids


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


# ------------------------------------------------------------------ names
@dataclasses.dataclass(frozen=True)
class _Reference:
    """A name or attribute chain of the source, where it starts (1-based line,
    0-based character column), and what it resolves to through the file's
    imports."""

    line: int
    column: int
    qualified: tuple[str, ...]
    store: bool = False


@dataclasses.dataclass
class _Scope:
    """What a module, function, class or comprehension binds: name -> the
    qualified names its imports give it (None for any other binding)."""

    bindings: dict[str, set[str | None]] = dataclasses.field(default_factory=dict)
    parent: _Scope | None = None
    is_class: bool = False
    globals: set[str] = dataclasses.field(default_factory=set)

    def bind(self, name: str, qualified: str | None) -> None:
        self.bindings.setdefault(name, set()).add(qualified)

    def lookup(self, name: str) -> set[str | None]:
        scope: _Scope | None = self
        if name in self.globals:
            while scope.parent is not None:
                scope = scope.parent
        first = True
        while scope is not None:
            # A class body's names are not visible in the functions inside it.
            if name in scope.bindings and (first or not scope.is_class):
                return scope.bindings[name]
            scope, first = scope.parent, False
        return set()


_COMPOUND = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
             ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match, *(
                 (ast.TryStar,) if hasattr(ast, "TryStar") else ()))
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp,
           ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Names:
    """Resolves the names of a CPython `ast` tree through the file's imports,
    by Python's scoping rules (a parameter or assignment shadows an import),
    flow-insensitively: every binding of a name in a scope counts, as for
    libcst's QualifiedNameProvider. It costs a fraction of libcst's parse,
    where libcst's metadata cost several times it.

    `attributes` and `calls` list every attribute chain and call in the order
    libcst leaves their nodes (by where they end), so that the libcst
    transformer of the same source finds each one's resolution by counting.
    """

    def __init__(self, tree: ast.Module, text: str | None) -> None:
        # ast's columns count UTF-8 bytes; libcst's, characters.
        # (Only the line breaks Python counts; str.splitlines knows more.)
        self._lines = re.split("\r\n|\r|\n", text) if text is not None else None
        self._scopes: dict[ast.AST, _Scope] = {}
        self.tree = tree
        self._collect(tree, _Scope())
        self.attributes: list[tuple[tuple[int, int], _Reference]] = []
        self.calls: list[tuple[tuple[int, int], ast.Call]] = []
        self.references: list[tuple[ast.AST, _Reference]] = []
        self.resolution: dict[ast.AST, _Reference] = {}
        self._resolve(tree)
        self.attributes.sort(key=lambda item: item[0])
        # Statements that are not compound, in source order: libcst's small statements.
        self.simple_statements = sorted(
            (node for node in ast.walk(tree)
             if isinstance(node, ast.stmt) and not isinstance(node, _COMPOUND)),
            key=lambda node: (node.lineno, node.col_offset))
        self.calls.sort(key=lambda item: item[0])

    def column(self, line: int, offset: int) -> int:
        if self._lines is None:
            return offset
        return len(self._lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "replace"))

    def start(self, node: ast.AST) -> tuple[int, int]:
        return node.lineno, self.column(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> tuple[int, int]:
        return node.end_lineno, self.column(node.end_lineno, node.end_col_offset)

    # Pass 1: what each scope binds.
    def _collect(self, node: ast.AST, scope: _Scope) -> None:
        self._scopes[node] = scope
        for child in ast.iter_child_nodes(node):
            self._collect_node(child, scope)

    def _collect_node(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, _SCOPES):
            inner = _Scope(parent=scope, is_class=isinstance(node, ast.ClassDef))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                scope.bind(node.name, None)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                arguments = node.args
                for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                 arguments.vararg, arguments.kwarg):
                    if argument is not None:
                        inner.bind(argument.arg, None)
            self._collect(node, inner)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, alias.name)
                else:
                    head = alias.name.split(".", 1)[0]
                    scope.bind(head, head)
        elif isinstance(node, ast.ImportFrom):
            module = node.module if not node.level else None
            for alias in node.names:
                if alias.name != "*":
                    scope.bind(alias.asname or alias.name, f"{module}.{alias.name}" if module else None)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            scope.bind(node.id, None)
        elif isinstance(node, ast.Global):
            scope.globals.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            scope.bind(node.name, None)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            scope.bind(node.name, None)
        self._collect(node, scope)

    # Pass 2: what each reference resolves to.
    def qualified(self, node: ast.expr) -> tuple[str, ...]:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ()
        rest = "".join(f".{part}" for part in reversed(parts))
        found = self._scopes[node].lookup(node.id)
        return tuple(sorted(f"{name}{rest}" for name in found if name is not None))

    def _resolve(self, node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Attribute, ast.Name)):
                reference = _Reference(*self.start(child), self.qualified(child),
                                       store=not isinstance(child.ctx, ast.Load))
                self.references.append((child, reference))
                self.resolution[child] = reference
                if isinstance(child, ast.Attribute):
                    self.attributes.append((self.end(child), reference))
            elif isinstance(child, ast.Call):
                self.calls.append((self.end(child), child))
            self._resolve(child)

    def names(self) -> set[str]:
        """Every qualified name a reference of the file resolves to."""
        return {name for _, reference in self.references for name in reference.qualified}


def _names(source: bytes | str) -> _Names | None:
    """The source's names; None when CPython cannot parse what libcst can
    (syntax newer than this Python's): such a file is taken as having no use.

    Raises:
      CodemodError: libcst cannot parse it either (with libcst's message).
    """
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like warn at compile time; not ours to report.
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, UnicodeDecodeError):
        _parse(source)
        return None
    if isinstance(source, bytes) and not source.isascii():
        # Decoded as the file declares (a coding line, a BOM), as ast did.
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        source = source.decode(encoding)
    return _Names(tree, None if source.isascii() else source)


# ---------------------------------------------------------------------- scan
class _UseFinder:
    def __init__(self, names: _Names, not_covered: bool) -> None:
        self.uses: list[Use] = []
        self._names = names
        self._not_covered = not_covered

    def _add(self, position: tuple[int, int], name: str, rule: str) -> None:
        self.uses.append(Use(position[0], position[1] + 1, name, rule=rule))

    def _find(self, position: tuple[int, int], qualified: str, suffix: str = "") -> bool:
        """Adds the use `qualified` is, if any; whether it is one."""
        found = _match(qualified)
        if found:
            mapping, rest = found
            self._add(position, mapping.display + rest + suffix, mapping.rule)
            return True
        tf1_name = _tf1_only(qualified)
        if tf1_name:
            self._add(position, tf1_name + suffix, rules.TF1_API)
            return True
        uncovered = _not_covered(qualified) if self._not_covered else None
        if uncovered:
            rule, name = uncovered
            self._add(position, name + suffix, rule)
            return True
        return False

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._find(self._names.start(alias), alias.name)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level or node.module is None:
                return
            for alias in node.names:
                if alias.name == "*":
                    self._find(self._names.start(node), node.module, ".*")
                else:
                    self._find(self._names.start(alias), f"{node.module}.{alias.name}")
            return
        if isinstance(node, ast.Call) and self._not_covered:
            self._dropped_arguments(node)
        if isinstance(node, (ast.Attribute, ast.Name)):
            # The outermost match is the use: `tf.layers.dense`, not also `tf.layers`.
            position = self._names.start(node)
            if any(self._find(position, name) for name in self._names.qualified(node)):
                return
        for child in ast.iter_child_nodes(node):
            self.visit(child)

    def _dropped_arguments(self, node: ast.Call) -> None:
        # `tf.keras.layers.LSTM(..., time_major=True)`: the layer exists in
        # Keras 3, the argument does not.
        for qualified in self._names.qualified(node.func):
            layer = _keras_layer(qualified)
            if layer is None:
                continue
            dropped = DROPPED_ARGUMENTS["*"] | DROPPED_ARGUMENTS.get(layer, frozenset())
            for keyword in node.keywords:
                if keyword.arg in dropped:
                    self._add(self._names.start(keyword), f"{_display(qualified)}({keyword.arg}=)",
                              rules.KERAS3_DROPPED_ARGUMENT)
            break


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
    names = _names(source)
    if names is None:
        return []
    finder = _UseFinder(names, not_covered)
    for node in ast.iter_child_nodes(names.tree):
        finder.visit(node)
    # A call's dropped argument is found before the call's own name.
    return sorted(finder.uses, key=lambda use: (use.line, use.column))


# ------------------------------------------------------------------- migrate
class _Migrate(cst.CSTTransformer):
    """Rewrites uses in place; `left_unchanged` collects what it cannot rewrite.

    What a reference resolves to comes from `_Names` of the same source:
    attribute chains and calls are taken in the order libcst leaves them.
    """

    def __init__(
        self, names: _Names, selected: frozenset[str] | None, hidden: dict[int, frozenset[str] | None]
    ) -> None:
        super().__init__()
        self.left_unchanged: list[Use] = []
        self._names = names
        self._selected = selected
        self._hidden = hidden
        # The current line's statements, for the positions of its imports.
        self._line: list[ast.stmt] = []
        self._attributes = iter(names.attributes)
        self._calls = iter(names.calls)
        self._statements = iter(names.simple_statements)
        # The modules rewritten references need imported.
        self._needs_import: set[str] = set()
        # Original line -> (column, width change) of each rewritten reference.
        self._shifts: dict[int, list[tuple[int, int]]] = {}
        # One TF1-only name (`tf.placeholder`) makes the whole file TF1 code,
        # switched to `tensorflow.compat.v1` as the TF2 migration guide's
        # first step does. Names the package provides (`tf.layers`,
        # `tf.nn.rnn_cell`) do not: they are rewritten to compat_layers,
        # which runs on either. Nor do names a suppression comment hides,
        # or any when tf1-api is not selected.
        resolved = names.names()
        tf1_names = {name for name in resolved if _tf1_only(name) and not _match(name)}
        self._switch = bool(tf1_names) and any(
            self._applies(rules.TF1_API, reference.line) and not tf1_names.isdisjoint(reference.qualified)
            for _, reference in names.references)
        # TF1 eager code (`tf.enable_eager_execution()`) keeps eager
        # execution; a file that disables v2 behaviour itself is left to.
        self._add_disable = self._switch and not any(
            name.startswith("tensorflow.") and name.endswith((".disable_v2_behavior", ".enable_eager_execution"))
            for name in resolved
        )

    def _applies(self, rule: str, line: int) -> bool:
        """Whether a use of `rule` starting on `line` is rewritten: the rule
        is selected and no `# compat-layers: ignore` comment hides it."""
        selected = self._selected is None or rule in self._selected
        return selected and not is_suppressed(self._hidden, line, rule)

    def _mapping(self, qualified: str, line: int) -> tuple[_Mapping, str] | None:
        """`_match(qualified)` for a use on `line`, if it is rewritten."""
        found = _match(qualified)
        return found if found and self._applies(found[0].rule, line) else None

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = list(updated_node.body)
        # After TensorFlow's own import: `import compat_layers` imports
        # TensorFlow, so it must not run before what a script does first
        # (setting TF_CPP_MIN_LOG_LEVEL or CUDA_VISIBLE_DEVICES, say).
        tf_index = next((i for i, statement in enumerate(body) if _imports_tensorflow(statement)), None)
        if self._add_disable and tf_index is not None:
            # After the imports around TensorFlow's, before any code runs.
            end = tf_index + 1
            while end < len(body) and _is_import_line(body[end]):
                end += 1
            body[end:end] = _disable_v2_call(body[tf_index])
        # `import compat_layers.rnn_cell` also binds and loads `compat_layers`.
        missing = sorted(module for module in self._needs_import
                         if not any(_imports_module(statement, module) for statement in body)
                         and not any(other.startswith(module + ".") for other in self._needs_import))
        if missing and tf_index is None:
            # TensorFlow imported elsewhere (in a function, say): libcst's place.
            context = CodemodContext()
            for module in missing:
                AddImportsVisitor.add_needed_import(context, module)
            return AddImportsVisitor(context).transform_module(updated_node.with_changes(body=body))
        for module in reversed(missing):
            body.insert(tf_index + 1, _statement(f"import {module}\n"))
        return updated_node.with_changes(body=body)

    # Imports are rewritten whole, by their statement; ast has no
    # attribute chains in them.
    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        # `compat_layers.conv2d(x, 3,` is 4 characters longer than
        # `tf.layers.conv2d(x, 3,`: argument lines aligned with the bracket
        # (pycodestyle's visual indent) move with it, by what the rewrites
        # before the bracket on its line added.
        _, call = next(self._calls)
        if original_node.whitespace_after_func.value:
            return updated_node
        bracket = self._names.end(call.func)
        shift = sum(change for column, change in self._shifts.get(bracket[0], ())
                    if column < bracket[1])
        if shift == 0:
            return updated_node
        # Whether an argument starts a line, at the column after the bracket.
        starts = sorted(self._names.start(argument) for argument in (*call.args, *call.keywords))
        aligned = [line > bracket[0] and column == bracket[1] + 1 for line, column in starts]
        args = list(updated_node.args)
        for index, argument in enumerate(args[:-1]):
            if aligned[index + 1] and isinstance(argument.comma, cst.Comma):
                args[index] = argument.with_changes(comma=argument.comma.with_changes(
                    whitespace_after=_realigned(argument.comma.whitespace_after, shift)))
        before = updated_node.whitespace_before_args
        return updated_node.with_changes(
            whitespace_before_args=_realigned(before, shift) if aligned[:1] == [True] else before,
            args=args,
        )

    # References: the namespace part (`tf.layers` in `tf.layers.dense`) becomes
    # `compat_layers`; names bound by an import stay, their import is rewritten.
    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        end, reference = next(self._attributes)
        for qualified in reference.qualified:
            if self._switch and _tf2_only(qualified, updated_node):
                # `tf.random.set_seed` in a file switched to tf.compat.v1.
                self._widened(reference, end, len(".compat.v2"))
                return _with_root(updated_node, "compat.v2")
            found = self._mapping(qualified, reference.line)
            if found is None or found[1]:
                continue
            mapping = found[0]
            if reference.store:
                self.left_unchanged.append(
                    Use(reference.line, reference.column + 1, mapping.display, rule=mapping.rule)
                )
                return updated_node
            self._needs_import.add(mapping.imports)
            self._widened(reference, end, len(mapping.replacement) - (end[1] - reference.column))
            return _dotted(mapping.replacement).with_changes(
                lpar=updated_node.lpar, rpar=updated_node.rpar
            )
        return updated_node

    # A line with nothing to rewrite (no import, no reference to a name
    # that migrates) is not visited, only counted: visiting is most of a
    # migration's cost.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return self._visit_line(node)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        return self._visit_line(node)

    def _visit_line(self, node: cst.SimpleStatementLine | cst.SimpleStatementSuite) -> bool:
        self._line = [next(self._statements) for _ in node.body]
        attributes, calls, needed = self._plan(self._line)
        if not needed:
            for _ in range(attributes):
                next(self._attributes)
            for _ in range(calls):
                next(self._calls)
        return needed

    def _plan(self, statements: list[ast.stmt]) -> tuple[int, int, bool]:
        """How many attribute chains and calls `statements` hold, and whether
        they need visiting."""
        attributes = calls = 0
        needed = False
        for node in (node for statement in statements for node in ast.walk(statement)):
            if isinstance(node, ast.Attribute):
                attributes += 1
                line = self._names.resolution[node].line
                needed = needed or any(
                    self._mapping(name, line) or (self._switch and name.startswith("tensorflow.")
                                     and _in_table(name.split(".")[1:], TF2_ONLY))
                    for name in self._names.resolution[node].qualified)
            elif isinstance(node, ast.Call):
                calls += 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                needed = True
        return attributes, calls, needed

    def _widened(self, reference: _Reference, end: tuple[int, int], shift: int) -> None:
        """Notes that the reference (ending at `end`) got `shift` characters wider."""
        if end[0] == reference.line:
            self._shifts.setdefault(reference.line, []).append((reference.column, shift))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        body, moved = _migrate_imports(updated_node.body, self._line, self._switch, self._mapping)
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
        body, moved = _migrate_imports(updated_node.body, self._line, self._switch, self._mapping)
        return updated_node.with_changes(body=[*body, *moved])


def _realigned(whitespace: cst.BaseParenthesizableWhitespace,
               shift: int) -> cst.BaseParenthesizableWhitespace:
    """`whitespace` with the indentation of the line it ends moved by `shift`."""
    if not isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace
    indent = len(whitespace.last_line.value) + shift
    return whitespace.with_changes(last_line=cst.SimpleWhitespace(" " * max(indent, 0)))


def _tf2_only(qualified: str, node: cst.Attribute) -> bool:
    """Whether `node` is `tf.<a TF2_ONLY entry>`, spelled from the module's
    own name (`tf.random.set_seed`, not `random.set_seed`)."""
    if not qualified.startswith("tensorflow.") or qualified.startswith("tensorflow.compat."):
        return False
    parts = qualified.split(".")[1:]
    if _in_table(parts, TF2_ONLY) != ".".join(parts):
        return False
    depth, root = 0, node
    while isinstance(root, cst.Attribute):
        depth, root = depth + 1, root.value
    return isinstance(root, cst.Name) and depth == len(parts)


def _with_root(node: cst.BaseExpression, path: str) -> cst.BaseExpression:
    """`tf.compat.v2.random.set_seed` for `tf.random.set_seed` and `compat.v2`."""
    if isinstance(node, cst.Name):
        return _dotted(f"{node.value}.{path}")
    return node.with_changes(value=_with_root(node.value, path))


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _disable_v2_call(tf_import: cst.CSTNode) -> list[cst.SimpleStatementLine]:
    """`tf.disable_v2_behavior()` through the name the (switched) TensorFlow
    import binds, set off from the imports by a blank line."""
    name = "tensorflow.compat.v1"
    statements = []
    for module, alias in _top_level_imports(tf_import):
        if module == "tensorflow.compat.v1" and alias is not None and alias.asname is not None:
            name = alias.asname.name.value
            break
    else:
        if not any(alias is not None and module.startswith("tensorflow")
                   for module, alias in _top_level_imports(tf_import)):
            # Only `from tensorflow.compat.v1 import ...`: nothing binds a name.
            statements.append(_statement("import tensorflow.compat.v1\n"))
    statements.append(_statement(f"{name}.disable_v2_behavior()\n"))
    statements[0] = statements[0].with_changes(leading_lines=[cst.EmptyLine()])
    return statements


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


def _imports_module(statement: cst.CSTNode, name: str) -> bool:
    """Whether `statement` is `import <name>` (or of a submodule of it)."""
    return any((module == name or module.startswith(name + ".")) and alias is not None
               and alias.asname is None for module, alias in _top_level_imports(statement))


# `(qualified name, line of the use)` -> the mapping it is rewritten by, if it is.
_Matcher = Callable[[str, int], "tuple[_Mapping, str] | None"]


def _migrate_imports(
    statements: Sequence[cst.BaseSmallStatement],
    parsed: Sequence[ast.stmt],
    switch: bool,
    match: _Matcher,
) -> tuple[list[cst.BaseSmallStatement], list[cst.BaseSmallStatement]]:
    """The statements with their imports rewritten (TensorFlow's switched to
    `tensorflow.compat.v1` if `switch`), and the imports split off.

    `parsed` are the same statements in CPython's `ast`, for the line each
    imported name is on (a suppression comment applies to its line).
    """
    body: list[cst.BaseSmallStatement] = []
    moved: list[cst.BaseSmallStatement] = []
    for statement, node in zip(statements, parsed, strict=True):
        lines = [alias.lineno for alias in node.names] if isinstance(
            node, (ast.Import, ast.ImportFrom)) else []
        if isinstance(statement, cst.Import):
            statement = _migrate_import(statement, lines, switch, match)
        elif isinstance(statement, cst.ImportFrom):
            statement, split_off = _migrate_import_from(statement, lines, match)
            if switch and statement is not None:
                statement = _switch_import_from(statement)
            moved += split_off
        if statement is not None:
            body.append(statement)
    return body, moved


def _migrate_import(node: cst.Import, lines: Sequence[int], switch: bool, match: _Matcher) -> cst.Import:
    names = []
    for alias, line in zip(node.names, lines, strict=True):
        module = get_full_name_for_node(alias.name) or ""
        found = match(module, line)
        if switch and module == "tensorflow":
            # `import tensorflow` binds `tensorflow`: the name stays.
            alias = alias.with_changes(
                name=_dotted("tensorflow.compat.v1"),
                asname=alias.asname or cst.AsName(name=cst.Name("tensorflow")),
            )
        elif found and found[0].is_module:
            mapping, rest = found
            if alias.asname is None:
                # `import tensorflow.compat.v1.layers` binds `tensorflow`; keep
                # that, its `tensorflow.compat.v1.layers.X` uses are rewritten.
                alias = alias.with_changes(name=_dotted(mapping.tf1.rpartition(".")[0]))
            else:
                alias = alias.with_changes(name=_dotted(mapping.replacement + rest))
        names.append(alias)
    return node.with_changes(names=names)


def _absolute_module(node: cst.ImportFrom) -> str | None:
    if node.relative or node.module is None:
        return None
    return get_full_name_for_node(node.module)


def _switch_import_from(node: cst.ImportFrom) -> cst.ImportFrom:
    """`from tensorflow import X` as `from tensorflow.compat.v1 import X`,
    unless one of the names is TF2-only (then it stays)."""
    if _absolute_module(node) != "tensorflow" or isinstance(node.names, cst.ImportStar):
        return node
    if any(_in_table([get_full_name_for_node(alias.name) or ""], TF2_ONLY) for alias in node.names):
        return node
    return node.with_changes(module=_dotted("tensorflow.compat.v1"))


def _migrate_import_from(
    node: cst.ImportFrom, lines: Sequence[int], match: _Matcher
) -> tuple[cst.ImportFrom | None, list[cst.BaseSmallStatement]]:
    """The statement (None when nothing is left of it) and new imports;
    `lines` has the line of each imported name."""
    module = _absolute_module(node)
    if module is None:
        return node, []
    if _match(module):
        # One module for all the names: rewritten only when none is suppressed.
        found = [match(module, line) for line in lines]
        if not all(found):
            return node, []
        mapping, rest = found[0]
        if mapping.is_module:
            return node.with_changes(module=_dotted(mapping.replacement + rest)), []
    if isinstance(node.names, cst.ImportStar):
        return node, []
    kept: list[cst.ImportAlias] = []
    moved: list[cst.BaseSmallStatement] = []
    for alias, line in zip(node.names, lines, strict=True):
        name = get_full_name_for_node(alias.name)
        found = match(f"{module}.{name}", line)
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
        moved.append(_statement(statement).body[0])
    if not moved:
        return node, []
    if not kept:
        modules = {get_full_name_for_node(statement.module) if isinstance(statement, cst.ImportFrom)
                   else None for statement in moved}
        if len(modules) == 1 and None not in modules:
            # Names of one module (migration tools, cells): the statement keeps
            # its layout, a new module.
            return node.with_changes(module=_dotted(modules.pop())), []
        return None, moved
    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=kept), moved


# libcst's parser costs milliseconds a call, and the same few names and
# statements come back in every file; its nodes are immutable, so shared.
@functools.lru_cache(maxsize=None)
def _dotted(name: str) -> cst.Attribute | cst.Name:
    return cst.parse_expression(name)


@functools.lru_cache(maxsize=None)
def _statement(code: str) -> cst.SimpleStatementLine:
    return cst.parse_statement(code)


def migrate_source(
    source: bytes | str, path: str = "", *, selected: frozenset[str] | None = None
) -> Migration:
    """Rewrites every use in a Python source (bytes keep their encoding),
    except those a `# compat-layers: ignore` comment hides.

    Args:
      source: The file's contents.
      path: Shown in the diff's header.
      selected: The ids of the rules applied (None: all); a file is switched
        to `tensorflow.compat.v1` only when `tf1-api` is among them.

    Raises:
      CodemodError: The source does not decode or parse.
    """
    if not _may_use(source):
        _check_parses(source)
        # Nobody writes a str back: its bytes are only compared.
        data = source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source
        return Migration(data, data, (), "")
    names = _names(source)
    module = _parse(source)
    if names is None:
        data = source.encode(module.encoding) if isinstance(source, str) else source
        return Migration(data, data, (), "")
    command = _Migrate(names, selected, suppressions(source))
    # Code generation is a third of a migration: once, for the result; libcst
    # gives back the source's text unchanged, so that is the text before.
    after_code = module.visit(command).code
    before_code = source if isinstance(source, str) else source.decode(module.encoding)
    before_code = before_code.removeprefix("\ufeff")
    before = source if isinstance(source, bytes) else source.encode(module.encoding)
    after = after_code.encode(module.encoding)
    diff = _unified_diff(before_code, after_code, path) if after_code != before_code else ""
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
            source = cell_source(cell)
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


def cell_source(cell: dict) -> str:
    """A notebook cell's text (nbformat stores it as a string or a list of lines)."""
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


def migrate_notebook(data: bytes, path: str = "", *, selected: frozenset[str] | None = None) -> Migration:
    """Rewrites every use in a notebook's code cells, keeping its JSON layout.

    `import compat_layers` is added once, to the first cell that imports.
    `selected` and suppression comments are as for `migrate_source`.

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
    migration = migrate_source(code.source, selected=selected)
    diffs = []
    for number, after in code.split(migration.after.decode("utf-8")).items():
        cell = notebook["cells"][number - 1]
        before = cell_source(cell)
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
