"""A tiny pre-activation ResNet, written as the official TF1 model garden did.

`fixed_padding` and `conv2d_fixed_padding` around `tf.layers.conv2d` (no bias,
`variance_scaling_initializer`), `tf.layers.batch_normalization(fused=True,
momentum=0.997, epsilon=1e-5)`, projection shortcuts, `max_pooling2d`,
`average_pooling2d`, global average pooling and `tf.layers.dense` logits.
Weight decay is `tf.nn.l2_loss` over the trainable variables whose name has
no "batch_normalization"; `minimize` and `UPDATE_OPS` are grouped; the
learning rate is `tf.train.piecewise_constant` of the global step. `training`
is a bool `tf.Variable`, switched off with `Variable.load` for evaluation.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

_BATCH_NORM_DECAY = 0.997
_BATCH_NORM_EPSILON = 1e-5
NUM_CLASSES = 4
STEPS = 4


def batch_norm(inputs, training, data_format):
    return tf.layers.batch_normalization(
        inputs=inputs, axis=1 if data_format == "channels_first" else 3,
        momentum=_BATCH_NORM_DECAY, epsilon=_BATCH_NORM_EPSILON, center=True,
        scale=True, training=training, fused=True)


def fixed_padding(inputs, kernel_size, data_format):
    pad_total = kernel_size - 1
    pad_beg = pad_total // 2
    pad_end = pad_total - pad_beg
    if data_format == "channels_first":
        return tf.pad(inputs, [[0, 0], [0, 0], [pad_beg, pad_end], [pad_beg, pad_end]])
    return tf.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])


def conv2d_fixed_padding(inputs, filters, kernel_size, strides, data_format, seed):
    if strides > 1:
        inputs = fixed_padding(inputs, kernel_size, data_format)
    return tf.layers.conv2d(
        inputs=inputs, filters=filters, kernel_size=kernel_size, strides=strides,
        padding=("SAME" if strides == 1 else "VALID"), use_bias=False,
        kernel_initializer=tf.variance_scaling_initializer(seed=seed),
        data_format=data_format)


def building_block_v2(inputs, filters, training, projection_shortcut, strides, data_format,
                      seed):
    shortcut = inputs
    inputs = batch_norm(inputs, training, data_format)
    inputs = tf.nn.relu(inputs)
    if projection_shortcut is not None:
        shortcut = projection_shortcut(inputs)
    inputs = conv2d_fixed_padding(inputs, filters, 3, strides, data_format, seed)
    inputs = batch_norm(inputs, training, data_format)
    inputs = tf.nn.relu(inputs)
    inputs = conv2d_fixed_padding(inputs, filters, 3, 1, data_format, seed + 1)
    return inputs + shortcut


def block_layer(inputs, filters, blocks, strides, training, name, data_format, seed):
    def projection_shortcut(inputs):
        return conv2d_fixed_padding(inputs, filters, 1, strides, data_format, seed + 50)

    inputs = building_block_v2(inputs, filters, training, projection_shortcut, strides,
                               data_format, seed)
    for i in range(1, blocks):
        inputs = building_block_v2(inputs, filters, training, None, 1, data_format,
                                   seed + 10 * i)
    return tf.identity(inputs, name)


class Model(object):
    def __init__(self, num_classes, num_filters=4, data_format="channels_last"):
        self.num_classes, self.num_filters, self.data_format = (num_classes, num_filters,
                                                                data_format)

    def __call__(self, inputs, training):
        with tf.variable_scope("resnet_model"):
            inputs = conv2d_fixed_padding(inputs, self.num_filters, 3, 1, self.data_format,
                                          seed=1)
            inputs = tf.identity(inputs, "initial_conv")
            inputs = tf.layers.max_pooling2d(inputs, pool_size=3, strides=2, padding="SAME",
                                             data_format=self.data_format)
            for i, num_blocks in enumerate([2, 1]):
                inputs = block_layer(inputs, self.num_filters * (2 ** i), num_blocks,
                                     strides=1 if i == 0 else 2, training=training,
                                     name="block_layer{}".format(i + 1),
                                     data_format=self.data_format, seed=100 * (i + 1))
            inputs = tf.nn.relu(batch_norm(inputs, training, self.data_format))
            pooled = tf.layers.average_pooling2d(inputs, pool_size=2, strides=2,
                                                 data_format=self.data_format)
            inputs = tf.reduce_mean(inputs, [1, 2], keepdims=True)
            inputs = tf.squeeze(inputs, [1, 2])
            inputs = tf.layers.dense(inputs, self.num_classes,
                                     kernel_initializer=tf.glorot_uniform_initializer(seed=7))
            return tf.identity(inputs, "final_dense"), pooled


def main():
    tf.set_random_seed(17)
    rng = np.random.RandomState(10)
    images = rng.normal(size=(4, 8, 8, 3)).astype(np.float32)
    labels = rng.randint(0, NUM_CLASSES, size=4)

    features = tf.placeholder(tf.float32, [None, 8, 8, 3], name="features")
    targets = tf.placeholder(tf.int64, [None], name="labels")
    training = tf.Variable(True, trainable=False, name="is_training")
    logits, pooled = Model(NUM_CLASSES)(features, training)
    cross_entropy = tf.losses.sparse_softmax_cross_entropy(logits=logits, labels=targets)

    def exclude_batch_norm(name):
        return "batch_normalization" not in name

    l2_loss = 1e-3 * tf.add_n([tf.nn.l2_loss(tf.cast(v, tf.float32))
                               for v in tf.trainable_variables() if exclude_batch_norm(v.name)])
    loss = cross_entropy + l2_loss
    global_step = tf.train.get_or_create_global_step()
    learning_rate = tf.train.piecewise_constant(global_step, [2], [0.1, 0.01])
    optimizer = tf.train.MomentumOptimizer(learning_rate=learning_rate, momentum=0.9)
    minimize_op = optimizer.minimize(loss, global_step)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    train_op = tf.group(minimize_op, update_ops)

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            _, loss_value, lr = sess.run([train_op, loss, learning_rate],
                                         {features: images, targets: labels})
            steps.append({"loss": loss_value, "lr": lr})
        training.load(False, sess)
        eval_logits, eval_pooled = sess.run([logits, pooled], {features: images})
        tf1_report.print_report(sess, steps, extra={
            "eval_logits": eval_logits,
            "pooled_shape": eval_pooled.shape,
            "update_ops": len(update_ops),
            "decayed_variables": [v.name for v in tf.trainable_variables()
                                  if exclude_batch_norm(v.name)],
        })


if __name__ == "__main__":
    main()
