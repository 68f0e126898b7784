"""Probes of the TF1 RNN cells (`tf.compat.v1.nn.rnn_cell`).

    python tests/oracle_scripts/rnn_cell_probes.py {tf1|graph|eager} {legacy|compat}

`tf1` runs after `tf.compat.v1.disable_v2_behavior()`, `graph` in a
`tf.Graph` under TF2 behaviour, `eager` in TF2's default mode. `legacy` is
tf_keras's TF1 cells (the caller sets `TF_USE_LEGACY_KERAS=1`), `compat` is
`compat_layers.rnn_cell`. Prints one JSON object: probe name -> what TF1 code
sees (names, sizes, values as `{"array": ...}`, or the exception type and the
first line of its message). tests/test_rnn_cell.py compares the two.
"""

import json
import re
import sys

import numpy as np
import tensorflow as tf

MODE, IMPL = sys.argv[1], sys.argv[2]
if MODE == "tf1":
    tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
if IMPL == "legacy":
    R = v1.nn.rnn_cell
    track_tf1_style_variables = v1.keras.utils.track_tf1_style_variables
    import tf_keras as keras_for_models
else:
    import compat_layers
    import keras as keras_for_models

    R = compat_layers.rnn_cell
    track_tf1_style_variables = compat_layers.utils.track_tf1_style_variables

RESULTS = {}
EAGER = MODE == "eager"
X = np.cos(np.arange(30) * 0.9).reshape(2, 5, 3).astype(np.float32)


def init(shape, dtype=tf.float32, partition_info=None):
    """Deterministic weights, the same in both processes."""
    n = int(np.prod(shape))
    return tf.constant((np.sin(np.arange(n) * 0.7 + 0.3) * 0.5).reshape(shape), dtype=dtype)


def probe(function):
    try:
        if EAGER:
            value = function()
        else:
            with tf.Graph().as_default():
                v1.set_random_seed(3)
                value = function()
    except Exception as error:  # what TF1 code would have hit
        # Keras puts "Exception encountered when calling ..." (its own
        # words, naming the layer) before the error's message, which Keras 3
        # prints in bold. Lines are compared without trailing blanks: an
        # eager op's message ends in "name: ", kept or stripped depending on
        # whether a layer's call added lines after it.
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
        lines = [line.rstrip() for line in text.strip().splitlines()
                 if line.strip() and not line.startswith("Exception encountered when calling")]
        value = {"error": type(error).__name__, "message": lines[0][:200] if lines else ""}
    RESULTS[function.__name__] = value
    return function


def values(*tensors, feed=None):
    if EAGER:
        arrays = [np.asarray(t) for t in tensors]
    else:
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            arrays = session.run(list(tensors), feed_dict=feed)
    return [{"array": np.asarray(a, np.float64).tolist()} for a in arrays]


def names(variables):
    return [v.name for v in variables]


def global_names():
    return [] if EAGER else names(v1.global_variables())


def shape(s):
    return None if s is None else str(tf.TensorShape(s))


def run_dynamic(cell, **kwargs):
    with v1.variable_scope("s", initializer=init):
        outputs, state = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32, **kwargs)
    return {
        "weights": names(cell.weights),
        "trainable": names(cell.trainable_weights),
        "globals": global_names(),
        "trainable_collection": [] if EAGER else names(v1.trainable_variables()),
        "state_type": type(state).__name__,
        "state_size": str(cell.state_size),
        "output_size": str(cell.output_size),
        "values": values(outputs, *tf.nest.flatten(state)),
    }


def masked_shapes(result):
    """Seeded dropout inside `dynamic_rnn`: the steps of its while loop run
    concurrently, so which step gets which draw of a stateful random op
    changes from run to run (two runs of TF1's cells differ too), and eager
    ops draw from the process's seed stream. Only shapes are compared; see
    `dropout_wrapper_seeded_step` for the masks."""
    result["values"] = [np.asarray(v["array"]).shape for v in result["values"]]
    return result


# ------------------------------------------------------------------- cells
@probe
def basic_rnn_dynamic():
    return run_dynamic(R.BasicRNNCell(4))


@probe
def basic_rnn_relu_sequence_length():
    return run_dynamic(R.BasicRNNCell(4, activation=tf.nn.relu), sequence_length=[5, 2])


@probe
def basic_lstm_dynamic():
    return run_dynamic(R.BasicLSTMCell(4))


@probe
def basic_lstm_forget_bias_concatenated_state():
    return run_dynamic(R.BasicLSTMCell(4, forget_bias=0.3, state_is_tuple=False))


