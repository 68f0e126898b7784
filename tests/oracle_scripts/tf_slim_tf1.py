"""Trains a small tf_slim model in a TF1 graph + Session and reports everything.

`run()` builds conv2d (one with batch_norm as its normalizer), max_pool2d,
flatten and fully_connected with seeded initializers and an L2 regularizer,
then takes three gradient steps with the `UPDATE_OPS` (batch_norm's moving
averages) attached. It returns the variable names, tf_slim's collections,
the losses and every variable's final value.

Run as a script under TF_USE_LEGACY_KERAS=1 (tf_slim on tf_keras's legacy
layers: the live TF1 oracle), it prints the result as JSON; tests call `run()`
in-process after `compat_layers.install()` and compare.
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf
import tf_slim as slim

STEPS = 3


def run() -> dict:
    """Builds and trains the model; everything a TF1 program could observe."""
    rng = np.random.RandomState(0)
    images = rng.normal(size=(4, 8, 8, 3)).astype(np.float32)
    targets = rng.normal(size=(4, 5)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as session:
        with slim.arg_scope(
            [slim.conv2d, slim.fully_connected],
            weights_initializer=slim.xavier_initializer(seed=1),
        ):
            net = slim.conv2d(images, 6, [3, 3], scope="conv1")
            net = slim.conv2d(
                net, 4, [3, 3], stride=2, scope="conv2",
                normalizer_fn=slim.batch_norm,
                normalizer_params={"is_training": True, "decay": 0.9},
            )
            net = slim.max_pool2d(net, [2, 2], scope="pool")
            net = slim.flatten(net)
            logits = slim.fully_connected(
                net, 5, activation_fn=None, scope="fc",
                weights_regularizer=slim.l2_regularizer(0.01),
            )
        loss = tf.reduce_mean(tf.square(logits - targets)) + tf.losses.get_regularization_loss()
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        session.run(tf.global_variables_initializer())
        losses = [float(session.run([loss, train])[0]) for _ in range(STEPS)]
        variables = tf.global_variables()
        return {
            "global_variables": [v.name for v in variables],
            "trainable_variables": [v.name for v in tf.trainable_variables()],
            "model_variables": [v.name for v in slim.get_model_variables()],
            "update_ops": len(update_ops),
            "regularization_losses": len(tf.losses.get_regularization_losses()),
            "output_shape": logits.shape.as_list(),
            "losses": losses,
            "values": {v.name: session.run(v).tolist() for v in variables},
        }


def repair_legacy_batch_norm() -> None:
    """Points tf_slim's `batch_norm` at tf_keras's legacy BatchNormalization.

    TensorFlow 2.21's `tensorflow.python.layers.normalization` loads it from
    `tf_keras.legacy_tf_layers`, which tf_keras moved to
    `tf_keras.src.legacy_tf_layers`, so tf_slim's `batch_norm` fails even under
    TF_USE_LEGACY_KERAS=1. `tf.compat.v1.layers.BatchNormalization` is that
    same TF1 layer, reached through TensorFlow's public API.
    """
    from tensorflow.python.layers import normalization

    normalization.BatchNormalization = tf.layers.BatchNormalization


if __name__ == "__main__":
    assert os.environ.get("TF_USE_LEGACY_KERAS") == "1", "the TF1 oracle needs TF_USE_LEGACY_KERAS=1"
    repair_legacy_batch_norm()
    print(json.dumps(run()))
