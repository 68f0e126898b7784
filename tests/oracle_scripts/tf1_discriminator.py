"""A TF1 program in the style of the classic DCGAN / pix2pix code, unmigrated.

It reaches the v1 layers three ways (`tf.layers`, `tf.compat.v1.layers`, an
imported alias) and trains a small discriminator for three Adam steps with
batch normalization's `UPDATE_OPS`. Seeded initializers make the numbers
reproducible across implementations.

Run as a script under TF_USE_LEGACY_KERAS=1 it is the TF1 oracle and prints
`main()`'s result as JSON; tests/test_codemod.py migrates this file's source
and runs the result on compat_layers.
"""

import json
import os

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1 import layers as L  # the v1 layers under an alias
from tensorflow.compat.v1.layers import dense

INIT = tf.glorot_uniform_initializer(seed=1)


def discriminator(images, training):
    with tf.variable_scope("discriminator", reuse=tf.AUTO_REUSE):
        # Two strided convolutions, as in DCGAN.
        h = tf.layers.conv2d(images, 8, 3, strides=2, padding="same", kernel_initializer=INIT)
        h = tf.nn.leaky_relu(tf.compat.v1.layers.batch_normalization(h, training=training))
        h = L.conv2d(h, 16, 3, strides=2, padding="same", kernel_initializer=INIT, name="conv2")
        h = tf.layers.dropout(h, rate=0.5, training=False)  # inference: no random mask
        h = L.max_pooling2d(h, 2, 2)
        return dense(tf.layers.flatten(h), 1, kernel_initializer=INIT, name="logits")


def main():
    """Trains three steps; returns the losses and every variable by name."""
    images = np.random.RandomState(0).normal(size=(4, 16, 16, 3)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as session:
        logits = discriminator(tf.constant(images), training=True)
        loss = tf.reduce_mean(
            tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logits), logits=logits)
        )
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
        session.run(tf.global_variables_initializer())
        losses = [float(session.run([loss, train])[0]) for _ in range(3)]
        return {
            "losses": losses,
            "variables": {v.name: session.run(v).tolist() for v in tf.global_variables()},
        }


if __name__ == "__main__":
    assert os.environ.get("TF_USE_LEGACY_KERAS") == "1", "the TF1 oracle needs TF_USE_LEGACY_KERAS=1"
    print(json.dumps(main()))
