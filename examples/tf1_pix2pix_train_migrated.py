"""A tiny pix2pix, written the TF1 way: placeholders, tf.layers, a Session.

This is TF1 code as old repositories have it (the pix2pix / DCGAN style):
`import tensorflow.compat.v1 as tf`, a graph built with `tf.layers.conv2d`,
`tf.layers.conv2d_transpose`, `tf.layers.batch_normalization`,
`tf.layers.dropout` and `tf.layers.dense` in variable scopes with
`reuse=tf.AUTO_REUSE`, the generator's batch-norm updates from `UPDATE_OPS`,
`tf.train.AdamOptimizer` and a `tf.train.Saver`. The generator is a small
U-Net (16x16 RGB -> 16x16 RGB) trained with pix2pix's losses (L1 plus a GAN
loss from a small discriminator called on real and generated pairs) on fixed
synthetic data, so every run with the same arguments gives the same numbers.

It does not import compat_layers. On TensorFlow 2.16+ (Keras 3) `tf.layers`
is gone, so run it either under `compat_layers.install()`:

    COMPAT_LAYERS_INSTALL=1 python examples/tf1_pix2pix_train.py   # compat-layers pip-installed
    python -c "import compat_layers, runpy, sys; compat_layers.install(); \\
        sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')" \\
        examples/tf1_pix2pix_train.py --steps 20

or on TF1's own layers (tf_keras's legacy layers) with `TF_USE_LEGACY_KERAS=1`.
`examples/tf1_pix2pix_train_migrated.py` is this file after
`compat-layers migrate --write`; it runs without `install()`.

It prints the trainable variables and the losses of every step, saves a
checkpoint at the end (`--checkpoint-dir`), and with `--report PATH` writes
a JSON report: variable names, shapes and checksums of their final values,
and the losses.
"""

import argparse
import hashlib
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
import compat_layers

SEED = 1234
BATCH_SIZE = 4
NUM_IMAGES = 16
IMAGE_SIZE = 16
CHANNELS = 3
NGF = 8  # generator filters in the first layer
NDF = 8  # discriminator filters in the first layer
LEARNING_RATE = 0.002
BETA1 = 0.5
L1_WEIGHT = 100.0
GAN_WEIGHT = 1.0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="training steps")
    parser.add_argument("--checkpoint-dir", default=None,
                        help="where the Saver writes the final checkpoint (default: none)")
    parser.add_argument("--report", default=None, help="write a JSON report to this path")
    return parser.parse_args(argv)


def make_dataset():
    """Fixed synthetic (input, target) image pairs in [-1, 1].

    The inputs are smooth random images (4x4 noise, upsampled); each target is
    a fixed function of its input (colour channels rolled, contrast raised),
    so the generator has something to learn.
    """
    rng = np.random.RandomState(SEED)
    coarse = rng.normal(size=(NUM_IMAGES, IMAGE_SIZE // 4, IMAGE_SIZE // 4, CHANNELS))
    inputs = np.tanh(np.kron(coarse, np.ones((1, 4, 4, 1))))
    targets = np.tanh(2.0 * np.roll(inputs, 1, axis=3))
    return inputs.astype(np.float32), targets.astype(np.float32)


def lrelu(x, a=0.2):
    return tf.maximum(a * x, x)


def conv(x, filters, name):
    return compat_layers.conv2d(x, filters, 4, strides=2, padding="same",
                                kernel_initializer=tf.random_normal_initializer(0, 0.02),
                                name=name)


def deconv(x, filters, name):
    return compat_layers.conv2d_transpose(x, filters, 4, strides=2, padding="same",
                                          kernel_initializer=tf.random_normal_initializer(0, 0.02),
                                          name=name)


def batchnorm(x, is_training, name):
    return compat_layers.batch_normalization(x, axis=3, epsilon=1e-5, momentum=0.9,
                                             training=is_training,
                                             gamma_initializer=tf.random_normal_initializer(1.0, 0.02),
                                             name=name)


def generator(inputs, is_training):
    """U-Net: 16x16 -> 8x8 -> 4x4 -> 2x2 -> 4x4 -> 8x8 -> 16x16, with skips."""
    with tf.variable_scope("generator", reuse=tf.AUTO_REUSE):
        e1 = conv(inputs, NGF, "encoder_1")                                     # 8x8
        e2 = batchnorm(conv(lrelu(e1), NGF * 2, "encoder_2"), is_training, "encoder_2_bn")  # 4x4
        e3 = batchnorm(conv(lrelu(e2), NGF * 4, "encoder_3"), is_training, "encoder_3_bn")  # 2x2

        d3 = batchnorm(deconv(tf.nn.relu(e3), NGF * 2, "decoder_3"), is_training, "decoder_3_bn")
        d3 = compat_layers.dropout(d3, rate=0.5, training=is_training)               # 4x4
        d2 = batchnorm(deconv(tf.nn.relu(tf.concat([d3, e2], axis=3)), NGF, "decoder_2"),
                       is_training, "decoder_2_bn")
        d2 = compat_layers.dropout(d2, rate=0.5, training=is_training)               # 8x8
        d1 = deconv(tf.nn.relu(tf.concat([d2, e1], axis=3)), CHANNELS, "decoder_1")
        return tf.tanh(d1)                                                       # 16x16


def discriminator(inputs, targets, is_training):
    """Real/fake logit for an (input, target) pair; called twice, one set of variables."""
    with tf.variable_scope("discriminator", reuse=tf.AUTO_REUSE):
        h = lrelu(conv(tf.concat([inputs, targets], axis=3), NDF, "layer_1"))      # 8x8
        h = lrelu(batchnorm(conv(h, NDF * 2, "layer_2"), is_training, "layer_2_bn"))  # 4x4
        return compat_layers.dense(compat_layers.flatten(h), 1,
                                   kernel_initializer=tf.random_normal_initializer(0, 0.02),
                                   name="logit")


def build_model():
    inputs = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, CHANNELS], name="inputs")
    targets = tf.placeholder(tf.float32, [None, IMAGE_SIZE, IMAGE_SIZE, CHANNELS], name="targets")
    is_training = tf.placeholder(tf.bool, [], name="is_training")

    outputs = generator(inputs, is_training)
    predict_real = discriminator(inputs, targets, is_training)
    predict_fake = discriminator(inputs, outputs, is_training)

    def sigmoid_xent(logits, label):
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.fill(tf.shape(logits), label), logits=logits))

    discrim_loss = sigmoid_xent(predict_real, 1.0) + sigmoid_xent(predict_fake, 0.0)
    gen_loss_gan = sigmoid_xent(predict_fake, 1.0)
    gen_loss_l1 = tf.reduce_mean(tf.abs(targets - outputs))
    gen_loss = GAN_WEIGHT * gen_loss_gan + L1_WEIGHT * gen_loss_l1

    discrim_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
    gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
    global_step = tf.train.get_or_create_global_step()
    discrim_train = tf.train.AdamOptimizer(LEARNING_RATE, BETA1).minimize(
        discrim_loss, var_list=discrim_vars)
    # Only the generator runs at inference, on batch norm's moving averages:
    # their updates run with each generator step. (The discriminator's two
    # calls add two updates of the same moving averages, which would race each
    # other within one session run.)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    gen_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS, scope="generator")
    with tf.control_dependencies(gen_update_ops):
        gen_train = tf.train.AdamOptimizer(LEARNING_RATE, BETA1).minimize(
            gen_loss, var_list=gen_vars, global_step=global_step)

    return {
        "inputs": inputs, "targets": targets, "is_training": is_training, "outputs": outputs,
        "discrim_loss": discrim_loss, "gen_loss_gan": gen_loss_gan, "gen_loss_l1": gen_loss_l1,
        "discrim_train": discrim_train, "gen_train": gen_train, "update_ops": update_ops,
        "gen_update_ops": gen_update_ops,
    }


