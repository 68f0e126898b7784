"""A bidirectional GRU sequence tagger, written as TF1 NER / slot-filling code did.

Word embeddings (`tf.get_variable` with a seeded initializer) and a
character-feature `tf.layers.conv1d` feed a `tf.nn.bidirectional_dynamic_rnn`
of two `GRUCell`s with `sequence_length`; the two directions' outputs are
concatenated, batch-normalised (`tf.layers.batch_normalization` with
`training` from a placeholder and its moving averages updated through
`UPDATE_OPS`), projected per token by `tf.layers.dense`, and trained with a
length mask on the token losses and Adam. The final states of both directions
are read too, as sentence encodings. Evaluation runs with `training=False`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

VOCAB_SIZE = 30
EMBEDDING_SIZE = 6
CHAR_FEATURES = 3
HIDDEN_SIZE = 5
NUM_TAGS = 4
MAX_LENGTH = 7
BATCH_SIZE = 5
STEPS = 4


class Tagger(object):
    def __init__(self):
        self.word_ids = tf.placeholder(tf.int32, [None, None], name="word_ids")
        self.char_features = tf.placeholder(tf.float32, [None, None, CHAR_FEATURES],
                                            name="char_features")
        self.lengths = tf.placeholder(tf.int32, [None], name="sequence_lengths")
        self.labels = tf.placeholder(tf.int32, [None, None], name="labels")
        self.training = tf.placeholder(tf.bool, [], name="training")
        init = tf.glorot_uniform_initializer(seed=3)

        with tf.variable_scope("words"):
            embeddings = tf.get_variable("embeddings", [VOCAB_SIZE, EMBEDDING_SIZE],
                                         initializer=init)
            words = tf.nn.embedding_lookup(embeddings, self.word_ids)
        with tf.variable_scope("chars"):
            chars = tf.layers.conv1d(self.char_features, 4, 3, padding="same",
                                     activation=tf.nn.relu, kernel_initializer=init)
        inputs = tf.concat([words, chars], axis=-1)

        with tf.variable_scope("bi-gru", initializer=init):
            self.cell_fw = tf.nn.rnn_cell.GRUCell(HIDDEN_SIZE)
            self.cell_bw = tf.nn.rnn_cell.GRUCell(HIDDEN_SIZE)
            (output_fw, output_bw), (self.state_fw, self.state_bw) = \
                tf.nn.bidirectional_dynamic_rnn(self.cell_fw, self.cell_bw, inputs,
                                                sequence_length=self.lengths, dtype=tf.float32)
            output = tf.concat([output_fw, output_bw], axis=-1)
        output = tf.layers.batch_normalization(output, training=self.training, name="bn")

        with tf.variable_scope("proj"):
            self.logits = tf.layers.dense(output, NUM_TAGS, kernel_initializer=init)
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.labels,
                                                                logits=self.logits)
        mask = tf.sequence_mask(self.lengths)
        self.loss = tf.reduce_mean(tf.boolean_mask(losses, mask))
        self.encoding = tf.concat([self.state_fw, self.state_bw], axis=-1)

        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            self.train_op = tf.train.AdamOptimizer(0.01).minimize(self.loss)


def main():
    tf.set_random_seed(21)
    rng = np.random.RandomState(4)
    tagger = Tagger()

    def batch():
        lengths = rng.randint(2, MAX_LENGTH + 1, size=BATCH_SIZE)
        word_ids = rng.randint(1, VOCAB_SIZE, size=(BATCH_SIZE, MAX_LENGTH))
        chars = rng.normal(size=(BATCH_SIZE, MAX_LENGTH, CHAR_FEATURES))
        labels = word_ids % NUM_TAGS
        return {tagger.word_ids: word_ids, tagger.char_features: chars,
                tagger.lengths: lengths, tagger.labels: labels}

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            feed = batch()
            feed[tagger.training] = True
            loss, _ = sess.run([tagger.loss, tagger.train_op], feed)
            steps.append({"loss": loss})
        feed = batch()
        feed[tagger.training] = False
        logits, encoding = sess.run([tagger.logits, tagger.encoding], feed)
        tf1_report.print_report(sess, steps, extra={
            "eval_logits": logits,
            "encoding": encoding,
            "cells": [[cell.name, cell.scope_name, [v.name for v in cell.trainable_weights]]
                      for cell in (tagger.cell_fw, tagger.cell_bw)],
            "state_names": [tagger.state_fw.name, tagger.state_bw.name],
        })


if __name__ == "__main__":
    main()
