"""Whole-model parity cases: TF1 programs that use many layers together.

A DCGAN generator and discriminator (the discriminator applied twice with
`AUTO_REUSE`) and a small CNN classifier with batch normalization, pooling and
dropout. See `tests/parity/registry.py` for how cases run; step-by-step
training with `UPDATE_OPS` is covered by `tests/test_examples.py` (pix2pix)
and `tests/test_batch_normalization.py`.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, vs


def _generator(L, z):
    with vs("generator", reuse=tf.compat.v1.AUTO_REUSE):
        h = L.dense(z, 4 * 4 * 8, name="project")
        h = tf.reshape(h, [-1, 4, 4, 8])
        h = tf.nn.relu(L.batch_normalization(h, training=True, name="bn0"))
        h = L.conv2d_transpose(h, 4, 5, strides=2, padding="same", name="up1")
        h = tf.nn.relu(L.batch_normalization(h, training=True, name="bn1"))
        return L.conv2d_transpose(h, 3, 5, strides=2, padding="same", activation=tf.nn.tanh, name="up2")


def _discriminator(L, image):
    with vs("discriminator", reuse=tf.compat.v1.AUTO_REUSE):
        h = tf.nn.leaky_relu(L.conv2d(image, 4, 5, strides=2, padding="same"), 0.2)
        h = L.conv2d(h, 8, 5, strides=2, padding="same")
        h = tf.nn.leaky_relu(L.batch_normalization(h, training=True), 0.2)
        return L.dense(L.flatten(h), 1, name="logit")


def _dcgan(L, z):
    fake = _generator(L, z)
    return tf.concat([_discriminator(L, fake), _discriminator(L, fake * 0.5)], axis=1), []


def _cnn_classifier(L, x):
    conv1 = L.Conv2D(8, 3, padding="same", use_bias=False)
    bn = L.BatchNormalization()
    # Batch statistics: the name-derived moving variance lies in [-1, 1), and
    # inference with a negative one gives NaN, which rounding decides.
    h = tf.nn.relu(bn(conv1(x), training=True))
    h = L.max_pooling2d(h, 2, 2)
    h = L.conv2d(h, 8, 3, padding="same", activation=tf.nn.relu)
    h = L.average_pooling2d(h, 2, 2, padding="same")
    h = L.dense(L.flatten(h), 16, activation=tf.nn.relu, kernel_regularizer=tf.nn.l2_loss)
    h = L.dropout(h, rate=0.5, training=False)
    return L.dense(h, 10), [conv1, bn]


CASES: tuple[Case, ...] = (
    Case("model_dcgan_generator_and_discriminator", _dcgan, input_shape=(2, 16)),
    Case("model_cnn_classifier", _cnn_classifier, input_shape=(2, 8, 8, 3)),
)
