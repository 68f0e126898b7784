"""A character-level language model in TF 1.x style: two stacked LSTM cells
under dynamic_rnn, a dense projection and sequence loss. Prints the losses
and the final logits as JSON."""
import json

import numpy as np
import tensorflow as tf

VOCAB = 7
HIDDEN = 8


def model(tokens, lengths):
    embedding = tf.get_variable("embedding", [VOCAB, 5])
    inputs = tf.nn.embedding_lookup(embedding, tokens)
    cells = [tf.nn.rnn_cell.LSTMCell(HIDDEN, name="lstm_%d" % i) for i in range(2)]
    cell = tf.nn.rnn_cell.MultiRNNCell(cells)
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths,
                                       dtype=tf.float32)
    return tf.layers.dense(outputs, VOCAB, name="softmax"), state


def main():
    tf.set_random_seed(5)
    rng = np.random.RandomState(2)
    tokens = tf.placeholder(tf.int32, [3, 6])
    lengths = tf.placeholder(tf.int32, [3])
    logits, _ = model(tokens[:, :-1], lengths)
    mask = tf.sequence_mask(lengths, 5, dtype=tf.float32)
    loss = tf.reduce_sum(mask * tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tokens[:, 1:], logits=logits)) / tf.reduce_sum(mask)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {tokens: rng.randint(VOCAB, size=(3, 6)), lengths: [5, 3, 4]}
        for _ in range(4):
            losses.append(float(sess.run([loss, train], feed_dict=feed)[0]))
        values = sess.run(logits, feed_dict=feed)[0, 0].tolist()
    print(json.dumps({"losses": losses, "values": values}))


if __name__ == "__main__":
    main()
