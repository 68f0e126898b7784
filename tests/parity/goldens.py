"""Golden fixtures: what TensorFlow 2.15.1's native `tf.compat.v1.layers` did.

Recorded by `record_goldens.py` (run under `tensorflow-cpu==2.15.1`, the last
release where these layers are native) into `tests/goldens/tf-2.15.1/`, one
`<group>.json` + `<group>.npz` pair per registry group, and committed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "goldens" / "tf-2.15.1"
CHECKPOINT_DIR = GOLDEN_DIR / "checkpoints"


def checkpoint_path(case: str) -> Path:
    """TF1 Saver checkpoint (prefix) of the case's graph-mode variables."""
    return CHECKPOINT_DIR / case / "model"


def to_files(group: str, results: dict[str, dict[str, dict]], metadata: dict) -> None:
    """Writes {case: {mode: result}} as `<group>.json` plus `<group>.npz`."""
    arrays: dict[str, np.ndarray] = {}

    def encode(value: Any, key: str) -> Any:
        if isinstance(value, np.ndarray):
            arrays[key] = value
            return {"__array__": key}
        if isinstance(value, dict):
            return {k: encode(v, f"{key}/{k}") for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [encode(v, f"{key}/{i}") for i, v in enumerate(value)]
        return value

    document = {"metadata": metadata, "results": encode(results, "")}
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    (GOLDEN_DIR / f"{group}.json").write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    np.savez_compressed(GOLDEN_DIR / f"{group}.npz", **arrays)


@functools.lru_cache(maxsize=None)
def load(group: str) -> tuple[dict, dict]:
    """(metadata, {case: {mode: result}}) of one group; empty if never recorded."""
    document_path = GOLDEN_DIR / f"{group}.json"
    if not document_path.exists():
        return {}, {}
    document = json.loads(document_path.read_text())
    with np.load(GOLDEN_DIR / f"{group}.npz") as archive:
        arrays = {key: archive[key] for key in archive.files}

    def decode(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"__array__"}:
                return arrays[value["__array__"]]
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    return document["metadata"], decode(document["results"])


def result(group: str, case: str, mode: str) -> dict | None:
    """The golden result, or None when the case was added after the recording."""
    return load(group)[1].get(case, {}).get(mode)
