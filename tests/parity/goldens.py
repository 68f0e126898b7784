"""Golden fixtures: what TensorFlow 2.15.1's native `tf.compat.v1.layers` did.

Recorded by `record_goldens.py` (run under `tensorflow-cpu==2.15.1`, the last
release where these layers are native); committed under `tests/goldens/`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "goldens" / "tf-2.15.1"
RESULTS = GOLDEN_DIR / "results.json"
ARRAYS = GOLDEN_DIR / "arrays.npz"
CHECKPOINT_DIR = GOLDEN_DIR / "checkpoint"
# The case whose graph-mode variables the TF 2.15.1 Saver checkpoint holds.
CHECKPOINT_CASE = "unnamed_uniquified_in_scope"


def to_files(results: dict[str, dict[str, dict]], metadata: dict) -> None:
    """Writes {case: {mode: result}} as JSON plus one compressed NPZ."""
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
    RESULTS.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    np.savez_compressed(ARRAYS, **arrays)


@functools.lru_cache(maxsize=None)
def _load() -> tuple[dict, dict]:
    document = json.loads(RESULTS.read_text())
    with np.load(ARRAYS) as archive:
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


def metadata() -> dict:
    return _load()[0]


def result(case: str, mode: str) -> dict | None:
    """The golden result, or None when the case was added after the recording."""
    return _load()[1].get(case, {}).get(mode)
