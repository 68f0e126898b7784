"""Starts tests/distribute_scripts programs as processes, for the tests.

Each program prints JSON lines on stdout; `Script` reads them on a thread so
a test can wait for one with a deadline, and keeps stderr for the failure
message.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = REPO_ROOT / "tests" / "distribute_scripts"
# TensorFlow start-up plus a few steps, with other processes on 2 cores.
SCRIPT_TIMEOUT_S = 240


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now (bound, then released for the servers)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("localhost", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def script_env(tf_config: dict | None = None) -> dict:
    """The environment of a tests/distribute_scripts process (Keras 3, this
    checkout importable, `TF_CONFIG` only for cluster members)."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("TF_USE_LEGACY_KERAS", None)
    env.pop("TF_CONFIG", None)
    if tf_config is not None:
        env["TF_CONFIG"] = json.dumps(tf_config)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env



class Script:
    """A tests/distribute_scripts program running in its own process.

    Its stdout is read line by line (JSON lines) on a thread, so a test can
    wait for one line with a deadline; stderr goes to a file for errors.
    `kill_on`: the reading thread kills the process as soon as it prints a
    JSON line holding that key (the line is still passed on).
    """

    def __init__(
        self,
        name: str,
        *args: str,
        tf_config: dict | None = None,
        stdin: bool = False,
        kill_on: str | None = None,
    ):
        self._kill_on = kill_on
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, str(SCRIPTS / name), *args],
            cwd=REPO_ROOT,
            env=script_env(tf_config),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if self._kill_on is not None and self._kill_on in _json_object(line):
                self.process.kill()
            self._lines.put(line)
        self._lines.put(None)

    def next_json(self, key: str, timeout: float = SCRIPT_TIMEOUT_S) -> dict:
        """The next JSON line holding `key` (other output is skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise AssertionError(f"no {key!r} within {timeout} s; stderr:\n{self.log()}") from None
            if line is None:
                raise AssertionError(f"exited (rc {self.process.wait()}) before {key!r}; stderr:\n{self.log()}")
            if key in (payload := _json_object(line)):
                return payload

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-6000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def _json_object(line: str) -> dict:
    """`line` as a JSON object; `{}` for other output (the guide prints)."""
    try:
        payload = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return payload if isinstance(payload, dict) else {}