@probe
def basic_lstm_time_major():
    cell = R.BasicLSTMCell(3, name="named")
    with v1.variable_scope("s", initializer=init):
        outputs, state = v1.nn.dynamic_rnn(cell, np.transpose(X, [1, 0, 2]), dtype=tf.float32,
                                           time_major=True, scope="tm")
    return {"weights": names(cell.weights), "values": values(outputs, state.c, state.h)}


@probe
def lstm_plain():
    return run_dynamic(R.LSTMCell(4))


@probe
def lstm_peepholes_clip_projection():
    return run_dynamic(R.LSTMCell(4, use_peepholes=True, cell_clip=0.2, num_proj=2,
                                  proj_clip=0.1, initializer=init))


@probe
def lstm_shards():
    result = run_dynamic(R.LSTMCell(4, num_proj=3, num_unit_shards=2, num_proj_shards=3))
    # TF1 listed the parts of a partitioned variable as non-trainable weights
    # (docs/differences.md); the variables themselves are compared.
    for key in ("weights", "trainable"):
        result[key] = sorted(result[key]) if key == "weights" else None
    return result


@probe
def lstm_concatenated_projection():
    return run_dynamic(R.LSTMCell(4, num_proj=2, state_is_tuple=False))


@probe
def gru_dynamic():
    return run_dynamic(R.GRUCell(4))


@probe
def gru_initializers():
    return run_dynamic(R.GRUCell(3, kernel_initializer=v1.constant_initializer(0.1),
                                 bias_initializer=v1.constant_initializer(-0.2)))


@probe
def multi_rnn_dynamic():
    return run_dynamic(R.MultiRNNCell([R.BasicLSTMCell(4), R.GRUCell(3), R.BasicRNNCell(2)]))


@probe
def multi_rnn_concatenated():
    return run_dynamic(R.MultiRNNCell([R.GRUCell(4), R.BasicRNNCell(2)], state_is_tuple=False))


@probe
def multi_rnn_of_wrappers():
    cells = [R.DropoutWrapper(R.BasicLSTMCell(4)), R.ResidualWrapper(R.GRUCell(4))]
    return run_dynamic(R.MultiRNNCell(cells))


@probe
def multi_rnn_same_cell_twice():
    cell = R.BasicRNNCell(3)
    return run_dynamic(R.MultiRNNCell([cell, cell]))


# ------------------------------------------------------------------ wrappers
@probe
def dropout_wrapper_keep_all():
    return run_dynamic(R.DropoutWrapper(R.GRUCell(3)))


@probe
def dropout_wrapper_seeded_masks_shapes():
    cell = R.DropoutWrapper(R.BasicLSTMCell(3), input_keep_prob=0.7, output_keep_prob=0.6,
                            state_keep_prob=0.5, seed=7)
    return masked_shapes(run_dynamic(cell))


@probe
def dropout_wrapper_seeded_step():
    cell = R.MultiRNNCell([
        R.DropoutWrapper(R.BasicLSTMCell(3), input_keep_prob=0.7, output_keep_prob=0.6,
                         state_keep_prob=0.5, seed=7),
        R.DropoutWrapper(R.GRUCell(2), state_keep_prob=0.4, seed=8,
                         dropout_state_filter_visitor=lambda s: True)])
    with v1.variable_scope("s", initializer=init):
        output, state = cell(tf.constant(X[:, 0]), cell.zero_state(2, tf.float32))
    arrays = values(output, *tf.nest.flatten(state))
    # One step in a graph: TF1's op seeds give the same masks on every run.
    return [np.asarray(a["array"]).shape for a in arrays] if EAGER else arrays


@probe
def dropout_wrapper_state_filter_in_a_stack():
    cells = [R.DropoutWrapper(R.BasicLSTMCell(3), state_keep_prob=0.5, seed=1),
             R.DropoutWrapper(R.GRUCell(2), state_keep_prob=0.5, seed=2,
                              dropout_state_filter_visitor=lambda s: True)]
    return masked_shapes(run_dynamic(R.MultiRNNCell(cells)))


@probe
def dropout_wrapper_op_seeds():
    cell = R.DropoutWrapper(R.BasicRNNCell(3), seed=5)
    return [cell._gen_seed(prefix, i) for prefix in ("input", "state", "output") for i in range(3)]


