"""Every docstring `Example:` of compat_layers runs, and prints what it says.

An example is the first ```` ```python ```` block after `Example:` in the
docstring of a public module, class, function or method. Each runs in a
process of its own, with `keras`, `np`, `tf`, `compat_layers` and the names of
the namespace it is documented in (`from compat_layers.utils import *`)
imported. Every `print(...)` in an example states what it prints in a comment:
on the print's line (`print(y.shape)  # (None, 4)`) and on the comment-only
lines right after it, which continue the output (a long list). Printed and
stated text compare with runs of whitespace as one space, so numpy arrays and
wrapped lists may break anywhere.

The processes fork from a server that has imported TensorFlow and this module
once (an import of TensorFlow costs about ten seconds on CI), two at a time,
all started in `setUpClass`.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import inspect
import io
import multiprocessing
import pkgutil
import re
import textwrap
import tokenize
import traceback
import types
from typing import Any, Iterator

from absl.testing import absltest, parameterized

import compat_layers
import compat_layers.experimental
import compat_layers.rnn_cell
import compat_layers.utils

# The modules whose public names are documented API.
_NAMESPACES = (compat_layers, compat_layers.utils, compat_layers.experimental,
               compat_layers.rnn_cell)
_PREAMBLE = "import keras\nimport numpy as np\nimport tensorflow as tf\nimport compat_layers\n"
_BLOCK = re.compile(r"Example:\s*```python\n(.*?)```", re.S)
_TIMEOUT_S = 300


def _documented_objects() -> Iterator[tuple[str, str, Any]]:
    """`(qualified name, namespace, object)` of each module and public object
    compat_layers defines, each once."""
    seen: set[int] = set()

    def visit(name: str, namespace: str, value: Any) -> Iterator[tuple[str, str, Any]]:
        if isinstance(value, property):
            value = value.fget
        defined_here = getattr(value, "__module__", "") or ""
        if id(value) in seen or not (
            isinstance(value, types.ModuleType) or defined_here.startswith("compat_layers")
        ):
            return
        seen.add(id(value))
        yield name, namespace, value
        if inspect.isclass(value):
            for member, attribute in vars(value).items():
                if not member.startswith("_"):
                    yield from visit(f"{name}.{member}", namespace, attribute)

    for module in _NAMESPACES:
        yield from visit(module.__name__, module.__name__, module)
        for public in module.__all__:
            yield from visit(f"{module.__name__}.{public}", module.__name__, getattr(module, public))
    for info in pkgutil.iter_modules(compat_layers.__path__, "compat_layers."):
        module = __import__(info.name, fromlist=["_"])
        yield from visit(info.name, "compat_layers", module)


def collect_examples() -> dict[str, tuple[str, str]]:
    """`{qualified name: (namespace, code)}` of every docstring example."""
    examples = {}
    for name, namespace, value in _documented_objects():
        docstring = inspect.getdoc(value) if not isinstance(value, types.ModuleType) else value.__doc__
        for number, code in enumerate(_BLOCK.findall(inspect.cleandoc(docstring or ""))):
            examples[name if number == 0 else f"{name}#{number + 1}"] = (namespace, code)
    return examples


def stated_outputs(code: str) -> list[str]:
    """What each `print(...)` of `code` says it prints, in source order.

    Raises:
      ValueError: A print states nothing.
    """
    lines = code.splitlines()
    comments = {
        token.start[0]: token.string[1:].removeprefix(" ")
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type == tokenize.COMMENT
    }
    prints = sorted(
        node.end_lineno
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    )
    stated = []
    for last in prints:
        parts = [comments[last]] if last in comments else []
        following = last + 1
        while following <= len(lines) and lines[following - 1].lstrip().startswith("#"):
            parts.append(comments[following])
            following += 1
        if not parts:
            raise ValueError(f"line {last}: `{lines[last - 1].strip()}` does not say what it prints")
        stated.append(" ".join(parts))
    return stated


def _same_text(text: str) -> str:
    return " ".join(text.split())


def mismatches(stated: list[str], printed: list[str]) -> list[str]:
    """Each way the printed text differs from the stated, or `[]`."""
    problems = [
        f"print #{number}: stated {want!r}, printed {got!r}"
        for number, (want, got) in enumerate(zip(stated, printed), start=1)
        if _same_text(want) != _same_text(got)
    ]
    if len(stated) != len(printed):
        problems.append(f"{len(stated)} prints state an output, {len(printed)} printed")
    return problems


def run_example(namespace: str, code: str) -> tuple[list[str], str | None]:
    """Runs in a fresh process: what each print printed, and the traceback of
    what the example raised (`None` when it ran through)."""
    printed: list[str] = []

    def captured_print(*args: Any, **kwargs: Any) -> None:
        output = io.StringIO()
        builtins.print(*args, **{**kwargs, "file": output})
        printed.append(output.getvalue())

    source = f"{_PREAMBLE}from {namespace} import *\n"
    scope = {"__name__": "__main__", "print": captured_print}
    try:
        exec(compile(source, "<preamble>", "exec"), scope)
        exec(compile(code, "<example>", "exec"), scope)
    except BaseException:  # noqa: BLE001  (reported to the test, which fails)
        return printed, traceback.format_exc()
    return printed, None


EXAMPLES = collect_examples()


class DocstringExamplesTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        context = multiprocessing.get_context("forkserver")
        # This module too: each process unpickles `run_example` from it, and
        # collecting imports every compat_layers module (the CLI's libcst too).
        context.set_forkserver_preload(["tensorflow", "keras", "numpy", "compat_layers", __name__])
        # One task a process: no example sees another's graph, seeds or names.
        cls.pool = context.Pool(2, maxtasksperchild=1)
        cls.results = {
            name: cls.pool.apply_async(run_example, example) for name, example in EXAMPLES.items()
        }

    @classmethod
    def tearDownClass(cls):
        cls.pool.terminate()
        cls.pool.join()
        super().tearDownClass()

    def test_every_documented_layer_family_has_examples(self):
        self.assertGreaterEqual(len(EXAMPLES), 38)
        for name in ("compat_layers.Conv2DTranspose", "compat_layers.batch_normalization",
                     "compat_layers.utils.track_tf1_style_variables", "compat_layers.install"):
            self.assertIn(name, EXAMPLES)

    @parameterized.named_parameters(
        (name.replace(".", "_").replace("#", "_"), name) for name in EXAMPLES
    )
    def test_example(self, name):
        namespace, code = EXAMPLES[name]
        stated = stated_outputs(code)
        printed, error = self.results[name].get(timeout=_TIMEOUT_S)
        if error is not None:
            self.fail(f"{name}'s example raised:\n{error}")
        self.assertEqual(mismatches(stated, printed), [], f"{name}'s example")


class OutputCheckTest(absltest.TestCase):
    """The checker catches a wrong comment, a silent print and a wrapped list."""

    CODE = textwrap.dedent(
        """\
        x = [1, 2]
        print(len(x))  # 2
        print(x)
        # [1,
        #  2]
        y = 3  # not a print: not checked
        """
    )

    def test_comments_state_the_outputs(self):
        self.assertEqual(stated_outputs(self.CODE), ["2", "[1,  2]"])
        self.assertEqual(mismatches(stated_outputs(self.CODE), ["2\n", "[1, 2]\n"]), [])

    def test_a_wrong_comment_is_reported(self):
        self.assertEqual(
            mismatches(["(None, 4)"], ["(None, 5)\n"]),
            ["print #1: stated '(None, 4)', printed '(None, 5)\\n'"],
        )
        self.assertEqual(mismatches(["2"], []), ["1 prints state an output, 0 printed"])

    def test_a_print_that_states_nothing_is_refused(self):
        with self.assertRaisesRegex(ValueError, r"line 1: `print\(1\)` does not say what it prints"):
            stated_outputs("print(1)\n")

    def test_a_raising_example_is_reported(self):
        with contextlib.redirect_stderr(io.StringIO()):
            printed, error = run_example("compat_layers", "print('before')\nundefined_name\n")
        self.assertEqual(printed, ["before\n"])
        self.assertIn("NameError: name 'undefined_name' is not defined", error)


if __name__ == "__main__":
    absltest.main()
