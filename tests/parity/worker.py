"""Runs registry cases in a subprocess, for the live TF1 oracle and for modes
that need a process of their own (`disable_eager_execution()` is one-way).

    python -m tests.parity.worker --impl legacy|compat|native [--disable-eager | --disable-v2-behavior] [--disable PART ...]

A request names a registry case (`{"case": name, "mode": mode}`) or carries a
generated configuration (`{"fuzz": config, "mode": mode}`, see fuzz.py).
`--impl legacy` runs tf_keras's legacy `tf.compat.v1.layers` (the parent sets
`TF_USE_LEGACY_KERAS=1`); `--impl compat` runs compat_layers; `--impl native`
runs TensorFlow 2.15's own layers (recording the goldens). Requests and
replies are pickled, length-prefixed frames on stdin / the original stdout;
anything else the process prints goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import pickle
import struct
import sys
import traceback


# The parts of `tf.compat.v1.disable_v2_behavior()` besides eager execution.
V2_BEHAVIOR_PARTS = ("resource_variables", "v2_tensorshape", "control_flow_v2", "tensor_equality")


def read_frame(stream):
    header = stream.read(8)
    if len(header) < 8:
        return None
    (size,) = struct.unpack("<Q", header)
    return pickle.loads(stream.read(size))


def write_frame(stream, obj) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(payload)) + payload)
    stream.flush()


def _layers_module(impl: str):
    import tensorflow as tf

    if impl == "legacy":
        if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
            raise RuntimeError("the legacy oracle needs TF_USE_LEGACY_KERAS=1")
        return tf.compat.v1.layers
    if impl == "native":  # TensorFlow <= 2.15, recording the goldens
        return tf.compat.v1.layers
    import compat_layers

    return compat_layers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=("legacy", "compat", "native"), required=True)
    parser.add_argument("--disable-eager", action="store_true")
    parser.add_argument("--disable-v2-behavior", action="store_true")
    # One part of `disable_v2_behavior()` alone (`tf.compat.v1.disable_<part>()`).
    parser.add_argument("--disable", action="append", default=[], choices=V2_BEHAVIOR_PARTS)
    args = parser.parse_args()
    # Keep the protocol stream clean of anything TensorFlow prints.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer

    import tensorflow as tf

    if args.disable_v2_behavior:
        tf.compat.v1.disable_v2_behavior()
    elif args.disable_eager:
        tf.compat.v1.disable_eager_execution()
    for part in args.disable:
        getattr(tf.compat.v1, f"disable_{part}")()
    from tests.parity import fuzz, registry, runner

    layers = _layers_module(args.impl)
    write_frame(replies, {"ready": True, "tensorflow": tf.__version__})
    while (request := read_frame(requests)) is not None:
        try:
            if "fuzz" in request:  # a generated configuration (fuzz.py)
                case = fuzz.case_from_config(request["fuzz"])
            else:
                case = registry.CASES_BY_NAME[request["case"]]
            reply = runner.run_case(layers, case, request["mode"], request.get("checkpoint"))
        except Exception:  # report, keep serving the other cases
            reply = {"crash": traceback.format_exc()}
        write_frame(replies, reply)


if __name__ == "__main__":
    main()
