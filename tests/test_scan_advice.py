"""docs/scan-rules.md's advice keeps the numbers: each replacement it names is
computed next to what it replaces.

`tf.contrib` is not installable on TF 2; tf-slim has `tf.contrib.layers`'s
initializers and regularizers unchanged, so it stands in for contrib.
tf_keras (Keras 2) stands in for the `tf.keras.optimizers.legacy` that Keras 3
only keeps as names that raise.

Tolerances: an initializer and its replacement run the same random op with
the same seeds, so they must agree to the bit; a standard deviation computed
as √(1.3·f/n) or as √(s/n)/0.8796 may round differently in its last float32
bit, which scales the values by at most one part in 2**23 (rtol 2e-7). A
penalty computed by other kernels may sum in another order: a few float32
roundings (rtol 1e-6). Adam's step size has the factor √(1 − β₂ᵗ); in float32
1 − 0.999ᵗ loses up to 2**-24 / 0.001, 6e-5 of itself, 3e-5 after the square
root, to rounding, and implementations round β₂ᵗ differently: five steps of at
most the learning rate 0.1 each may differ by 5 · 0.1 · 3e-5 = 1.5e-5.
"""

from __future__ import annotations

import importlib.util
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from absl.testing import absltest, parameterized  # noqa: E402

from compat_layers_cli import codemod  # noqa: E402

# √(1/n)/0.8796 is the standard deviation TF's truncated-normal variance
# scaling uses (0.8796 is the std of a unit normal truncated at ±2).
TRUNCATION = 0.87962566103423978
SHAPE = (3, 3, 8, 16)


def _slim():
    import tf_slim

    return tf_slim


def _in_graph(*factories):
    """Each factory's tensor, evaluated in one fresh graph and session."""
    with tf.Graph().as_default(), tf.compat.v1.Session() as session:
        return session.run([factory() for factory in factories])


@absltest.skipIf(importlib.util.find_spec("tf_slim") is None, "tf_slim is not installed")
class ContribAdviceTest(parameterized.TestCase):
    def test_l2_regularizer_is_l2_of_half_the_scale(self):
        weights = np.random.RandomState(0).normal(size=(5, 7)).astype(np.float32)
        (contrib,) = _in_graph(lambda: _slim().l2_regularizer(0.01)(tf.constant(weights)))
        advised = float(keras.regularizers.L2(0.01 / 2)(weights))
        np.testing.assert_allclose(advised, contrib, rtol=1e-6)
        # What the old advice, L2(scale), gave: twice the penalty.
        np.testing.assert_allclose(float(keras.regularizers.L2(0.01)(weights)), 2 * contrib, rtol=1e-6)

    def test_l1_regularizer_is_l1(self):
        weights = np.random.RandomState(1).normal(size=(5, 7)).astype(np.float32)
        (contrib,) = _in_graph(lambda: _slim().l1_regularizer(0.01)(tf.constant(weights)))
        np.testing.assert_allclose(float(keras.regularizers.L1(0.01)(weights)), contrib, rtol=1e-6)

    def test_xavier_initializer_is_glorot_uniform_initializer(self):
        contrib, advised = _in_graph(
            lambda: _slim().xavier_initializer(seed=3)(SHAPE),
            lambda: tf.compat.v1.glorot_uniform_initializer(seed=3)(SHAPE),
        )
        np.testing.assert_array_equal(advised, contrib)
        # Under a graph seed alone, as `tf.set_random_seed` code has it.
        graph_seeded = []
        for initializer in (_slim().xavier_initializer(), tf.compat.v1.glorot_uniform_initializer()):
            with tf.Graph().as_default(), tf.compat.v1.Session() as session:
                tf.compat.v1.set_random_seed(7)
                graph_seeded.append(session.run(initializer(SHAPE)))
        np.testing.assert_array_equal(*graph_seeded)
        # Keras's GlorotUniform: the same bounds, other numbers.
        keras_values = keras.ops.convert_to_numpy(keras.initializers.GlorotUniform(seed=3)(SHAPE))
        self.assertFalse(np.allclose(keras_values, contrib))
        limit = np.sqrt(6 / (3 * 3 * 8 + 3 * 3 * 16))
        self.assertLessEqual(np.abs(keras_values).max(), limit)
        self.assertLessEqual(np.abs(contrib).max(), limit)

    @parameterized.named_parameters(
        ("xavier_normal", lambda slim: slim.xavier_initializer(uniform=False, seed=4),
         dict(scale=1.3 * TRUNCATION**2, mode="fan_avg", distribution="truncated_normal")),
        ("variance_scaling_defaults", lambda slim: slim.variance_scaling_initializer(seed=4),
         dict(scale=2.0 * 1.3 * TRUNCATION**2, mode="fan_in", distribution="truncated_normal")),
        ("variance_scaling_uniform",
         lambda slim: slim.variance_scaling_initializer(1.5, "FAN_OUT", uniform=True, seed=4),
         dict(scale=1.5, mode="fan_out", distribution="uniform")),
    )
    def test_variance_scaling_with_the_advised_arguments(self, contrib_initializer, arguments):
        contrib, advised = _in_graph(
            lambda: contrib_initializer(_slim())(SHAPE),
            lambda: tf.compat.v1.variance_scaling_initializer(seed=4, **arguments)(SHAPE),
        )
        np.testing.assert_allclose(advised, contrib, rtol=2e-7, atol=0)

    def test_the_defaults_differ_by_what_the_docs_say(self):
        contrib, v1_default = _in_graph(
            lambda: _slim().variance_scaling_initializer(seed=5)(SHAPE),
            lambda: tf.compat.v1.variance_scaling_initializer(seed=5)(SHAPE),
        )
        # The same truncated normal draw, scaled by √2.6 against 1/0.8796.
        ratio = np.sqrt(2.6) * TRUNCATION
        self.assertAlmostEqual(ratio, 1.42, places=2)
        np.testing.assert_allclose(contrib, v1_default * ratio, rtol=1e-6, atol=1e-7)
        (glorot_normal,) = _in_graph(lambda: tf.compat.v1.glorot_normal_initializer(seed=4)(SHAPE))
        (xavier_normal,) = _in_graph(lambda: _slim().xavier_initializer(uniform=False, seed=4)(SHAPE))
        # "0.3% smaller".
        self.assertAlmostEqual(float(np.std(glorot_normal) / np.std(xavier_normal)),
                               1 / (np.sqrt(1.3) * TRUNCATION), places=6)
        self.assertAlmostEqual(1 - 1 / (np.sqrt(1.3) * TRUNCATION), 0.003, places=3)


