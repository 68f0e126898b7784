"""A TF1-style deconvolution generator, trained with and without a Session.

This example shows that TF1 code written against `tf.compat.v1.layers` runs
unchanged on TensorFlow 2.16+ (Keras 3) once `tf.compat.v1.layers` is replaced
by `compat_layers`:

1. **TF1 graph + Session.** A tiny DCGAN-like generator (a latent tensor of
   shape (batch, 4, 4, 16) -> two `conv2d_transpose` calls with strides 2 ->
   an image of shape (batch, 16, 16, 3)) is built with the functional
   `compat_layers.conv2d_transpose` inside
   `tf.compat.v1.variable_scope("generator")`, fed through placeholders and
   trained with `tf.compat.v1.train.AdamOptimizer` to reproduce a fixed random
   target image (L2 loss). The variables carry their TF1 names
   (`generator/deconv1/kernel:0`, ...) and sit in the TF1 collections. Each
   `conv2d_transpose` call warns that `tf.layers.conv2d_transpose` is
   deprecated, as TF1 did.

2. **Eager + tf.function.** The same generator made of
   `compat_layers.Conv2DTranspose` objects (created once) is trained with
   `tf.GradientTape` and a Keras 3 optimizer (`tf.keras.optimizers.Adam`)
   inside a `tf.function` train step. The layers keep their TF1 variable
   scopes (`layer.scope_name`) and their weights' Keras paths are the TF1
   variable names.

Both runs check that the loss went down (by at least 10%) and raise
`AssertionError` otherwise, so the script exits non-zero if training is
broken. Run it from the repository root:

    python examples/tf1_deconv_generator.py
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import compat_layers  # noqa: E402

SEED = 1234
BATCH = 4
LATENT_SHAPE = (BATCH, 4, 4, 16)  # (batch, height, width, channels)
IMAGE_SHAPE = (BATCH, 16, 16, 3)
STEPS = 30
LEARNING_RATE = 0.01


def check_decreased(run, first, last):
    """Fails loudly (even under `python -O`) unless the loss went down by 10%."""
    if not last < 0.9 * first:
        raise AssertionError(f"{run}: the loss did not decrease: {first} -> {last}")


def make_data():
    """A fixed latent batch and a fixed random target image batch in [-0.9, 0.9]."""
    rng = np.random.RandomState(SEED)
    latent = rng.normal(size=LATENT_SHAPE).astype(np.float32)
    target = rng.uniform(-0.9, 0.9, size=IMAGE_SHAPE).astype(np.float32)
    return latent, target


def generator(z):
    """TF1 generator: (batch, 4, 4, 16) -> (batch, 8, 8, 32) -> (batch, 16, 16, 3)."""
    with tf.compat.v1.variable_scope("generator"):
        h = compat_layers.conv2d_transpose(
            z, 32, 5, strides=2, padding="same", activation=tf.nn.relu, name="deconv1"
        )
        return compat_layers.conv2d_transpose(
            h, 3, 5, strides=2, padding="same", activation=tf.nn.tanh, name="deconv2"
        )


def train_in_session(latent, target):
    """Part 1: build a TF1 graph with placeholders and train it in a Session."""
    print("=== 1. TF1 graph + tf.compat.v1.Session ===")
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(SEED)
        z = tf.compat.v1.placeholder(tf.float32, [None, *LATENT_SHAPE[1:]], name="z")
        x = tf.compat.v1.placeholder(tf.float32, [None, *IMAGE_SHAPE[1:]], name="x")
        fake = generator(z)
        loss = tf.reduce_mean(tf.square(fake - x))
        train_op = tf.compat.v1.train.AdamOptimizer(LEARNING_RATE).minimize(loss)

        print(f"generator output: {fake.name} {fake.shape}")
        print("trainable variables:")
        for variable in tf.compat.v1.trainable_variables():
            print(f"  {variable.name:28s} {variable.shape}")

        feed = {z: latent, x: target}
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            first = sess.run(loss, feed)
            for _ in range(STEPS):
                sess.run(train_op, feed)
            last = sess.run(loss, feed)
    print(f"loss: start {first:.5f} -> end {last:.5f} after {STEPS} Adam steps")
    check_decreased("TF1 graph + Session", first, last)
    return first, last


def train_eagerly(latent, target):
    """Part 2: the same generator as layer objects, trained eagerly."""
    print("=== 2. Eager: Conv2DTranspose objects + GradientTape + tf.function ===")
    tf.random.set_seed(SEED)
    # Created once; each keeps its variables (no reuse= needed in eager mode).
    deconv1 = compat_layers.Conv2DTranspose(
        32, 5, strides=2, padding="same", activation=tf.nn.relu, name="deconv1"
    )
    deconv2 = compat_layers.Conv2DTranspose(
        3, 5, strides=2, padding="same", activation=tf.nn.tanh, name="deconv2"
    )

    def generate(z):
        with tf.compat.v1.variable_scope("generator"):
            return deconv2(deconv1(z))

    def loss_fn(z, x):
        return tf.reduce_mean(tf.square(generate(z) - x))

    z = tf.constant(latent)
    x = tf.constant(target)
    first = float(loss_fn(z, x))  # the first call builds the layers
    layers = (deconv1, deconv2)
    weights = [w for layer in layers for w in layer.trainable_weights]
    optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)

    @tf.function
    def train_step(z, x):
        with tf.GradientTape() as tape:
            loss = loss_fn(z, x)
        gradients = tape.gradient(loss, weights)
        optimizer.apply_gradients(zip(gradients, weights))
        return loss

    for _ in range(STEPS):
        train_step(z, x)
    last = float(loss_fn(z, x))

    for layer in layers:
        print(f"layer {layer.name!r}: scope_name={layer.scope_name!r}")
        for weight in layer.weights:
            print(f"  {weight.path:28s} {tuple(weight.shape)}")
    print(f"loss: start {first:.5f} -> end {last:.5f} after {STEPS} Adam steps")
    check_decreased("eager + tf.function", first, last)
    return first, last


def main():
    print(f"TensorFlow {tf.__version__}, compat_layers {compat_layers.__version__}")
    latent, target = make_data()
    train_in_session(latent, target)
    train_eagerly(latent, target)
    print("OK: the loss decreased in both runs.")


if __name__ == "__main__":
    main()
