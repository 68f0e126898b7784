"""Records the golden fixtures with TensorFlow 2.15.1's native v1 layers.

Run from the repository root in an environment with `tensorflow-cpu==2.15.1`
(the last release where `tf.compat.v1.layers` is native; it installs on
Python 3.11):

    python3 -m venv /tmp/tf215 && /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1
    /tmp/tf215/bin/python -m tests.parity.record_goldens

It runs every registry case in every mode through `runner.run_case` (the same
code the tests run against compat_layers) and writes `tests/goldens/tf-2.15.1/`:
`results.json` + `arrays.npz`, and a TF1 Saver checkpoint of one case.
"""

from __future__ import annotations

import datetime
import platform
import shutil

import keras
import tensorflow as tf

from tests.parity import goldens, registry, runner


def main() -> None:
    if tf.__version__ != "2.15.1":
        raise SystemExit(f"record under tensorflow 2.15.1, not {tf.__version__}")
    layers = tf.compat.v1.layers
    results = {
        case.name: {mode: runner.run_case(layers, case, mode) for mode in runner.MODES}
        for case in registry.CASES
    }
    shutil.rmtree(goldens.CHECKPOINT_DIR, ignore_errors=True)
    goldens.CHECKPOINT_DIR.mkdir(parents=True)
    runner.run_case(
        layers,
        registry.CASES_BY_NAME[goldens.CHECKPOINT_CASE],
        "graph",
        checkpoint={"save": str(goldens.CHECKPOINT_DIR / "model")},
    )
    goldens.to_files(
        results,
        {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "python": platform.python_version(),
            "recorded": datetime.date.today().isoformat(),
        },
    )
    print(f"recorded {len(results)} cases x {len(runner.MODES)} modes into {goldens.GOLDEN_DIR}")


if __name__ == "__main__":
    main()
