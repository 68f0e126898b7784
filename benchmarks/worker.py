"""A contender's subprocess: answers timing requests, one JSON line each.

    python -m benchmarks.worker --contender compat_layers [--memory]

With --memory, the still fresh process first measures the peak memory of a
100-layer graph build and sends it with its "ready" message.

Requests on stdin: {"metric": ..., "samples": n, "inner": k, "warmup": w}.
Replies on stdout: {"samples": [seconds, ...]} or {"error": traceback}.
Everything else the process prints goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import traceback


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contender", required=True)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()

    # Keep the protocol channel clean of TensorFlow's / Keras's prints.
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def reply(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")

    try:
        from benchmarks import workloads

        contender = workloads.make_contender(args.contender)
        memory = workloads.graph_build_memory(contender) if args.memory else {}
        reply({"ready": True, "versions": workloads.versions(), "memory": memory})
    except Exception:  # noqa: BLE001 - reported to the orchestrator
        reply({"error": traceback.format_exc()})
        return

    prepared: dict[str, workloads.Workload] = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            metric = request["metric"]
            if metric not in prepared:
                prepared[metric] = workloads.make_workload(contender, metric)
            workload = prepared[metric]
            if request.get("warmup"):
                workload.sample(request["warmup"])
            gc.collect()
            samples = [workload.sample(request["inner"]) for _ in range(request["samples"])]
            reply({"samples": samples})
        except Exception:  # noqa: BLE001
            reply({"error": traceback.format_exc()})
    protocol.flush()
    sys.stderr.flush()
    os._exit(0)  # skip TensorFlow's slow interpreter teardown


if __name__ == "__main__":
    main()
