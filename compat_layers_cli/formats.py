"""`scan`'s machine-readable outputs for CI: SARIF 2.1.0 and GitHub workflow commands.

SARIF (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) is what GitHub code
scanning and other viewers upload: one result per use, with its rule, file,
line and column; the rules with their help text and docs address; files that
could not be read or parsed as tool execution notifications. The workflow
commands (`::warning file=...,line=...,col=...::message`) make GitHub Actions
annotate the lines of a pull request directly; GitHub shows only 10
annotations of each kind per step, so uses are grouped per file and rule, and
the full table goes to the step summary.

Notebook uses have a line and column inside a code cell, not inside the
`.ipynb` file: they point at the file, and their message names the cell.
"""

from __future__ import annotations

import collections
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


def rule_url(docs_url: str, rule_id: str) -> str:
    """The absolute address of a rule's section of the scan-rules page at `docs_url`."""
    return f"{docs_url}#{rule_id}"


def message(use: Use, docs_url: str) -> str:
    """One line for a use: its name and where to go."""
    rule = rules.RULES[use.rule]
    where = f" (cell {use.cell}, line {use.line}, column {use.column})" if use.cell is not None else ""
    if rule.covered:
        return f"{use.name}{where}: {rule.fix.format(it='it')}"
    return f"{use.name}{where}: not covered by compat_layers ({rule.title}); see {rule_url(docs_url, rule.id)}"


