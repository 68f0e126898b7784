"""`compat_layers.rnn_cell`, TF1's `tf.compat.v1.nn.rnn_cell`, against TF1's cells.

`tests/oracle_scripts/rnn_cell_probes.py` runs every cell, wrapper and core
RNN function (`dynamic_rnn`, `static_rnn`, the bidirectional ones,
`static_state_saving_rnn`, `raw_rnn`), the cell API, scoping, bad input and a
`track_tf1_style_variables` model, in full TF1 mode
(`disable_v2_behavior()`), in a TF2 graph and eagerly, once on tf_keras's TF1
cells (the live oracle) and once on compat_layers; every probe must give the
same. The tests below cover what a probe cannot: `to_keras_cell` against
Keras 3, checkpoints (a TF1 checkpoint restored by name,
`tf.train.Checkpoint`, `.keras` files), `tf.function`, failed calls, and
what is logged.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import textwrap
import warnings

import keras
import numpy as np
import tensorflow as tf
from absl.testing import absltest, parameterized

from compat_layers import rnn_cell as R
from tests.test_tf1_layer_api import REPO_ROOT, TIMEOUT_S, probe_names, run_probes

SCRIPT = REPO_ROOT / "tests" / "oracle_scripts" / "rnn_cell_probes.py"
MODES = ("tf1", "graph", "eager")
X = np.cos(np.arange(30) * 0.9).reshape(2, 5, 3).astype(np.float32)
# Both sides run the same ops on the same machine, each in its own process:
# values agree unless a kernel picks another summation order (oneDNN's choice
# by thread count). A dot product of length n <= 16 errs by at most
# n * 2**-24 * sum|a_i * b_i| (~1e-6 for these O(1) weights and inputs); the
# recurrence is contractive (tanh' and sigmoid' <= 1), so five steps add
# at most ~5e-6.
ATOL = RTOL = 1e-5


def _same(theirs, ours) -> bool:
    if isinstance(theirs, dict) and "array" in theirs:
        if not (isinstance(ours, dict) and "array" in ours):
            return False
        a, b = np.asarray(theirs["array"]), np.asarray(ours["array"])
        return a.shape == b.shape and np.allclose(a, b, atol=ATOL, rtol=RTOL)
    if isinstance(theirs, dict) and isinstance(ours, dict):
        return theirs.keys() == ours.keys() and all(_same(theirs[k], ours[k]) for k in theirs)
    if isinstance(theirs, list) and isinstance(ours, list):
        return len(theirs) == len(ours) and all(_same(a, b) for a, b in zip(theirs, ours))
    return theirs == ours


class ProbesTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        runs = [(mode, impl) for mode in MODES for impl in ("legacy", "compat")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            cls.results = dict(zip(runs, pool.map(lambda run: run_probes(*run, SCRIPT), runs)))

    def test_there_are_probes(self):
        self.assertGreaterEqual(len(probe_names(SCRIPT)), 60)

    @parameterized.named_parameters(
        (f"_{mode}_{name}", mode, name) for mode in MODES for name in probe_names(SCRIPT)
    )
    def test_probe_matches_tf1(self, mode, name):
        theirs = self.results[mode, "legacy"][name]
        ours = self.results[mode, "compat"][name]
        self.assertTrue(_same(theirs, ours), f"{name} ({mode}):\nours {ours}\n!= TF1 {theirs}")


def _quiet(cell_class, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cell_class(*args, **kwargs)


class ToKerasCellTest(parameterized.TestCase):
    """`to_keras_cell` gives the Keras 3 cell of the same function."""

    @parameterized.named_parameters(
        ("basic_rnn", R.BasicRNNCell, {}),
        ("basic_lstm", R.BasicLSTMCell, {"forget_bias": 0.7}),
        ("basic_lstm_relu", R.BasicLSTMCell, {"activation": tf.nn.relu}),
        ("lstm", R.LSTMCell, {"initializer": tf.compat.v1.random_uniform_initializer(-1, 1, 4)}),
        ("gru", R.GRUCell, {"bias_initializer": tf.compat.v1.random_normal_initializer(seed=2)}),
    )
    def test_outputs_and_state_match_keras_rnn(self, cell_class, kwargs):
        cell = _quiet(cell_class, 4, **kwargs)
        x = tf.constant(X)
        outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        keras_cell = R.to_keras_cell(cell)
        keras_outputs, *keras_state = keras.layers.RNN(
            keras_cell, return_sequences=True, return_state=True)(x)
        # The same float32 computation in another op order (separate input
        # and recurrent matmuls): see ATOL.
        np.testing.assert_allclose(keras_outputs, outputs, atol=ATOL, rtol=RTOL)
        if isinstance(state, R.LSTMStateTuple):  # Keras: [h, c]
            state = [state.h, state.c]
        for theirs, ours in zip(keras_state, tf.nest.flatten(state), strict=True):
            np.testing.assert_allclose(theirs, ours, atol=ATOL, rtol=RTOL)

    def test_reads_a_tf1_graph_through_its_session(self):
        graph = tf.Graph()
        with graph.as_default():
            cell = _quiet(R.GRUCell, 3)
            outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
            session = tf.compat.v1.Session()
            session.run(tf.compat.v1.global_variables_initializer())
            expected = session.run(outputs)
        keras_cell = R.to_keras_cell(cell, session=session)
        session.close()
        got = keras.layers.RNN(keras_cell, return_sequences=True)(tf.constant(X))
        np.testing.assert_allclose(got, expected, atol=ATOL, rtol=RTOL)

    @parameterized.named_parameters(
        ("peepholes", {"use_peepholes": True}, "use_peepholes"),
        ("projection", {"num_proj": 2}, "num_proj"),
        ("clip", {"cell_clip": 1.0}, "cell_clip"),
    )
    def test_refuses_what_keras_has_not(self, kwargs, named):
        cell = _quiet(R.LSTMCell, 4, **kwargs)
        cell(tf.constant(X[:, 0]), cell.zero_state(2, tf.float32))
        with self.assertRaisesRegex(ValueError, f"cannot convert an LSTMCell with {named}"):
            R.to_keras_cell(cell)

    def test_refuses_unbuilt_cells_and_other_kinds(self):
        with self.assertRaisesRegex(ValueError, "needs a built cell"):
            R.to_keras_cell(_quiet(R.BasicLSTMCell, 2))
        with self.assertRaisesRegex(TypeError, "received MultiRNNCell"):
            R.to_keras_cell(R.MultiRNNCell([_quiet(R.GRUCell, 2)]))


class ModesTest(parameterized.TestCase):
    def test_tf_function_computes_what_eager_does(self):
        cell = _quiet(R.MultiRNNCell, [_quiet(R.BasicLSTMCell, 3), _quiet(R.GRUCell, 2)])

        # A scope of its own: variables made while tracing stay in the eager
        # context's variable store (TensorFlow shares it with the trace).
        @tf.function
        def run(x):
            return tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="traced")[0]

        traced = run(tf.constant(X))
        eager, _ = tf.compat.v1.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32,
                                               scope="traced")
        # A traced graph may fuse or reorder ops (grappler): see ATOL.
        np.testing.assert_allclose(traced, eager, atol=ATOL, rtol=RTOL)
        self.assertEqual(len(cell.weights), 6)
        self.assertEqual(cell.weights[0].name, "traced/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0")

    def test_owned_cell_traced_first_then_called_eagerly_in_a_decorated_layer(self):
        # `dynamic_rnn` gives its scope a caching device inside the trace; the
        # cell keeps that scope and re-enters it in the eager call, where
        # TensorFlow refuses caching devices (_graph.eager_enterable).
        from compat_layers.utils import track_tf1_style_variables

        class Owner(keras.layers.Layer):
            def __init__(self):
                super().__init__()
                self.cell = _quiet(R.GRUCell, 3)

            @track_tf1_style_variables
            def call(self, x):
                return tf.compat.v1.nn.dynamic_rnn(self.cell, x, dtype=tf.float32)[0]

        owner = Owner()
        traced = tf.function(owner)(tf.constant(X))
        eager = owner(tf.constant(X))
        np.testing.assert_allclose(traced, eager, atol=ATOL, rtol=RTOL)
        self.assertEqual(owner.cell.weights[0].name, "rnn/gru_cell/gates/kernel:0")

    def test_a_failed_call_leaves_no_variables(self):
        with tf.Graph().as_default():
            cell = _quiet(R.GRUCell, 3, name="g")
            with self.assertRaises(ValueError):  # a state of another width
                cell(tf.constant(X[:, 0]), tf.zeros([2, 5]))
            self.assertEqual(tf.compat.v1.global_variables(), [])
            retry = _quiet(R.GRUCell, 3, name="g")
            retry(tf.constant(X[:, 0]), tf.zeros([2, 3]))
            self.assertLen(tf.compat.v1.global_variables(), 4)

    def test_construction_warns_and_logs_as_tf1(self):
        with self.assertWarnsRegex(UserWarning, r"`tf.nn.rnn_cell.BasicLSTMCell` is deprecated"):
            R.BasicLSTMCell(2)
        with self.assertLogs("tensorflow", "WARNING") as logs, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            R.LSTMCell(2, state_is_tuple=False)
            cell = R.GRUCell(2)
            R.MultiRNNCell([cell, cell])
        text = "\n".join(logs.output)
        self.assertIn("Using a concatenated state is slower", text)
        self.assertIn("`tf.nn.rnn_cell.MultiRNNCell` is deprecated", text)
        self.assertIn("are the same object and will share weights", text)

    def test_a_keras_model_trains_a_wrapped_cell_it_holds(self):
        # TF1's wrappers report no weights, so a model sees the wrapped cell's
        # only when it holds the cell itself too.
        class Model(keras.Model):
            def __init__(self):
                super().__init__()
                self.gru = _quiet(R.GRUCell, 2)
                self.cell = R.DropoutWrapper(self.gru, output_keep_prob=0.9)

            def call(self, x):
                return tf.compat.v1.nn.dynamic_rnn(self.cell, x, dtype=tf.float32)[0]

        model = Model()
        model(tf.constant(X))
        self.assertEqual(model.cell.weights, [])
        self.assertEqual([w.name for w in model.trainable_weights],
                         [w.name for w in model.gru.weights])
        self.assertLen(model.trainable_weights, 4)


_SAVE_TF1_CHECKPOINT = """
import sys
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_v2_behavior()
R = tf.compat.v1.nn.rnn_cell
x = np.cos(np.arange(30) * 0.9).reshape(2, 5, 3).astype(np.float32)
cell = R.MultiRNNCell([R.LSTMCell(4, use_peepholes=True, num_proj=3), R.GRUCell(2)])
outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
with tf.compat.v1.Session() as session:
    session.run(tf.compat.v1.global_variables_initializer())
    tf.compat.v1.train.Saver().save(session, sys.argv[1])
    np.save(sys.argv[1] + ".npy", session.run(outputs))
