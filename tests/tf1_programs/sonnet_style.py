"""A siamese model from layer objects, in the style of tensorpack/sonnet-era TF1 code.

`tf.layers.Dense` objects are made once in a module's constructor and called
on two inputs (the second call in another name scope), so the two towers
share variables through the objects. The program trains with
`opt.minimize(loss, var_list=<layers' trainable_weights>)`, initialises only
`tf.variables_initializer(<layers' variables>)` (no global initializer), and
round-trips a `tf.train.Saver(var_list=<layers' variables>)`: save, zero the
kernel with `tf.assign`, restore, read back with `sess.run(layer.kernel)`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

STEPS = 4


class Encoder(object):
    """Two dense layers, built on first call, shared by every later call."""

    def __init__(self, hidden_size, output_size, name="encoder"):
        self.name = name
        self.fc1 = tf.layers.Dense(hidden_size, activation=tf.nn.tanh, name=name + "_fc1",
                                   kernel_initializer=tf.glorot_uniform_initializer(seed=1))
        self.fc2 = tf.layers.Dense(output_size, name=name + "_fc2",
                                   kernel_initializer=tf.glorot_uniform_initializer(seed=2),
                                   bias_initializer=tf.constant_initializer(0.05))
        self.layers = [self.fc1, self.fc2]

    def __call__(self, inputs):
        return self.fc2(self.fc1(inputs))

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in layer.trainable_weights]

    @property
    def variables(self):
        return [v for layer in self.layers for v in layer.variables]


def main():
    tf.set_random_seed(21)
    rng = np.random.RandomState(9)
    left = rng.normal(size=(8, 5)).astype(np.float32)
    right = (left + rng.normal(scale=0.5, size=(8, 5))).astype(np.float32)
    right[4:] = rng.normal(size=(4, 5))
    same = np.array([1.] * 4 + [0.] * 4, np.float32).reshape(8, 1)
    workdir = tempfile.mkdtemp(prefix="tf1_sonnet_style_")
    try:
        x_left = tf.placeholder(tf.float32, [None, 5], name="left")
        x_right = tf.placeholder(tf.float32, [None, 5], name="right")
        label = tf.placeholder(tf.float32, [None, 1], name="same")
        encoder = Encoder(6, 3)
        with tf.variable_scope("siamese"):
            with tf.name_scope("tower_left"):
                e_left = encoder(x_left)
            with tf.name_scope("tower_right"):
                e_right = encoder(x_right)
            head = tf.layers.Dense(1, name="head",
                                   kernel_initializer=tf.glorot_uniform_initializer(seed=3))
            logits = head(tf.abs(e_left - e_right))
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=label,
                                                                      logits=logits))
        var_list = encoder.trainable_weights + head.trainable_weights
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss, var_list=var_list)
        init_op = tf.variables_initializer(encoder.variables + head.variables)
        saver = tf.train.Saver(var_list=encoder.variables + head.variables)
        kernel = encoder.fc1.kernel
        zero_kernel = tf.assign(kernel, tf.zeros_like(kernel))

        steps = []
        with tf.Session() as sess:
            sess.run(init_op)
            uninitialized = sess.run(tf.report_uninitialized_variables())
            for _ in range(STEPS):
                _, loss_value = sess.run([train_op, loss], {x_left: left, x_right: right,
                                                            label: same})
                steps.append({"loss": loss_value})
            trained = sess.run(kernel)
            path = saver.save(sess, os.path.join(workdir, "siamese.ckpt"))
            zeroed = sess.run(zero_kernel)
            saver.restore(sess, path)
            restored = sess.run(kernel)
            tf1_report.print_report(sess, steps, extra={
                "uninitialized": uninitialized,
                "kernel_name": kernel.name,
                "kernel_op_name": kernel.op.name,
                "left_op": e_left.op.name,
                "right_op": e_right.op.name,
                "fc1_weights": [w.name for w in encoder.fc1.weights],
                "fc1_non_trainable": [w.name for w in encoder.fc1.non_trainable_weights],
                "layer_names": [layer.name for layer in encoder.layers + [head]],
                "var_list": [v.name for v in var_list],
                "checkpoint": tf.train.list_variables(path),
                "zeroed_sum": float(np.abs(zeroed).sum()),
                "restored_equals_trained": bool(np.array_equal(restored, trained)),
                "embeddings": sess.run(e_left, {x_left: left}),
            })
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
