"""Parity cases for `BatchNormalization` / `batch_normalization`.

See `tests/parity/registry.py` for what a case is and how it is run.

Training cases return the output *and* the moving statistics after the call's
updates, flattened into one tensor (`_with_statistics`), so the update itself
is compared in every mode: in a TF1 graph the statistics are read under
`tf.control_dependencies` of the update ops (which therefore must be the right
ones, in `layer.updates` / `UPDATE_OPS`); eagerly and in `tf.function` the call
has updated them already.

Every call of a program must give the same result: the tracked mode
(`tracked.py`) calls it several times and compares with one TF1 graph run. So
training cases that return statistics use `momentum=0` (the update sets them to
the batch statistics, whatever they were), and what moves state from call to
call (momentum averaging over steps, renorm's corrections, a frozen layer's
renorm averages) or differs between TF1's graph and eager modes (virtual
batches with a `training` tensor) is compared step by step, per mode, in
tests/test_batch_normalization.py.

Training cases keep the runner's name-derived weights (values in [-1, 1)).
Inference cases normalize with the moving variance, which must be positive:
they keep their own deterministic initializers (`RAMPS`).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tests.parity.case import Case, l2 as _l2, vs as _vs

_STATISTICS = ("moving_mean", "moving_variance")
_RENORM_STATISTICS = _STATISTICS + ("moving_stddev", "renorm_mean", "renorm_stddev")
_UPDATE_OPS = tf.compat.v1.GraphKeys.UPDATE_OPS
# The update replaces the statistics, so a program gives the same result on
# every call (see the module docstring).
_REPLACE = dict(momentum=0.0)


def ramp(low, high):
    """Initializer: `low` to `high` evenly over the variable's elements."""

    def initializer(shape, dtype=None, partition_info=None):
        values = np.linspace(low, high, int(np.prod(shape))).reshape(shape)
        return tf.constant(values, dtype=dtype or tf.float32)

    return initializer


# Deterministic weights with a positive moving variance (also used by
# tests/test_batch_normalization.py).
RAMPS = dict(
    gamma_initializer=ramp(0.5, 1.5),
    beta_initializer=ramp(-0.3, 0.4),
    moving_mean_initializer=ramp(-0.2, 0.3),
    moving_variance_initializer=ramp(0.4, 1.6),
)


def _in_tf1_graph():
    return not tf.compat.v1.executing_eagerly_outside_functions()


def _flat(tensor, dtype):
    return tf.reshape(tf.cast(tensor, dtype), [-1])


def _with_statistics(output, layer, names=_STATISTICS, updates=None):
    """`output` and `layer`'s statistics after the call's updates, as one tensor.

    `updates` (graph only): the ops to run first; default `layer.updates`.
    """

    def read():
        return [_flat(getattr(layer, name), output.dtype) for name in names]

    if _in_tf1_graph():
        with tf.control_dependencies(layer.updates if updates is None else updates):
            statistics = read()
    else:
        statistics = read()
    return tf.concat([_flat(output, output.dtype)] + statistics, axis=0)


def _is_training(value=True):
    # A bool tensor whose value is unknown while building (graph, tf.function).
    return tf.compat.v1.placeholder_with_default(value, [])


# ------------------------------------------------------------ inference
def _inference_defaults(L, x):
    return L.batch_normalization(x), []


def _inference(L, x):
    layer = L.BatchNormalization(**RAMPS)
    return layer(x), [layer]


def _inference_not_fused(L, x):
    layer = L.BatchNormalization(fused=False, **RAMPS)
    return layer(x, training=False), [layer]


def _inference_training_tensor(L, x):
    layer = L.BatchNormalization(**RAMPS)
    y = layer(x, training=_is_training(False))
    return _with_statistics(y, layer), [layer]


def _inference_training_tensor_not_fused(L, x):
    layer = L.BatchNormalization(fused=False, **RAMPS)
    y = layer(x, training=_is_training(False))
    return _with_statistics(y, layer), [layer]


def _inference_axis_list(L, x):
    layer = L.BatchNormalization(axis=[1, 3], **RAMPS)
    return layer(x), [layer]


