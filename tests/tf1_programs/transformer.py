"""A two-block transformer encoder, written as TF1 transformer re-implementations did.

Q/K/V and the feed-forward layers are unnamed `tf.layers.dense` calls inside
`tf.variable_scope(..., reuse=tf.AUTO_REUSE)` (so `dense`, `dense_1`,
`dense_2` per scope), layer norm is hand-made with `tf.get_variable`,
dropout's `training` is a Python bool: `True` in the training graph and
`False` in an evaluation graph built on the same variables. The learning rate
is `tf.train.exponential_decay` of `tf.train.get_or_create_global_step()`.
Initial values are "loaded" with `Variable.load` from a seeded numpy draw.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

VOCAB = 11
MAXLEN = 6
D_MODEL = 8
D_FF = 16
NUM_HEADS = 2
NUM_BLOCKS = 2
DROPOUT_RATE = 0.1
BATCH_SIZE = 4
STEPS = 4


def ln(inputs, epsilon=1e-8, scope="ln"):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        params_shape = inputs.get_shape()[-1:]
        mean, variance = tf.nn.moments(inputs, [-1], keep_dims=True)
        beta = tf.get_variable("beta", params_shape, initializer=tf.zeros_initializer())
        gamma = tf.get_variable("gamma", params_shape, initializer=tf.ones_initializer())
        normalized = (inputs - mean) / ((variance + epsilon) ** .5)
        return gamma * normalized + beta


def get_token_embeddings(vocab_size, num_units, zero_pad=True):
    with tf.variable_scope("shared_weight_matrix"):
        embeddings = tf.get_variable("weight_mat", dtype=tf.float32,
                                     shape=(vocab_size, num_units),
                                     initializer=tf.glorot_uniform_initializer())
        if zero_pad:
            embeddings = tf.concat((tf.zeros(shape=[1, num_units]), embeddings[1:, :]), 0)
    return embeddings


def scaled_dot_product_attention(Q, K, V, dropout_rate=0., training=True,
                                 scope="scaled_dot_product_attention"):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        d_k = Q.get_shape().as_list()[-1]
        outputs = tf.matmul(Q, tf.transpose(K, [0, 2, 1])) / d_k ** 0.5
        outputs = tf.nn.softmax(outputs)
        outputs = tf.layers.dropout(outputs, rate=dropout_rate, training=training, seed=5)
        return tf.matmul(outputs, V)


def multihead_attention(queries, keys, values, num_heads=8, dropout_rate=0, training=True,
                        scope="multihead_attention"):
    d_model = queries.get_shape().as_list()[-1]
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        Q = tf.layers.dense(queries, d_model, use_bias=True)
        K = tf.layers.dense(keys, d_model, use_bias=True)
        V = tf.layers.dense(values, d_model, use_bias=True)
        Q_ = tf.concat(tf.split(Q, num_heads, axis=2), axis=0)
        K_ = tf.concat(tf.split(K, num_heads, axis=2), axis=0)
        V_ = tf.concat(tf.split(V, num_heads, axis=2), axis=0)
        outputs = scaled_dot_product_attention(Q_, K_, V_, dropout_rate, training)
        outputs = tf.concat(tf.split(outputs, num_heads, axis=0), axis=2)
        outputs += queries
        return ln(outputs)


def ff(inputs, num_units, scope="positionwise_feedforward"):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        outputs = tf.layers.dense(inputs, num_units[0], activation=tf.nn.relu)
        outputs = tf.layers.dense(outputs, num_units[1])
        outputs += inputs
        return ln(outputs)


def positional_encoding(maxlen, d_model):
    position_enc = np.array([[pos / np.power(10000, (i - i % 2) / d_model)
                              for i in range(d_model)] for pos in range(maxlen)])
    position_enc[:, 0::2] = np.sin(position_enc[:, 0::2])
    position_enc[:, 1::2] = np.cos(position_enc[:, 1::2])
    return tf.convert_to_tensor(position_enc, tf.float32)


class Transformer:
    def __init__(self):
        self.embeddings = get_token_embeddings(VOCAB, D_MODEL, zero_pad=True)

    def encode(self, xs, training=True):
        with tf.variable_scope("encoder", reuse=tf.AUTO_REUSE):
            enc = tf.nn.embedding_lookup(self.embeddings, xs)
            enc *= D_MODEL ** 0.5
            enc += positional_encoding(MAXLEN, D_MODEL)
            enc = tf.layers.dropout(enc, DROPOUT_RATE, training=training, seed=3)
            for i in range(NUM_BLOCKS):
                with tf.variable_scope("num_blocks_{}".format(i), reuse=tf.AUTO_REUSE):
                    enc = multihead_attention(queries=enc, keys=enc, values=enc,
                                              num_heads=NUM_HEADS, dropout_rate=DROPOUT_RATE,
                                              training=training)
                    enc = ff(enc, num_units=[D_FF, D_MODEL])
        return enc

    def logits(self, xs, training):
        enc = self.encode(xs, training)
        weights = tf.transpose(self.embeddings)
        return tf.einsum("ntd,dk->ntk", enc, weights)

    def train(self, xs, ys):
        logits = self.logits(xs, training=True)
        y_ = tf.one_hot(ys, depth=VOCAB)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits,
                                                                         labels=y_))
        global_step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.01, global_step, decay_steps=2, decay_rate=0.5,
                                        staircase=True)
        optimizer = tf.train.AdamOptimizer(lr)
        train_op = optimizer.minimize(loss, global_step=global_step)
        return loss, train_op, global_step, lr

    def eval(self, xs, ys):
        logits = self.logits(xs, training=False)
        y_ = tf.one_hot(ys, depth=VOCAB)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits,
                                                                         labels=y_))
        return tf.argmax(logits, axis=-1), loss


def main():
    tf.set_random_seed(7)
    rng = np.random.RandomState(5)
    xs_data = rng.randint(1, VOCAB, size=(STEPS + 1, BATCH_SIZE, MAXLEN))
    ys_data = xs_data[:, :, ::-1]  # learn to reverse

    xs = tf.placeholder(tf.int32, [None, MAXLEN], name="xs")
    ys = tf.placeholder(tf.int32, [None, MAXLEN], name="ys")
    model = Transformer()
    loss, train_op, global_step, lr = model.train(xs, ys)
    preds, eval_loss = model.eval(xs, ys)
    n_variables_after_eval_graph = len(tf.global_variables())

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        init = np.random.RandomState(11)
        for var in sorted(tf.trainable_variables(), key=lambda v: v.name):
            var.load(init.uniform(-0.3, 0.3, var.get_shape().as_list()), sess)
        for step in range(STEPS):
            feed = {xs: xs_data[step], ys: ys_data[step]}
            _loss, _, _gs, _lr = sess.run([loss, train_op, global_step, lr], feed)
            steps.append({"loss": _loss, "global_step": _gs, "lr": _lr})
        feed = {xs: xs_data[STEPS], ys: ys_data[STEPS]}
        eval_preds, eval_loss_value = sess.run([preds, eval_loss], feed)
        tf1_report.print_report(sess, steps, extra={
            "eval_preds": eval_preds,
            "eval_loss": eval_loss_value,
            "eval_loss_again": sess.run(eval_loss, feed),
            "n_variables_after_eval_graph": n_variables_after_eval_graph,
        })


if __name__ == "__main__":
    main()
