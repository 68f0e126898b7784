"""A fresh process per sample of import time.

    python -m benchmarks.probe --contender compat_layers

Prints one JSON line: {"import_tensorflow": s, "import_time": s}, where
`import_time` is what the contender adds on top of `import tensorflow`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def _import_contender(name: str):
    if name == "compat_layers":
        import compat_layers

        return compat_layers.Conv2DTranspose
    if name == "keras3":
        import keras

        return keras.layers.Conv2DTranspose
    if name == "tf_keras":
        import tensorflow as tf

        return tf.compat.v1.layers.Conv2DTranspose  # loads tf_keras's legacy layers
    return None  # raw_ops: nothing beyond TensorFlow


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contender", required=True)
    args = parser.parse_args()
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    start = time.perf_counter()
    import tensorflow  # noqa: F401

    imported_tf = time.perf_counter()
    found = _import_contender(args.contender)
    imported = time.perf_counter()
    result = {
        "import_tensorflow": imported_tf - start,
        "import_time": None if found is None else imported - imported_tf,
    }
    protocol.write(json.dumps(result) + "\n")
    protocol.flush()
    sys.stderr.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
