"""A CNN for sentence classification, written as TF1 text-classification tutorials did.

An embedding `tf.Variable`, then per filter size a `tf.layers.conv1d` and a
`tf.layers.max_pooling1d` over the whole sentence, concatenated, `flatten`,
`dropout` and a `tf.layers.Dense` output layer whose `kernel` and `bias` get
an explicit `tf.nn.l2_loss`. `training` comes from
`tf.placeholder_with_default(False, [])`: fed `True` for training, left at its
default for evaluation. RMSProp through `compute_gradients` /
`apply_gradients`, with gradient histograms named `v.op.name + "/grad/hist"`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

SEQUENCE_LENGTH = 7
VOCAB_SIZE = 20
EMBEDDING_SIZE = 6
FILTER_SIZES = (2, 3)
NUM_FILTERS = 4
NUM_CLASSES = 2
STEPS = 4


class TextCNN(object):
    def __init__(self, sequence_length, num_classes, vocab_size, embedding_size,
                 filter_sizes, num_filters, l2_reg_lambda=0.0):
        self.input_x = tf.placeholder(tf.int32, [None, sequence_length], name="input_x")
        self.input_y = tf.placeholder(tf.float32, [None, num_classes], name="input_y")
        self.training = tf.placeholder_with_default(False, [], name="training")
        l2_loss = tf.constant(0.0)

        with tf.device("/cpu:0"), tf.name_scope("embedding"):
            self.W = tf.Variable(tf.random_uniform([vocab_size, embedding_size], -1.0, 1.0,
                                                   seed=3), name="W")
            self.embedded_chars = tf.nn.embedding_lookup(self.W, self.input_x)

        pooled_outputs = []
        for filter_size in filter_sizes:
            with tf.variable_scope("conv-maxpool-%s" % filter_size):
                conv = tf.layers.conv1d(
                    self.embedded_chars, num_filters, filter_size, activation=tf.nn.relu,
                    kernel_initializer=tf.truncated_normal_initializer(stddev=0.1,
                                                                       seed=filter_size),
                    bias_initializer=tf.constant_initializer(0.1), name="conv")
                pooled = tf.layers.max_pooling1d(conv, sequence_length - filter_size + 1, 1,
                                                 name="pool")
                pooled_outputs.append(pooled)

        self.h_pool = tf.concat(pooled_outputs, 2)
        self.h_pool_flat = tf.layers.flatten(self.h_pool)
        with tf.name_scope("dropout"):
            self.h_drop = tf.layers.dropout(self.h_pool_flat, rate=0.5, training=self.training,
                                            seed=7)

        self.output_layer = tf.layers.Dense(
            num_classes, kernel_initializer=tf.glorot_uniform_initializer(seed=5),
            bias_initializer=tf.constant_initializer(0.1), name="output")
        self.scores = self.output_layer(self.h_drop)
        l2_loss += tf.nn.l2_loss(self.output_layer.kernel)
        l2_loss += tf.nn.l2_loss(self.output_layer.bias)
        self.predictions = tf.argmax(self.scores, 1, name="predictions")

        with tf.name_scope("loss"):
            losses = tf.nn.softmax_cross_entropy_with_logits_v2(logits=self.scores,
                                                                labels=self.input_y)
            self.loss = tf.reduce_mean(losses) + l2_reg_lambda * l2_loss
        with tf.name_scope("accuracy"):
            correct = tf.equal(self.predictions, tf.argmax(self.input_y, 1))
            self.accuracy = tf.reduce_mean(tf.cast(correct, "float"), name="accuracy")


def main():
    tf.set_random_seed(13)
    rng = np.random.RandomState(8)
    x_train = rng.randint(0, VOCAB_SIZE, size=(16, SEQUENCE_LENGTH))
    y_train = np.eye(NUM_CLASSES)[(x_train[:, 0] > VOCAB_SIZE // 2).astype(int)]

    cnn = TextCNN(SEQUENCE_LENGTH, NUM_CLASSES, VOCAB_SIZE, EMBEDDING_SIZE, FILTER_SIZES,
                  NUM_FILTERS, l2_reg_lambda=0.1)
    global_step = tf.Variable(0, name="global_step", trainable=False)
    optimizer = tf.train.RMSPropOptimizer(0.01)
    grads_and_vars = optimizer.compute_gradients(cnn.loss)
    train_op = optimizer.apply_gradients(grads_and_vars, global_step=global_step)
    grad_summaries = []
    for g, v in grads_and_vars:
        if g is not None:
            grad_summaries.append(tf.summary.histogram("{}/grad/hist".format(v.op.name), g))
    grad_summaries_merged = tf.summary.merge(grad_summaries)

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(STEPS):
            batch = slice(step * 4, step * 4 + 8)
            feed_dict = {cnn.input_x: x_train[batch], cnn.input_y: y_train[batch],
                         cnn.training: True}
            _, current_step, summaries, loss, accuracy = sess.run(
                [train_op, global_step, grad_summaries_merged, cnn.loss, cnn.accuracy],
                feed_dict)
            steps.append({"step": current_step, "loss": loss, "accuracy": accuracy,
                          "summary_tags": [value.tag for value in
                                           tf.Summary.FromString(summaries).value]})
        dev_loss, dev_accuracy, dev_scores = sess.run(
            [cnn.loss, cnn.accuracy, cnn.scores],
            {cnn.input_x: x_train, cnn.input_y: y_train})
        tf1_report.print_report(sess, steps, extra={
            "dev_loss": dev_loss,
            "dev_accuracy": dev_accuracy,
            "dev_scores": dev_scores,
            "h_pool_shape": cnn.h_pool.get_shape().as_list(),
            "gradient_variables": [v.name for g, v in grads_and_vars if g is not None],
            "output_kernel": sess.run(cnn.output_layer.kernel),
            "output_weights": [w.name for w in cnn.output_layer.weights],
        })


if __name__ == "__main__":
    main()
