"""The round-trip checkpoint's TF1 model: recorded by TF 2.15.1, restored by any TF1 layers.

`model(layers, x)` is a small but varied TF1 program (nested variable scopes,
Conv2D with BatchNormalization, SeparableConv2D, a frozen `trainable=False`
layer, an unnamed Conv2DTranspose, a Dense class layer) written against a
`tf.compat.v1.layers` implementation passed in as `layers`, so the same code
runs on TF 2.15.1's native layers, on tf_keras's legacy layers and on
compat_layers (tests/test_checkpoints.py imports it).

Record the golden files with TF 2.15.1's own layers, from the repository root:

    /work/venvs/tf215/bin/python -m tests.oracle_scripts.record_roundtrip_checkpoint record

It writes to tests/goldens/tf-2.15.1/roundtrip/: `model.index` and
`model.data-*` (a `tf.compat.v1.train.Saver` checkpoint of random,
non-trivial values, the batch-norm moving statistics included),
`variables.json` (TF1 names, shapes, dtypes, which are trainable) and
`values.npz` (every variable's value by TF1 name, plus `input` and the model's
`output` for it).

`restore CHECKPOINT OUT.npz` builds the model with the process's
`tf.compat.v1.layers` in a TF1 graph, restores CHECKPOINT with a `Saver` and
writes the same `.npz` layout; under TF_USE_LEGACY_KERAS=1 on TF 2.16+ that is
the live TF1 oracle (tf_keras's legacy layers).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "goldens" / "tf-2.15.1" / "roundtrip"
GOLDEN_PREFIX = GOLDEN_DIR / "model"
INPUT_SHAPE = (2, 8, 8, 3)


def model(layers: Any, x: tf.Tensor) -> tf.Tensor:
    """The TF1 program; `layers` is an implementation of tf.compat.v1.layers."""
    with tf.compat.v1.variable_scope("model"):
        with tf.compat.v1.variable_scope("encoder"):
            h = layers.conv2d(x, 8, 3, strides=2, padding="same", name="conv")
            # Inference mode: the output reads the restored moving statistics.
            h = tf.nn.relu(layers.batch_normalization(h, training=False, name="bn"))
            h = layers.separable_conv2d(h, 6, 3, padding="same", depth_multiplier=2,
                                        activation=tf.nn.relu, name="separable")
            h = layers.conv2d(h, 6, 1, trainable=False, name="frozen")
        with tf.compat.v1.variable_scope("decoder"):
            h = layers.conv2d_transpose(h, 4, 3, strides=2, padding="same",
                                        activation=tf.nn.tanh)
        return layers.Dense(5, name="logits")(layers.flatten(h))


def model_input() -> np.ndarray:
    """The fixed input the recorded output belongs to."""
    return np.random.RandomState(0).normal(size=INPUT_SHAPE).astype(np.float32)


def random_value(name: str, shape: tuple[int, ...], random: np.random.RandomState) -> np.ndarray:
    """A non-trivial value for a variable (positive for variances)."""
    if name.endswith("moving_variance"):
        return random.uniform(0.5, 2.0, size=shape).astype(np.float32)
    return random.normal(scale=0.5, size=shape).astype(np.float32)


def tf1_name(variable: tf.Variable) -> str:
    """`model/encoder/conv/kernel` for `model/encoder/conv/kernel:0`."""
    return variable.name.rsplit(":", 1)[0]


def run_tf1_graph(
    layers: Any,
    restore_from: str | None = None,
    save_to: str | None = None,
    randomize: bool = False,
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Builds `model(layers, ...)` in a TF1 graph + Session.

    The variables are initialized, then set to random values (`randomize`) or
    restored with a `tf.compat.v1.train.Saver` (`restore_from`); the model
    runs on `model_input()`, and the Saver writes `save_to` if given.

    Returns:
      The `.npz` layout (each variable's value by TF1 name, `input`,
      `output`) and the names in the TRAINABLE_VARIABLES collection.
    """
    x_value = model_input()
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
        x = tf.compat.v1.placeholder(tf.float32, (None,) + INPUT_SHAPE[1:])
        output = model(layers, x)
        variables = tf.compat.v1.global_variables()
        saver = tf.compat.v1.train.Saver()
        session.run(tf.compat.v1.global_variables_initializer())
        if randomize:
            random = np.random.RandomState(1)
            for variable in variables:
                variable.load(random_value(tf1_name(variable), variable.shape.as_list(), random), session)
        if restore_from is not None:
            saver.restore(session, restore_from)
        arrays = {tf1_name(v): value for v, value in zip(variables, session.run(variables))}
        arrays["input"] = x_value
        arrays["output"] = session.run(output, {x: x_value})
        if save_to is not None:
            saver.save(session, save_to, write_meta_graph=False)
        trainable = [tf1_name(v) for v in tf.compat.v1.trainable_variables()]
    return arrays, trainable


def record() -> None:
    """Writes the golden files with TF 2.15.1's native v1 layers."""
    if tf.__version__ != "2.15.1":
        raise SystemExit(f"record under tensorflow 2.15.1, not {tf.__version__}")
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN_DIR.iterdir():
        old.unlink()
    arrays, trainable = run_tf1_graph(tf.compat.v1.layers, save_to=str(GOLDEN_PREFIX), randomize=True)
    # The Saver's bookkeeping file names absolute paths; a prefix is all a restore needs.
    (GOLDEN_DIR / "checkpoint").unlink()
    np.savez(GOLDEN_DIR / "values.npz", **arrays)
    variables = [
        {"name": name, "shape": list(value.shape), "dtype": str(value.dtype), "trainable": name in trainable}
        for name, value in arrays.items()
        if name not in ("input", "output")
    ]
    metadata = {
        "tensorflow": tf.__version__,
        "python": platform.python_version(),
        "recorded": datetime.date.today().isoformat(),
    }
    (GOLDEN_DIR / "variables.json").write_text(
        json.dumps({"metadata": metadata, "variables": variables}, indent=1) + "\n"
    )
    print(f"recorded {len(variables)} variables in {GOLDEN_DIR}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record", help="write the golden files (TF 2.15.1 only)")
    restore = commands.add_parser("restore", help="restore a checkpoint into tf.compat.v1.layers")
    restore.add_argument("checkpoint")
    restore.add_argument("out")
    args = parser.parse_args()
    if args.command == "record":
        record()
        return
    keras3 = tuple(int(part) for part in tf.__version__.split(".")[:2]) >= (2, 16)
    if keras3 and os.environ.get("TF_USE_LEGACY_KERAS") != "1":
        raise SystemExit("tf.compat.v1.layers needs TF_USE_LEGACY_KERAS=1 on TensorFlow 2.16+")
    arrays, _ = run_tf1_graph(tf.compat.v1.layers, restore_from=args.checkpoint)
    np.savez(args.out, **arrays)


if __name__ == "__main__":
    main()
