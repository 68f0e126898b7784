"""Clients for worker subprocesses: the live TF1 oracle and our own side.

One process per kind per test session answers every case (TensorFlow imports
once), so the suite stays fast.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.parity import worker

REPO_ROOT = Path(__file__).resolve().parents[2]


# How many upcoming runs a worker queues ahead of the tests asking for them.
_AHEAD = 8


class WorkerError(RuntimeError):
    pass


class Worker:
    """A `tests.parity.worker` subprocess that runs cases on request."""

    def __init__(self, impl: str, disable_eager: bool = False, extra_env: tuple = (),
                 disable_v2_behavior: bool = False, disable: tuple = ()):
        env = dict(os.environ, **dict(extra_env))
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p
        )
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        if impl == "legacy":
            env["TF_USE_LEGACY_KERAS"] = "1"
        else:
            env.pop("TF_USE_LEGACY_KERAS", None)
        command = [sys.executable, "-m", "tests.parity.worker", "--impl", impl]
        if disable_v2_behavior:
            command.append("--disable-v2-behavior")
        elif disable_eager:
            command.append("--disable-eager")
        for part in disable:
            command += ["--disable", part]
        self.description = " ".join(command[2:])
        self._lock = threading.Lock()
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        hello = worker.read_frame(self._process.stdout)
        if not hello or not hello.get("ready"):
            raise self._error("did not start")
        self.tensorflow_version = hello["tensorflow"]
        # The worker runs queued requests while the test process computes
        # compat_layers' side: two processes, two cores.
        self._queue = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._prefetched: dict[tuple[str, str], concurrent.futures.Future] = {}

        self._order: list[tuple[str, str]] = []

    def expect(self, order: list[tuple[str, str]]) -> None:
        """The `(case, mode)` runs tests will ask for, in the order they ask.

        Each `run` then also queues the next few, so the worker computes
        them while the test process works on its own side.
        """
        self._order = order
        self._position = {key: index for index, key in enumerate(order)}

    def run(self, case: str, mode: str, checkpoint: dict | None = None) -> dict:
        if checkpoint is not None:
            return self._queue.submit(self._run, case, mode, checkpoint).result()
        start = self._position.get((case, mode)) if self._order else None
        upcoming = [(case, mode)] if start is None else self._order[start : start + _AHEAD]
        for key in upcoming:
            if key not in self._prefetched:
                self._prefetched[key] = self._queue.submit(self._run, *key, None)
        return self._prefetched.pop((case, mode)).result()

    def submit_config(self, config: dict, mode: str) -> concurrent.futures.Future:
        """Queues a generated configuration (tests/parity/fuzz.py) in `mode`.

        The worker runs it while the caller computes its own side; the
        future's result is the worker's result dict.
        """
        return self._queue.submit(self._request, {"fuzz": config, "mode": mode}, f"{config}/{mode}")

    def _run(self, case: str, mode: str, checkpoint: dict | None) -> dict:
        return self._request({"case": case, "mode": mode, "checkpoint": checkpoint}, f"{case}/{mode}")

    def _request(self, request: dict, what: str) -> dict:
        with self._lock:
            worker.write_frame(self._process.stdin, request)
            reply = worker.read_frame(self._process.stdout)
        if reply is None:
            raise self._error("died")
        if "crash" in reply:
            raise WorkerError(f"{self.description} crashed on {what}:\n{reply['crash']}")
        return reply

    def _error(self, what: str) -> WorkerError:
        self._process.wait(timeout=30)
        self._stderr.seek(0)
        log = self._stderr.read().decode("utf-8", "replace")[-4000:]
        return WorkerError(
            f"{self.description} {what} (exit {self._process.returncode}); stderr ends:\n{log}"
        )

    def close(self) -> None:
        self._queue.shutdown(cancel_futures=True)
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()


_workers: dict[tuple, Worker] = {}
_workers_lock = threading.Lock()


def get_worker(impl: str, disable_eager: bool = False, extra_env: tuple = (),
               disable_v2_behavior: bool = False, disable: tuple = ()) -> Worker:
    """The session's worker of this kind, started on first use.

    `extra_env`: `(name, value)` pairs set in the worker's environment;
    `disable_v2_behavior`: the worker runs full TF1 (see runner.PROCESS_MODES);
    `disable`: parts of it alone (worker.V2_BEHAVIOR_PARTS).
    """
    key = (impl, disable_eager or disable_v2_behavior, extra_env, disable_v2_behavior, disable)
    with _workers_lock:
        if key not in _workers:
            _workers[key] = Worker(impl, disable_eager, extra_env, disable_v2_behavior, disable)
        return _workers[key]


def worker_for_mode(impl: str, mode: str) -> Worker:
    """The worker that runs `mode` (runner.ALL_MODES) for `impl`."""
    return get_worker(impl, disable_eager=mode == "graph_v1",
                      disable_v2_behavior=mode == "graph_tf1")


@atexit.register
def _close_workers() -> None:
    for running in _workers.values():
        running.close()
