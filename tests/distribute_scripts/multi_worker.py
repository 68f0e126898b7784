"""One worker of a MultiWorkerMirroredStrategy cluster on localhost.

    TF_CONFIG='{"cluster": {"worker": ["localhost:P0", "localhost:P1"]},
                "task": {"type": "worker", "index": I}}' \\
        python tests/distribute_scripts/multi_worker.py [--fault]

Each worker trains `model.TF1Net` (track_tf1_style_variables) on its half of
the global batch and prints one JSON line with its result; worker 0 also
trains the same model on one device from the same start, for comparison.

With `--fault`, worker 1 then stops taking part (it prints `{"parked": true}`
and sleeps until it is killed) and worker 0 starts one more step, printing
`{"fault_step": "started"}` first; the test kills worker 1 during that step,
and worker 0 prints the error the step ended with. Collectives time out
after `COLLECTIVE_TIMEOUT_S`, so worker 0 never waits longer than that.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import tensorflow as tf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from tests.distribute_scripts import model

STEPS = 3
COLLECTIVE_TIMEOUT_S = 15.0


def emit(payload: dict) -> None:
    print(json.dumps(payload), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", action="store_true")
    args = parser.parse_args()
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            timeout_seconds=COLLECTIVE_TIMEOUT_S
        )
    )
    task = strategy.cluster_resolver.task_id
    result = model.train_tracked(strategy, None, STEPS)
    result["task"] = task
    result["replicas"] = strategy.num_replicas_in_sync
    if task == 0:
        result["single"] = model.train_tracked(tf.distribute.get_strategy(), result["start"], STEPS)
    emit(result)
    if not args.fault:
        return
    if task != 0:
        emit({"parked": True})
        time.sleep(600)
        return

    @tf.function
    def step():
        return strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.0)), axis=None)

    emit({"fault_step": "started"})
    started = time.monotonic()
    try:
        step()
    except tf.errors.OpError as error:
        emit({"fault_error": type(error).__name__, "message": error.message[:4000],
              "seconds": time.monotonic() - started})
        # The collective runtime may still wait on the dead peer at exit.
        os._exit(3)
    emit({"fault_error": None})


if __name__ == "__main__":
    main()
