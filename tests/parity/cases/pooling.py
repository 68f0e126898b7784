"""Parity cases for the pooling layers (see tests/parity/registry.py)."""

from __future__ import annotations

from tests.parity.case import Case

CASES: tuple[Case, ...] = ()
