"""Runs a registry case inside a Keras 3 layer decorated with
`compat_layers.utils.track_tf1_style_variables`.

TF1 graph mode built a model function once; the decorator must make every call
behave like that one build. So a tracked run is compared with the TF1 *graph*
result of the same case (live oracle or TF 2.15.1 golden): the same variables
(TF1 names, shapes, dtypes, trainability, creation order), the same output and
gradients, the same regularization losses, and TF1's graph-mode errors,
except where tf_keras's decorator differed: an eager first call raises what
the eager TF1 layer raised, and TF1's reuse errors are not raised (see
`compare.assert_tracked_matches_graph`). Layer objects made inside the call
are not compared (they are rebuilt every call).

The layer's first call creates the variables: eagerly, or, for cases whose
graph placeholder has unknown dimensions, through a `tf.function` with that
signature (the static shapes TF1 graph code saw). Then its weights are set (name-derived values, or a TF1 Saver checkpoint loaded with
`load_tf1_checkpoint`), then it is called again eagerly and inside a
`tf.function`; no call may create a variable after the first, and no
variable may be tracked twice. The "owned" variant builds the layer objects
once and lets the decorated layer own them (the migration guide's pattern),
then takes one SGD step that must move each variable by TF1's gradient once.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
import tensorflow as tf

from compat_layers import utils
from tests.parity import runner


# The learning rate of the "owned" mode's SGD step.
SGD_LEARNING_RATE = 0.1


class _OwnedLayers(runner.LayerProxy):
    """The layers module as the migration guide's built-once pattern uses it.

    Every layer *object* the program constructs is made once, through
    `get_or_create_layer`, and owned by the decorated layer (which tracks it
    as a sublayer); later calls get the same objects back. Functional calls
    (`conv2d(x, ...)`) still build their layers inside the call.
    """

    def __init__(self, layers: Any):
        super().__init__(layers)
        self._constructed = 0

    def start_call(self) -> None:
        self._constructed = 0

    def _construct(self, layer_class: type, args: tuple, kwargs: dict) -> Any:
        if any(tf.is_tensor(a) for a in tf.nest.flatten((args, kwargs))):
            # Made from this call's tensors (`rate=<tensor>`): no layer built
            # once can keep them.
            return layer_class(*args, **kwargs)
        self._constructed += 1
        return utils.get_or_create_layer(
            f"owned_{self._constructed}", lambda: layer_class(*args, **kwargs)
        )


class _TrackedProgram(keras.layers.Layer):
    def __init__(self, layers: Any, case: Any, owned: bool):
        # autocast=False: a Keras 3 layer would otherwise cast float16/float64
        # inputs to its float32 policy before TF1 code sees them.
        super().__init__(name=f"tracked_{case.name}", autocast=False)
        self._tf1_case = case
        self._tf1_layers = _OwnedLayers(layers) if owned else layers

    @utils.track_tf1_style_variables
    def call(self, x):
        if isinstance(self._tf1_layers, _OwnedLayers):
            self._tf1_layers.start_call()
        output, _ = self._tf1_case.program(self._tf1_layers, x)
        return output


def run_tracked(layers: Any, case: Any, checkpoint: str | None = None, owned: bool = False) -> dict:
    """`checkpoint`: a TF1 Saver checkpoint to load instead of name-derived values.

    `owned`: layer objects are built once and owned by the decorated layer
    (`_OwnedLayers`), and the result also holds the trainable variables
    before and after one Keras SGD step on `weighted_sum(output)` (to be
    compared with TF1's gradients: a variable tracked twice moves twice).
    """
    tf.compat.v1.reset_default_graph()
    x = tf.constant(runner.case_input(case))
    tracked = _TrackedProgram(layers, case, owned)
    recorder = runner.VariableRecorder(
        override_initializers=not (case.keep_initializers or checkpoint)
    )
    result: dict[str, Any] = {"error": None, "warnings": None, "collections": None}
    first_call = tracked
    if case.placeholder_shape or case.unknown_rank:
        first_call = tf.function(
            tracked, input_signature=[tf.TensorSpec(runner.static_input_shape(case), case.dtype)]
        )
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
        try:
            output = tracked(x)
        except Exception as error:  # e.g. a variable made again on a later call
            result["error"] = runner.error_info(error)
            return result
        loss = runner.weighted_sum(output)
    gradients = tape.gradient(loss, [x, *variables])
    result.update(
        runner.outputs(output.numpy(), [x, *variables], [None if g is None else g.numpy() for g in gradients])
    )
    result["output_static_shape"] = output.shape.as_list()
    result["regularization_losses"] = sorted(float(v) for v in tracked.losses)
    result["function_output"] = tf.function(tracked)(x).numpy()
    result["variables_after_all_calls"] = [w.value.name for w in tracked.weights]
    names = [w.value.name for w in tracked.weights]
    result["tracked_twice"] = sorted({name for name in names if names.count(name) > 1})
    if owned:
        result.update(_sgd_step(tracked, x))
    return result


def _sgd_step(tracked: keras.layers.Layer, x: tf.Tensor) -> dict:
    """One Keras SGD step on `trainable_weights`, as a training loop takes it."""
    # Constraints (`kernel_constraint`) move a variable after the step.
    weights = [w for w in tracked.trainable_weights if w.constraint is None]
    before = {w.value.name: w.numpy() for w in weights}
    with tf.GradientTape() as tape:
        loss = runner.weighted_sum(tracked(x))
    gradients = tape.gradient(loss, weights)
    pairs = [(g, w) for g, w in zip(gradients, weights) if g is not None]
    if pairs:
        keras.optimizers.SGD(SGD_LEARNING_RATE).apply_gradients(pairs)
    return {"before_sgd_step": before, "after_sgd_step": {w.value.name: w.numpy() for w in weights}}
