"""Clients for worker subprocesses: the live TF1 oracle and our own side.

One process per kind per test session answers every case (TensorFlow imports
once), so the suite stays fast.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.parity import worker

REPO_ROOT = Path(__file__).resolve().parents[2]


class WorkerError(RuntimeError):
    pass


class Worker:
    """A `tests.parity.worker` subprocess that runs cases on request."""

    def __init__(self, impl: str, disable_eager: bool = False, extra_env: tuple = ()):
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
        if disable_eager:
            command.append("--disable-eager")
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

    def run(self, case: str, mode: str, checkpoint: dict | None = None) -> dict:
        with self._lock:
            worker.write_frame(
                self._process.stdin, {"case": case, "mode": mode, "checkpoint": checkpoint}
            )
            reply = worker.read_frame(self._process.stdout)
        if reply is None:
            raise self._error("died")
        if "crash" in reply:
            raise WorkerError(f"{self.description} crashed on {case}/{mode}:\n{reply['crash']}")
        return reply

    def _error(self, what: str) -> WorkerError:
        self._process.wait(timeout=30)
        self._stderr.seek(0)
        log = self._stderr.read().decode("utf-8", "replace")[-4000:]
        return WorkerError(
            f"{self.description} {what} (exit {self._process.returncode}); stderr ends:\n{log}"
        )

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()


_workers: dict[tuple, Worker] = {}
_workers_lock = threading.Lock()


def get_worker(impl: str, disable_eager: bool = False, extra_env: tuple = ()) -> Worker:
    """The session's worker of this kind, started on first use.

    `extra_env`: `(name, value)` pairs set in the worker's environment.
    """
    key = (impl, disable_eager, extra_env)
    with _workers_lock:
        if key not in _workers:
            _workers[key] = Worker(impl, disable_eager, extra_env)
        return _workers[key]


@atexit.register
def _close_workers() -> None:
    for running in _workers.values():
        running.close()
