"""An encoder-decoder with a hand-written `raw_rnn` decoder, written as TF1
seq2seq tutorials did (after `tf.contrib.seq2seq` was gone).

The encoder is a `tf.nn.static_rnn` over the unstacked source steps: a
`DeviceWrapper` around a `MultiRNNCell` of two `LSTMCell`s (peepholes,
`num_proj`, `cell_clip`); its final `LSTMStateTuple`s start the decoder, a
`MultiRNNCell` of projected `LSTMCell`s. Training feeds the decoder the
shifted targets (teacher forcing) through `tf.nn.dynamic_rnn` with
`sequence_length`; the `tf.layers.Dense` output projection is built there.
Greedy decoding is a `tf.nn.raw_rnn` with the same cell object under
`variable_scope(..., reuse=True)`, whose `loop_fn` feeds back the embedding of
the previous step's prediction, emits int token ids (its first call returns
the emit structure) and stops at each sequence's target length. Adam on the
masked sequence loss.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

VOCAB_SIZE = 8
EMBEDDING_SIZE = 5
UNITS = 6
PROJ = 4
SOURCE_LENGTH = 5
TARGET_LENGTH = 4
BATCH_SIZE = 3
GO = 0
STEPS = 3


def main():
    tf.set_random_seed(2)
    rng = np.random.RandomState(12)
    init = tf.random_uniform_initializer(-0.3, 0.3, seed=4)
    source = tf.placeholder(tf.int32, [BATCH_SIZE, SOURCE_LENGTH], name="source")
    target = tf.placeholder(tf.int32, [BATCH_SIZE, TARGET_LENGTH], name="target")
    target_lengths = tf.placeholder(tf.int32, [BATCH_SIZE], name="target_lengths")

    with tf.variable_scope("seq2seq", initializer=init):
        embeddings = tf.get_variable("embeddings", [VOCAB_SIZE, EMBEDDING_SIZE])
        with tf.variable_scope("encoder"):
            encoder_cell = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.MultiRNNCell([
                tf.nn.rnn_cell.LSTMCell(UNITS, use_peepholes=True, num_proj=PROJ),
                tf.nn.rnn_cell.LSTMCell(UNITS, num_proj=PROJ, cell_clip=3.0),
            ]), "/cpu:0")
            source_steps = tf.unstack(tf.nn.embedding_lookup(embeddings, source), axis=1)
            _, encoder_state = tf.nn.static_rnn(encoder_cell, source_steps, dtype=tf.float32)

        decoder_cell = tf.nn.rnn_cell.MultiRNNCell([
            tf.nn.rnn_cell.LSTMCell(UNITS, num_proj=PROJ),
            tf.nn.rnn_cell.LSTMCell(UNITS, num_proj=PROJ),
        ])
        projection = tf.layers.Dense(VOCAB_SIZE, name="output_projection")

        with tf.variable_scope("decoder"):
            go = tf.fill([BATCH_SIZE], GO)
            teacher = tf.concat([go[:, None], target[:, :-1]], axis=1)
            outputs, _ = tf.nn.dynamic_rnn(decoder_cell,
                                           tf.nn.embedding_lookup(embeddings, teacher),
                                           sequence_length=target_lengths,
                                           initial_state=encoder_state)
            logits = projection(outputs)

        with tf.variable_scope("decoder", reuse=True):
            def loop_fn(time, cell_output, cell_state, loop_state):
                if cell_output is None:
                    next_input = tf.nn.embedding_lookup(embeddings, go)
                    state = encoder_state
                    emit = tf.zeros([], tf.int32)  # per example, one token id
                else:
                    emit = tf.argmax(projection(cell_output), axis=-1, output_type=tf.int32)
                    next_input = tf.nn.embedding_lookup(embeddings, emit)
                    state = cell_state
                finished = time >= target_lengths
                return finished, next_input, state, emit, loop_state

            predictions, _, _ = tf.nn.raw_rnn(decoder_cell, loop_fn)
            greedy = tf.transpose(predictions.stack(), [1, 0])

    weights = tf.sequence_mask(target_lengths, TARGET_LENGTH, dtype=tf.float32)
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logits)
    loss = tf.reduce_sum(losses * weights) / tf.reduce_sum(weights)
    train_op = tf.train.AdamOptimizer(0.02).minimize(loss)

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            src = rng.randint(1, VOCAB_SIZE, size=(BATCH_SIZE, SOURCE_LENGTH))
            feed = {source: src, target: src[:, :TARGET_LENGTH][:, ::-1],
                    target_lengths: rng.randint(2, TARGET_LENGTH + 1, size=BATCH_SIZE)}
            step_loss, _ = sess.run([loss, train_op], feed)
            steps.append({"loss": step_loss, "greedy": sess.run(greedy, feed)})
        tf1_report.print_report(sess, steps, extra={
            "encoder_state": [[s.c.name, s.h.name] for s in encoder_state],
            "decoder_state_size": repr(decoder_cell.state_size),
            "decoder_weights": [v.name for v in decoder_cell.weights],
            "projection": [v.name for v in projection.weights],
        })



if __name__ == "__main__":
    main()
