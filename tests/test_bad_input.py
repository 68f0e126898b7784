"""A bad call leaves nothing behind: no variable, no graph-collection entry.

For every case of the `bad_input` parity group (`tests/parity/cases/bad_input.py`,
where each call is also compared with TF1 in every mode), the case's program
runs here with compat_layers in a TF1 graph. Every layer call and functional
call is watched: the one that raises must leave every graph collection exactly
as it found it, and no variable it made may remain in the variable store (a
`reuse=True` lookup must not find it).

TF1 did not always manage that: a call that failed after `build` kept the
variables it had made (see `TF1_LEFT_BEHIND`, measured with TF 2.15.1 and
tf_keras's legacy layers). Those cases name the variables in
`Case.tf1_leaves_variables`, and the parity comparison expects TF1's
collections less exactly those.
"""

from __future__ import annotations

from typing import Any

import compat_layers
import tensorflow as tf
from absl.testing import absltest, parameterized

from tests.parity import registry, runner

CASES = registry.CASES_BY_GROUP["bad_input"]

# What TF1 left in the graph's collections after the failing call (measured
# under TF 2.15.1 and tf_keras 2.21's legacy layers, graph mode).
TF1_LEFT_BEHIND = {
    "bad_conv1d_bool_input": "kernel and bias: the conv op rejected bool after build",
    "bad_conv3d_string_input": "kernel and bias (string variables): the op rejected strings",
    "bad_conv3d_transpose_bool_input": "kernel and bias: the op rejected bool after build",
    "bad_separable_conv2d_int32_input": "all three variables: the op rejected int32",
    "bad_separable_conv2d_pointwise_kernel_taken":
        "the depthwise kernel, made before the pointwise kernel's shape clash",
    "bad_dense_bias_taken": "the kernel, made before the bias's shape clash",
    "bad_bn_training_string": "gamma, beta and the moving statistics: `training` was "
                              "checked in call, after build",
    "bad_bn_int32_input": "all four variables: normalizing int32 failed in call",
    "bad_bn_virtual_batch_not_dividing_batch": "all four variables: the reshape failed in call",
    "bad_bn_moving_mean_taken": "gamma and beta, made before the moving mean's shape clash",
}

# Bad-looking calls TF1 accepted; the parity group compares their numbers.
TF1_ACCEPTED = (
    "bad_conv2d_int32_input",  # int32 convolutions run on CPU
    "bad_conv2d_transpose_int32_input",
    "bad_bn_class_training_float",  # `training=1.0` counts as 1
    "bad_bn_rank_1",  # statistics over no axis
)


def _graph_state(graph: tf.Graph) -> dict[str, list[int]]:
    """The entries of every non-empty collection (an emptied one has no entry)."""
    return {key: [id(item) for item in graph.get_collection(key)]
            for key in graph.get_all_collection_keys() if graph.get_collection(key)}


class _Watched:
    """`compat_layers` as a program sees it, with every call watched.

    Records, for the first call that raises, the graph's collections before
    and after it and the variables `get_variable` returned during it.
    """

    def __init__(self, recorder: runner.VariableRecorder):
        self._recorder = recorder
        self.failure: dict[str, Any] | None = None

    def watch(self, call):
        def watched(*args, **kwargs):
            graph = tf.compat.v1.get_default_graph()
            before = _graph_state(graph)
            known = len(self._recorder.variables)
            try:
                return call(*args, **kwargs)
            except Exception as error:
                if self.failure is None:
                    self.failure = {
                        "error": error,
                        "before": before,
                        "after": _graph_state(graph),
                        "made": self._recorder.variables[known:],
                    }
                raise

        return watched

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(compat_layers, name)
        if not callable(attribute):
            return attribute
        if not isinstance(attribute, type):
            return self.watch(attribute)
        watcher = self

        def construct(*args, **kwargs):
            layer = watcher.watch(attribute)(*args, **kwargs)
            layer_call = layer.__call__
            # An instance attribute would not be used by `layer(x)`: wrap the
            # object instead, keeping every other attribute the layer's own.
            return _WatchedLayer(layer, watcher.watch(layer_call))

        return construct


class _WatchedLayer:
    def __init__(self, layer: Any, call):
        self._layer, self._call = layer, call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._layer, name)


def _exists(name: str) -> bool:
    with tf.compat.v1.variable_scope(tf.compat.v1.VariableScope(reuse=True, name="")):
        try:
            tf.compat.v1.get_variable(name.split(":")[0])
        except ValueError:
            return False
    return True


class BadInputLeavesNothingTest(parameterized.TestCase):
    @parameterized.named_parameters((case.name, case) for case in CASES)
    def test_failing_call_leaves_no_variable_or_collection_entry(self, case):
        recorder = runner.VariableRecorder(override_initializers=True)
        layers = _Watched(recorder)
        with tf.Graph().as_default() as graph:
            x = tf.compat.v1.placeholder(case.dtype, case.placeholder_shape or case.input_shape)
            with runner.recording(recorder):
                try:
                    case.program(layers, x)
                except Exception:  # the watched call recorded it
                    pass
            if layers.failure is None:
                self.assertIn(case.name, TF1_ACCEPTED, "no call raised")
                return
            self.assertNotIn(case.name, TF1_ACCEPTED)
            self.assertEqual(layers.failure["after"], layers.failure["before"],
                             f"collections changed by {layers.failure['error']!r}")
            with graph.as_default():
                left = [v.name for v in layers.failure["made"] if _exists(v.name)]
            self.assertEqual(left, [], "variables still in the variable store")

    def test_cases_where_tf1_left_variables_are_documented(self):
        marked = {case.name for case in CASES if case.tf1_leaves_variables}
        self.assertEqual(marked, set(TF1_LEFT_BEHIND))


if __name__ == "__main__":
    absltest.main()
