"""The small TF1-style model every distributed script trains, and its data.

A strategy run must give the single-device numbers, so each replica takes
its slice of one global batch (`replica_batch`) and divides its summed loss
by the global batch size: the all-reduced (summed) gradients are then the
single-device gradients.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from compat_layers.utils import track_tf1_style_variables

v1 = tf.compat.v1

IMAGE_SHAPE = (6, 6, 3)
GLOBAL_BATCH = 8
LEARNING_RATE = 0.05
# Two global batches, so `model.fit` makes two steps per epoch.
IMAGES = np.random.RandomState(0).normal(size=(2 * GLOBAL_BATCH, *IMAGE_SHAPE)).astype(np.float32)
TARGETS = IMAGES.mean(axis=(1, 2))[:, :1] * 3.0 + 0.5


def tf1_model(L: Any, images: tf.Tensor) -> tf.Tensor:
    """TF1 model code, as it was: functional v1 layers in a variable scope."""
    init = v1.glorot_uniform_initializer
    with v1.variable_scope("model"):
        h = L.conv2d(images, 4, 3, padding="same", activation=tf.nn.relu, name="conv", kernel_initializer=init(seed=1))
        return L.dense(L.flatten(h), 1, name="out", kernel_initializer=init(seed=2))


def tf1_rnn_model(L: Any, images: tf.Tensor) -> tf.Tensor:
    """TF1 recurrent model code: `dynamic_rnn` over a `MultiRNNCell` of an
    `LSTMCell` and a one-unit `GRUCell`, reading each image row by row; the
    prediction is the last output."""
    init = v1.glorot_uniform_initializer
    rows = tf.reshape(images, [-1, IMAGE_SHAPE[0], IMAGE_SHAPE[1] * IMAGE_SHAPE[2]])
    with v1.variable_scope("rnn_model"):
        cell = L.rnn_cell.MultiRNNCell(
            [L.rnn_cell.LSTMCell(5, initializer=init(seed=3)), L.rnn_cell.GRUCell(1, kernel_initializer=init(seed=4))]
        )
        outputs, _ = v1.nn.dynamic_rnn(cell, rows, dtype=tf.float32)
        return outputs[:, -1]


# The TF1 model codes the distributed checks train, by name.
TF1_MODELS = {"layers": tf1_model, "cells": tf1_rnn_model}


class TF1Net(keras.layers.Layer):
    """The TF1 model code inside a Keras 3 layer (the migration's middle stage).

    `model`: a `TF1_MODELS` name.
    """

    def __init__(self, model: str = "layers", **kwargs: Any):
        super().__init__(**kwargs)
        self.model = model

    @track_tf1_style_variables
    def call(self, images: tf.Tensor) -> tf.Tensor:
        import compat_layers

        return TF1_MODELS[self.model](compat_layers, images)


def keras_model() -> keras.Model:
    images = keras.Input(IMAGE_SHAPE)
    return keras.Model(images, TF1Net()(images))


def replica_batch() -> tuple[tf.Tensor, tf.Tensor]:
    """This replica's slice of the first global batch (all of it on one device).

    The replica id may be a tensor (TF1 graph replicas), so the slice is a
    TensorFlow op.
    """
    context = tf.distribute.get_replica_context()
    size = GLOBAL_BATCH // context.num_replicas_in_sync
    start = context.replica_id_in_sync_group * size
    images = tf.constant(IMAGES[:GLOBAL_BATCH])[start : start + size]
    return images, tf.constant(TARGETS[:GLOBAL_BATCH])[start : start + size]


def loss(predictions: tf.Tensor, targets: tf.Tensor) -> tf.Tensor:
    """This replica's share of the global mean squared error."""
    return tf.reduce_sum(tf.square(predictions - targets)) / GLOBAL_BATCH


def assign_by_path(layer: keras.layers.Layer, values: dict[str, Any]) -> None:
    """Gives `layer` the weights another run started from (by TF1 name)."""
    for weight in layer.weights:
        weight.assign(np.asarray(values[weight.path], dtype=np.float32))


def sgd_step(strategy: tf.distribute.Strategy, net: keras.layers.Layer, optimizer: Any) -> Any:
    """A `tf.function` running one SGD step of `net` on every replica; it
    returns the per-replica losses (`strategy.run`'s result)."""

    def replica_step():
        images, targets = replica_batch()
        with tf.GradientTape() as tape:
            replica_loss = loss(net(images), targets)
        gradients = tape.gradient(replica_loss, net.trainable_weights)
        optimizer.apply_gradients(zip(gradients, net.trainable_weights))
        return replica_loss

    return tf.function(lambda: strategy.run(replica_step))


def train_tracked(strategy: tf.distribute.Strategy, initial: dict | None, steps: int, model: str = "layers") -> dict:
    """Trains `TF1Net(model)` with Keras 3 SGD in a custom `strategy.run` loop.

    `initial`: weights (by TF1 name) to start from, so that runs under
    different strategies start alike. Returns the variable types, the start
    and final weights, and the global loss of each step.
    """
    with strategy.scope():
        net = TF1Net(model)
        net(tf.zeros((1, *IMAGE_SHAPE)))
        optimizer = keras.optimizers.SGD(LEARNING_RATE)
    if initial is not None:
        assign_by_path(net, initial)
    start = {w.path: w.numpy().tolist() for w in net.weights}

    step = sgd_step(strategy, net, optimizer)
    losses = [float(strategy.reduce("SUM", step(), axis=None)) for _ in range(steps)]
    return {
        "variable_types": sorted({type(w.value).__name__ for w in net.weights}),
        "start": start,
        "losses": losses,
        "values": {w.path: w.numpy().tolist() for w in net.weights},
    }
