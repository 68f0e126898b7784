"""A small convolutional VAE with a custom `tf.layers.Layer`, as TF1 research code had it.

The encoder uses `separable_conv2d`, `conv2d` with dilation and
`average_pooling2d`; `mu` and `log_var` are `tf.layers.dense`, the second with
an `activity_regularizer`; a custom `tf.layers.Layer` subclass makes its own
weights with `add_weight` in `build` (a learned per-channel scale); the
decoder (built twice under `reuse=tf.AUTO_REUSE`) is `dense` + the custom
layer + `conv2d_transpose` with a `kernel_constraint` (which the optimizer
applies after each update). Sampling uses `tf.random_normal` with an op seed.
Trained with `tf.train.AdadeltaOptimizer` on `tf.losses.get_total_loss()`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

LATENT = 2
STEPS = 4


class ChannelScale(tf.layers.Layer):
    """y = x * exp(log_scale), one learned scale per channel."""

    def build(self, input_shape):
        channels = input_shape[-1]
        if hasattr(channels, "value"):
            channels = channels.value
        self.log_scale = self.add_weight("log_scale", shape=[channels],
                                         initializer=tf.constant_initializer(0.1),
                                         trainable=True)
        super(ChannelScale, self).build(input_shape)

    def call(self, inputs):
        return inputs * tf.exp(self.log_scale)


def encoder(x):
    with tf.variable_scope("encoder"):
        h = tf.layers.separable_conv2d(
            x, 4, 3, padding="same", activation=tf.nn.relu,
            depthwise_initializer=tf.glorot_uniform_initializer(seed=1),
            pointwise_initializer=tf.glorot_uniform_initializer(seed=2), name="sep1")
        h = tf.layers.conv2d(h, 4, 3, padding="same", dilation_rate=2, activation=tf.nn.relu,
                             kernel_initializer=tf.glorot_uniform_initializer(seed=3),
                             name="dilated")
        h = tf.layers.average_pooling2d(h, 2, 2, name="pool")
        h = tf.layers.flatten(h)
        mu = tf.layers.dense(h, LATENT, kernel_initializer=tf.glorot_uniform_initializer(seed=4),
                             name="mu")
        log_var = tf.layers.dense(
            h, LATENT, kernel_initializer=tf.glorot_uniform_initializer(seed=5),
            activity_regularizer=lambda t: 1e-3 * tf.reduce_sum(tf.square(t)), name="log_var")
        return mu, log_var


def decoder(z):
    with tf.variable_scope("decoder", reuse=tf.AUTO_REUSE):
        h = tf.layers.dense(z, 2 * 2 * 4, activation=tf.nn.relu,
                            kernel_initializer=tf.glorot_uniform_initializer(seed=6), name="fc")
        h = tf.reshape(h, [-1, 2, 2, 4])
        scale = ChannelScale(name="scale")
        h = scale(h)
        h = tf.layers.conv2d_transpose(
            h, 1, 4, strides=2, padding="same",
            kernel_initializer=tf.glorot_uniform_initializer(seed=7),
            kernel_constraint=lambda w: tf.clip_by_norm(w, 1.0), name="deconv")
        return tf.nn.sigmoid(h), scale


def main():
    tf.set_random_seed(23)
    rng = np.random.RandomState(12)
    images = (rng.uniform(size=(6, 4, 4, 1)) > 0.5).astype(np.float32)

    x = tf.placeholder(tf.float32, [None, 4, 4, 1], name="x")
    mu, log_var = encoder(x)
    eps = tf.random_normal(tf.shape(mu), seed=31)
    z = mu + tf.exp(0.5 * log_var) * eps
    reconstruction, scale = decoder(z)
    generated, _ = decoder(tf.zeros([1, LATENT]))

    recon_loss = tf.reduce_mean(tf.reduce_sum(
        -(x * tf.log(reconstruction + 1e-6) + (1 - x) * tf.log(1 - reconstruction + 1e-6)),
        axis=[1, 2, 3]))
    kl = -0.5 * tf.reduce_mean(tf.reduce_sum(1 + log_var - tf.square(mu) - tf.exp(log_var), 1))
    tf.losses.add_loss(recon_loss)
    tf.losses.add_loss(kl)
    total_loss = tf.losses.get_total_loss()
    train_op = tf.train.AdadeltaOptimizer(1.0).minimize(total_loss)

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            _, loss_value, kl_value = sess.run([train_op, total_loss, kl], {x: images})
            steps.append({"loss": loss_value, "kl": kl_value})
        tf1_report.print_report(sess, steps, extra={
            "scale_weights": [w.name for w in scale.weights],
            "scale_log_scale": sess.run(scale.log_scale),
            "regularization_losses": [t.op.name for t in tf.losses.get_regularization_losses()],
            "losses": [t.op.name for t in tf.losses.get_losses()],
            "generated": sess.run(generated),
            "mu": sess.run(mu, {x: images}),
        })


if __name__ == "__main__":
    main()
