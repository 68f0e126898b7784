"""Weight normalisation on top of tf.layers objects, as generative-model code did it.

`tf.layers.Dense` and `tf.layers.Conv2D` objects are built with
`layer.build(x.get_shape())`; their `layer.kernel` is then normalised by hand
(`g * v / ||v||`, a `g` from `tf.get_variable` in the layer's own scope) and
used with `tf.matmul` / `tf.nn.conv2d` plus `layer.bias`. A data-dependent
initialisation assigns `g` and `layer.bias` with `tf.assign`. A called
`tf.layers.Dense` gets an orthogonality penalty on its `kernel`. The program
reads `layer.kernel` the ways TF1 code did: `sess.run`, `.eval()`, `.name`,
`.op.name`, `.get_shape()`, `.initializer` (re-running it resets the kernel).
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

STEPS = 4


class WeightNormDense(object):
    def __init__(self, units, name, activation=None, seed=None):
        self.layer = tf.layers.Dense(
            units, name=name,
            kernel_initializer=tf.random_normal_initializer(0., 0.05, seed=seed))
        self.units, self.name, self.activation = units, name, activation

    def __call__(self, x):
        self.layer.build(x.get_shape())
        with tf.variable_scope(self.name):
            self.g = tf.get_variable("g", [self.units], initializer=tf.ones_initializer())
        v = self.layer.kernel
        w = self.g * v / tf.sqrt(tf.reduce_sum(tf.square(v), axis=0))
        self.pre_activation = tf.matmul(x, w) + self.layer.bias
        if self.activation is None:
            return self.pre_activation
        return self.activation(self.pre_activation)

    def data_dependent_init(self, init_scale=1.0):
        mean, variance = tf.nn.moments(self.pre_activation, [0])
        scale = init_scale / tf.sqrt(variance + 1e-10)
        return [tf.assign(self.g, self.g * scale),
                tf.assign(self.layer.bias, (self.layer.bias - mean) * scale)]


def wn_conv2d(x, filters, name, seed):
    conv = tf.layers.Conv2D(filters, 3, padding="same", name=name,
                            kernel_initializer=tf.random_normal_initializer(0., 0.05, seed=seed))
    conv.build(x.get_shape())
    with tf.variable_scope(name):
        g = tf.get_variable("g", [filters], initializer=tf.ones_initializer())
    v = conv.kernel
    w = g * tf.nn.l2_normalize(v, [0, 1, 2])
    return tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + conv.bias), conv


def main():
    tf.set_random_seed(3)
    rng = np.random.RandomState(1)
    images = rng.normal(size=(6, 6, 6, 2)).astype(np.float32)
    targets = rng.normal(size=(6, 3)).astype(np.float32)

    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    y = tf.placeholder(tf.float32, [None, 3], name="y")
    h, conv = wn_conv2d(x, 4, "wn_conv", seed=1)
    h = tf.reduce_mean(h, axis=[1, 2])
    wn = WeightNormDense(8, "wn_dense", activation=tf.nn.elu, seed=2)
    h = wn(h)
    head = tf.layers.Dense(3, name="head",
                           kernel_initializer=tf.orthogonal_initializer(seed=3))
    out = head(h)
    ortho = tf.reduce_sum(tf.square(tf.matmul(head.kernel, head.kernel, transpose_a=True)
                                    - tf.eye(3)))
    loss = tf.reduce_mean(tf.square(out - y)) + 0.01 * ortho
    train_op = tf.train.RMSPropOptimizer(0.01).minimize(loss)

    dense_kernel = wn.layer.kernel
    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        initial_kernel = sess.run(dense_kernel)
        sess.run(wn.data_dependent_init(), {x: images})
        for _ in range(STEPS):
            _, loss_value, ortho_value = sess.run([train_op, loss, ortho], {x: images, y: targets})
            steps.append({"loss": loss_value, "ortho": ortho_value})
        trained_kernel = dense_kernel.eval()
        sess.run(dense_kernel.initializer)
        reset_kernel = sess.run(dense_kernel)
        sess.run(tf.assign(dense_kernel, trained_kernel))
        tf1_report.print_report(sess, steps, extra={
            "kernel_name": dense_kernel.name,
            "kernel_op_name": dense_kernel.op.name,
            "kernel_shape": dense_kernel.get_shape().as_list(),
            "kernel_is_global_variable": [v is dense_kernel for v in tf.global_variables()],
            "kernel_in_trainable_variables": dense_kernel in tf.trainable_variables(),
            "conv_weights": [w.name for w in conv.weights],
            "conv_kernel_shape": conv.kernel.get_shape().as_list(),
            "head_trainable_weights": [w.name for w in head.trainable_weights],
            "built": [conv.built, wn.layer.built, head.built],
            "initial_kernel": initial_kernel,
            "reset_equals_initial": bool(np.array_equal(reset_kernel, initial_kernel)),
            "trained_kernel": trained_kernel,
            "output": sess.run(out, {x: images}),
        })


if __name__ == "__main__":
    main()
