"""compat_layers.utils beyond the registry: the decorator's object model
(Keras 3 models, tf.Module, nesting, saving), get_or_create_layer,
load_tf1_checkpoint and DeterministicRandomTestTool (against tf_keras's tool
running real TF1 layers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from compat_layers import utils

REPO_ROOT = Path(__file__).resolve().parents[1]
warnings.filterwarnings("ignore", message=r"`tf\.layers\..*` is deprecated")


class Generator(keras.layers.Layer):
    """A TF1-style generator: unnamed layers, a scope, regularizers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @utils.track_tf1_style_variables
    def call(self, z):
        with tf.compat.v1.variable_scope("generator"):
            h = compat_layers.conv2d_transpose(
                z, 8, 3, strides=2, padding="same", activation=tf.nn.relu,
                kernel_regularizer=tf.nn.l2_loss,
            )
            return compat_layers.conv2d_transpose(h, 3, 3, padding="same")


keras.saving.register_keras_serializable(package="compat_layers_tests")(Generator)

Z = tf.constant(np.random.RandomState(0).rand(2, 4, 4, 5).astype("float32"))
GENERATOR_PATHS = [
    "generator/conv2d_transpose/kernel",
    "generator/conv2d_transpose/bias",
    "generator/conv2d_transpose_1/kernel",
    "generator/conv2d_transpose_1/bias",
]


