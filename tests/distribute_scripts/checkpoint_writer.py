"""Writes a checkpoint with docs/distributed.md's `save_atomically`, to be killed.

    python tests/distribute_scripts/checkpoint_writer.py DIRECTORY [--pause]

Prints `{"writing": true}` just before TensorFlow writes, and with `--pause`
`{"written": true}` once the checkpoint is complete in the temporary
directory, then waits for a line on stdin before `save_atomically` renames
it: the test kills the process at either point. Prints the final path last.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import tensorflow as tf

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
from tests.test_docs import python_blocks

GUIDE = REPO_ROOT / "docs" / "distributed.md"


def save_atomically_from_guide():
    """The guide's own `save_atomically` (the block that defines it)."""
    (block,) = [b for b in python_blocks(GUIDE.read_text()) if "def save_atomically" in b]
    namespace = {"os": os, "tempfile": tempfile}
    exec(compile(block, f"{GUIDE.name} save_atomically", "exec"), namespace)
    return namespace["save_atomically"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--pause", action="store_true")
    args = parser.parse_args()
    # 64 MiB: TensorFlow takes a while to write it, so a kill lands mid-write.
    checkpoint = tf.train.Checkpoint(weights=tf.Variable(tf.random.normal([4096, 4096])))

    def save(prefix: str) -> str:
        print(json.dumps({"writing": True}), flush=True)
        path = checkpoint.write(prefix)
        if args.pause:
            print(json.dumps({"written": True}), flush=True)
            sys.stdin.readline()
        return path

    print(json.dumps({"path": save_atomically_from_guide()(save, args.directory)}), flush=True)


if __name__ == "__main__":
    main()
