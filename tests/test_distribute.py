"""compat_layers under tf.distribute: MirroredStrategy (TF1 graph, tracked,
`model.fit`), MultiWorkerMirroredStrategy with two local workers, faults
(layer built outside the scope, a killed worker, a killed checkpoint writer)
and docs/distributed.md.

Strategies over several logical devices, and clusters, need processes of
their own (tests/distribute_scripts/*); setUpModule starts them all at once,
they run side by side, and each test class waits for its own.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import tensorflow as tf
from absl.testing import absltest

from tests.distribute_scripts import multi_worker
from tests.distribute_scripts.launch import REPO_ROOT, Script, free_ports
from tests.test_docs import python_blocks

# How long the surviving worker may take to report its killed peer:
# heartbeat detection (~10 s) or the collective timeout (15 s), plus slack.
FAULT_TIMEOUT_S = 60
# The `tf.errors.OpError` subclasses TensorFlow fails a step with when a peer
# dies, depending on which part of its runtime notices first.
FAULT_ERRORS = ("UnavailableError", "AbortedError", "DeadlineExceededError", "InternalError",
                "CancelledError")
# Worker 1, the killed one, as TensorFlow names tasks ("/job:worker/replica:0/task:1").
DEAD_TASK = r"/job:worker(/replica:\d+)?/task:1\b"


_scripts: dict[str, Script] = {}
_checkpoint_dirs: dict[str, Path] = {}


def setUpModule():
    _scripts["mirrored"] = Script("mirrored.py")
    # Killed just before `save_atomically` renames, and during TensorFlow's write.
    for marker, args in (("written", ["--pause"]), ("writing", [])):
        _checkpoint_dirs[marker] = Path(tempfile.mkdtemp()) / "step-3"
        _scripts[marker] = Script(
            "checkpoint_writer.py", str(_checkpoint_dirs[marker]), *args, stdin=bool(args), kill_on=marker
        )
    _scripts["guide"] = Script("run_guide.py")
    ports = free_ports(2)
    for index in range(2):
        _scripts[f"worker{index}"] = Script(
            "multi_worker.py",
            "--fault",
            tf_config={
                "cluster": {"worker": [f"localhost:{port}" for port in ports]},
                "task": {"type": "worker", "index": index},
            },
        )


def tearDownModule():
    for script in _scripts.values():
        script.stop()
    for directory in _checkpoint_dirs.values():
        shutil.rmtree(directory.parent, ignore_errors=True)


def assert_same_training(test: absltest.TestCase, single: dict, distributed: dict) -> None:
    """Same loss at every step and same final weights (rtol 1e-5).

    atol 1e-6 covers weights that end near zero, where float32 sums taken in
    another order (per replica, then across replicas) differ in the last bits.
    """
    np.testing.assert_allclose(distributed["losses"], single["losses"], rtol=1e-5)
    test.assertEqual(sorted(distributed["values"]), sorted(single["values"]))
    for name, value in single["values"].items():
        np.testing.assert_allclose(distributed["values"][name], value, rtol=1e-5, atol=1e-6, err_msg=name)


class MirroredStrategyTest(absltest.TestCase):
    """Two logical CPUs; each check against the same run on one device."""

    @classmethod
    def setUpClass(cls):
        script = _scripts["mirrored"]
        cls.results = script.next_json("devices")
        cls.log = script.log()

    def result(self, check: str) -> dict:
        result = self.results[check]
        self.assertNotIn("crash", result, result.get("crash"))
        return result

    def test_two_devices(self):
        self.assertEqual(self.results["devices"], ["/device:CPU:0", "/device:CPU:1"])

    def test_tf1_graph_gets_mirrored_variables(self):
        graph = self.result("graph")
        self.assertEqual(graph["mirrored"]["variable_types"], ["MirroredVariable"])
        self.assertEqual(graph["mirrored"]["variable_names"], graph["single"]["variable_names"])
        self.assertIn("model/conv/kernel:0", graph["mirrored"]["variable_names"])

    def test_tf1_graph_training_matches_single_device(self):
        graph = self.result("graph")
        assert_same_training(self, graph["single"], graph["mirrored"])

    def test_tracked_layer_gets_mirrored_variables(self):
        self.assertEqual(self.result("tracked")["mirrored"]["variable_types"], ["MirroredVariable"])

    def test_tracked_training_matches_single_device(self):
        tracked = self.result("tracked")
        assert_same_training(self, tracked["single"], tracked["mirrored"])

    def test_model_fit_matches_single_device(self):
        fit = self.result("fit")
        self.assertEqual(fit["mirrored"]["variable_types"], ["MirroredVariable"])
        # Per-epoch losses as Keras reports them, and the final weights.
        assert_same_training(self, fit["single"], fit["mirrored"])

    def test_cells_tf1_graph_gets_mirrored_variables_with_tf1_names(self):
        # dynamic_rnn over MultiRNNCell([LSTMCell, GRUCell]) in each replica.
        cells = self.result("cells_graph")
        self.assertEqual(cells["mirrored"]["variable_types"], ["MirroredVariable"])
        self.assertEqual(cells["mirrored"]["variable_names"], cells["single"]["variable_names"])
        for name in ("cell_0/lstm_cell/kernel:0", "cell_1/gru_cell/gates/kernel:0", "cell_1/gru_cell/candidate/bias:0"):
            self.assertIn(f"rnn_model/rnn/multi_rnn_cell/{name}", cells["mirrored"]["variable_names"])

    def test_cells_tf1_graph_training_matches_single_device(self):
        cells = self.result("cells_graph")
        assert_same_training(self, cells["single"], cells["mirrored"])

    def test_tracked_layer_holding_cells_trains_like_single_device(self):
        cells = self.result("cells_tracked")
        self.assertEqual(cells["mirrored"]["variable_types"], ["MirroredVariable"])
        self.assertIn("rnn_model/rnn/multi_rnn_cell/cell_0/lstm_cell/kernel", cells["mirrored"]["values"])
        assert_same_training(self, cells["single"], cells["mirrored"])

    def test_layer_built_outside_the_scope_is_refused_clearly(self):
        # Keras 3's own layers fail later, in the optimizer, with a bare
        # AssertionError; the TF1-style layer names the cause and the fix.
        outside = self.result("outside_scope")
        self.assertEqual(outside["error_type"], "ValueError")
        self.assertIn(
            "runs in a replica of MirroredStrategy, but its variable model/conv/kernel:0 "
            "was created outside that strategy's scope",
            outside["message"],
        )
        self.assertIn("inside `with strategy.scope():`", outside["message"])


class MultiWorkerMirroredStrategyTest(absltest.TestCase):
    """Two worker processes on localhost, then worker 1 killed mid-step."""

    @classmethod
    def setUpClass(cls):
        workers = [_scripts["worker0"], _scripts["worker1"]]
        cls.results = [worker.next_json("task") for worker in workers]
        workers[1].next_json("parked")
        workers[0].next_json("fault_step")
        # Worker 0 is now waiting in an all-reduce for worker 1.
        time.sleep(1)
        workers[1].stop()
        started = time.monotonic()
        try:
            cls.fault = workers[0].next_json("fault_error", timeout=FAULT_TIMEOUT_S)
        except AssertionError as error:
            cls.fault = {"harness": str(error)}
        cls.fault_wait_s = time.monotonic() - started
        workers[0].process.wait(timeout=FAULT_TIMEOUT_S)

    def test_variables_are_mirrored_across_workers(self):
        for result in self.results:
            self.assertEqual(result["replicas"], 2)
            self.assertEqual(result["variable_types"], ["MirroredVariable"])

    def test_training_matches_single_device(self):
        for result in self.results:
            assert_same_training(self, self.results[0]["single"], result)

    def test_killed_worker_fails_the_step_with_a_clear_error(self):
        """What the user sees: the step raises a `tf.errors.OpError` within
        the bound, and the error names the dead task.

        Not TensorFlow's wording, which depends on which part of its runtime
        notices first: the coordination service ("The following tasks are
        unhealthy (stopped sending heartbeats): /job:worker/replica:0/task:1"),
        or the collective executor, which aborts the pending all-reduce with
        that error ("Collective ops is aborted by: ..."). Only the collective
        timeout the script sets names no task: it fires on the waiting side,
        which cannot tell who is missing, and then only after that timeout.
        """
        self.assertNotIn("harness", self.fault, self.fault.get("harness"))
        self.assertIn(self.fault["fault_error"], FAULT_ERRORS, str(self.fault))
        self.assertLess(self.fault_wait_s, FAULT_TIMEOUT_S, str(self.fault))
        if self.fault["fault_error"] == "DeadlineExceededError":
            self.assertGreaterEqual(
                self.fault["seconds"], multi_worker.COLLECTIVE_TIMEOUT_S - 1, str(self.fault)
            )
        else:
            self.assertRegex(self.fault["message"], DEAD_TASK, str(self.fault))


class AtomicCheckpointTest(absltest.TestCase):
    """docs/distributed.md's `save_atomically`, its writer killed."""

    def killed_writer(self, marker: str) -> Path:
        """The directory of the writer killed when it printed `marker`."""
        writer = _scripts[marker]
        writer.next_json(marker)
        self.assertEqual(writer.process.wait(timeout=30), -9, writer.log())
        return _checkpoint_dirs[marker]

    def test_killed_after_the_write_leaves_no_checkpoint_at_the_final_path(self):
        directory = self.killed_writer("written")
        self.assertFalse(directory.exists())
        (partial,) = directory.parent.glob(".partial-*")
        self.assertTrue((partial / "ckpt.index").exists())

    def test_killed_during_the_write_leaves_no_partial_checkpoint(self):
        directory = self.killed_writer("writing")
        # The rename comes after TensorFlow's write: the kill lands before it,
        # or (on a fast disk) the directory holds a whole checkpoint.
        if directory.exists():
            self.assertEqual(tf.train.load_checkpoint(str(directory / "ckpt")).get_tensor(
                "weights/.ATTRIBUTES/VARIABLE_VALUE").shape, (4096, 4096))


class DistributedGuideTest(absltest.TestCase):
    def test_every_snippet_runs(self):
        guide = _scripts["guide"]
        blocks = python_blocks((REPO_ROOT / "docs" / "distributed.md").read_text())
        self.assertEqual(guide.next_json("blocks")["blocks"], len(blocks))
        self.assertEqual(guide.process.wait(timeout=30), 0, guide.log())


if __name__ == "__main__":
    absltest.main()