@absltest.skipIf(importlib.util.find_spec("tf_keras") is None, "tf_keras is not installed")
class KerasAdviceTest(absltest.TestCase):
    def _steps(self, optimizer, apply) -> np.ndarray:
        """Five steps on 0.5·Σ(a·w − b)², from the same start."""
        rng = np.random.RandomState(2)
        a, b = rng.normal(size=(4, 3)).astype(np.float32), rng.normal(size=4).astype(np.float32)
        return apply(optimizer, np.ones(3, np.float32), a, b)

    def test_legacy_adam_is_adam(self):
        import tf_keras

        def eager(optimizer, start, a, b):
            variable = tf.Variable(start)
            for _ in range(5):
                with tf.GradientTape() as tape:
                    loss = 0.5 * tf.reduce_sum((tf.linalg.matvec(a, variable) - b) ** 2)
                optimizer.apply_gradients([(tape.gradient(loss, variable), variable)])
            return variable.numpy()

        def graph(optimizer_factory, start, a, b):
            with tf.Graph().as_default(), tf.compat.v1.Session() as session:
                variable = tf.compat.v1.Variable(start)
                loss = 0.5 * tf.reduce_sum((tf.linalg.matvec(a, variable) - b) ** 2)
                step = optimizer_factory().minimize(loss)
                session.run(tf.compat.v1.global_variables_initializer())
                for _ in range(5):
                    session.run(step)
                return session.run(variable)

        legacy = self._steps(tf_keras.optimizers.legacy.Adam(0.1), eager)
        keras3 = self._steps(keras.optimizers.Adam(0.1), eager)
        v1 = self._steps(lambda: tf.compat.v1.train.AdamOptimizer(0.1, epsilon=1e-7), graph)
        np.testing.assert_allclose(keras3, legacy, rtol=0, atol=1.5e-5)
        np.testing.assert_allclose(v1, legacy, rtol=0, atol=1.5e-5)
        # Far from the other epsilon's or the other update rule's.
        self.assertGreater(np.abs(keras3 - np.ones(3)).min(), 100 * 1.5e-5)
        # What Keras 3 keeps under the old name raises.
        with self.assertRaises(ImportError):
            tf.keras.optimizers.legacy.Adam(0.1)

    def test_get_default_session_replaces_get_session(self):
        self.assertFalse(hasattr(tf.compat.v1.keras.backend, "get_session"))
        with tf.Graph().as_default():
            session = tf.compat.v1.Session()
            with session.as_default():
                self.assertIs(tf.compat.v1.get_default_session(), session)
            session.close()

    def test_advised_names_are_not_reported(self):
        source = (
            "import tensorflow as tf\nimport keras\n"
            "a = tf.compat.v1.glorot_uniform_initializer(seed=1)\n"
            "b = tf.compat.v1.variance_scaling_initializer(scale=2.0)\n"
            "c = keras.regularizers.L2(0.005)\nd = keras.optimizers.Adam(0.1)\n"
            "e = tf.compat.v1.train.AdamOptimizer(0.1, epsilon=1e-7)\n"
        )
        self.assertEqual(codemod.scan_source(source, not_covered=True), [])


if __name__ == "__main__":
    absltest.main()
