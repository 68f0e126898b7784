"""Parameter-server training: TF1 device placement, partitioned variables,
and ParameterServerStrategy with a local chief / worker / PS cluster.

TF1 sides come from TF 2.15.1's native layers, recorded by
tests/oracle_scripts/record_distribute_goldens.py from the same programs
(tests/distribute_scripts/tf1_programs.py) that run here on compat_layers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from absl.testing import absltest

import compat_layers
from compat_layers.utils import load_tf1_checkpoint, save_tf1_checkpoint, track_tf1_style_variables
from tests.distribute_scripts import tf1_programs
from tests.distribute_scripts.launch import SCRIPT_TIMEOUT_S, Script, free_ports, script_env

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLDENS = REPO_ROOT / "tests" / "goldens" / "tf-2.15.1" / "distribute"


def golden(name: str) -> dict:
    return json.loads((GOLDENS / f"{name}.json").read_text())["result"]


class ReplicaDeviceSetterTest(absltest.TestCase):
    """`tf.compat.v1.train.replica_device_setter(ps_tasks=2)` around layers."""

    @classmethod
    def setUpClass(cls):
        cls.ours = tf1_programs.placement(compat_layers)
        cls.tf1 = golden("placement")

    def test_variables_on_the_ps_tasks_tf1_chose(self):
        # Round-robin over the PS tasks in creation order, BatchNormalization's
        # moving statistics included.
        self.assertEqual(self.ours["variables"], self.tf1["variables"])

    def test_layer_outputs_on_the_worker(self):
        self.assertEqual(self.ours["output_devices"], self.tf1["output_devices"])

    def test_batch_norm_updates_colocated_with_moving_statistics(self):
        self.assertEqual(self.ours["update_op_devices"], self.tf1["update_op_devices"])


def rnn_program(name: str, legacy: bool, *flags: str) -> dict:
    """`tf1_programs.RNN_PROGRAMS[name]` in a process of its own, on tf_keras's
    legacy cells (TF1's `tf.compat.v1.nn.rnn_cell`) or on compat_layers'.

    `flags`: `--v1` runs it after `tf.compat.v1.disable_v2_behavior()`.
    """
    env = script_env()
    env.pop("COMPAT_LAYERS_INSTALL", None)
    if legacy:
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        flags += ("--compat",)
    run = subprocess.run(
        [sys.executable, "-m", "tests.distribute_scripts.tf1_programs", name, *flags],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT_S,
    )
    if run.returncode != 0:
        raise AssertionError(f"TF1 side of {name} failed:\n{run.stderr[-6000:]}")
    return json.loads(run.stdout.splitlines()[-1])


class RnnCellReplicaDeviceSetterTest(absltest.TestCase):
    """`replica_device_setter(ps_tasks=2)` around `dynamic_rnn` over a
    `MultiRNNCell` of LSTMCell (peepholes, projection), GRUCell and
    BasicRNNCell, against tf_keras's legacy cells."""

    @classmethod
    def setUpClass(cls):
        cls.ours = tf1_programs.rnn_placement(compat_layers.rnn_cell)
        cls.tf1 = rnn_program("rnn_placement", legacy=True)

    def test_cell_variables_on_the_ps_tasks_tf1_chose(self):
        # Round-robin over the PS tasks in creation order, through the
        # LSTM's peephole and projection weights and the GRU's two layers.
        self.assertEqual(self.ours["variables"], self.tf1["variables"])
        self.assertLen(set(self.tf1["variables"].values()), 2)

    def test_outputs_and_states_on_the_worker(self):
        self.assertEqual(self.ours["output_devices"], self.tf1["output_devices"])
        self.assertEqual(set(self.tf1["output_devices"].values()), {"/job:worker"})

    def test_same_placement_under_disable_v2_behavior(self):
        ours = rnn_program("rnn_placement", False, "--v1")
        self.assertEqual(ours, rnn_program("rnn_placement", True, "--v1"))
        self.assertEqual(ours["variables"], self.tf1["variables"])


class PartitionedVariableTest(absltest.TestCase):
    """Layers under a scope partitioner, in a TF1 graph and tracked."""

    @classmethod
    def setUpClass(cls):
        cls.tf1 = golden("partitioned")

    def test_parts_names_shapes_numbers_and_training_match_tf1(self):
        ours = tf1_programs.partitioned(compat_layers)
        self.assertEqual(ours["variables"], self.tf1["variables"])
        # TF1 regularized each part of the Dense kernel separately.
        self.assertEqual(ours["regularization_losses"], self.tf1["regularization_losses"])
        for key, outputs in (("outputs", "outputs"), ("trained_outputs", "trained_outputs")):
            for layer, value in self.tf1[key].items():
                np.testing.assert_allclose(ours[outputs][layer], value, rtol=1e-5, atol=1e-6, err_msg=layer)
        np.testing.assert_allclose(ours["losses"], self.tf1["losses"], rtol=1e-5)
        for name, value in self.tf1["values"].items():
            np.testing.assert_allclose(ours["values"][name], value, rtol=1e-5, atol=1e-6, err_msg=name)

    def test_tf1_checkpoint_of_partitioned_variables_restores(self):
        with tempfile.TemporaryDirectory() as directory:
            restored = tf1_programs.partitioned(
                compat_layers, save_to=os.path.join(directory, "again"),
                restore_from=str(GOLDENS / "partitioned_ckpt" / "model"),
            )
            # Saver wrote each partitioned variable whole, as TF1 did.
            saved = dict(tf.train.list_variables(os.path.join(directory, "again")))
        for name, value in self.tf1["values"].items():
            np.testing.assert_allclose(restored["values"][name], value, rtol=1e-6, err_msg=name)
        for layer, value in self.tf1["trained_outputs"].items():
            np.testing.assert_allclose(restored["outputs"][layer], value, rtol=1e-5, atol=1e-6, err_msg=layer)
        self.assertEqual(saved["s/d/kernel"], [16, 4])
        self.assertEqual(saved["k/big/kernel"], [16, 32])

    def test_tracked_layers_get_the_same_parts_and_load_the_tf1_checkpoint(self):
        class Partitioned(keras.layers.Layer):
            @track_tf1_style_variables
            def call(self, features):
                with tf.compat.v1.variable_scope("s", partitioner=tf.compat.v1.fixed_size_partitioner(2)):
                    return compat_layers.dense(features, 4, name="d", kernel_regularizer=tf.nn.l2_loss)

        layer = Partitioned()
        layer(tf1_programs.FEATURES)
        tf1_dense = {n: s for n, s in self.tf1["variables"].items() if n.startswith("s/d/")}
        self.assertEqual({w.path + ":0": list(w.shape) for w in layer.weights}, tf1_dense)
        report = load_tf1_checkpoint(layer, str(GOLDENS / "partitioned_ckpt" / "model"))
        self.assertEqual(report.loaded, tuple(sorted(n[: -len(":0")] for n in tf1_dense)))
        self.assertEqual(report.missing_in_checkpoint, ())
        self.assertNotIn("s/d/kernel", report.unused_in_checkpoint)
        np.testing.assert_allclose(
            layer(tf1_programs.FEATURES), self.tf1["trained_outputs"]["dense"], rtol=1e-5, atol=1e-6
        )
        # Written back, the parts form the whole variable again, as TF1's Saver wrote it.
        written = tf.train.load_checkpoint(save_tf1_checkpoint(layer, self.create_tempdir().full_path + "/ckpt"))
        golden = tf.train.load_checkpoint(str(GOLDENS / "partitioned_ckpt" / "model"))
        for name in {n.rsplit(":", 1)[0].split("/part_")[0] for n in tf1_dense}:
            np.testing.assert_array_equal(written.get_tensor(name), golden.get_tensor(name), err_msg=name)
        # One L2 loss per part (as TF1 had), summing to the whole kernel's.
        self.assertLen(layer.losses, 2)
        kernel = np.concatenate([self.tf1["values"][f"s/d/kernel/part_{i}:0"] for i in range(2)])
        np.testing.assert_allclose(sum(float(l) for l in layer.losses), np.sum(kernel**2) / 2, rtol=1e-5)

    def test_load_tf1_checkpoint_refuses_a_differently_shaped_whole(self):
        class Wider(keras.layers.Layer):
            @track_tf1_style_variables
            def call(self, features):
                with tf.compat.v1.variable_scope("s", partitioner=tf.compat.v1.fixed_size_partitioner(2)):
                    return compat_layers.dense(features, 6, name="d")

        layer = Wider()
        layer(tf1_programs.FEATURES)
        with self.assertRaisesRegex(ValueError, r"s/d/kernel/part_0: partitioned variable \(16, 6\) vs checkpoint \(16, 4\)"):
            load_tf1_checkpoint(layer, str(GOLDENS / "partitioned_ckpt" / "model"))


class ParameterServerStrategyTest(absltest.TestCase):
    """Chief, worker and PS as local processes; TF1Net trained through a
    ClusterCoordinator gives the single-device numbers."""

    @classmethod
    def setUpClass(cls):
        cls.chief = _cluster["chief"]
        cls.result = cls.chief.next_json("losses")

    def test_variables_live_on_the_ps(self):
        self.assertEqual(self.result["variable_devices"], ["/job:ps/replica:0/task:0/device:CPU:0"])

    def test_training_matches_single_device(self):
        single = self.result["single"]
        np.testing.assert_allclose(self.result["losses"], single["losses"], rtol=1e-5)
        for name, value in single["values"].items():
            np.testing.assert_allclose(self.result["values"][name], value, rtol=1e-5, atol=1e-6, err_msg=name)


_cluster: dict[str, Script] = {}


def setUpModule():
    # Started first: the cluster comes up while the in-process tests run.
    ports = dict(zip(("chief", "worker", "ps"), free_ports(3)))
    cluster = {role: [f"localhost:{port}"] for role, port in ports.items()}
    for role in ("ps", "worker", "chief"):
        _cluster[role] = Script(
            "parameter_server.py", tf_config={"cluster": cluster, "task": {"type": role, "index": 0}}
        )


def tearDownModule():
    # The worker and the PS serve until they are killed.
    for script in _cluster.values():
        script.stop()


if __name__ == "__main__":
    absltest.main()
