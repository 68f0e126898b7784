"""compat_layers under MirroredStrategy over two logical CPUs, in one process.

    python tests/distribute_scripts/mirrored.py

Logical devices must be configured before TensorFlow initializes its
devices, so tests/test_distribute.py runs this as a fresh process. It prints
one JSON object: for each check (TF1 graph, track_tf1_style_variables with a
custom loop, `model.fit`, a layer built outside the scope; RNN cells in a TF1
graph and tracked) what the mirrored run and the single-device run gave.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback

import tensorflow as tf

CPU = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(CPU, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import compat_layers as L
from tests.distribute_scripts import model

v1 = tf.compat.v1
DEVICES = ["/cpu:0", "/cpu:1"]
STEPS = 3


def graph_run(distributed: bool, model_name: str = "layers") -> dict:
    """TF1 graph + Session: the model (a `model.TF1_MODELS` name) and a
    GradientDescent step per replica."""
    graph = tf.Graph()
    with graph.as_default():
        strategy = tf.distribute.MirroredStrategy(DEVICES) if distributed else tf.distribute.get_strategy()
        with strategy.scope():
            optimizer = v1.train.GradientDescentOptimizer(model.LEARNING_RATE)

            def replica_step():
                images, targets = model.replica_batch()
                loss = model.loss(model.TF1_MODELS[model_name](L, images), targets)
                with tf.control_dependencies([optimizer.minimize(loss)]):
                    return tf.identity(loss)

            loss = strategy.reduce("SUM", strategy.run(replica_step), axis=None)
        variables = v1.global_variables()
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            losses = [float(session.run(loss)) for _ in range(STEPS)]
            values = {v.name: session.run(v).tolist() for v in variables}
        return {
            "variable_types": sorted({type(v).__name__ for v in variables}),
            "variable_names": sorted(values),
            "losses": losses,
            "values": values,
        }


@functools.cache
def eager_mirrored() -> tf.distribute.MirroredStrategy:
    """The one MirroredStrategy of the eager checks.

    A second MirroredStrategy over the same devices numbers its all-reduces
    afresh, and TensorFlow's runtime keeps the first strategy's collective
    instances: training another model (other gradient sizes) under it then
    fails its first step ("Shape mismatch in the collective instance 100",
    with plain Keras 3 layers too: tensorflow/tensorflow#62790).
    """
    return tf.distribute.MirroredStrategy(DEVICES)


def tracked_run(distributed: bool, initial: dict | None, model_name: str = "layers") -> dict:
    """track_tf1_style_variables + Keras 3 SGD in a custom `strategy.run` loop."""
    strategy = eager_mirrored() if distributed else tf.distribute.get_strategy()
    return model.train_tracked(strategy, initial, STEPS, model_name)


def fit_run(distributed: bool, initial: dict | None) -> dict:
    """`model.fit` of a Keras 3 model holding the tracked TF1-style layer."""
    strategy = eager_mirrored() if distributed else tf.distribute.get_strategy()
    with strategy.scope():
        fitted = model.keras_model()
        fitted.compile(optimizer=keras.optimizers.SGD(model.LEARNING_RATE), loss="mse")
    if initial is not None:
        model.assign_by_path(fitted, initial)
    start = {w.path: w.numpy().tolist() for w in fitted.weights}
    history = fitted.fit(
        model.IMAGES, model.TARGETS, batch_size=model.GLOBAL_BATCH, epochs=STEPS, shuffle=False, verbose=0
    )
    return {
        "variable_types": sorted({type(w.value).__name__ for w in fitted.weights}),
        "start": start,
        "losses": [float(v) for v in history.history["loss"]],
        "values": {w.path: w.numpy().tolist() for w in fitted.weights},
    }


def built_outside_scope() -> dict:
    """A tracked layer first called outside the scope, then trained inside."""
    net = model.TF1Net()
    net(tf.zeros((1, *model.IMAGE_SHAPE)))
    strategy = tf.distribute.MirroredStrategy(DEVICES)
    with strategy.scope():
        optimizer = keras.optimizers.SGD(model.LEARNING_RATE)

    try:
        model.sgd_step(strategy, net, optimizer)()
    except Exception as error:  # the check reports what was raised
        return {"error_type": type(error).__name__, "message": str(error)}
    return {"error_type": None}


def main() -> None:
    results: dict = {"devices": [d.name for d in tf.config.list_logical_devices("CPU")]}
    checks = {
        "graph": lambda: {"single": graph_run(False), "mirrored": graph_run(True)},
        "tracked": lambda: _pair(tracked_run),
        "fit": lambda: _pair(fit_run),
        # The RNN cells: dynamic_rnn over a MultiRNNCell, in a graph and tracked.
        "cells_graph": lambda: {"single": graph_run(False, "cells"), "mirrored": graph_run(True, "cells")},
        "cells_tracked": lambda: _pair(lambda distributed, initial: tracked_run(distributed, initial, "cells")),
        "outside_scope": built_outside_scope,
    }
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception:  # one broken check must not hide the others
            results[name] = {"crash": traceback.format_exc()}
    print(json.dumps(results))


def _pair(run) -> dict:
    single = run(False, None)
    return {"single": single, "mirrored": run(True, single["start"])}


if __name__ == "__main__":
    main()