@probe
def dropout_wrapper_variational():
    cell = R.DropoutWrapper(R.BasicLSTMCell(3), input_keep_prob=0.5, state_keep_prob=0.5,
                            output_keep_prob=0.5, variational_recurrent=True, input_size=3,
                            dtype=tf.float32, seed=2)
    result = run_dynamic(cell)
    result["values"] = [np.asarray(v["array"]).shape for v in result["values"]]
    return result


@probe
def dropout_wrapper_placeholder_keep_prob():
    if EAGER:
        return "eager"
    keep = v1.placeholder_with_default(1.0, shape=None)
    cell = R.DropoutWrapper(R.GRUCell(3), output_keep_prob=keep)
    with v1.variable_scope("s", initializer=init):
        outputs, _ = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    return values(outputs, feed={keep: 1.0})


@probe
def dropout_wrapper_keep_prob_above_one():
    R.DropoutWrapper(R.GRUCell(3), output_keep_prob=1.5)


@probe
def dropout_wrapper_keep_prob_negative():
    R.DropoutWrapper(R.GRUCell(3), input_keep_prob=-0.1)


@probe
def dropout_wrapper_variational_without_dtype():
    R.DropoutWrapper(R.GRUCell(3), state_keep_prob=0.5, variational_recurrent=True)


@probe
def dropout_wrapper_variational_without_input_size():
    R.DropoutWrapper(R.GRUCell(3), input_keep_prob=0.5, variational_recurrent=True,
                     dtype=tf.float32)


@probe
def dropout_wrapper_filter_not_callable():
    R.DropoutWrapper(R.GRUCell(3), dropout_state_filter_visitor=3)


@probe
def wrapper_of_not_a_cell():
    R.ResidualWrapper("cell")


@probe
def residual_wrapper():
    return run_dynamic(R.ResidualWrapper(R.BasicRNNCell(3)))


@probe
def residual_wrapper_fn():
    return run_dynamic(R.ResidualWrapper(R.GRUCell(3), residual_fn=lambda i, o: o - i))


@probe
def residual_wrapper_shape_mismatch():
    return run_dynamic(R.ResidualWrapper(R.GRUCell(4)))


@probe
def device_wrapper():
    cell = R.DeviceWrapper(R.GRUCell(3), "/cpu:0")
    result = run_dynamic(cell)
    state = cell.zero_state(2, tf.float32)
    result["zero_state"] = None if EAGER else state.name
    return result


@probe
def wrapper_scope_name():
    cell = R.DropoutWrapper(R.GRUCell(3))
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    return cell.scope_name


@probe
def wrapper_wrapped_cell():
    inner = R.GRUCell(3)
    return R.DropoutWrapper(inner).wrapped_cell is inner


# ------------------------------------------------------- cell API, scoping
@probe
def zero_state_names():
    if EAGER:
        return "eager"
    lstm = R.BasicLSTMCell(3)
    multi = R.MultiRNNCell([R.LSTMCell(3), R.GRUCell(2)])
    wrapped = R.DropoutWrapper(R.GRUCell(2))
    batch = v1.placeholder(tf.int32, [])
    return [t.name for t in tf.nest.flatten(
        [lstm.zero_state(2, tf.float32), multi.zero_state(4, tf.float32),
         wrapped.zero_state(2, tf.float64), lstm.zero_state(batch, tf.float32)])] + [
        shape(t.shape) for t in tf.nest.flatten(lstm.zero_state(batch, tf.float32))]


@probe
def zero_state_values_and_cache():
    cell = R.MultiRNNCell([R.BasicLSTMCell(3), R.GRUCell(2)])
    first = cell._cells[0].zero_state(2, tf.float32)
    again = cell._cells[0].zero_state(2, tf.float32)
    return {"cached": first is again, "shapes": [shape(t.shape) for t in tf.nest.flatten(
        cell.zero_state(2, tf.float64))], "dtype": str(first.dtype)}


@probe
def get_initial_state():
    cell = R.BasicLSTMCell(3)
    state = cell.get_initial_state(inputs=tf.constant(X[:, 0]))
    return [shape(t.shape) for t in state] + [str(state.dtype)]


@probe
def get_initial_state_mismatch():
    R.BasicLSTMCell(3).get_initial_state(inputs=tf.constant(X[:, 0]), batch_size=5)


@probe
def get_initial_state_nothing():
    R.GRUCell(3).get_initial_state()


