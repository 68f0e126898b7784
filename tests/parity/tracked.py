"""Runs a registry case inside a Keras 3 layer decorated with
`compat_layers.utils.track_tf1_style_variables`.

TF1 graph mode built a model function once; the decorator must make every call
behave like that one build. So a tracked run is compared with the TF1 *graph*
result of the same case (live oracle or TF 2.15.1 golden): the same variables
(TF1 names, shapes, dtypes, trainability, creation order), the same output and
gradients, the same regularization losses, and TF1's graph-mode errors. Layer
objects made inside the call are not compared (they are rebuilt every call).

The layer's first call creates the variables: eagerly, or, for cases whose
graph placeholder has unknown dimensions, through a `tf.function` with that
signature (the static shapes TF1 graph code saw). Then its weights are set (name-derived values, or a TF1 Saver checkpoint loaded with
`load_tf1_checkpoint`), then it is called again eagerly and inside a
`tf.function`; no call may create a variable after the first.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from compat_layers import utils
from tests.parity import runner


class _TrackedProgram(keras.layers.Layer):
    def __init__(self, layers: Any, case: Any):
        # autocast=False: a Keras 3 layer would otherwise cast float16/float64
        # inputs to its float32 policy before TF1 code sees them.
        super().__init__(name=f"tracked_{case.name}", autocast=False)
        self._tf1_case = case
        self._tf1_layers = layers

    @utils.track_tf1_style_variables
    def call(self, x):
        output, _ = self._tf1_case.program(self._tf1_layers, x)
        return output


def run_tracked(layers: Any, case: Any, checkpoint: str | None = None) -> dict:
    """`checkpoint`: a TF1 Saver checkpoint to load instead of name-derived values."""
    tf.compat.v1.reset_default_graph()
    x = tf.constant(runner.case_input(case))
    tracked = _TrackedProgram(layers, case)
    recorder = runner.VariableRecorder(
        override_initializers=not (case.keep_initializers or checkpoint)
    )
    result: dict[str, Any] = {"error": None, "warnings": None, "collections": None}
    first_call = tracked
    if case.placeholder_shape:
        first_call = tf.function(tracked, input_signature=[tf.TensorSpec(case.placeholder_shape, case.dtype)])
    with runner.recording(recorder):
        try:
            first_call(x)
        except Exception as error:
            result["error"] = runner.error_info(error)
    variables = [w.value for w in tracked.weights]
    result["variables"] = [runner.variable_info(v) for v in variables]
    if result["error"]:
        return result
    if checkpoint:
        report = utils.load_tf1_checkpoint(tracked, checkpoint)
        result["checkpoint_missing"] = list(report.missing_in_checkpoint)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch([x, *variables])  # TF1's tf.gradients also reached frozen variables
        output = tracked(x)
        loss = runner.weighted_sum(output)
    gradients = tape.gradient(loss, [x, *variables])
    result.update(
        runner.outputs(output.numpy(), [x, *variables], [None if g is None else g.numpy() for g in gradients])
    )
    result["output_static_shape"] = output.shape.as_list()
    result["regularization_losses"] = sorted(float(v) for v in tracked.losses)
    result["function_output"] = tf.function(tracked)(x).numpy()
    result["variables_after_all_calls"] = [w.value.name for w in tracked.weights]
    return result