class TrackTf1StyleVariablesTest(parameterized.TestCase):
    def test_unnamed_layers_keep_their_names_and_variables_across_calls(self):
        generator = Generator()
        first = generator(Z)
        self.assertEqual([w.path for w in generator.weights], GENERATOR_PATHS)
        np.testing.assert_array_equal(generator(Z), first)
        np.testing.assert_array_equal(tf.function(generator)(Z), first)
        self.assertLen(generator.weights, 4)

    def test_regularization_losses_are_recomputed_each_call(self):
        generator = Generator()
        generator(Z)
        kernel = generator.weights[0]
        self.assertLen(generator.losses, 1)
        np.testing.assert_allclose(generator.losses[0], tf.nn.l2_loss(kernel.value), rtol=1e-6)
        kernel.assign(kernel * 2.0)
        generator(Z)
        np.testing.assert_allclose(generator.losses[0], tf.nn.l2_loss(kernel.value), rtol=1e-6)

    def test_in_functional_and_sequential_models_with_fit(self):
        for model in (
            keras.Sequential([keras.Input((4, 4, 5)), Generator()]),
            keras.Model(*(lambda i: (i, Generator()(i)))(keras.Input((4, 4, 5)))),
        ):
            self.assertEqual([w.path for w in model.weights], GENERATOR_PATHS)
            model.compile(keras.optimizers.Adam(0.01), "mse")
            target = np.zeros((2, 8, 8, 3), "float32")
            history = model.fit(Z.numpy(), target, epochs=4, verbose=0)
            self.assertLess(history.history["loss"][-1], history.history["loss"][0])
            self.assertLen(model.weights, 4)

    def test_checkpoint_and_keras_file_round_trips(self):
        generator = Generator()
        expected = generator(Z).numpy()
        path = tf.train.Checkpoint(g=generator).write(self.create_tempdir().full_path + "/ckpt")
        restored = Generator()
        restored(Z)
        tf.train.Checkpoint(g=restored).read(path).assert_consumed()
        np.testing.assert_allclose(restored(Z), expected, rtol=1e-6)

        model = keras.Sequential([keras.Input((4, 4, 5)), Generator()])
        keras_path = self.create_tempdir().full_path + "/m.keras"
        model.save(keras_path)
        loaded = keras.models.load_model(keras_path)
        np.testing.assert_array_equal(loaded(Z), model(Z))

    def test_nested_decorated_layers(self):
        class Outer(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.inner = Generator()

            @utils.track_tf1_style_variables
            def call(self, z):
                with tf.compat.v1.variable_scope("outer"):
                    return compat_layers.conv2d_transpose(self.inner(z), 2, 1)

        outer = Outer()
        first = outer(Z)
        self.assertCountEqual(
            [w.path for w in outer.weights],
            ["outer/conv2d_transpose/kernel", "outer/conv2d_transpose/bias"]
            + ["outer/" + p for p in GENERATOR_PATHS],
        )
        np.testing.assert_array_equal(outer(Z), first)

    def test_tf_module_owner(self):
        class Module(tf.Module):
            @utils.track_tf1_style_variables
            def __call__(self, x):
                return compat_layers.conv2d_transpose(x, 2, 3, name="up")

        module = Module()
        first = module(Z)
        np.testing.assert_array_equal(module(Z), first)
        self.assertEqual([v.name for v in module.variables], ["up/kernel:0", "up/bias:0"])

    def test_new_variable_after_the_first_call_is_refused(self):
        class Branchy(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x, extra=False):
                y = compat_layers.conv2d_transpose(x, 2, 3, name="a")
                return compat_layers.conv2d_transpose(y, 2, 3, name="b") if extra else y

        layer = Branchy()
        layer(Z)
        with self.assertRaisesRegex(ValueError, "would create the new variable 'b/kernel' after its first call"):
            layer(Z, extra=True)
        self.assertLen(layer.weights, 2)

    def test_a_layer_made_anew_on_every_call_is_refused_on_the_second(self):
        # tf_keras made its variables again on every call and tracked none;
        # here the first call builds and the second says what to do.
        class MadeEachCall(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                return keras.layers.Dense(2, name="per_call")(x)

        layer = MadeEachCall()
        self.assertEqual(layer(tf.ones((1, 3))).shape, (1, 2))
        with self.assertRaisesRegex(ValueError, "creates the variable 'kernel' again on a later call"):
            layer(tf.ones((1, 3)))

    def test_decorating_a_plain_object_is_refused(self):
        class NotALayer:
            @utils.track_tf1_style_variables
            def call(self, x):
                return x

        # TF1's exception type and wording.
        with self.assertRaisesRegex(ValueError, "NotALayer.call was .* which does not extend Module, Layer, or Model"):
            NotALayer().call(Z)

    def test_a_non_callable_custom_getter_raises_tf1s_error(self):
        class WithGetter(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                with tf.compat.v1.variable_scope("s", custom_getter=3):
                    return compat_layers.dense(x, 2)

        with self.assertRaisesRegex(ValueError, "Passed a custom_getter which is not callable: 3"):
            WithGetter()(tf.ones((1, 3)))

    def test_builds_in_a_tf1_graph_as_eagerly(self):
        # The same decorated class in a TF1 graph (beside the original model,
        # as migration test suites build it): graph variables, same names,
        # made once, and the numbers of the eager build.
        eager = Generator()
        eager_output = eager(Z)
        eager_weights = {w.name: w.numpy() for w in eager.weights}
        with tf.Graph().as_default(), tf.compat.v1.Session() as session:
            generator = Generator()
            first, second = generator(tf.constant(Z)), generator(tf.constant(Z))
            names = [v.name for v in tf.compat.v1.global_variables()]
            self.assertEqual(sorted(names), sorted(eager_weights))
            session.run(tf.compat.v1.global_variables_initializer())
            for variable in tf.compat.v1.global_variables():
                variable.load(eager_weights[variable.name], session)
            first, second = session.run([first, second])
        np.testing.assert_allclose(first, eager_output, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(first, second)


class Tf1IdiomsInDecoratedCallsTest(absltest.TestCase):
    """What tests/test_tf1_layer_api.py cannot compare with tf_keras, whose
    decorator failed (tensor initializers in tf.function) or leaked variables
    (a template made in every call)."""

    def test_tensor_initializers_inside_tf_function(self):
        class Initialized(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                w = tf.compat.v1.get_variable("w", initializer=tf.constant([[1.0, 2.0]]))
                noise = tf.compat.v1.get_variable(
                    "noise", initializer=tf.random.truncated_normal([2], stddev=0.1, seed=3))
                return tf.matmul(x, w) + noise

        layer = Initialized()
        traced = tf.function(layer)
        first = traced(tf.ones((1, 1)))
        self.assertEqual([w.name for w in layer.weights], ["w:0", "noise:0"])
        np.testing.assert_array_equal(layer.weights[0].numpy(), [[1.0, 2.0]])
        noise = layer.weights[1].numpy()
        self.assertTrue(np.all(np.abs(noise) <= 0.2), noise)  # truncated at 2 stddev
        np.testing.assert_allclose(first.numpy(), [[1.0, 2.0]] + noise, rtol=1e-6)
        np.testing.assert_array_equal(traced(tf.ones((1, 1))), first)

    def test_an_initializer_from_the_inputs_in_tf_function_says_what_to_do(self):
        class FromInputs(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                return x * tf.compat.v1.get_variable("scale", initializer=tf.reduce_mean(x, axis=0))

        layer = FromInputs()
        with self.assertRaisesRegex(ValueError, "'scale' is computed from the inputs.*Call it eagerly once first"):
            tf.function(layer)(tf.ones((2, 3)))
        self.assertEqual(layer.weights, [])
        layer(tf.fill((2, 3), 2.0))  # eagerly first, as the message says
        np.testing.assert_array_equal(tf.function(layer)(tf.ones((1, 3))), [[2.0, 2.0, 2.0]])

    def test_a_template_made_in_every_call_keeps_the_first_calls_variables(self):
        class TemplateEachCall(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                net = tf.compat.v1.make_template("per_call_net", lambda h: compat_layers.dense(h, 2, name="d"))
                return net(x) + net(x)

        layer = TemplateEachCall()
        first = layer(tf.ones((1, 3)))
        np.testing.assert_array_equal(layer(tf.ones((1, 3))), first)
        self.assertEqual([w.name for w in layer.weights], ["per_call_net/d/kernel:0", "per_call_net/d/bias:0"])

    def test_native_keras_layers_save_under_their_tf1_names(self):
        class WithKerasLayer(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                with tf.compat.v1.variable_scope("block"):
                    inner = utils.get_or_create_layer("inner", lambda: keras.layers.Dense(2, name="inner"))
                    return compat_layers.dense(inner(x), 1, name="out")

        layer = WithKerasLayer(name="owner")
        layer(tf.ones((1, 3)))
        path = utils.save_tf1_checkpoint(layer, self.create_tempdir().full_path + "/ckpt")
        names = {name for name, _ in tf.train.list_variables(path)}
        self.assertEqual(names, {"owner/block/inner/kernel", "owner/block/inner/bias", "block/out/kernel", "block/out/bias"})
        self.assertEqual({w.name.rsplit(":", 1)[0] for w in layer.weights}, names)
        fresh = WithKerasLayer(name="owner")
        fresh(tf.ones((1, 3)))
        report = utils.load_tf1_checkpoint(fresh, path)
        self.assertEqual(set(report.loaded), names)
        np.testing.assert_array_equal(fresh(tf.ones((1, 3))), layer(tf.ones((1, 3))))


class FunctionalHead(keras.layers.Layer):
    """A functional model built in the call, as TF1-era Keras code did."""

    @utils.track_tf1_style_variables
    def call(self, x):
        def build():
            inputs = keras.Input((3,))
            return keras.Model(inputs, keras.layers.Dense(2, name="head")(inputs))

        with tf.compat.v1.variable_scope("block"):
            return utils.get_or_create_layer("model", build)(x)


class FunctionalModelCheckpointTest(absltest.TestCase):
    def test_tf1_checkpoints_use_the_layer_names_tf_keras_gave(self):
        # tf_keras (tests/test_tf1_layer_api.py) named these `head/kernel:0`.
        x = tf.ones((1, 3))
        layer = FunctionalHead(name="owner")
        layer(x)
        path = utils.save_tf1_checkpoint(layer, self.create_tempdir().full_path + "/ckpt")
        self.assertEqual({name for name, _ in tf.train.list_variables(path)}, {"head/kernel", "head/bias"})
        fresh = FunctionalHead(name="owner")
        fresh(x)
        self.assertEqual(utils.load_tf1_checkpoint(fresh, path).loaded, ("head/bias", "head/kernel"))
        np.testing.assert_array_equal(fresh(x), layer(x))


class MixedSites(keras.layers.Layer):
    """Functional sites of every kind: named in a loop, unnamed, one whose
    activation is a new lambda on every call, BN driven by `training`."""

    @utils.track_tf1_style_variables
    def call(self, x, training=False, scale=1.0):
        with tf.compat.v1.variable_scope("body"):
            for i in range(2):
                x = compat_layers.dense(x, 4, activation=tf.nn.relu, name=f"fc{i}")
            x = compat_layers.dense(x, 4)
            x = compat_layers.dense(x, 4, activation=lambda h: scale * h)
            x = compat_layers.batch_normalization(x, training=training)
            return compat_layers.dense(x, 2)


class EagerCallSitesTest(absltest.TestCase):
    """Eager calls after the first reuse the functional wrappers' layers;
    the numbers must be those of the TF1 graph built from the same code."""

    def test_later_eager_calls_give_the_tf1_graphs_numbers(self):
        x = np.random.RandomState(1).rand(3, 5).astype("float32")
        calls = ((True, 1.0), (False, 2.0), (True, 3.0), (False, 1.0))
        with tf.Graph().as_default(), tf.compat.v1.Session() as session:
            model, a = MixedSites(), tf.compat.v1.placeholder(tf.float32, [None, 5])
            t, s = tf.compat.v1.placeholder(tf.bool, []), tf.compat.v1.placeholder(tf.float32, [])
            y = model(a, training=t, scale=s)
            updates = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
            session.run(tf.compat.v1.global_variables_initializer())
            initial = {v.name: session.run(v) for v in tf.compat.v1.global_variables()}
            graph_outputs = [session.run([y] + updates, {a: x, t: tv, s: sv})[0] for tv, sv in calls]
        eager = MixedSites()
        eager(x)  # builds
        self.assertEqual(sorted(w.name for w in eager.weights), sorted(initial))
        self.assertLen(initial, 14)  # 5 dense layers' kernel and bias, BN's four
        for weight in eager.weights:
            weight.assign(initial[weight.name])
        eager_outputs = [eager(x, training=tv, scale=sv).numpy() for tv, sv in calls]
        self.assertLen(eager.weights, 14)
        # Tolerance: a float32 chain of five dense layers and a BN, graph and
        # eager kernels (summation order may differ by a few ULP).
        np.testing.assert_allclose(eager_outputs, graph_outputs, rtol=1e-5, atol=1e-6)

    def test_another_input_shape_is_refused_as_on_the_first_call(self):
        model = MixedSites()
        model(np.ones((2, 5), "float32"))
        model(np.ones((2, 5), "float32"))
        with self.assertRaisesRegex(ValueError, "body/fc0/kernel"):
            model(np.ones((2, 6), "float32"))


class GetOrCreateLayerTest(absltest.TestCase):
    def test_creates_once_and_tracks(self):
        built = []

        class WithHead(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                with tf.compat.v1.variable_scope("model"):
                    head = utils.get_or_create_layer("head", lambda: built.append(1) or keras.layers.Dense(3))
                    return head(tf.reshape(x, (2, -1)))

        layer = WithHead()
        layer(Z)
        layer(Z)
        self.assertEqual(built, [1])
        self.assertLen(layer.weights, 2)

    def test_eager_outside_a_decorated_method_is_refused(self):
        with self.assertRaisesRegex(ValueError, "outside a method decorated"):
            utils.get_or_create_layer("x", keras.layers.Dense)

    def test_tf1_graph_creates_directly(self):
        with tf.Graph().as_default():
            self.assertIsInstance(utils.get_or_create_layer("x", lambda: keras.layers.Dense(2)), keras.layers.Dense)


class LoadTf1CheckpointTest(absltest.TestCase):
    def _tf1_checkpoint(self, shape=(3, 3, 8, 5)):
        path = self.create_tempdir().full_path + "/model"
        with tf.Graph().as_default():
            with tf.compat.v1.variable_scope("generator"):
                tf.compat.v1.get_variable("conv2d_transpose/kernel", shape)
                tf.compat.v1.get_variable("conv2d_transpose/bias", (8,))
            tf.compat.v1.get_variable("global_step", (), tf.int64)
            with tf.compat.v1.Session() as session:
                session.run(tf.compat.v1.global_variables_initializer())
                values = {v.name: session.run(v) for v in tf.compat.v1.global_variables()}
                tf.compat.v1.train.Saver().save(session, path)
        return path, values

    def test_loads_by_tf1_name_and_reports_both_sides(self):
        path, values = self._tf1_checkpoint()
        generator = Generator()
        generator(Z)
        report = utils.load_tf1_checkpoint(generator, path)
        self.assertEqual(report.loaded, ("generator/conv2d_transpose/bias", "generator/conv2d_transpose/kernel"))
        self.assertEqual(report.missing_in_checkpoint, ("generator/conv2d_transpose_1/bias", "generator/conv2d_transpose_1/kernel"))
        self.assertEqual(report.unused_in_checkpoint, ("global_step",))
        np.testing.assert_array_equal(generator.weights[0].numpy(), values["generator/conv2d_transpose/kernel:0"])

    def test_shape_mismatch_changes_nothing(self):
        path, _ = self._tf1_checkpoint(shape=(3, 3, 8, 6))
        generator = Generator()
        generator(Z)
        before = [w.numpy().copy() for w in generator.weights]
        with self.assertRaisesRegex(ValueError, r"generator/conv2d_transpose/kernel: model \(3, 3, 8, 5\) vs checkpoint \(3, 3, 8, 6\)"):
            utils.load_tf1_checkpoint(generator, path)
        for weight, value in zip(generator.weights, before):
            np.testing.assert_array_equal(weight.numpy(), value)

    def test_assignment_map_into_native_keras_layers(self):
        path, values = self._tf1_checkpoint()
        native = keras.layers.Conv2DTranspose(8, 3, name="up")
        native.build((None, 4, 4, 5))
        utils.load_tf1_checkpoint(native, path, assignment_map={
            "generator/conv2d_transpose/kernel": "up/kernel",
            "generator/conv2d_transpose/bias": "up/bias",
        })
        np.testing.assert_array_equal(native.kernel.numpy(), values["generator/conv2d_transpose/kernel:0"])


class DeterministicRandomTestToolTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run(
            [sys.executable, str(REPO_ROOT / "tests/oracle_scripts/deterministic_random_tf1.py")],
            env=env, capture_output=True, text=True, check=True, timeout=300,
        )
        cls.tf1 = json.loads(out.stdout.strip().splitlines()[-1])

    @parameterized.parameters("constant", "num_random_ops")
    def test_keras3_eager_matches_tf1_graph(self, mode):
        tool = utils.DeterministicRandomTestTool(mode=mode)
        with tool.scope():
            layer = keras.layers.Conv2DTranspose(4, 3)
            layer(tf.ones((1, 4, 4, 3)))
            uniform = tf.random.uniform((3,))
            mask = keras.layers.Dropout(0.5)(tf.ones((2, 8)), training=True)
        expected = self.tf1[mode]
        np.testing.assert_allclose(layer.kernel.numpy(), expected["kernel"], rtol=1e-6)
        np.testing.assert_allclose(uniform.numpy(), expected["uniform"], rtol=1e-6)
        np.testing.assert_array_equal(mask.numpy(), expected["dropout"])

    @parameterized.parameters("constant", "num_random_ops")
    def test_decorated_model_eagerly_matches_the_tf1_graph(self, mode):
        # The first eager call makes the variables and runs the random ops
        # in TF1's graph order, so every random op gets TF1's seed.
        class Tf1Model(keras.layers.Layer):
            @utils.track_tf1_style_variables
            def call(self, x):
                glorot = tf.compat.v1.glorot_uniform_initializer
                h = compat_layers.dense(x, 8, tf.nn.relu, kernel_initializer=glorot(), name="fc1")
                h = compat_layers.dropout(h, 0.5, training=True)
                return compat_layers.dense(h, 2, kernel_initializer=glorot(), name="out")

        tool = utils.DeterministicRandomTestTool(mode=mode)
        with tool.scope():
            y = Tf1Model()(tf.reshape(tf.range(12, dtype=tf.float32), (4, 3)) / 12.0)
        # Same kernels and mask; float32 dense layers, graph against eager.
        np.testing.assert_allclose(y.numpy(), self.tf1[mode]["model"], rtol=1e-5, atol=1e-6)

    def test_num_random_ops_refuses_a_reused_seed(self):
        tool = utils.DeterministicRandomTestTool(mode="num_random_ops")
        with tool.scope():
            tf.random.uniform(())
            tool.operation_seed = 0
            with self.assertRaisesRegex(ValueError, "re-use the already-used operation seed 0"):
                tf.random.uniform(())

    def test_unknown_mode(self):
        with self.assertRaisesRegex(ValueError, "Mode arg must be"):
            utils.DeterministicRandomTestTool(mode="random")


if __name__ == "__main__":
    absltest.main()