def _inference_renorm(L, x):
    layer = L.BatchNormalization(renorm=True, **RAMPS)
    return layer(x), [layer]


def _inference_virtual_batch(L, x):
    layer = L.BatchNormalization(virtual_batch_size=2, **RAMPS)
    return layer(x), [layer]


def _inference_called_twice(L, x):
    layer = L.BatchNormalization(epsilon=0.01, **RAMPS)
    return layer(layer(x)), [layer]


# ------------------------------------------------------------- training
def _training(L, x):
    layer = L.BatchNormalization(**_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_not_fused(L, x):
    layer = L.BatchNormalization(fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_tensor(L, x):
    layer = L.BatchNormalization(**_REPLACE)
    return _with_statistics(layer(x, training=_is_training()), layer), [layer]


def _training_tensor_not_fused(L, x):
    layer = L.BatchNormalization(fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=_is_training()), layer), [layer]


def _training_update_ops_collection(L, x):
    # The TF1 idiom: run everything in UPDATE_OPS before reading.
    layer = L.BatchNormalization(epsilon=0.01, **_REPLACE)
    y = layer(x, training=True)
    updates = tf.compat.v1.get_collection(_UPDATE_OPS) if _in_tf1_graph() else None
    return _with_statistics(y, layer, updates=updates), [layer]


def _training_channels_first(L, x):
    layer = L.BatchNormalization(axis=1, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_channels_first_not_fused(L, x):
    layer = L.BatchNormalization(axis=-3, fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_axis_list(L, x):
    layer = L.BatchNormalization(axis=[1, -1], **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_axis_list_tensor(L, x):
    layer = L.BatchNormalization(axis=(2, 3), **_REPLACE)
    return _with_statistics(layer(x, training=_is_training()), layer), [layer]


def _training_rank_2(L, x):
    layer = L.BatchNormalization(fused=True, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_rank_5_axis_3(L, x):
    layer = L.BatchNormalization(axis=3, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_rank_5_fused(L, x):
    layer = L.BatchNormalization(**_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_no_center_no_scale(L, x):
    layer = L.BatchNormalization(center=False, scale=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_no_center_no_scale_not_fused(L, x):
    layer = L.BatchNormalization(center=False, scale=False, fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_only_scale_axis_1(L, x):
    layer = L.BatchNormalization(axis=1, center=False, fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _regularizers(L, x):
    layer = L.BatchNormalization(
        beta_regularizer=_l2(0.1), gamma_regularizer=tf.nn.l2_loss, **_REPLACE
    )
    return _with_statistics(layer(x, training=True), layer), [layer]


def _constraints(L, x):
    layer = L.BatchNormalization(
        gamma_constraint=lambda w: tf.clip_by_value(w, 0.0, 1.0), beta_constraint=tf.abs
    )
    return layer(x, training=True), [layer]


def _fused_true_with_renorm(L, x):
    # TF1 fell back to the plain implementation instead of raising.
    layer = L.BatchNormalization(fused=True, renorm=True, **RAMPS)
    return _with_statistics(layer(x), layer, _RENORM_STATISTICS), [layer]


def _renorm_tensor_inference(L, x):
    layer = L.BatchNormalization(renorm=True, **RAMPS)
    y = layer(x, training=_is_training(False))
    return _with_statistics(y, layer, _RENORM_STATISTICS), [layer]


def _virtual_batch(L, x):
    layer = L.BatchNormalization(virtual_batch_size=2, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _virtual_batch_training_tensor(L, x):
    # Full TF1 (`disable_v2_behavior()`) normalized each virtual batch when a
    # `training` tensor said True; under TF2 behaviour, the whole batch.
    layer = L.BatchNormalization(virtual_batch_size=2, **_REPLACE)
    return _with_statistics(layer(x, training=_is_training()), layer), [layer]


def _virtual_batch_training_tensor_false(L, x):
    layer = L.BatchNormalization(virtual_batch_size=2, **_REPLACE)
    return _with_statistics(layer(x, training=_is_training(False)), layer), [layer]


def _virtual_batch_not_dividing_inference(L, x):
    # Full TF1 split the batch even for inference: a batch of 4 does not
    # divide by 3 when the graph runs. Under TF2 behaviour inference used one
    # batch.
    layer = L.BatchNormalization(virtual_batch_size=3, **RAMPS)
    return layer(x, training=False), [layer]


def _virtual_batch_axis_1(L, x):
    layer = L.BatchNormalization(virtual_batch_size=2, axis=1, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _adjust(shape):
    channels = tf.cast(tf.range(shape[-1]), tf.float32)
    return channels * 0.1 + 0.9, channels * 0.05 - 0.02


def _adjustment(L, x):
    layer = L.BatchNormalization(adjustment=_adjust, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _adjustment_tensor(L, x):
    layer = L.BatchNormalization(adjustment=_adjust, scale=False, **_REPLACE)
    return _with_statistics(layer(x, training=_is_training()), layer), [layer]


def _epsilon(L, x):
    layer = L.BatchNormalization(epsilon=0.1, fused=False, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _epsilon_fused(L, x):
    layer = L.BatchNormalization(epsilon=0.1, **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _frozen(L, x):
    # trainable=False: batch statistics in training, but no updates at all.
    layer = L.BatchNormalization(trainable=False)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _training_called_twice(L, x):
    # Two calls, four update ops; the output only (their order is not fixed).
    layer = L.BatchNormalization()
    return layer(x, training=True) + layer(x * 2.0, training=True), [layer]


def _mask(L, x):
    layer = L.BatchNormalization(fused=False, **_REPLACE)
    mask = tf.constant([[True, True, True, False, False], [True, True, True, True, True]])
    return _with_statistics(layer(x, training=True, mask=mask), layer), [layer]


def _mask_ignored_by_fused(L, x):
    layer = L.BatchNormalization()
    mask = tf.ones(tf.shape(x)[:-1], dtype=tf.bool)
    return layer(x, training=True, mask=mask), [layer]


def _functional_training(L, x):
    y = L.batch_normalization(x, training=True, momentum=0.9, name="bn")
    return L.batch_normalization(y, axis=1, training=True, fused=False), []


# ------------------------------------------------------ dtype, names, reuse
def _float16_inference(L, x):
    layer = L.BatchNormalization(**RAMPS)
    return layer(x), [layer]


def _functional_reuse(L, x):
    y1 = L.batch_normalization(x, training=True, name="bn")
    y2 = L.batch_normalization(x, training=True, name="bn", reuse=True)
    return y1 - 0.5 * y2, []


def _auto_reuse_in_scope(L, x):
    outputs = []
    for _ in range(2):
        with _vs("tower", reuse=tf.compat.v1.AUTO_REUSE):
            outputs.append(L.batch_normalization(x, name="bn", training=True))
    return tf.add_n(outputs), []


def _named_layer(L, x):
    layer = L.BatchNormalization(name="norm", **_REPLACE)
    return _with_statistics(layer(x, training=True), layer), [layer]


def _unnamed_in_scope(L, x):
    with _vs("gen"):
        first = L.BatchNormalization()
        y = first(x, training=True)
        y = L.batch_normalization(y, training=True)
        second = L.BatchNormalization()
        y = second(y, training=True)
    outside = L.BatchNormalization(**_REPLACE)
    return _with_statistics(outside(y, training=True), outside), [first, second, outside]


def _scope_name_before_first_call(L, x):
    unused = L.BatchNormalization(name="spare")
    return L.batch_normalization(x), [unused]


def _scope_initializer(L, x):
    # Explicit initializers win over the scope's; None falls back to it.
    with _vs("init", initializer=tf.compat.v1.constant_initializer(0.25)):
        layer = L.BatchNormalization(gamma_initializer=None)
        y = layer(x)
    return y, [layer]


# ------------------------------------------------------------ bad inputs
def _axis_string(L, x):
    layer = L.BatchNormalization(axis="channels")
    return layer(x), [layer]


def _axis_out_of_range(L, x):
    return L.batch_normalization(x, axis=4), []


def _axis_negative_out_of_range(L, x):
    return L.batch_normalization(x, axis=[1, -5]), []


def _axis_duplicate(L, x):
    return L.batch_normalization(x, axis=[1, -3]), []


def _bad_renorm_clipping(L, x):
    return L.batch_normalization(x, renorm=True, renorm_clipping={"rmax": 2.0, "r": 1.0}), []


def _virtual_batch_zero(L, x):
    return L.batch_normalization(x, virtual_batch_size=0), []


def _virtual_batch_axis_0(L, x):
    return L.batch_normalization(x, axis=[0, 3], virtual_batch_size=2), []


def _virtual_batch_with_adjustment(L, x):
    return L.batch_normalization(x, virtual_batch_size=2, adjustment=_adjust), []


def _other_rank_on_second_call(L, x):
    layer = L.BatchNormalization()
    layer(x)
    return layer(tf.reshape(x, [2, 75])), [layer]


def _other_channels_on_second_call(L, x):
    layer = L.BatchNormalization()
    layer(x)
    return layer(tf.concat([x, x], axis=-1)), [layer]


def _already_exists(L, x):
    L.batch_normalization(x, name="bn")
    return L.batch_normalization(x, name="bn"), []


def _does_not_exist(L, x):
    return L.batch_normalization(x, name="bn", reuse=True), []


def _unknown_keyword(L, x):
    layer = L.BatchNormalization(foo=1)
    return layer(x), [layer]


def _misspelt_keyword(L, x):
    layer = L.BatchNormalization(momentun=0.9)
    return layer(x), [layer]


def _misspelt_functional_keyword(L, x):
    return L.batch_normalization(x, is_training=True), []


_VIRTUAL = dict(input_shape=(4, 3, 3, 2))
_NCHW = dict(input_shape=(2, 3, 4, 5))
_KEEP = dict(keep_initializers=True)

CASES: tuple[Case, ...] = (
    # Inference: the moving statistics normalize; nothing to update.
    Case("bn_inference_defaults", _inference_defaults, **_KEEP),
    Case("bn_inference", _inference, **_KEEP),
    Case("bn_inference_not_fused", _inference_not_fused, **_KEEP),
    Case("bn_inference_training_tensor", _inference_training_tensor, **_KEEP),
    Case("bn_inference_training_tensor_not_fused", _inference_training_tensor_not_fused, **_KEEP),
    Case("bn_inference_axis_list", _inference_axis_list, **_KEEP),
    Case("bn_inference_renorm", _inference_renorm, **_KEEP),
    Case("bn_inference_virtual_batch", _inference_virtual_batch, **_VIRTUAL, **_KEEP),
    Case("bn_inference_called_twice", _inference_called_twice, **_KEEP),
    Case("bn_inference_float16", _float16_inference, dtype="float16", **_KEEP),
    Case("bn_inference_float64", _inference, dtype="float64", **_KEEP),
    # Training: output, gradients and the updated moving statistics.
    Case("bn_training", _training),
    Case("bn_training_not_fused", _training_not_fused),
    Case("bn_training_tensor", _training_tensor),
    Case("bn_training_tensor_not_fused", _training_tensor_not_fused),
    Case("bn_training_update_ops_collection", _training_update_ops_collection),
    Case("bn_training_channels_first", _training_channels_first, **_NCHW),
    Case("bn_training_channels_first_not_fused", _training_channels_first_not_fused, **_NCHW),
    Case("bn_training_axis_list", _training_axis_list),
    Case("bn_training_axis_list_tensor", _training_axis_list_tensor),
    Case("bn_training_rank_2_fused_true", _training_rank_2, input_shape=(6, 4)),
    Case("bn_training_rank_3", _training, input_shape=(3, 4, 2)),
    Case("bn_training_rank_5_axis_3", _training_rank_5_axis_3, input_shape=(2, 2, 3, 4, 2)),
    Case("bn_training_rank_5_fused", _training_rank_5_fused, input_shape=(2, 2, 3, 4, 2)),
    Case("bn_training_unknown_batch", _training_tensor, placeholder_shape=(None, 5, 5, 3)),
    Case("bn_training_unknown_batch_not_fused", _training_not_fused,
         placeholder_shape=(None, None, None, 3)),
    Case("bn_training_no_center_no_scale", _training_no_center_no_scale),
    Case("bn_training_no_center_no_scale_not_fused", _training_no_center_no_scale_not_fused),
    Case("bn_training_only_scale_axis_1", _training_only_scale_axis_1, **_NCHW),
    Case("bn_regularizers", _regularizers),
    Case("bn_constraints", _constraints),
    Case("bn_fused_true_with_renorm", _fused_true_with_renorm, **_KEEP),
    Case("bn_renorm_tensor_inference", _renorm_tensor_inference, **_KEEP),
    Case("bn_virtual_batch", _virtual_batch, **_VIRTUAL),
    Case("bn_virtual_batch_axis_1", _virtual_batch_axis_1, **_VIRTUAL),
    Case("bn_virtual_batch_training_tensor", _virtual_batch_training_tensor, **_VIRTUAL,
         not_tracked="TF1 normalized per virtual batch eagerly (the tensor's value is known) "
                     "and over the whole batch in a graph or tf.function under TF2 behaviour"),
    Case("bn_virtual_batch_training_tensor_false", _virtual_batch_training_tensor_false, **_VIRTUAL),
    Case("bn_virtual_batch_not_dividing_inference", _virtual_batch_not_dividing_inference,
         placeholder_shape=(None, 3, 3, 2), **_VIRTUAL, **_KEEP),
    Case("bn_adjustment", _adjustment),
    Case("bn_adjustment_tensor", _adjustment_tensor),
    Case("bn_epsilon", _epsilon),
    Case("bn_epsilon_fused", _epsilon_fused),
    Case("bn_frozen", _frozen),
    Case("bn_training_called_twice", _training_called_twice),
    Case("bn_mask", _mask, input_shape=(2, 5, 3)),
    Case("bn_mask_ignored_by_fused", _mask_ignored_by_fused),
    Case("bn_functional_training", _functional_training),
    Case("bn_training_float16", _training, dtype="float16"),
    Case("bn_training_float16_not_fused", _training_not_fused, dtype="float16"),
    Case("bn_training_float16_rank_2", _training, dtype="float16", input_shape=(6, 4)),
    Case("bn_training_float64", _training, dtype="float64"),
    # Names, scopes, reuse.
    Case("bn_functional_reuse", _functional_reuse),
    Case("bn_auto_reuse_in_scope", _auto_reuse_in_scope),
    Case("bn_named_layer", _named_layer),
    Case("bn_unnamed_in_scope", _unnamed_in_scope),
    Case("bn_scope_name_before_first_call", _scope_name_before_first_call),
    Case("bn_scope_initializer", _scope_initializer, **_KEEP),
    # Bad input: TF1's exception type and message, nothing left half-created.
    Case("bn_error_axis_string", _axis_string),
    Case("bn_error_axis_out_of_range", _axis_out_of_range),
    Case("bn_error_axis_negative_out_of_range", _axis_negative_out_of_range),
    Case("bn_error_axis_duplicate", _axis_duplicate),
    Case("bn_error_unknown_channels", _inference_defaults, placeholder_shape=(None, 5, 5, None)),
    Case("bn_error_bad_renorm_clipping", _bad_renorm_clipping),
    Case("bn_error_virtual_batch_zero", _virtual_batch_zero),
    Case("bn_error_virtual_batch_axis_0", _virtual_batch_axis_0),
    Case("bn_error_virtual_batch_with_adjustment", _virtual_batch_with_adjustment),
    Case("bn_error_other_rank_on_second_call", _other_rank_on_second_call),
    Case("bn_error_other_channels_on_second_call", _other_channels_on_second_call),
    Case("bn_error_already_exists", _already_exists),
    Case("bn_error_does_not_exist", _does_not_exist),
    Case("bn_error_unknown_keyword", _unknown_keyword,
         our_message=r"^Keyword argument not understood: 'foo'\.$"),
    Case("bn_error_misspelt_keyword", _misspelt_keyword,
         our_message=r"^Keyword argument not understood: 'momentun'\. "
                     r"Did you mean 'momentum'\?$"),
    Case("bn_error_misspelt_functional_keyword", _misspelt_functional_keyword,
         our_message=r"^batch_normalization\(\) got an unexpected keyword argument "
                     r"'is_training'\. Did you mean 'training'\?$"),
)