# ------------------------------------------------------------------- SARIF
def sarif(
    uses: Sequence[tuple[str, Use]],
    errors: Sequence[tuple[str, str]],
    docs_url: str,
    notes: Sequence[tuple[str, str]] = (),
    tool_version: str = "",
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run.

    Args:
      uses: `(path, use)` in report order, covered or not.
      errors: `(path, message)` for paths that could not be read or parsed.
      docs_url: The address of the scan-rules page.
      notes: `(path, message)` for paths skipped on purpose (symbolic links).
      tool_version: compat-layers' version, for `tool.driver.version`.
    """
    rule_ids = list(rules.RULES)
    driver: dict[str, Any] = {
        "name": TOOL_NAME,
        "informationUri": docs_url,
        "rules": [_sarif_rule(rule, rule_url(docs_url, rule.id)) for rule in rules.RULES.values()],
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
                "results": [_sarif_result(path, use, rule_ids.index(use.rule), docs_url)
                            for path, use in uses],
            }
        ],
    }


def _sarif_rule(rule: rules.Rule, url: str) -> dict[str, Any]:
    status = rule.fix.format(it="it") if rule.covered else "not covered by compat_layers"
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", " ").split()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}: {status}."},
        "helpUri": url,
        "help": {
            "text": f"{rule.help} More: {url}",
            "markdown": f"{rule.help}\n\nMore: [{rule.id}]({url})",
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


def _sarif_result(path: str, use: Use, rule_index: int, docs_url: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if use.cell is None:
        physical["region"] = {"startLine": use.line, "startColumn": use.column}
    result: dict[str, Any] = {
        "ruleId": use.rule,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": message(use, docs_url)},
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
# GitHub shows this many annotations of each kind per step and drops the
# rest without a word (50 per job in all).
ANNOTATIONS_PER_KIND = 10
# GitHub rejects a step summary over 1 MiB; the table stops short of it.
SUMMARY_BUDGET = 1000 * 1024
# Lines listed in one grouped annotation; the summary has them all.
_LINES_PER_ANNOTATION = 20


def github(uses: Sequence[tuple[str, Use]], errors: Sequence[tuple[str, str]], docs_url: str) -> list[str]:
    """Workflow-command lines within GitHub's limits.

    One warning per file and rule, at its first use, listing the others; one
    error per path that could not be read. Past ten of a kind, the tenth
    annotation says how many more there are (the step summary has them).
    """
    groups: dict[tuple[str, str], list[Use]] = collections.defaultdict(list)
    for path, use in uses:
        groups[path, use.rule].append(use)
    warnings = [_group_annotation(path, group, docs_url) for (path, _), group in groups.items()]
    if len(warnings) > ANNOTATIONS_PER_KIND:
        rest = list(groups.values())[ANNOTATIONS_PER_KIND - 1:]
        files = len({path for path, _ in list(groups)[ANNOTATIONS_PER_KIND - 1:]})
        warnings[ANNOTATIONS_PER_KIND - 1:] = [_command(
            "warning", {"title": "compat-layers"},
            f"{plural(sum(map(len, rest)), 'more use')} under {plural(len(rest), 'more rule')} "
            f"in {plural(files, 'more file')} (GitHub shows {ANNOTATIONS_PER_KIND} annotations): "
            "see the step summary or run `compat-layers scan`",
        )]
    failures = [_command("error", {"file": path, "title": "compat-layers"}, text) for path, text in errors]
    if len(failures) > ANNOTATIONS_PER_KIND:
        more = len(failures) - ANNOTATIONS_PER_KIND + 1
        failures[ANNOTATIONS_PER_KIND - 1:] = [_command(
            "error", {"title": "compat-layers"},
            f"{plural(more, 'more path')} could not be read or parsed: see the step summary or the log",
        )]
    return warnings + failures


def _group_annotation(path: str, uses: list[Use], docs_url: str) -> str:
    first = uses[0]
    properties = {"file": path, "title": f"compat-layers {first.rule}"}
    if first.cell is None:
        properties.update(line=str(first.line), col=str(first.column))
    if len(uses) == 1:
        return _command("warning", properties, message(first, docs_url))
    rule = rules.RULES[first.rule]
    listed = ", ".join(f"{_where(use)} {use.name}" for use in uses[:_LINES_PER_ANNOTATION])
    if len(uses) > _LINES_PER_ANNOTATION:
        listed += f", and {len(uses) - _LINES_PER_ANNOTATION} more"
    if rule.covered:
        what = rule.fix.format(it="them")
    else:
        what = f"not covered by compat_layers; see {rule_url(docs_url, rule.id)}"
    return _command("warning", properties, f"{len(uses)} uses of {rule.title} ({what}): {listed}")


def _where(use: Use) -> str:
    cell = f"cell {use.cell} " if use.cell is not None else ""
    return f"{cell}line {use.line}"


def github_summary(
    uses: Sequence[tuple[str, Use]], errors: Sequence[tuple[str, str]], docs_url: str, scanned: int
) -> str:
    """The step summary (Markdown): a row per file and rule, then the errors."""
    groups: dict[tuple[str, str], list[Use]] = collections.defaultdict(list)
    for path, use in uses:
        groups[path, use.rule].append(use)
    failed = f"; {plural(len(errors), 'path')} could not be read or parsed" if errors else ""
    text = [
        "## compat-layers scan\n\n",
        f"{plural(len(uses), 'use')} in {plural(len({path for path, _ in uses}), 'file')} "
        f"({plural(scanned, 'file')} scanned): {advice([use for _, use in uses])}{failed}.\n",
    ]
    rows = []
    if groups:
        rows += ["\n| File | Rule | Uses | Where |\n", "|---|---|---:|---|\n"]
        rows += [
            f"| `{_cell(path)}` | [{rule}]({rule_url(docs_url, rule)}) | {len(group)} | "
            f"{_cell(', '.join(_where(use) for use in group))} |\n"
            for (path, rule), group in groups.items()
        ]
    if errors:
        rows += ["\n| Path | Error |\n", "|---|---|\n"]
        rows += [f"| `{_cell(path)}` | {_cell(error)} |\n" for path, error in errors]
    size = sum(map(len, text))
    for index, row in enumerate(rows):
        if size + len(row) > SUMMARY_BUDGET:
            text.append(f"\n{len(rows) - index} more rows left out (GitHub's limit for a step "
                        "summary is 1 MiB); `compat-layers scan` lists them all.\n")
            break
        text.append(row)
        size += len(row)
    return "".join(text)


def advice(uses: Sequence[Use]) -> str:
    """What to do about `uses`, in one clause: how many `migrate --write`
    rewrites to compat_layers, how many it keeps working by switching their
    files to tf.compat.v1, and how many are not covered."""
    provided = sum(use.covered and use.rule != rules.TF1_API for use in uses)
    api = sum(use.rule == rules.TF1_API for use in uses)
    parts = [
        f"{provided} provided by compat_layers (`compat-layers migrate --write` rewrites them)",
        f"{api} kept by tf.compat.v1 (`compat-layers migrate --write` switches their files to it)",
        f"{len(uses) - provided - api} not covered",
    ]
    counts = (provided, api, len(uses) - provided - api)
    return ", ".join(part for part, count in zip(parts, counts) if count) or "nothing to do"


def _cell(text: str) -> str:
    """`text` inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _command(kind: str, properties: dict[str, str], text: str) -> str:
    # GitHub's escaping: `%`, CR and LF everywhere; `:` and `,` in properties too.
    def escape(value: str, extra: bool) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if extra else value

    joined = ",".join(f"{key}={escape(value, True)}" for key, value in properties.items())
    return f"::{kind} {joined}::{escape(text, False)}\n"
