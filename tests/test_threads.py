"""Thread safety: TF1 models built at once in several threads, each in its own
`tf.Graph`, get exactly the names, variables and collections of a build done
alone (and of tf_keras's legacy layers, the live TF1 oracle); unnamed-layer
counters stay per graph; `install()` / `uninstall()` racing from several
threads leaves every spelling of `tf.compat.v1.layers` consistent."""

from __future__ import annotations

import concurrent.futures
import sys
import threading
from typing import Any

import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from tests import test_install as install_tests
from tests.parity import registry
from tests.parity.oracle import get_worker

install_module = install_tests.install_module
THREADS = 8
# Whole TF1 programs mixing named and unnamed layers, variable scopes with
# AUTO_REUSE, class and functional layers, UPDATE_OPS and regularizers.
MODEL_CASES = ("model_dcgan_generator_and_discriminator", "model_cnn_classifier")


def build(case_name: str, barrier: threading.Barrier | None = None) -> dict[str, Any]:
    """Builds a registry case's program in a fresh graph; what TF1 code sees of it.

    `barrier`: the threads start building together, so their layer
    constructions interleave.
    """
    case = registry.CASES_BY_NAME[case_name]
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(case.dtype, case.placeholder_shape or case.input_shape)
        if barrier is not None:
            barrier.wait()
        output, layers = case.program(compat_layers, x)
        keys = tf.compat.v1.GraphKeys
        return {
            "global_variables": [v.name for v in tf.compat.v1.global_variables()],
            "trainable_variables": [v.name for v in tf.compat.v1.trainable_variables()],
            "regularization_losses": [t.name for t in tf.compat.v1.get_collection(keys.REGULARIZATION_LOSSES)],
            "update_ops": [op.name for op in tf.compat.v1.get_collection(keys.UPDATE_OPS)],
            "layers": [(layer.name, layer.scope_name) for layer in layers],
            "output": (output.name, output.shape.as_list()),
            "ops": [op.name for op in graph.get_operations()],
        }


def build_in_threads(target, *args: Any) -> list[Any]:
    """`target(*args, barrier)` in `THREADS` threads at once; their results."""
    barrier = threading.Barrier(THREADS)
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(target, *args, barrier) for _ in range(THREADS)]
        return [future.result(timeout=300) for future in futures]


class ConcurrentGraphBuildTest(parameterized.TestCase):
    @parameterized.parameters(*MODEL_CASES)
    def test_same_graph_as_a_build_done_alone(self, case_name):
        alone = build(case_name)
        for result in build_in_threads(build, case_name):
            self.assertEqual(result, alone)

    @parameterized.parameters(*MODEL_CASES)
    def test_names_and_collections_are_tf1s(self, case_name):
        # The live oracle (tf_keras's legacy layers, the TF1 code) builds the
        # same program alone; every thread's graph must match it.
        oracle = get_worker("legacy").run(case_name, "graph")
        self.assertIsNone(oracle["error"])
        collections = oracle["collections"]
        for result in build_in_threads(build, case_name):
            self.assertEqual(result["global_variables"], collections["global_variables"])
            self.assertEqual(result["trainable_variables"], collections["trainable_variables"])
            self.assertLen(result["regularization_losses"], collections["regularization_losses"])
            self.assertLen(result["update_ops"], collections["update_ops"])
            self.assertEqual(
                result["layers"],
                [(layer["name"], layer["scope_name"]) for layer in oracle["layers"]],
            )
            self.assertEqual(result["output"][1], oracle["output_static_shape"])

    def test_unnamed_layer_counters_are_per_graph(self):
        # Each thread numbers its unnamed layers in its own graph exactly as a
        # build done alone does, whatever the other threads create meanwhile:
        # TF1 kept one counter per graph. Class and functional layers share
        # the count, and every round starts while the other threads are in
        # the middle of theirs. (The numbering itself is TF1's: parity cases
        # such as `conv1d_unnamed_in_scope` check it against the oracle.)
        rounds = 5

        def unnamed_layers(barrier: threading.Barrier | None = None) -> list[str]:
            names = []
            with tf.Graph().as_default():
                x = tf.compat.v1.placeholder(tf.float32, [2, 3])
                for _ in range(rounds):
                    if barrier is not None:
                        barrier.wait()
                    dense = compat_layers.Dense(2)
                    dense(x)
                    names += [dense.name, dense.scope_name]
                    names.append(compat_layers.dense(x, 2).name)
            return names

        alone = unnamed_layers()
        for names in build_in_threads(unnamed_layers):
            self.assertEqual(names, alone)


class ConcurrentInstallTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        # The first install() imports what it needs; that stays imported.
        compat_layers.install()
        compat_layers.uninstall()
        self.addCleanup(compat_layers.uninstall)

    def assert_installed_everywhere(self) -> None:
        from tensorflow.python.layers import convolutional, core

        layers = tf.compat.v1.layers
        self.assertIs(sys.modules["tensorflow.compat.v1.layers"], layers)
        self.assertIs(layers.Dense, compat_layers.Dense)
        self.assertIs(layers.conv2d_transpose, compat_layers.conv2d_transpose)
        self.assertIs(core.Dense, compat_layers.Dense)
        self.assertIs(convolutional.Conv2DTranspose, compat_layers.Conv2DTranspose)
        self.assertIs(tf.compat.v1.keras.utils.track_tf1_style_variables,
                      compat_layers.utils.track_tf1_style_variables)

    def test_layers_built_while_others_install_are_ours(self):
        # Every thread installs, then builds through `tf.compat.v1.layers` in
        # its own graph: once its install() returned, the v1 layers are ours,
        # however the other threads' calls interleave.
        def install_and_build(barrier: threading.Barrier) -> tuple[str, type]:
            barrier.wait()
            self.assertTrue(compat_layers.install())
            with tf.Graph().as_default():
                layer = tf.compat.v1.layers.Dense(2)
                layer(tf.compat.v1.placeholder(tf.float32, [1, 3]))
                return tf.compat.v1.global_variables()[0].name, type(layer)

        for name, layer_type in build_in_threads(install_and_build):
            self.assertEqual((name, layer_type), ("dense/kernel:0", compat_layers.Dense))
        self.assert_installed_everywhere()

    # test_install's exact comparison (by identity) of what install() touches.
    assert_same_state = install_tests.UninstallTest.assertSameState

    def test_racing_install_and_uninstall_end_consistent(self):
        before = install_tests.global_state()
        turns = iter(range(THREADS))
        turns_lock = threading.Lock()
        barrier = threading.Barrier(THREADS)

        def racer() -> None:
            with turns_lock:
                ends_installed = next(turns) % 2 == 0
            barrier.wait()
            for _ in range(10):
                compat_layers.install()
                compat_layers.uninstall()
            if ends_installed:
                compat_layers.install()

        install_tests.run_threads(racer, THREADS)
        # Whichever call came last, the outcome is whole: installed
        # everywhere, or exactly what was there before.
        if install_module.is_installed():
            self.assert_installed_everywhere()
        else:
            self.assert_same_state(install_tests.global_state(), before)
        compat_layers.install()
        self.assert_installed_everywhere()
        install_tests.run_threads(compat_layers.uninstall, THREADS)
        self.assertFalse(install_module.is_installed())
        self.assert_same_state(install_tests.global_state(), before)


if __name__ == "__main__":
    absltest.main()
