"""`scan`'s machine-readable outputs for CI: SARIF 2.1.0 and GitHub workflow commands.

SARIF (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) is what GitHub code
scanning and other viewers upload: one result per use, with its rule, file,
line and column; the rules with their help text; files that could not be
read or parsed as tool execution notifications. The workflow commands
(`::warning file=...,line=...,col=...::message`) make GitHub Actions
annotate the lines of a pull request directly.

Notebook uses have a line and column inside a code cell, not inside the
`.ipynb` file: they point at the file, and their message names the cell.
"""

from __future__ import annotations

import urllib.parse
from pathlib import PurePath
from typing import Any, Sequence

from compat_layers_cli import rules
from compat_layers_cli.codemod import Use

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "compat-layers"


def location(path: str, use: Use) -> str:
    """`path:line:col`, or `path#cellN:line:col` for a notebook."""
    cell = f"#cell{use.cell}" if use.cell is not None else ""
    return f"{path}{cell}:{use.line}:{use.column}"


def message(use: Use) -> str:
    """One line for a use: its name and where to go."""
    rule = rules.RULES[use.rule]
    where = f" (cell {use.cell}, line {use.line}, column {use.column})" if use.cell is not None else ""
    if rule.covered:
        return f"{use.name}{where}: provided by compat_layers; `compat-layers migrate` rewrites it"
    return f"{use.name}{where}: not covered by compat_layers ({rule.title}); see {rule.docs}"


# ------------------------------------------------------------------- SARIF
def sarif(
    uses: Sequence[tuple[str, Use]],
    errors: Sequence[tuple[str, str]],
    notes: Sequence[tuple[str, str]] = (),
    tool_version: str = "",
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run.

    Args:
      uses: `(path, use)` in report order, covered or not.
      errors: `(path, message)` for paths that could not be read or parsed.
      notes: `(path, message)` for paths skipped on purpose (symbolic links).
      tool_version: compat-layers' version, for `tool.driver.version`.
    """
    rule_ids = list(rules.RULES)
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "rules": [_sarif_rule(rule) for rule in rules.RULES.values()],
    }
    if tool_version:
        driver["version"] = tool_version
    notifications = [
        _notification(path, text, "error") for path, text in errors
    ] + [_notification(path, text, "note") for path, text in notes]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
                ],
                # Relative paths are relative to where compat-layers ran, which
                # is the repository root in CI (code scanning maps them there).
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the scanned tree"}}},
                "results": [_sarif_result(path, use, rule_ids.index(use.rule)) for path, use in uses],
            }
        ],
    }


def _sarif_rule(rule: rules.Rule) -> dict[str, Any]:
    status = "provided by compat_layers" if rule.covered else "not covered by compat_layers"
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", " ").split()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({status})."},
        "help": {
            "text": f"{rule.help} More: {rule.docs}",
            "markdown": f"{rule.help}\n\nMore: [`{rule.docs}`]({rule.docs})",
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {
            "covered": rule.covered,
            "tags": ["migration", "tensorflow", "covered" if rule.covered else "not-covered"],
        },
    }


def _artifact(path: str) -> dict[str, str]:
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": urllib.parse.quote(pure.as_posix()), "uriBaseId": "%SRCROOT%"}


def _sarif_result(path: str, use: Use, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if use.cell is None:
        physical["region"] = {"startLine": use.line, "startColumn": use.column}
    result: dict[str, Any] = {
        "ruleId": use.rule,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": message(use)},
        "locations": [{"physicalLocation": physical}],
        "properties": {"name": use.name, "covered": use.covered},
    }
    if use.cell is not None:
        result["properties"].update(cell=use.cell, cellLine=use.line, cellColumn=use.column)
    return result


def _notification(path: str, text: str, level: str) -> dict[str, Any]:
    return {
        "level": level,
        "message": {"text": f"{path}: {text}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(path)}}],
    }


# ---------------------------------------------------------- GitHub Actions
def github(uses: Sequence[tuple[str, Use]], errors: Sequence[tuple[str, str]]) -> list[str]:
    """Workflow-command lines: a warning per use, an error per unreadable path."""
    lines = []
    for path, use in uses:
        properties = {"file": path, "title": f"compat-layers {use.rule}"}
        if use.cell is None:
            properties.update(line=str(use.line), col=str(use.column))
        lines.append(_command("warning", properties, message(use)))
    for path, text in errors:
        lines.append(_command("error", {"file": path, "title": "compat-layers"}, text))
    return lines


def _command(kind: str, properties: dict[str, str], text: str) -> str:
    # GitHub's escaping: `%`, CR and LF everywhere; `:` and `,` in properties too.
    def escape(value: str, extra: bool) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if extra else value

    joined = ",".join(f"{key}={escape(value, True)}" for key, value in properties.items())
    return f"::{kind} {joined}::{escape(text, False)}\n"