"""


class CheckpointTest(parameterized.TestCase):
    def test_restores_a_tf1_checkpoint_by_name(self):
        prefix = os.path.join(self.create_tempdir().full_path, "tf1")
        env = {k: v for k, v in os.environ.items() if k != "COMPAT_LAYERS_INSTALL"}
        env.update(TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        subprocess.run([sys.executable, "-c", textwrap.dedent(_SAVE_TF1_CHECKPOINT), prefix],
                       env=env, check=True, timeout=TIMEOUT_S, capture_output=True)
        with tf.Graph().as_default(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cell = R.MultiRNNCell([R.LSTMCell(4, use_peepholes=True, num_proj=3), R.GRUCell(2)])
            outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, X, dtype=tf.float32)
            with tf.compat.v1.Session() as session:
                tf.compat.v1.train.Saver().restore(session, prefix)
                got = session.run(outputs)
        np.testing.assert_allclose(got, np.load(prefix + ".npy"), atol=ATOL, rtol=RTOL)

    def test_tf_train_checkpoint_of_an_eager_cell(self):
        cell = _quiet(R.BasicLSTMCell, 3)
        wrapper = R.DropoutWrapper(cell)
        expected, _ = tf.compat.v1.nn.dynamic_rnn(wrapper, X, dtype=tf.float32)
        path = tf.train.Checkpoint(cell=wrapper).save(
            os.path.join(self.create_tempdir().full_path, "ckpt"))
        restored = R.DropoutWrapper(_quiet(R.BasicLSTMCell, 3))
        tf.train.Checkpoint(cell=restored).restore(path)  # restored when built
        got, _ = tf.compat.v1.nn.dynamic_rnn(restored, X, dtype=tf.float32, scope="other")
        np.testing.assert_array_equal(got, expected)

    def test_keras_file_of_a_model_holding_a_cell(self):
        model = _RnnModel()
        expected = model(tf.constant(X))
        path = os.path.join(self.create_tempdir().full_path, "model.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
        self.assertIsInstance(loaded.cell, R.MultiRNNCell)
        np.testing.assert_array_equal(loaded(tf.constant(X)), expected)


@keras.saving.register_keras_serializable(package="compat_layers_tests")
class _RnnModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.cell = R.MultiRNNCell([R.BasicLSTMCell(3), R.GRUCell(2, name="gru")])

    def build(self, input_shape):
        # The cells make their weights on their first call: a loaded model
        # makes them before its weights are read back.
        self.call(tf.zeros([1, *input_shape[1:]]))

    def call(self, x):
        return tf.compat.v1.nn.dynamic_rnn(self.cell, x, dtype=tf.float32)[0]


if __name__ == "__main__":
    absltest.main()
