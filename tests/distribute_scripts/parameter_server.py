"""A ParameterServerStrategy cluster on localhost: chief, worker, PS.

    TF_CONFIG='{"cluster": {"chief": [...], "worker": [...], "ps": [...]},
                "task": {"type": "worker", "index": 0}}' \\
        python tests/distribute_scripts/parameter_server.py

The worker and the PS only run a `tf.distribute.Server` until they are
killed. The chief (`"task": {"type": "chief", ...}`) creates
`model.TF1Net` (track_tf1_style_variables) under the strategy, so its
variables live on the PS, schedules `STEPS` training steps on the worker
through a `ClusterCoordinator`, then trains the same model on one device
from the same start, and prints one JSON line with both.
"""

from __future__ import annotations

import json
import os
import sys

import tensorflow as tf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

STEPS = 3


def serve(resolver: tf.distribute.cluster_resolver.ClusterResolver) -> None:
    server = tf.distribute.Server(
        resolver.cluster_spec(),
        job_name=resolver.task_type,
        task_index=resolver.task_id,
        protocol="grpc",
        start=True,
    )
    server.join()


def chief(resolver: tf.distribute.cluster_resolver.ClusterResolver) -> dict:
    import keras

    from tests.distribute_scripts import model

    strategy = tf.distribute.experimental.ParameterServerStrategy(resolver)
    coordinator = tf.distribute.experimental.coordinator.ClusterCoordinator(strategy)
    with strategy.scope():
        net = model.TF1Net()
        net(tf.zeros((1, *model.IMAGE_SHAPE)))
        optimizer = keras.optimizers.SGD(model.LEARNING_RATE)
    start = {w.path: w.numpy().tolist() for w in net.weights}

    step = model.sgd_step(strategy, net, optimizer)
    # One worker runs the steps one after the other: fetching each loss
    # before scheduling the next keeps the single-device order.
    losses = [float(coordinator.schedule(step).fetch()) for _ in range(STEPS)]
    return {
        "variable_devices": sorted({w.value.device for w in net.weights}),
        "variable_types": sorted({type(w.value).__name__ for w in net.weights}),
        "losses": losses,
        "values": {w.path: w.numpy().tolist() for w in net.weights},
        "single": model.train_tracked(tf.distribute.get_strategy(), start, STEPS),
    }


def main() -> None:
    resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
    if resolver.task_type in ("worker", "ps"):
        serve(resolver)
        return
    print(json.dumps(chief(resolver)), flush=True)


if __name__ == "__main__":
    main()
