"""The one registry of layer cases that every parity check runs.

Each layer family keeps its cases in `tests/parity/cases/<group>.py` (a tuple
`CASES` of `case.Case`). `test_parity.py` runs every case in every execution
mode against the live oracle and the TF 2.15.1 goldens: adding a case to a
group (or a group here) enrols it in all of them. Record its goldens with
`python -m tests.parity.record_goldens --group <group>` under TF 2.15.1.

Case modules must stay importable under TensorFlow 2.15.
"""

from __future__ import annotations

import importlib

from tests.parity.case import Case

GROUPS = ("base", "conv2d_transpose", "conv", "core", "pooling", "normalization", "models", "bad_input",
          "unknown_rank", "rnn")


def _load(group: str) -> tuple[Case, ...]:
    return importlib.import_module(f"tests.parity.cases.{group}").CASES


CASES_BY_GROUP: dict[str, tuple[Case, ...]] = {group: _load(group) for group in GROUPS}
CASES: tuple[Case, ...] = tuple(case for cases in CASES_BY_GROUP.values() for case in cases)
CASES_BY_NAME: dict[str, Case] = {case.name: case for case in CASES}
GROUP_OF: dict[str, str] = {
    case.name: group for group, cases in CASES_BY_GROUP.items() for case in cases
}

if len(CASES_BY_NAME) != len(CASES):
    raise ValueError("two parity cases share a name")
