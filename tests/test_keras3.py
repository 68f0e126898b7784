"""The v1 layers as Keras 3 layers: tracked weights, fit, checkpoints, .keras files.

The TF1 side of each layer is covered by test_parity.py; here the same objects
must also behave as Keras 3 expects.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from tests.parity import compare, oracle, registry


def _capture_variables():
    created = []

    def getter(getter, name, *args, **kwargs):
        variable = getter(name, *args, **kwargs)
        created.append(variable)
        return variable

    return created, tf.compat.v1.variable_scope("", custom_getter=getter)


class TrackingTest(parameterized.TestCase):
    def test_weights_wrap_the_tf1_variables_and_carry_their_names(self):
        created, scope = _capture_variables()
        with scope, tf.compat.v1.variable_scope("gen"):
            layer = compat_layers.Conv2DTranspose(4, 3)
            layer(tf.zeros((1, 4, 4, 2)))
        self.assertEqual([w.path for w in layer.weights], ["gen/conv2d_transpose/kernel", "gen/conv2d_transpose/bias"])
        # TF1 named them `scope/kernel:0`, also eagerly (TF1-era tests read it).
        self.assertEqual([w.name for w in layer.weights],
                         ["gen/conv2d_transpose/kernel:0", "gen/conv2d_transpose/bias:0"])
        self.assertEqual([w.value for w in layer.weights], created)
        self.assertEqual([v.name for v in created], ["gen/conv2d_transpose/kernel:0", "gen/conv2d_transpose/bias:0"])

    def test_frozen_layer_variables_are_not_trainable_anywhere(self):
        layer = compat_layers.Conv2DTranspose(4, 3, trainable=False)
        x = tf.ones((1, 4, 4, 2))
        with tf.GradientTape() as tape:
            y = layer(x)
        self.assertEqual(layer.trainable_weights, [])
        self.assertLen(layer.non_trainable_weights, 2)
        self.assertFalse(layer.kernel.value.trainable)
        self.assertEqual(tape.watched_variables(), ())
        del y

    def test_float16_input_is_not_autocast(self):
        layer = compat_layers.Conv2DTranspose(4, 3)
        y = layer(tf.ones((1, 4, 4, 2), tf.float16))
        self.assertEqual(y.dtype, tf.float16)
        self.assertEqual(layer.kernel.dtype, "float16")

    def test_built_layers_called_eagerly_keep_what_keras_call_gives(self):
        # A built layer called eagerly on its own skips Keras's __call__; in a
        # Keras model it must still get `training` from the outer call, and a
        # subclass's own call (which may add losses) keeps Keras's __call__.
        drop = compat_layers.Dropout(0.5, seed=1)
        x = tf.ones((64, 16))
        np.testing.assert_array_equal(drop(x), x)  # builds
        np.testing.assert_array_equal(drop(x), x)  # the direct eager call

        class Outer(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.drop = drop

            def call(self, inputs, training=None):
                return self.drop(inputs)  # Keras hands it `training`

        dropped = Outer()(x, training=True)
        self.assertGreater(int(tf.reduce_sum(tf.cast(dropped == 0, tf.int32))), 0)

        class WithLoss(compat_layers.Dense):
            def call(self, inputs):
                self.add_loss(tf.reduce_sum(inputs))
                return super().call(inputs)

        layer = WithLoss(2)
        for _ in range(3):
            layer(tf.ones((1, 3)))
        self.assertLen(layer.losses, 1)  # Keras clears them on every call

    def test_channels_last_default_ignores_keras_image_data_format(self):
        keras.config.set_image_data_format("channels_first")
        try:
            layer = compat_layers.Conv2DTranspose(4, 3)
        finally:
            keras.config.set_image_data_format("channels_last")
        self.assertEqual(layer.data_format, "channels_last")


class KerasModelTest(parameterized.TestCase):
    def _model(self):
        inputs = keras.Input((6, 6, 3))
        x = compat_layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(inputs)
        outputs = compat_layers.Conv2DTranspose(2, 3, padding="same")(x)
        return keras.Model(inputs, outputs)

    def test_fit_trains_the_tf1_variables(self):
        model = self._model()
        rng = np.random.RandomState(0)
        x, y = rng.rand(16, 6, 6, 3).astype("float32"), rng.rand(16, 12, 12, 2).astype("float32")
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        before = [w.value.numpy().copy() for w in model.weights]
        history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
        self.assertLess(history.history["loss"][-1], history.history["loss"][0])
        # The tf.Variables from get_variable are the ones that moved.
        for weight, old in zip(model.weights, before):
            self.assertFalse(np.array_equal(weight.value.numpy(), old), weight.path)

    def test_keras_file_round_trip(self):
        model = self._model()
        path = self.create_tempdir().full_path + "/model.keras"
        model.save(path)
        loaded = keras.models.load_model(path)
        x = np.random.RandomState(1).rand(2, 6, 6, 3).astype("float32")
        self.assertIsInstance(loaded.layers[1], compat_layers.Conv2DTranspose)
        np.testing.assert_array_equal(loaded(x), model(x))

    def test_tf_train_checkpoint_round_trip(self):
        layer = compat_layers.Conv2DTranspose(4, 3)
        x = tf.ones((1, 4, 4, 2))
        expected = layer(x).numpy()
        path = tf.train.Checkpoint(layer=layer).write(self.create_tempdir().full_path + "/ckpt")
        for weight in layer.weights:
            weight.assign(tf.zeros_like(weight))
        tf.train.Checkpoint(layer=layer).read(path).assert_consumed()
        np.testing.assert_array_equal(layer(x).numpy(), expected)

    def test_layer_called_in_tf_function(self):
        layer = compat_layers.Conv2DTranspose(4, 3, strides=2)
        step = tf.function(lambda x: layer(x))
        x = tf.ones((2, 4, 4, 3))
        np.testing.assert_allclose(step(x), layer(x), rtol=1e-6)
        self.assertLen(layer.weights, 2)


class WithoutOneDnnTest(parameterized.TestCase):
    """Keras 3's own conv_transpose fails for these without oneDNN; ours must not."""

    @parameterized.product(case_name=("channels_first", "dilation"), mode=("graph", "eager"))
    def test_matches_tf1_with_onednn_disabled(self, case_name, mode):
        no_onednn = oracle.get_worker("compat", extra_env=(("TF_ENABLE_ONEDNN_OPTS", "0"),))
        theirs = oracle.get_worker("legacy").run(case_name, mode)
        compare.assert_same_behaviour(
            no_onednn.run(case_name, mode), theirs, registry.CASES_BY_NAME[case_name], "tf_keras legacy"
        )


if __name__ == "__main__":
    absltest.main()
