"""Parity cases for the TF1 RNN cells (`tf.compat.v1.nn.rnn_cell`).

Every cell and wrapper, driven through TensorFlow's own recurrent functions
(`dynamic_rnn` batch- and time-major, with `sequence_length` and
`initial_state`, `static_rnn`, `bidirectional_dynamic_rnn`,
`static_bidirectional_rnn`, `static_state_saving_rnn`, `raw_rnn`), their
options, variable scopes and reuse, and bad input. Cells come from
`case.rnn_cell(L)`: compat_layers' `rnn_cell` module, or TF1's own cells.
A program's output is its outputs and final states, flattened and
concatenated, so both are compared (and their gradients).

`DropoutWrapper` randomness: with a `seed`, TF 2.15 and 2.21 draw the same
masks in a TF1 graph, and those are compared by value; in the TF2 modes
(eager, tf.function, tracked) the seeded cases keep everything (`_keep`),
and the other cases keep probabilities of 1.0 or tensors that are 1.0.

See `tests/parity/registry.py` for what a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, rnn_cell, vs

_BATCH, _TIME, _DEPTH = 3, 4, 5
_INPUT = (_BATCH, _TIME, _DEPTH)
_F32 = tf.float32


def _flat(*values) -> tf.Tensor:
    """Outputs and states (any nesting, `LSTMStateTuple`s) as one vector."""
    return tf.concat([tf.reshape(v, [-1]) for v in tf.nest.flatten(values)], 0)


def _lengths() -> tf.Tensor:
    return tf.constant([_TIME, 2, 3])


def _steps(x: tf.Tensor) -> list:
    return tf.unstack(x, num=_TIME, axis=1)


def _dynamic(make_cell, with_lengths: bool = False):
    """`dynamic_rnn` of the cell `make_cell(rnn)` returns, batch-major."""

    def program(L, x):
        cell = make_cell(rnn_cell(L))
        lengths = _lengths() if with_lengths else None
        outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=_F32)
        return _flat(outputs, state), [cell]

    return program


def _unlisted(program):
    """`program` without its layers: their attributes are not compared."""

    def unlisted(L, x):
        return program(L, x)[0], []

    return unlisted


# ------------------------------------------------------------ core functions


def _dynamic_time_major(L, x):
    rnn = rnn_cell(L)
    cell = rnn.BasicRNNCell(4)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(
        cell, tf.transpose(x, [1, 0, 2]), time_major=True, dtype=_F32)
    return _flat(outputs, state), [cell]


def _dynamic_initial_state(L, x):
    rnn = rnn_cell(L)
    cell = rnn.LSTMCell(4)
    # Derived from the input, so its gradient reaches the input too.
    start = rnn.LSTMStateTuple(c=tf.tanh(x[:, 0, :4]), h=0.5 * x[:, 1, 1:])
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, initial_state=start,
                                                 sequence_length=_lengths())
    return _flat(outputs, state), [cell]


def _static(L, x):
    rnn = rnn_cell(L)
    cell = rnn.LSTMCell(4, use_peepholes=True)
    outputs, state = tf.compat.v1.nn.static_rnn(cell, _steps(x), dtype=_F32,
                                                sequence_length=_lengths())
    return _flat(outputs, state), [cell]


def _bidirectional_dynamic(L, x):
    rnn = rnn_cell(L)
    forward, backward = rnn.GRUCell(4), rnn.GRUCell(3)
    outputs, states = tf.compat.v1.nn.bidirectional_dynamic_rnn(
        forward, backward, x, sequence_length=_lengths(), dtype=_F32)
    return _flat(tf.concat(outputs, 2), states), [forward, backward]


def _static_bidirectional(L, x):
    rnn = rnn_cell(L)
    forward, backward = rnn.BasicLSTMCell(3), rnn.BasicLSTMCell(3)
    outputs, forward_state, backward_state = tf.compat.v1.nn.static_bidirectional_rnn(
        forward, backward, _steps(x), dtype=_F32, scope="birnn")
    return _flat(outputs, forward_state, backward_state), [forward, backward]


class _StateSaver:
    """What `static_state_saving_rnn` asks of a state saver (TF1's
    `SequenceQueueingStateSaver`): the saved state by name, and an op saving it."""

    def __init__(self, x: tf.Tensor):
        self._x = x
        self.saved: dict = {}

    def state(self, name: str) -> tf.Tensor:
        return 0.1 * self._x[:, 0, :4] + (0.2 if name == "c" else -0.3)

    def save_state(self, name: str, value: tf.Tensor):
        self.saved[name] = value
        return tf.identity(value)


def _static_state_saving(L, x):
    rnn = rnn_cell(L)
    cell = rnn.BasicLSTMCell(4)
    outputs, state = tf.compat.v1.nn.static_state_saving_rnn(
        cell, _steps(x), _StateSaver(x), ("c", "h"))
    return _flat(outputs, state), [cell]


def _raw(L, x):
    rnn = rnn_cell(L)
    cell = rnn.GRUCell(4)
    inputs = tf.TensorArray(_F32, size=_TIME).unstack(tf.transpose(x, [1, 0, 2]))
    lengths = _lengths()

    def loop_fn(time, cell_output, cell_state, loop_state):
        emit = cell_output  # None on the first call: raw_rnn takes cell.output_size
        state = cell.zero_state(_BATCH, _F32) if cell_output is None else cell_state
        finished = time >= lengths
        next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([_BATCH, _DEPTH]),
                             lambda: inputs.read(tf.minimum(time, _TIME - 1)))
        return finished, next_input, state, emit, None

    emitted, state, _ = tf.compat.v1.nn.raw_rnn(cell, loop_fn)
    return _flat(emitted.stack(), state), [cell]


# ------------------------------------------------------------------- options


def _dropout_tensor_keep_prob(L, x):
    rnn = rnn_cell(L)
    # A shapeless placeholder fed nothing (1.0): TF1 code fed 0.5 in training.
    keep = tf.compat.v1.placeholder_with_default(1.0, shape=None)
    inner = rnn.GRUCell(4)
    cell = rnn.DropoutWrapper(inner, input_keep_prob=keep, output_keep_prob=keep,
                              state_keep_prob=keep)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32)
    return _flat(outputs, state), [cell, inner]


def _keep(probability: float) -> float:
    """`probability` in TF1 graphs, 1.0 where TF2 runs ops eagerly.

    TF1's seeded ops draw from a stream that each graph starts afresh, so a
    graph's masks depend on the seed alone (the same on TF 2.15 and 2.21,
    measured); eagerly (also around a tf.function, as the tracked runs call
    it) the stream lives as long as the process, and what a call draws
    depends on what ran before it.
    """
    return 1.0 if tf.compat.v1.executing_eagerly_outside_functions() else probability


def _seeded_dropout(L, x):
    # static_rnn: inside dynamic_rnn's while loop one stateful random op
    # serves every step, in whatever order parallel iterations run (TF1's
    # masks differ from run to run); unrolled, each step has its own op.
    rnn = rnn_cell(L)
    inner = rnn.LSTMCell(4)
    cell = rnn.DropoutWrapper(inner, input_keep_prob=_keep(0.7), output_keep_prob=_keep(0.8),
                              state_keep_prob=_keep(0.9), seed=5)
    outputs, state = tf.compat.v1.nn.static_rnn(cell, _steps(x), dtype=_F32)
    return _flat(outputs, state), [cell, inner]


def _variational_dropout(L, x):
    # One mask per sequence, drawn when the wrapper is made.
    rnn = rnn_cell(L)
    inner = rnn.GRUCell(4)
    cell = rnn.DropoutWrapper(inner, input_keep_prob=_keep(0.7), output_keep_prob=_keep(0.8),
                              state_keep_prob=_keep(0.9), variational_recurrent=True,
                              input_size=_DEPTH, dtype=_F32, seed=5)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32)
    return _flat(outputs, state), [cell, inner]


def _direct_calls(L, x):
    # A cell called by hand, outside any rnn function, with and without `scope`.
    rnn = rnn_cell(L)
    lstm = rnn.BasicLSTMCell(4)
    state = lstm.zero_state(_BATCH, _F32)
    output, state = lstm(x[:, 0], state)
    with vs("outer"):
        gru = rnn.GRUCell(4)
        gru_output, gru_state = gru(x[:, 1], output, scope="explicit")
    output, state = lstm(x[:, 2], state)
    return _flat(output, state, gru_output, gru_state), [lstm, gru]


def _custom_cell(L, x):
    # A TF1 cell written as a subclass of `RNNCell`, its variable made in `call`.
    rnn = rnn_cell(L)

    class Leaky(rnn.RNNCell):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self._units = units

        @property
        def state_size(self):
            return self._units

        @property
        def output_size(self):
            return self._units

        def call(self, inputs, state):
            kernel = tf.compat.v1.get_variable(
                "kernel", [int(inputs.shape[-1]) + self._units, self._units])
            new = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), kernel))
            return new, 0.5 * state + 0.5 * new

    cell = Leaky(3)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32)
    return _flat(outputs, state), [cell]


# ------------------------------------------------------------ scopes, reuse


def _scoped(L, x):
    rnn = rnn_cell(L)
    cell = rnn.BasicLSTMCell(4)
    with vs("outer"):
        outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32, scope="encoder")
    return _flat(outputs, state), [cell]


def _auto_reuse(L, x):
    rnn = rnn_cell(L)
    results, cells = [], []
    for scale in (1.0, -0.5):
        with vs("shared", reuse=tf.compat.v1.AUTO_REUSE):
            cell = rnn.GRUCell(4)
            results.append(tf.compat.v1.nn.dynamic_rnn(cell, scale * x, dtype=_F32))
            cells.append(cell)
    return _flat(results), cells


def _reuse_true(L, x):
    rnn = rnn_cell(L)
    first, second = rnn.LSTMCell(3), rnn.LSTMCell(3)
    with vs("model"):
        a = tf.compat.v1.nn.dynamic_rnn(first, x, dtype=_F32)
    with vs("model", reuse=True):
        b = tf.compat.v1.nn.dynamic_rnn(second, x[:, ::-1], dtype=_F32)
    return _flat(a, b), [first, second]


def _cell_used_twice(L, x):
    # A built cell keeps its variables: the second scope creates none.
    rnn = rnn_cell(L)
    cell = rnn.BasicRNNCell(4)
    a = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32)
    b = tf.compat.v1.nn.dynamic_rnn(cell, x[:, ::-1], dtype=_F32, scope="second")
    return _flat(a, b), [cell]


def _with_dense_head(L, x):
    rnn = rnn_cell(L)
    cell = rnn.MultiRNNCell([rnn.GRUCell(4), rnn.GRUCell(4)])
    outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, x, sequence_length=_lengths(), dtype=_F32)
    head = L.Dense(2)
    return head(outputs), [cell, head]


# --------------------------------------------------------------- bad input


def _state_structure_mismatch(L, x):
    rnn = rnn_cell(L)
    return tf.compat.v1.nn.dynamic_rnn(rnn.LSTMCell(4), x, initial_state=tf.zeros([_BATCH, 4])), []


def _other_depth_to_built_cell(L, x):
    rnn = rnn_cell(L)
    cell = rnn.GRUCell(4)
    tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=_F32)
    return tf.compat.v1.nn.dynamic_rnn(cell, tf.concat([x, x], 2), dtype=_F32, scope="wider"), []


def _empty_multi(L, x):
    return rnn_cell(L).MultiRNNCell([]), []


def _keep_prob_outside(keep_prob):
    def program(L, x):
        rnn = rnn_cell(L)
        return rnn.DropoutWrapper(rnn.GRUCell(4), output_keep_prob=keep_prob), []

    return program


def _not_a_cell(L, x):
    # A cell's name from a configuration, never made into a cell.
    return tf.compat.v1.nn.dynamic_rnn("lstm", x, dtype=_F32), []


def _concatenated_given_tuple(L, x):
    rnn = rnn_cell(L)
    cell = rnn.BasicLSTMCell(4, state_is_tuple=False)
    start = rnn.LSTMStateTuple(tf.zeros([_BATCH, 4]), tf.zeros([_BATCH, 4]))
    return tf.compat.v1.nn.dynamic_rnn(cell, x, initial_state=start), []


def _multi_state_not_tuple(L, x):
    rnn = rnn_cell(L)
    cell = rnn.MultiRNNCell([rnn.GRUCell(3), rnn.GRUCell(3)])
    output, _ = cell(x[:, 0], tf.zeros([_BATCH, 6]))
    return output, [cell]


# Why the seeded-dropout cases stay out of the tracked comparison.
_RANDOM_IN_GRAPHS_ONLY = ("seeded dropout draws TF1 graph mode's numbers only in graphs; a tracked "
                          "run, called eagerly, keeps everything (`_keep`)")

CASES: tuple[Case, ...] = (
    # ------------------------------------------------------ core functions
    Case("rnn_basic_rnn_dynamic", _dynamic(lambda rnn: rnn.BasicRNNCell(4)), input_shape=_INPUT),
    Case("rnn_dynamic_time_major", _dynamic_time_major, input_shape=_INPUT),
    Case("rnn_basic_lstm_sequence_length",
         _dynamic(lambda rnn: rnn.BasicLSTMCell(4), with_lengths=True), input_shape=_INPUT),
    Case("rnn_lstm_initial_state", _dynamic_initial_state, input_shape=_INPUT),
    Case("rnn_gru_dynamic_unknown_batch", _dynamic(lambda rnn: rnn.GRUCell(4)), input_shape=_INPUT,
         placeholder_shape=(None, _TIME, _DEPTH)),
    Case("rnn_static_peepholes_sequence_length", _static, input_shape=_INPUT),
    Case("rnn_bidirectional_dynamic", _bidirectional_dynamic, input_shape=_INPUT),
    Case("rnn_static_bidirectional", _static_bidirectional, input_shape=_INPUT),
    Case("rnn_static_state_saving", _static_state_saving, input_shape=_INPUT),
    Case("rnn_raw", _raw, input_shape=_INPUT),
    # ------------------------------------------------------------- options
    Case("rnn_basic_lstm_concatenated_state",
         _dynamic(lambda rnn: rnn.BasicLSTMCell(4, forget_bias=0.5, state_is_tuple=False)),
         input_shape=_INPUT),
    Case("rnn_basic_lstm_activation",
         _dynamic(lambda rnn: rnn.BasicLSTMCell(3, activation=tf.nn.relu)), input_shape=_INPUT),
    Case("rnn_lstm_peepholes_cell_clip",
         _dynamic(lambda rnn: rnn.LSTMCell(4, use_peepholes=True, cell_clip=0.3)),
         input_shape=_INPUT),
    Case("rnn_lstm_projection_clip",
         _dynamic(lambda rnn: rnn.LSTMCell(6, num_proj=3, proj_clip=0.1, forget_bias=0.0)),
         input_shape=_INPUT),
    Case("rnn_lstm_concatenated_state",
         _dynamic(lambda rnn: rnn.LSTMCell(4, num_proj=2, state_is_tuple=False)),
         input_shape=_INPUT),
    # Its variables, outputs and gradients are compared, not the cell's
    # `weights` lists (TF1 listed the parts as non-trainable weights after
    # the bias: docs/differences.md).
    Case("rnn_lstm_shards",
         _unlisted(_dynamic(lambda rnn: rnn.LSTMCell(
             6, num_proj=4, num_unit_shards=2, num_proj_shards=2))),
         input_shape=_INPUT,
         not_tracked="TF1 partitioned the shards in graphs only; a tracked run makes whole variables, "
                     "as TF1's cells did, so it cannot restore the graph checkpoint's parts"),
    Case("rnn_lstm_initializer",
         _dynamic(lambda rnn: rnn.LSTMCell(
             3, use_peepholes=True, initializer=tf.compat.v1.constant_initializer(0.2))),
         input_shape=_INPUT, keep_initializers=True),
    Case("rnn_gru_initializers",
         _dynamic(lambda rnn: rnn.GRUCell(
             4, kernel_initializer=tf.compat.v1.constant_initializer(0.1),
             bias_initializer=tf.compat.v1.constant_initializer(-0.2))),
         input_shape=_INPUT, keep_initializers=True),
    # The kernels' own initializer is random; the biases' (gates 1.0,
    # candidate 0.0) are TF1's to match.
    Case("rnn_gru_default_biases",
         _dynamic(lambda rnn: rnn.GRUCell(
             4, kernel_initializer=tf.compat.v1.constant_initializer(0.05))),
         input_shape=_INPUT, keep_initializers=True),
    Case("rnn_basic_rnn_activation",
         _dynamic(lambda rnn: rnn.BasicRNNCell(3, activation=tf.nn.relu6, name="relu_rnn")),
         input_shape=_INPUT),
    Case("rnn_multi_cells",
         _dynamic(lambda rnn: rnn.MultiRNNCell(
             [rnn.LSTMCell(4), rnn.GRUCell(3), rnn.BasicRNNCell(2)])),
         input_shape=_INPUT),
    Case("rnn_multi_wrappers",
         _dynamic(lambda rnn: rnn.MultiRNNCell([
             rnn.DropoutWrapper(rnn.LSTMCell(4), output_keep_prob=1.0),
             rnn.ResidualWrapper(rnn.GRUCell(4)),
             rnn.DeviceWrapper(rnn.BasicLSTMCell(3), "/cpu:0"),
         ])),
         input_shape=_INPUT),
    Case("rnn_multi_concatenated_state",
         _dynamic(lambda rnn: rnn.MultiRNNCell(
             [rnn.BasicRNNCell(3), rnn.BasicLSTMCell(2, state_is_tuple=False)],
             state_is_tuple=False)),
         input_shape=_INPUT),
    Case("rnn_dropout_tensor_keep_prob", _dropout_tensor_keep_prob, input_shape=_INPUT),
    Case("rnn_dropout_seeded", _seeded_dropout, input_shape=_INPUT,
         not_tracked=_RANDOM_IN_GRAPHS_ONLY),
    Case("rnn_dropout_variational", _variational_dropout, input_shape=_INPUT,
         not_tracked=_RANDOM_IN_GRAPHS_ONLY),
    Case("rnn_residual_function",
         _dynamic(lambda rnn: rnn.ResidualWrapper(
             rnn.BasicRNNCell(3), residual_fn=lambda inputs, output: output + inputs[:, :3])),
         input_shape=_INPUT),
    Case("rnn_device_wrapper",
         _dynamic(lambda rnn: rnn.DeviceWrapper(rnn.GRUCell(3), "/cpu:0")), input_shape=_INPUT),
    Case("rnn_direct_calls", _direct_calls, input_shape=_INPUT),
    Case("rnn_custom_cell", _custom_cell, input_shape=_INPUT),
    # ------------------------------------------------------ scopes, reuse
    Case("rnn_scope_argument", _scoped, input_shape=_INPUT),
    Case("rnn_auto_reuse", _auto_reuse, input_shape=_INPUT),
    Case("rnn_reuse_true", _reuse_true, input_shape=_INPUT),
    Case("rnn_cell_used_twice", _cell_used_twice, input_shape=_INPUT),
    Case("rnn_dense_head", _with_dense_head, input_shape=_INPUT),
    # ------------------------------------------------------------ bad input
    Case("bad_rnn_state_structure", _state_structure_mismatch, input_shape=_INPUT,
         tf1_leaves_variables=("rnn/lstm_cell/kernel:0", "rnn/lstm_cell/bias:0")),
    # Op errors name the failing node (its path depends on the loop's own
    # graph) and its attributes (TF 2.21's MatMul has two more).
    Case("bad_rnn_other_depth_to_built_cell", _other_depth_to_built_cell, input_shape=_INPUT,
         our_message=r"^(Dimensions must be equal, but are 14 and 9 for '\{\{node [\w/]*gru_cell/"
                     r"MatMul(_\d)?\}\} = MatMul\[|.*Matrix size-incompatible: In\[0\]: \[3,14\], "
                     r"In\[1\]: \[9,8\])"),
    Case("bad_rnn_multi_no_cells", _empty_multi, input_shape=_INPUT),
    Case("bad_rnn_keep_prob_negative", _keep_prob_outside(-0.5), input_shape=_INPUT),
    Case("bad_rnn_keep_prob_above_one", _keep_prob_outside(1.5), input_shape=_INPUT),
    Case("bad_rnn_not_a_cell", _not_a_cell, input_shape=_INPUT),
    # tf.function indents the op error's second line.
    Case("bad_rnn_concatenated_given_tuple", _concatenated_given_tuple, input_shape=_INPUT,
         tf1_leaves_variables=("rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"),
         our_message=r"^(Dimension size must be evenly divisible by 2 but is 3\n\s*Number of ways to "
                     r"split should evenly divide the split dimension for '\{\{node "
                     r"(rnn/while/)?basic_lstm_cell/split\}\}|.*Number of ways to split should "
                     r"evenly divide the split dimension, but got split_dim 1 \(size = 3\) and "
                     r"num_split 2)"),
    Case("bad_rnn_multi_state_not_tuple", _multi_state_not_tuple, input_shape=_INPUT),
)
