"""Draws random numbers the TF1 way, under tf_keras's DeterministicRandomTestTool.

Run with TF_USE_LEGACY_KERAS=1 (the live TF1 oracle); prints JSON: for each
mode, a kernel from `get_variable`'s default (Glorot uniform) initializer, a
`tf.random.uniform` draw and a `tf.compat.v1.layers.dropout` mask, all in a
TF1 graph + Session.

The kernel comes from `get_variable` itself, as in TF 1.x: tf_keras's legacy
layers draw their default kernel through a Keras 2 initializer with a random
per-process seed that even tf_keras's tool does not fix (measured: another
kernel in every process).
"""

import json
import os

import tensorflow as tf

assert os.environ.get("TF_USE_LEGACY_KERAS") == "1"

results = {}
for mode in ("constant", "num_random_ops"):
    tool = tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode=mode)
    with tool.scope():
        graph = tf.Graph()
        with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
            tf.random.set_seed(42)
            kernel = tf.compat.v1.get_variable("conv2d_transpose/kernel", (3, 3, 4, 3))
            uniform = tf.random.uniform((3,))
            mask = tf.compat.v1.layers.dropout(tf.ones((2, 8)), rate=0.5, training=True)
            session.run(tf.compat.v1.global_variables_initializer())
            values = session.run({"kernel": kernel, "uniform": uniform, "dropout": mask})
    results[mode] = {key: value.tolist() for key, value in values.items()}


def tf1_model(x):
    """TF1 model code with random initializers and a dropout between layers."""
    glorot = tf.compat.v1.glorot_uniform_initializer
    h = tf.compat.v1.layers.dense(x, 8, tf.nn.relu, kernel_initializer=glorot(), name="fc1")
    h = tf.compat.v1.layers.dropout(h, 0.5, training=True)
    return tf.compat.v1.layers.dense(h, 2, kernel_initializer=glorot(), name="out")


# The migration guide's check: the TF1 model in a graph, under the tool.
for mode in ("constant", "num_random_ops"):
    tool = tf.compat.v1.keras.utils.DeterministicRandomTestTool(mode=mode)
    with tool.scope():
        graph = tf.Graph()
        with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
            tf.random.set_seed(42)  # the tool's default seed
            y = tf1_model(tf.reshape(tf.range(12, dtype=tf.float32), (4, 3)) / 12.0)
            session.run(tf.compat.v1.global_variables_initializer())
            results[mode]["model"] = session.run(y).tolist()
print(json.dumps(results))