def checksum(value):
    return hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tf.disable_eager_execution()
    np.random.seed(SEED)
    inputs, targets = make_dataset()

    with tf.Graph().as_default():
        tf.set_random_seed(SEED)
        model = build_model()
        saver = tf.train.Saver(max_to_keep=1)

        print("trainable variables:")
        for variable in tf.trainable_variables():
            print("  %-42s %s" % (variable.name, variable.shape.as_list()))
        print("update ops: %d (generator: %d)"
              % (len(model["update_ops"]), len(model["gen_update_ops"])))

        # One thread: the same graph gives the same numbers, run after run.
        config = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
        losses = []
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(args.steps):
                start = (step * BATCH_SIZE) % NUM_IMAGES
                feed = {model["inputs"]: inputs[start:start + BATCH_SIZE],
                        model["targets"]: targets[start:start + BATCH_SIZE],
                        model["is_training"]: True}
                discrim_loss, _ = sess.run([model["discrim_loss"], model["discrim_train"]], feed)
                gan, l1, _ = sess.run(
                    [model["gen_loss_gan"], model["gen_loss_l1"], model["gen_train"]], feed)
                losses.append([float(discrim_loss), float(gan), float(l1)])
                print("step %3d  discrim_loss %.6f  gen_loss_gan %.6f  gen_loss_l1 %.6f"
                      % (step + 1, discrim_loss, gan, l1))

            # Inference: batch norm's moving averages, no dropout.
            eval_l1 = float(sess.run(model["gen_loss_l1"], {
                model["inputs"]: inputs, model["targets"]: targets, model["is_training"]: False}))
            print("eval gen_loss_l1 %.6f" % eval_l1)

            variables = tf.global_variables()
            trainable = [v.name for v in tf.trainable_variables()]
            update_ops = [len(model["update_ops"]), len(model["gen_update_ops"])]
            values = sess.run(variables)
            if args.checkpoint_dir:
                path = saver.save(sess, os.path.join(args.checkpoint_dir, "model"),
                                  global_step=tf.train.get_global_step())
                print("saved %s" % path)

    report = {
        "tensorflow": tf.__version__,
        "layers": compat_layers.conv2d.__module__,
        "steps": args.steps,
        "trainable_variables": trainable,
        "update_ops": update_ops,
        "variables": [
            {"name": v.name, "shape": v.shape.as_list(), "sha256": checksum(value),
             "sum": float(np.sum(value, dtype=np.float64))}
            for v, value in zip(variables, values)
        ],
        "losses": losses,
        "eval_l1": eval_l1,
    }
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1)
    return report


if __name__ == "__main__":
    main()
