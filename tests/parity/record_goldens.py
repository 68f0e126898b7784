"""Records the golden fixtures with TensorFlow 2.15.1's native v1 layers.

Run from the repository root in an environment with `tensorflow-cpu==2.15.1`
(the last release where `tf.compat.v1.layers` is native; it installs on
Python 3.11):

    python3 -m venv /tmp/tf215 && /tmp/tf215/bin/pip install tensorflow-cpu==2.15.1
    /tmp/tf215/bin/python -m tests.parity.record_goldens [--group GROUP ...]

It runs every case of each registry group in every mode (full TF1,
"graph_tf1", in a worker process that called `disable_v2_behavior()`) through
`runner.run_case` (the same code the tests run against compat_layers) and
writes `tests/goldens/tf-2.15.1/<group>.json` + `<group>.npz`, and for every case
that builds variables a TF1 Saver checkpoint of them (`checkpoints/<case>/`).
"""

from __future__ import annotations

import argparse
import datetime
import platform
import shutil

import keras
import tensorflow as tf

from tests.parity import goldens, oracle, registry, runner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="append", choices=registry.GROUPS,
                        help="record only these groups (default: all)")
    args = parser.parse_args()
    if tf.__version__ != "2.15.1":
        raise SystemExit(f"record under tensorflow 2.15.1, not {tf.__version__}")
    layers = tf.compat.v1.layers
    metadata = {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "python": platform.python_version(),
        "recorded": datetime.date.today().isoformat(),
    }
    # Full TF1 (`disable_v2_behavior()`) needs a process of its own.
    tf1 = oracle.Worker("native", disable_v2_behavior=True)
    for group in args.group or registry.GROUPS:
        results = {
            case.name: {mode: runner.run_case(layers, case, mode) for mode in runner.MODES}
            for case in registry.CASES_BY_GROUP[group]
        }
        for case in registry.CASES_BY_GROUP[group]:
            results[case.name]["graph_tf1"] = tf1.run(case.name, "graph_tf1")
        goldens.to_files(group, results, metadata)
        for case in registry.CASES_BY_GROUP[group]:
            path = goldens.checkpoint_path(case.name)
            shutil.rmtree(path.parent, ignore_errors=True)
            graph = results[case.name]["graph"]
            if not graph["error"] and graph["variables"]:
                path.parent.mkdir(parents=True)
                runner.run_case(layers, case, "graph", checkpoint={"save": str(path)})
        print(f"{group}: recorded {len(results)} cases x {len(runner.MODES)} modes")


if __name__ == "__main__":
    main()
