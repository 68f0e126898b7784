"""TF1 graph programs whose distributed behaviour compat_layers must keep.

Each program takes `L`, an implementation of `tf.compat.v1.layers`, and
returns plain JSON data. The same code runs under TensorFlow 2.15.1's native
layers (`tests/oracle_scripts/record_distribute_goldens.py` records the
goldens) and under compat_layers (`tests/test_parameter_server.py`), so the
two can only differ through `L`. The RNN-cell programs take `R`, an
implementation of `tf.compat.v1.nn.rnn_cell`; their TF1 side is tf_keras's
legacy cells, run with `python -m tests.distribute_scripts.tf1_programs NAME`
under `TF_USE_LEGACY_KERAS=1` (see the end of this file).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1

# Small enough for a golden JSON file, big enough for min_max_variable_partitioner
# to split the dense kernel (16 x 32 float32 = 2 KiB) but not its bias.
IMAGES = np.random.RandomState(0).normal(size=(2, 6, 6, 3)).astype(np.float32)
FEATURES = np.random.RandomState(1).normal(size=(4, 16)).astype(np.float32)


def placement(L: Any) -> dict:
    """Layers under `replica_device_setter(ps_tasks=2)`: where each variable
    and each layer output lands (TF1 put variables round-robin on the PS
    tasks, ops on the worker)."""
    graph = tf.Graph()
    with graph.as_default():
        setter = v1.train.replica_device_setter(ps_tasks=2)
        with v1.device(setter):
            images = v1.placeholder(tf.float32, [None, 6, 6, 3], name="images")
            h = L.conv2d(images, 4, 3, padding="same", name="conv")
            h = L.batch_normalization(h, training=True, name="bn")
            up = L.Conv2DTranspose(2, 3, strides=2, name="up")
            u = up(h)
            with v1.variable_scope("head"):
                logits = L.dense(L.flatten(u), 3)
        outputs = {"conv": h, "up": u, "logits": logits}
        return {
            "variables": {v.name: v.device for v in v1.global_variables()},
            "output_devices": {key: t.op.device for key, t in outputs.items()},
            "update_op_devices": sorted(op.device for op in v1.get_collection(v1.GraphKeys.UPDATE_OPS)),
        }


def rnn_placement(R: Any) -> dict:
    """`dynamic_rnn` over a `MultiRNNCell` of all three kinds of cell with
    variables (an LSTMCell with peepholes and a projection, a GRUCell, a
    BasicRNNCell) under `replica_device_setter(ps_tasks=2)`: where each
    variable and the outputs and final states land."""
    graph = tf.Graph()
    with graph.as_default():
        with v1.device(v1.train.replica_device_setter(ps_tasks=2)):
            sequences = v1.placeholder(tf.float32, [None, 5, 3], name="sequences")
            cell = R.MultiRNNCell([R.LSTMCell(4, use_peepholes=True, num_proj=3), R.GRUCell(2), R.BasicRNNCell(2)])
            outputs, (lstm, gru, basic) = v1.nn.dynamic_rnn(cell, sequences, dtype=tf.float32)
        tensors = {"outputs": outputs, "lstm_c": lstm.c, "lstm_h": lstm.h, "gru": gru, "basic": basic}
        return {
            "variables": {v.name: v.device for v in v1.global_variables()},
            "output_devices": {key: t.op.device for key, t in tensors.items()},
        }


# The RNN-cell programs, by name, for the TF1 side's process.
RNN_PROGRAMS = {"rnn_placement": rnn_placement}


def _partitioned_layers(L: Any) -> dict:
    """Dense and Conv2D under a scope partitioner, and a kernel-only split."""
    init = v1.glorot_uniform_initializer
    outputs = {}
    with v1.variable_scope("s", partitioner=v1.fixed_size_partitioner(2)):
        outputs["dense"] = L.dense(
            tf.constant(FEATURES), 4, name="d", kernel_initializer=init(seed=1),
            bias_initializer=v1.constant_initializer(0.5), kernel_regularizer=tf.nn.l2_loss,
        )
        outputs["conv"] = L.conv2d(
            tf.constant(IMAGES), 6, 3, name="c", kernel_initializer=init(seed=2),
        )
    # min_max_variable_partitioner splits only variables above min_slice_size
    # bytes per slice: the kernel, not the bias.
    partitioner = v1.min_max_variable_partitioner(max_partitions=3, min_slice_size=512)
    with v1.variable_scope("k", partitioner=partitioner):
        outputs["big"] = L.dense(tf.constant(FEATURES), 32, name="big", kernel_initializer=init(seed=3))
    return outputs


def partitioned(L: Any, save_to: str | None = None, restore_from: str | None = None) -> dict:
    """Partitioned Dense/Conv2D: parts, shapes, outputs, two SGD steps, and
    the outputs of the trained model.

    `save_to`: a `Saver` checkpoint prefix to write after training.
    `restore_from`: a checkpoint to restore after initialization (the
    outputs and variables are then the restored model's, before training).
    """
    graph = tf.Graph()
    with graph.as_default(), v1.Session(graph=graph) as session:
        outputs = _partitioned_layers(L)
        loss = tf.add_n([tf.reduce_sum(tf.square(t)) for t in outputs.values()])
        regularization = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        train = v1.train.GradientDescentOptimizer(0.01).minimize(loss + tf.add_n(regularization))
        session.run(v1.global_variables_initializer())
        result: dict = {
            "variables": {v.name: v.shape.as_list() for v in v1.global_variables()},
            "regularization_losses": len(regularization),
        }
        if restore_from is not None:
            v1.train.Saver().restore(session, restore_from)
        result["outputs"] = {k: v.tolist() for k, v in session.run(outputs).items()}
        if restore_from is None:
            result["losses"] = [float(session.run([loss, train])[0]) for _ in range(2)]
            result["trained_outputs"] = {k: v.tolist() for k, v in session.run(outputs).items()}
        result["values"] = {v.name: session.run(v).tolist() for v in v1.global_variables()}
        if save_to is not None:
            v1.train.Saver().save(session, save_to, write_meta_graph=False, write_state=False)
        return result


if __name__ == "__main__":
    # NAME [--v1] [--compat]: the named RNN-cell program on TensorFlow's own
    # tf.compat.v1.nn.rnn_cell (tf_keras's under TF_USE_LEGACY_KERAS=1), or on
    # compat_layers.rnn_cell; --v1 first disables v2 behaviour, which cannot
    # be undone in a process.
    if "--v1" in sys.argv:
        v1.disable_v2_behavior()
    if "--compat" in sys.argv:
        import compat_layers

        cells = compat_layers.rnn_cell
    else:
        cells = v1.nn.rnn_cell
    print(json.dumps(RNN_PROGRAMS[sys.argv[1]](cells)))
