"""Runs every Python block of docs/distributed.md, in order, in one namespace.

    python tests/distribute_scripts/run_guide.py

A fresh process: the guide's first block configures logical devices, which
TensorFlow allows only before it initializes them. Prints the guide's own
output, then `{"blocks": <number run>}` as the last line.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from tests.test_docs import python_blocks

GUIDE = REPO_ROOT / "docs" / "distributed.md"


def main() -> None:
    blocks = python_blocks(GUIDE.read_text())
    namespace: dict = {"__name__": "distributed_guide"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for number, block in enumerate(blocks, 1):
            exec(compile(block, f"{GUIDE.name} block {number}", "exec"), namespace)
    print(json.dumps({"blocks": len(blocks)}), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    main()
