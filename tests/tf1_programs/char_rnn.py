"""A character-level language model, written as TF1 PTB / char-rnn tutorials did.

A `MultiRNNCell` of `DropoutWrapper(LSTMCell)` layers whose `output_keep_prob`
is a shapeless `tf.placeholder(tf.float32)` (fed 0.5 when training, 1.0 when
sampling), unrolled by hand over the time steps inside
`tf.variable_scope("RNN")` with `reuse_variables()` after the first step, the
cells' `zero_state` kept as `initial_state` and the final state fed back as
the next batch's state (truncated backpropagation through time). The whole
model lives under a `variable_scope("Model", initializer=...)`: every
variable without its own initializer takes the seeded uniform one. Gradients
are clipped by global norm and applied by plain gradient descent.
`DropoutWrapper(seed=...)`: with the graph seed set, every mask is the same
from run to run (the hand-unrolled loop gives each step its own dropout op).
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

BATCH_SIZE = 4
NUM_STEPS = 6
HIDDEN_SIZE = 8
NUM_LAYERS = 2
INIT_SCALE = 0.1
MAX_GRAD_NORM = 5.0
LEARNING_RATE = 1.0
STEPS = 3
TEXT = "to be or not to be that is the question whether tis nobler in the mind to suffer "


class CharModel(object):
    def __init__(self, vocab_size):
        self.input_data = tf.placeholder(tf.int32, [BATCH_SIZE, NUM_STEPS], name="input")
        self.targets = tf.placeholder(tf.int32, [BATCH_SIZE, NUM_STEPS], name="targets")
        self.keep_prob = tf.placeholder(tf.float32, name="keep_prob")

        def lstm_cell(layer):
            cell = tf.nn.rnn_cell.LSTMCell(HIDDEN_SIZE, forget_bias=0.0, state_is_tuple=True)
            return tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=self.keep_prob,
                                                 seed=17 + layer)

        self.layers = [lstm_cell(layer) for layer in range(NUM_LAYERS)]
        self.cell = tf.nn.rnn_cell.MultiRNNCell(self.layers, state_is_tuple=True)
        self.initial_state = self.cell.zero_state(BATCH_SIZE, tf.float32)

        embedding = tf.get_variable("embedding", [vocab_size, HIDDEN_SIZE], dtype=tf.float32)
        inputs = tf.nn.embedding_lookup(embedding, self.input_data)
        inputs = tf.nn.dropout(inputs, keep_prob=self.keep_prob, seed=5)

        outputs = []
        state = self.initial_state
        with tf.variable_scope("RNN"):
            for time_step in range(NUM_STEPS):
                if time_step > 0:
                    tf.get_variable_scope().reuse_variables()
                cell_output, state = self.cell(inputs[:, time_step, :], state)
                outputs.append(cell_output)
        self.final_state = state

        output = tf.reshape(tf.concat(outputs, 1), [-1, HIDDEN_SIZE])
        softmax_w = tf.get_variable("softmax_w", [HIDDEN_SIZE, vocab_size], dtype=tf.float32)
        softmax_b = tf.get_variable("softmax_b", [vocab_size], dtype=tf.float32)
        logits = tf.nn.xw_plus_b(output, softmax_w, softmax_b)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(self.targets, [-1]), logits=logits)
        self.cost = tf.reduce_sum(loss) / BATCH_SIZE

        tvars = tf.trainable_variables()
        grads, self.global_norm = tf.clip_by_global_norm(tf.gradients(self.cost, tvars),
                                                         MAX_GRAD_NORM)
        optimizer = tf.train.GradientDescentOptimizer(LEARNING_RATE)
        self.train_op = optimizer.apply_gradients(
            zip(grads, tvars), global_step=tf.train.get_or_create_global_step())


def main():
    tf.set_random_seed(7)
    chars = sorted(set(TEXT))
    ids = np.array([chars.index(c) for c in TEXT])
    initializer = tf.random_uniform_initializer(-INIT_SCALE, INIT_SCALE, seed=11)
    with tf.variable_scope("Model", reuse=None, initializer=initializer):
        model = CharModel(len(chars))

    def batch(step):
        start = step * 2
        rows = [ids[start + i * 10: start + i * 10 + NUM_STEPS + 1] for i in range(BATCH_SIZE)]
        rows = np.array(rows)
        return rows[:, :-1], rows[:, 1:]

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        state = sess.run(model.initial_state)
        for step in range(STEPS):
            x, y = batch(step)
            feed_dict = {model.input_data: x, model.targets: y, model.keep_prob: 0.5}
            # The previous batch's final state is this batch's initial state.
            for i, (c, h) in enumerate(model.initial_state):
                feed_dict[c] = state[i].c
                feed_dict[h] = state[i].h
            cost, norm, state, _ = sess.run(
                [model.cost, model.global_norm, model.final_state, model.train_op], feed_dict)
            steps.append({"cost": cost, "global_norm": norm,
                          "state_h_sum": [float(np.sum(s.h)) for s in state]})
        x, y = batch(STEPS)
        eval_cost = sess.run(model.cost, {model.input_data: x, model.targets: y,
                                          model.keep_prob: 1.0})
        tf1_report.print_report(sess, steps, extra={
            "eval_cost": eval_cost,
            "initial_state": [[c.name, h.name] for c, h in model.initial_state],
            "final_state": [[c.name, h.name] for c, h in model.final_state],
            "state_size": repr(model.cell.state_size),
            "output_size": model.cell.output_size,
            "cell_weights": [v.name for v in model.cell.weights],
            "wrapper_weights": [[v.name for v in c.weights] for c in model.layers],
            "wrapped_cell_weights": [[v.name for v in c.wrapped_cell.trainable_weights]
                                     for c in model.layers],
        })


if __name__ == "__main__":
    main()
