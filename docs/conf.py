"""Sphinx configuration: the API reference from the docstrings, and the guides.

Build (the [docs] extra; CI runs it with warnings as errors):

    sphinx-build -W --keep-going -b html docs docs/_build/html

The guides are Markdown (MyST). The docstrings are Keras-style Google
docstrings written in Markdown: napoleon reads their sections, and
`markdown_docstring` first turns their Markdown code (```` ```python ````
blocks, `inline code`) into reStructuredText.
"""

from __future__ import annotations

import os
import re
import sys

sys.path.insert(0, os.path.abspath(".."))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import compat_layers  # noqa: E402

project = "compat_layers"
author = "The compat_layers authors"
release = compat_layers.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "pypi.md"]  # pypi.md: the index page's text
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"]  # links to repository files outside docs/ (checked by tests)

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# Keras-style sections besides Google's own.
napoleon_custom_sections = [
    ("Call arguments", "params_style"),
    "Input shape",
    "Output shape",
    "How to migrate to native TF2",
]

html_theme = "alabaster"
html_title = f"compat_layers {release}"

_FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
# Markdown `code`, which may wrap onto the next line of its paragraph.
_INLINE = re.compile(r"(?<![`\w])`([^`]+?)`(?!`)(\w?)")


def _literal(match: re.Match) -> str:
    # reST ends a literal only before a space or punctuation: `Variable`s.
    return f"``{match.group(1)}``" + (f"\\ {match.group(2)}" if match.group(2) else "")


def _inline_code(text_lines: list[str]) -> list[str]:
    return _INLINE.sub(_literal, "\n".join(text_lines)).split("\n") if text_lines else []


def markdown_docstring(app, what, name, obj, options, lines: list[str]) -> None:
    """Markdown code in a docstring as reStructuredText, in place."""
    converted: list[str] = []
    text: list[str] = []  # lines outside code blocks, converted together
    fence_indent: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if match and fence_indent is None:
            converted += _inline_code(text)
            text = []
            fence_indent = match.group(1)
            converted += [f"{fence_indent}.. code-block:: {match.group(2) or 'text'}", ""]
        elif match:
            fence_indent = None
            converted.append("")
        elif fence_indent is not None:
            converted.append(f"{fence_indent}   {line[len(fence_indent):]}" if line.strip() else "")
        else:
            text.append(line)
    lines[:] = converted + _inline_code(text)


def setup(app):
    app.connect("autodoc-process-docstring", markdown_docstring)
