"""A small U-Net image-to-image model, written as pix2pix-style repositories did.

Encoder: `conv2d` (stride 2) + `batch_normalization(training=is_training)` +
leaky ReLU; decoder: `conv2d_transpose` + batch norm + dropout, concatenated
with the encoder's skips; the last layer is a `tf.layers.Conv2DTranspose`
object. `is_training` is a shapeless `tf.placeholder(tf.bool)`. The train op
waits on `tf.get_collection(UPDATE_OPS, scope="generator")`. Initial weights
are "pretrained" values from a seeded numpy draw, fed into `tf.assign` ops
through placeholders. A `tf.train.Saver` checkpoint ends the run.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

STEPS = 3
NGF = 4


def lrelu(x, a=0.2):
    with tf.name_scope("lrelu"):
        return (0.5 * (1 + a)) * x + (0.5 * (1 - a)) * tf.abs(x)


def encoder_block(x, filters, is_training, name, batchnorm=True):
    with tf.variable_scope(name):
        x = tf.layers.conv2d(x, filters, 4, strides=2, padding="same",
                             kernel_initializer=tf.random_normal_initializer(0, 0.02))
        if batchnorm:
            x = tf.layers.batch_normalization(x, training=is_training, momentum=0.9)
        return lrelu(x)


def decoder_block(x, skip, filters, is_training, name, dropout=False):
    with tf.variable_scope(name):
        x = tf.layers.conv2d_transpose(tf.nn.relu(x), filters, 4, strides=2, padding="same",
                                       kernel_initializer=tf.random_normal_initializer(0, 0.02))
        x = tf.layers.batch_normalization(x, training=is_training, momentum=0.9)
        if dropout:
            x = tf.layers.dropout(x, rate=0.5, training=is_training, seed=9)
        return tf.concat([x, skip], axis=3)


def generator(images, is_training):
    with tf.variable_scope("generator"):
        e1 = encoder_block(images, NGF, is_training, "encoder_1", batchnorm=False)  # 4x4
        e2 = encoder_block(e1, NGF * 2, is_training, "encoder_2")  # 2x2
        e3 = encoder_block(e2, NGF * 2, is_training, "encoder_3")  # 1x1
        d3 = decoder_block(e3, e2, NGF * 2, is_training, "decoder_3", dropout=True)  # 2x2
        d2 = decoder_block(d3, e1, NGF, is_training, "decoder_2")  # 4x4
        out_layer = tf.layers.Conv2DTranspose(
            3, 4, strides=2, padding="same", name="decoder_1",
            kernel_initializer=tf.random_normal_initializer(0, 0.02))
        return tf.tanh(out_layer(tf.nn.relu(d2))), out_layer


def main():
    tf.set_random_seed(5)
    rng = np.random.RandomState(6)
    inputs_data = np.tanh(rng.normal(size=(2, 8, 8, 3))).astype(np.float32)
    targets_data = np.tanh(2 * np.roll(inputs_data, 1, axis=3)).astype(np.float32)
    workdir = tempfile.mkdtemp(prefix="tf1_unet_")
    try:
        inputs = tf.placeholder(tf.float32, [None, 8, 8, 3], name="inputs")
        targets = tf.placeholder(tf.float32, [None, 8, 8, 3], name="targets")
        is_training = tf.placeholder(tf.bool, name="is_training")
        outputs, out_layer = generator(inputs, is_training)
        gen_loss_l1 = tf.reduce_mean(tf.abs(targets - outputs))

        gen_tvars = [var for var in tf.trainable_variables() if var.name.startswith("generator")]
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="generator")
        with tf.control_dependencies(update_ops):
            gen_optim = tf.train.AdamOptimizer(0.002, 0.5)
            gen_train = gen_optim.minimize(gen_loss_l1, var_list=gen_tvars)

        pretrained = np.random.RandomState(7)
        load_ops, load_feed = [], {}
        for var in sorted(gen_tvars, key=lambda v: v.name):
            value = tf.placeholder(var.dtype.base_dtype, var.get_shape(), name="pretrained")
            load_ops.append(tf.assign(var, value))
            load_feed[value] = pretrained.normal(0, 0.1, var.get_shape().as_list())
        saver = tf.train.Saver(max_to_keep=1)

        steps = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(load_ops, load_feed)
            for _ in range(STEPS):
                _, l1 = sess.run([gen_train, gen_loss_l1], {inputs: inputs_data,
                                                            targets: targets_data,
                                                            is_training: True})
                steps.append({"l1": l1})
            eval_outputs = sess.run(outputs, {inputs: inputs_data, is_training: False})
            path = saver.save(sess, os.path.join(workdir, "model"), global_step=STEPS)
            tf1_report.print_report(sess, steps, extra={
                "update_ops": len(update_ops),
                "eval_outputs": eval_outputs,
                "out_kernel_name": out_layer.kernel.name,
                "out_kernel": out_layer.kernel.eval(),
                "out_kernel_shape": out_layer.kernel.get_shape().as_list(),
                "out_output_shape": outputs.get_shape().as_list(),
                "checkpoint": tf.train.list_variables(path),
            })
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
