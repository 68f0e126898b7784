"""Records what TF 2.15.1's native v1 layers did in tests/distribute_scripts/tf1_programs.py.

    /work/venvs/tf215/bin/python -m tests.oracle_scripts.record_distribute_goldens

(from the repository root, under `tensorflow-cpu==2.15.1`). Writes
`tests/goldens/tf-2.15.1/distribute/{placement,partitioned}.json` and the
`Saver` checkpoint of the trained partitioned model under
`tests/goldens/tf-2.15.1/distribute/partitioned_ckpt/`.
"""

from __future__ import annotations

import json
from pathlib import Path

import tensorflow as tf

from tests.distribute_scripts import tf1_programs

OUT = Path(__file__).resolve().parents[1] / "goldens" / "tf-2.15.1" / "distribute"


def main() -> None:
    if tf.__version__ != "2.15.1":
        raise SystemExit(f"record under tensorflow 2.15.1 (found {tf.__version__})")
    layers = tf.compat.v1.layers
    OUT.mkdir(parents=True, exist_ok=True)
    metadata = {"tensorflow": tf.__version__, "script": "tests/oracle_scripts/record_distribute_goldens.py"}
    documents = {
        "placement": tf1_programs.placement(layers),
        "partitioned": tf1_programs.partitioned(layers, save_to=str(OUT / "partitioned_ckpt" / "model")),
    }
    for name, result in documents.items():
        (OUT / f"{name}.json").write_text(json.dumps({"metadata": metadata, "result": result}) + "\n")


if __name__ == "__main__":
    main()
