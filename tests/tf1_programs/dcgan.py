"""A DCGAN on 8x8 one-channel images, written as DCGAN repositories did.

Generator: dense projection, batch norm, two `conv2d_transpose`; discriminator:
two `conv2d`, batch norm, `flatten`, `dense`, called on real and fake images
in one batch; a sampler rebuilds the generator with `reuse=True` and
`training=False`. Batch norm's `training` is a shapeless
`tf.placeholder(tf.bool)`; both optimizers run under
`tf.control_dependencies(UPDATE_OPS)`; variables are split by name; every
variable gets a `tf.summary.histogram(v.op.name, v)`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

BATCH_SIZE = 4
Z_DIM = 8
STEPS = 3


def lrelu(x, leak=0.2, name="lrelu"):
    return tf.maximum(x, leak * x, name=name)


def weights(seed):
    return tf.truncated_normal_initializer(stddev=0.02, seed=seed)


def generator(z, is_training, reuse=False):
    with tf.variable_scope("generator", reuse=reuse):
        h0 = tf.layers.dense(z, 2 * 2 * 16, kernel_initializer=weights(1), name="g_h0_lin")
        h0 = tf.reshape(h0, [-1, 2, 2, 16])
        h0 = tf.nn.relu(tf.layers.batch_normalization(h0, momentum=0.9, epsilon=1e-5,
                                                      training=is_training, name="g_bn0"))
        h1 = tf.layers.conv2d_transpose(h0, 8, 5, strides=2, padding="same",
                                        kernel_initializer=weights(2), name="g_h1")
        h1 = tf.nn.relu(tf.layers.batch_normalization(h1, momentum=0.9, epsilon=1e-5,
                                                      training=is_training, name="g_bn1"))
        h2 = tf.layers.conv2d_transpose(h1, 1, 5, strides=2, padding="same",
                                        kernel_initializer=weights(3), name="g_h2")
        return tf.nn.tanh(h2)


def discriminator(image, is_training, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        h0 = lrelu(tf.layers.conv2d(image, 8, 5, strides=2, padding="same",
                                    kernel_initializer=weights(4), name="d_h0_conv"))
        h1 = tf.layers.conv2d(h0, 16, 5, strides=2, padding="same",
                              kernel_initializer=weights(5), name="d_h1_conv")
        h1 = lrelu(tf.layers.batch_normalization(h1, momentum=0.9, epsilon=1e-5,
                                                 training=is_training, name="d_bn1"))
        h2 = tf.layers.dense(tf.layers.flatten(h1), 1, kernel_initializer=weights(6),
                             name="d_h2_lin")
        return tf.nn.sigmoid(h2), h2


def main():
    tf.set_random_seed(42)
    rng = np.random.RandomState(0)
    data = np.tanh(rng.normal(size=(STEPS, BATCH_SIZE, 8, 8, 1))).astype(np.float32)
    noise = rng.uniform(-1, 1, size=(STEPS, BATCH_SIZE, Z_DIM)).astype(np.float32)
    sample_z = rng.uniform(-1, 1, size=(BATCH_SIZE, Z_DIM)).astype(np.float32)

    inputs = tf.placeholder(tf.float32, [BATCH_SIZE, 8, 8, 1], name="real_images")
    z = tf.placeholder(tf.float32, [None, Z_DIM], name="z")
    is_training = tf.placeholder(tf.bool, name="is_training")

    G = generator(z, is_training)
    # Real and fake images go through the discriminator as one batch: one
    # moving-average update per batch-norm variable and step. (Two calls would
    # give d_bn1 two updates racing on one ref variable in every step.)
    D_all, D_logits_all = discriminator(tf.concat([inputs, G], 0), is_training)
    D, D_ = tf.split(D_all, 2)
    D_logits, D_logits_ = tf.split(D_logits_all, 2)
    sampler = generator(z, False, reuse=True)

    def sigmoid_cross_entropy_with_logits(x, y):
        return tf.nn.sigmoid_cross_entropy_with_logits(logits=x, labels=y)

    d_loss_real = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits, tf.ones_like(D)))
    d_loss_fake = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits_, tf.zeros_like(D_)))
    g_loss = tf.reduce_mean(sigmoid_cross_entropy_with_logits(D_logits_, tf.ones_like(D_)))
    d_loss = d_loss_real + d_loss_fake

    t_vars = tf.trainable_variables()
    d_vars = [var for var in t_vars if "d_" in var.name]
    g_vars = [var for var in t_vars if "g_" in var.name]

    for var in t_vars:
        tf.summary.histogram(var.op.name, var)
    tf.summary.scalar("d_loss", d_loss)
    tf.summary.scalar("g_loss", g_loss)
    summary_op = tf.summary.merge_all()

    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        d_optim = tf.train.AdamOptimizer(0.002, beta1=0.5).minimize(d_loss, var_list=d_vars)
        g_optim = tf.train.AdamOptimizer(0.002, beta1=0.5).minimize(g_loss, var_list=g_vars)

    steps = []
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for step in range(STEPS):
            feed = {inputs: data[step], z: noise[step], is_training: True}
            _, err_d = sess.run([d_optim, d_loss], feed_dict=feed)
            _, err_g = sess.run([g_optim, g_loss], feed_dict=feed)
            steps.append({"d_loss": err_d, "g_loss": err_g})
        samples, d_fake = sess.run([G, D_], feed_dict={inputs: data[0], z: sample_z,
                                                       is_training: False})
        sampler_samples = sess.run(sampler, feed_dict={z: sample_z})
        summary = tf.Summary.FromString(sess.run(summary_op, feed_dict={
            inputs: data[0], z: sample_z, is_training: False}))
        tf1_report.print_report(sess, steps, extra={
            "d_vars": [v.op.name for v in d_vars],
            "g_vars": [v.op.name for v in g_vars],
            "summary_tags": [value.tag for value in summary.value],
            "samples": samples,
            "sampler_samples": sampler_samples,
            "d_fake": d_fake,
        })


if __name__ == "__main__":
    main()