@probe
def direct_call_names_and_scope():
    cell = R.GRUCell(3)
    with v1.variable_scope("outer", initializer=init):
        output, state = cell(tf.constant(X[:, 0]), cell.zero_state(2, tf.float32),
                             scope="explicit")
    return {"weights": names(cell.weights), "scope_name": cell.scope_name,
            "name": cell.name, "values": values(output)}


@probe
def second_dynamic_rnn_reuses():
    cell = R.BasicLSTMCell(3)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    before = len(cell.weights)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32, scope="second")
    return [before, len(cell.weights), global_names()]


@probe
def other_input_depth():
    cell = R.BasicLSTMCell(3)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    v1.nn.dynamic_rnn(cell, np.ones([2, 5, 7], np.float32), dtype=tf.float32, scope="second")


@probe
def reuse_true_without_variables():
    cell = R.BasicRNNCell(3, reuse=True)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)


@probe
def auto_reuse_two_cells():
    with v1.variable_scope("shared", reuse=v1.AUTO_REUSE):
        a, b = R.GRUCell(3, name="g"), R.GRUCell(3, name="g")
        v1.nn.dynamic_rnn(a, X, dtype=tf.float32, scope="r")
        v1.nn.dynamic_rnn(b, X, dtype=tf.float32, scope="r")
    return [names(a.weights), names(b.weights), global_names()]


@probe
def static_rnn():
    cell = R.BasicLSTMCell(3)
    with v1.variable_scope("s", initializer=init):
        outputs, state = v1.nn.static_rnn(cell, tf.unstack(tf.constant(X), axis=1),
                                          dtype=tf.float32)
    return {"weights": names(cell.weights), "values": values(outputs[-1], state.c)}


@probe
def static_bidirectional_rnn():
    fw, bw = R.GRUCell(3), R.BasicRNNCell(2)
    with v1.variable_scope("s", initializer=init):
        outputs, fw_state, bw_state = v1.nn.static_bidirectional_rnn(
            fw, bw, tf.unstack(tf.constant(X), axis=1), dtype=tf.float32)
    return {"weights": names(fw.weights + bw.weights), "values": values(outputs[0], bw_state)}


@probe
def bidirectional_dynamic_rnn():
    fw, bw = R.BasicLSTMCell(3), R.GRUCell(2)
    with v1.variable_scope("s", initializer=init):
        (out_fw, out_bw), _ = v1.nn.bidirectional_dynamic_rnn(
            fw, bw, X, sequence_length=[5, 4], dtype=tf.float32)
    return {"weights": names(fw.weights + bw.weights), "values": values(out_fw, out_bw)}


@probe
def static_state_saving_rnn():
    class Saver:
        def __init__(self):
            self.saved = {}

        def state(self, name):
            return tf.zeros([2, 3])

        def save_state(self, name, value):
            self.saved[name] = value
            return tf.no_op()

    cell = R.BasicLSTMCell(3)
    with v1.variable_scope("s", initializer=init):
        outputs, state = v1.nn.static_state_saving_rnn(
            cell, tf.unstack(tf.constant(X), axis=1), Saver(), ("c", "h"))
    return {"weights": names(cell.weights), "values": values(outputs[-1])}


@probe
def raw_rnn():
    cell = R.GRUCell(3)
    inputs = tf.constant(np.transpose(X, [1, 0, 2]))
    inputs_ta = tf.TensorArray(tf.float32, size=5).unstack(inputs)

    def loop_fn(time, cell_output, cell_state, loop_state):
        state = cell.zero_state(2, tf.float32) if cell_output is None else cell_state
        finished = time >= 5
        next_input = tf.cond(finished, lambda: tf.zeros([2, 3]), lambda: inputs_ta.read(time))
        return finished, next_input, state, cell_output, None

    with v1.variable_scope("s", initializer=init):
        outputs_ta, state, _ = v1.nn.raw_rnn(cell, loop_fn)
    return {"weights": names(cell.weights), "values": values(outputs_ta.stack(), state)}


@probe
def collections():
    run_dynamic(R.MultiRNNCell([R.BasicLSTMCell(3), R.LSTMCell(2, use_peepholes=True)]))
    if EAGER:
        return "eager"
    keys = (v1.GraphKeys.GLOBAL_VARIABLES, v1.GraphKeys.TRAINABLE_VARIABLES,
            v1.GraphKeys.MODEL_VARIABLES, v1.GraphKeys.UPDATE_OPS,
            v1.GraphKeys.REGULARIZATION_LOSSES)
    return {key: len(v1.get_collection(key)) for key in keys}


