"""A tf_slim model in `arg_scope`s, mixed with tf.layers, trained with slim's train op.

As model-zoo code was written: `slim.arg_scope([slim.conv2d, slim.fully_connected], ...)`
sets initializers, an L2 `weights_regularizer` and `slim.batch_norm` as
`normalizer_fn`; one conv uses `tf.layers.batch_normalization` as its
`normalizer_fn` (a common mix), and the tail is `tf.layers` (`conv2d` with
a `kernel_regularizer`, `batch_normalization`, `max_pooling2d`, `dense`).
`is_training` is a shapeless `tf.placeholder(tf.bool)`. The loss is
`tf.losses.get_total_loss()` (with the regularization losses) and
`slim.learning.create_train_op` adds the `UPDATE_OPS`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402
import tf_slim as slim  # noqa: E402

import tf1_report  # noqa: E402

NUM_CLASSES = 3
STEPS = 4


def net(images, is_training, weight_decay=1e-3):
    weights_init = tf.truncated_normal_initializer(stddev=0.1, seed=1)
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_initializer=weights_init,
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                            normalizer_params={"is_training": is_training, "decay": 0.9}):
            end_points = {}
            net = slim.conv2d(images, 4, [3, 3], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.conv2d(net, 8, [3, 3], scope="conv2",
                              normalizer_fn=tf.layers.batch_normalization,
                              normalizer_params={"training": is_training, "momentum": 0.9})
            end_points["conv2"] = net
        with tf.variable_scope("tail"):
            net = tf.layers.conv2d(net, 8, 3, padding="same", use_bias=False,
                                   kernel_initializer=tf.variance_scaling_initializer(seed=2),
                                   kernel_regularizer=slim.l2_regularizer(weight_decay),
                                   name="conv3")
            net = tf.layers.batch_normalization(net, training=is_training, name="conv3_bn")
            net = tf.nn.relu(net)
            net = tf.layers.max_pooling2d(net, 2, 2, name="pool3")
            net = slim.flatten(net)
            net = slim.fully_connected(net, 16, scope="fc4")
            net = slim.dropout(net, 0.8, is_training=is_training, scope="dropout4", seed=4)
            logits = tf.layers.dense(net, NUM_CLASSES,
                                     kernel_initializer=tf.glorot_uniform_initializer(seed=3),
                                     name="logits")
        end_points["logits"] = logits
    return logits, end_points


def main():
    tf.set_random_seed(10)
    rng = np.random.RandomState(4)
    images = rng.uniform(size=(8, 8, 8, 1)).astype(np.float32)
    labels = rng.randint(0, NUM_CLASSES, size=8)

    inputs = tf.placeholder(tf.float32, [None, 8, 8, 1], name="inputs")
    targets = tf.placeholder(tf.int64, [None], name="targets")
    is_training = tf.placeholder(tf.bool, name="is_training")
    logits, end_points = net(inputs, is_training)
    tf.losses.sparse_softmax_cross_entropy(labels=targets, logits=logits)
    total_loss = tf.losses.get_total_loss()
    regularization_loss = tf.losses.get_regularization_loss()
    optimizer = tf.train.MomentumOptimizer(0.05, 0.9)
    train_op = slim.learning.create_train_op(total_loss, optimizer)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), targets), tf.float32))

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            loss_value, reg_value = sess.run(
                [train_op, regularization_loss],
                {inputs: images, targets: labels, is_training: True})
            steps.append({"total_loss": loss_value, "regularization_loss": reg_value})
        eval_logits, eval_accuracy = sess.run([logits, accuracy], {
            inputs: images, targets: labels, is_training: False})
        tf1_report.print_report(sess, steps, extra={
            "end_points": {name: t.get_shape().as_list() for name, t in end_points.items()},
            "model_variables": [v.name for v in slim.get_model_variables()],
            "regularization_losses": [t.op.name for t in
                                      tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)],
            "eval_logits": eval_logits,
            "eval_accuracy": eval_accuracy,
        })


if __name__ == "__main__":
    main()