@probe
def variable_types():
    cell = R.GRUCell(3)
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    return sorted({type(getattr(v, "value", v)).__name__ if not EAGER else "eager"
                   for v in cell.weights})


@probe
def untrainable_cell():
    cell = R.MultiRNNCell([R.BasicRNNCell(3, trainable=False), R.GRUCell(2)])
    v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    return [names(cell.trainable_weights), names(cell.non_trainable_weights),
            [] if EAGER else names(v1.trainable_variables())]


# ---------------------------------------------------------------- bad input
@probe
def lstm_state_not_a_tuple():
    cell = R.BasicLSTMCell(3)
    cell(tf.constant(X[:, 0]), tf.zeros([2, 6]))


@probe
def concatenated_lstm_given_a_tuple():
    cell = R.BasicLSTMCell(3, state_is_tuple=False)
    output, _ = cell(tf.constant(X[:, 0]), R.LSTMStateTuple(tf.zeros([2, 3]), tf.zeros([2, 3])))
    return shape(output.shape)


@probe
def multi_rnn_state_not_a_tuple():
    cell = R.MultiRNNCell([R.GRUCell(3), R.GRUCell(3)])
    cell(tf.constant(X[:, 0]), tf.zeros([2, 6]))


@probe
def multi_rnn_empty():
    R.MultiRNNCell([])


@probe
def multi_rnn_not_a_list():
    try:
        R.MultiRNNCell(R.GRUCell(3))
    except TypeError as error:  # the message ends with the cell's repr
        return str(error).split("received:")[0]


@probe
def multi_rnn_tuple_states_not_tuple():
    R.MultiRNNCell([R.BasicLSTMCell(3)], state_is_tuple=False)


@probe
def zero_num_units():
    # Built only: running a zero-unit matmul aborts the process in oneDNN
    # under TF1 graphs (TF1's cells and ours alike).
    cell = R.GRUCell(0)
    outputs, _ = v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    return [shape(outputs.shape)] + [shape(w.shape) for w in cell.weights]


@probe
def negative_num_units():
    return run_dynamic(R.BasicLSTMCell(-2))


@probe
def integer_inputs():
    cell = R.BasicRNNCell(3)
    cell(tf.ones([2, 3], tf.int32), tf.zeros([2, 3], tf.int32))


@probe
def integer_dtype():
    R.GRUCell(3, dtype=tf.int32)


@probe
def rank_3_inputs():
    cell = R.GRUCell(3)
    cell(tf.constant(X), tf.zeros([2, 3]))


@probe
def unknown_depth():
    if EAGER:
        return "eager"
    cell = R.GRUCell(3)
    cell(v1.placeholder(tf.float32, [2, None]), tf.zeros([2, 3]))


@probe
def state_tuple_dtype():
    return str(R.LSTMStateTuple(tf.zeros([1]), tf.zeros([1])).dtype)


@probe
def state_tuple_mixed_dtypes():
    return R.LSTMStateTuple(tf.zeros([1]), tf.zeros([1], tf.float64)).dtype


@probe
def signatures():
    import inspect

    return {name: [(p.name, repr(p.default)) for p in inspect.signature(
        getattr(R, name)).parameters.values()]
        for name in ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell",
                     "MultiRNNCell", "LSTMStateTuple", "DropoutWrapper", "ResidualWrapper",
                     "DeviceWrapper")}


@probe
def are_tf1_layers():
    base = v1.layers.Layer if IMPL == "legacy" else compat_layers.Layer
    cells = [R.BasicRNNCell(2), R.MultiRNNCell([R.GRUCell(2)]), R.DeviceWrapper(R.GRUCell(2), "")]
    return [isinstance(cell, base) for cell in cells]


# ----------------------------------------------------------------- decorated
@probe
def track_tf1_style_variables_cells():
    if not EAGER:
        return "graph"

    class Model(keras_for_models.layers.Layer):
        def __init__(self):
            super().__init__()
            self.owned = R.BasicLSTMCell(3)

        @track_tf1_style_variables
        def call(self, inputs):
            with v1.variable_scope("inner", initializer=init):
                outputs, _ = v1.nn.dynamic_rnn(self.owned, inputs, dtype=tf.float32)
                made = R.GRUCell(2)
                outputs, _ = v1.nn.dynamic_rnn(made, outputs, dtype=tf.float32, scope="second")
            return outputs

    model = Model()
    first = model(tf.constant(X))
    second = model(tf.constant(X))
    return {"weights": sorted(names(model.weights)), "values": values(first, second)}


print(json.dumps(RESULTS))
