"""Parity cases for `Dense`/`dense`, `Dropout`/`dropout`, `Flatten`/`flatten`.

See `tests/parity/registry.py` for what a case is and how it is run. Dropout's
numbers are compared where they are deterministic (inference, `rate=0`, or a
`rate` tensor that keeps everything); its random masks are pinned against the
live oracle in `tests/test_dropout.py`.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tests.parity.case import Case, l2 as _l2, vs as _vs


def _training_placeholder(value: bool = False):
    # A bool tensor that works in graph, eager and tf.function alike.
    return tf.compat.v1.placeholder_with_default(value, [])


# ------------------------------------------------------------------- Dense
def _dense(L, x):
    return L.dense(x, 4), []


def _dense_class_relu(L, x):
    layer = L.Dense(5, activation=tf.nn.relu)
    return layer(x), [layer]


def _dense_never_called(L, x):
    unused = L.Dense(3, name="spare")
    unnamed = L.Dense(3)
    return L.dense(x, 3), [unused, unnamed]


def _dense_regularizers(L, x):
    layer = L.Dense(
        4,
        kernel_regularizer=_l2(0.1),
        bias_regularizer=tf.nn.l2_loss,
        activity_regularizer=_l2(0.01),
    )
    return layer(x), [layer]


def _dense_functional_regularizers(L, x):
    y = L.dense(x, 4, kernel_regularizer=tf.nn.l2_loss, activity_regularizer=_l2(0.5))
    return L.dense(y, 2, bias_regularizer=_l2(2.0)), []


def _dense_frozen_beside_trainable(L, x):
    frozen = L.Dense(4, trainable=False, kernel_regularizer=tf.nn.l2_loss)
    trained = L.Dense(2)
    return trained(frozen(x)), [frozen, trained]


def _dense_named(L, x):
    layer = L.Dense(4, name="fc")
    y = L.dense(layer(x), 2, name="logits")
    return y, [layer]


def _dense_unnamed_in_scope(L, x):
    with _vs("mlp"):
        first = L.Dense(4, activation=tf.nn.tanh)
        y = first(x)
        y = L.dense(y, 4)
        second = L.Dense(3)
        y = second(y)
    outside = L.Dense(2)
    return outside(y), [first, second, outside]


def _dense_reuse_true(L, x):
    with _vs("g"):
        y1 = L.dense(x, 4, name="d")
        first = L.Dense(4, name="e")
        y2 = first(x)
    with _vs("g", reuse=True):
        y3 = L.dense(x, 4, name="d")
        y4 = L.dense(x, 4, name="e")
    return y1 + 2.0 * y2 + 3.0 * y3 + 4.0 * y4, [first]


def _dense_auto_reuse(L, x):
    outputs = []
    for _ in range(2):
        with _vs("tower", reuse=tf.compat.v1.AUTO_REUSE):
            outputs.append(L.dense(x, 4, name="d"))
            outputs.append(L.dense(x, 4))
    return tf.add_n(outputs), []


def _dense_functional_reuse(L, x):
    y1 = L.dense(x, 4, name="fc")
    y2 = L.dense(x, 4, name="fc", reuse=True)
    return y1 - y2 * 0.5, []


def _dense_called_twice(L, x):
    layer = L.Dense(x.shape[-1], activation=tf.nn.relu)
    return layer(layer(x)), [layer]


def _dense_scope_initializer(L, x):
    with _vs("init", initializer=tf.compat.v1.constant_initializer(0.25)):
        layer = L.Dense(4, bias_initializer=tf.compat.v1.constant_initializer(0.5))
        y = layer(x)
    return y, [layer]


def _dense_scope_regularizer(L, x):
    with _vs("reg", regularizer=tf.nn.l2_loss):
        layer = L.Dense(4)
        y = layer(x)
    return y, [layer]


def _dense_constraints(L, x):
    layer = L.Dense(
        4,
        kernel_constraint=lambda w: tf.clip_by_value(w, -0.1, 0.1),
        bias_constraint=tf.abs,
    )
    return layer(x), [layer]


def _dense_no_bias_string_activation(L, x):
    layer = L.Dense(3.0, activation="tanh", use_bias=False)
    return layer(x), [layer]


def _dense_explicit_float64(L, x):
    layer = L.Dense(3, dtype="float64")
    return layer(x), [layer]


def _dense_mlp_with_dropout_and_flatten(L, x):
    is_training = _training_placeholder()
    y = L.flatten(x)
    y = L.dense(y, 8, activation=tf.nn.relu, name="hidden")
    y = L.dropout(y, rate=0.4, training=is_training)
    return L.dense(y, 3, name="logits"), []


def _weightless_wrappers_named_like_dense(L, x):
    # TF1's pooling/dropout/flatten wrappers uniquify a repeated name's scope
    # (`dense`, `dense_1`, ...), so the unnamed Dense lands in `dense_4`.
    y = L.max_pooling2d(x, 2, 1, name="dense")
    y = L.max_pooling2d(y, 2, 1, name="dense")
    y = L.dropout(y, name="dense")
    y = L.flatten(y, name="dense")
    return L.dense(y, 3), []


def _dense_wrong_rank(L, x):
    return L.dense(x, 4), []


def _dense_negative_units(L, x):
    return L.dense(x, -2), []


def _dense_already_exists(L, x):
    L.dense(x, 4, name="fc")
    return L.dense(x, 4, name="fc"), []


def _dense_does_not_exist(L, x):
    return L.dense(x, 4, name="nonexist", reuse=True), []


def _dense_shape_mismatch(L, x):
    L.dense(x, 4, name="fc")
    return L.dense(x, 5, name="fc", reuse=True), []


def _dense_other_width_on_second_call(L, x):
    layer = L.Dense(4)
    layer(x)
    return layer(tf.concat([x, x], axis=-1)), [layer]


def _dense_misspelt_keyword(L, x):
    layer = L.Dense(4, use_biass=False)
    return layer(x), [layer]


def _dense_misspelt_functional_keyword(L, x):
    return L.dense(x, 4, activaton=tf.nn.relu), []


# ----------------------------------------------------------------- Dropout
def _dropout(L, x):
    return L.dropout(x), []


def _dropout_class(L, x):
    layer = L.Dropout(0.3)
    return layer(x), [layer]


def _dropout_class_training_false(L, x):
    layer = L.Dropout(0.5, seed=3)
    return layer(x, training=False), [layer]


def _dropout_training_rate_zero(L, x):
    layer = L.Dropout(0.0)
    y = layer(x, training=True)
    return L.dropout(y, rate=0, training=True), [layer]


def _dropout_training_placeholder(L, x):
    layer = L.Dropout(0.5, noise_shape=[None, 1, None, None])
    y = layer(x, training=_training_placeholder())
    return L.dropout(y, 0.2, training=_training_placeholder()), [layer]


def _dropout_keep_all_rate_tensor(L, x):
    # The whole dropout path runs (random op, mask, scaling), yet with rate 0
    # every unit is kept: the numbers are deterministic.
    rate = tf.compat.v1.placeholder_with_default(tf.zeros([], x.dtype), [])
    layer = L.Dropout(rate, seed=5)
    y = layer(x, training=True)
    y = L.dropout(y, rate=rate, noise_shape=[None, 1, 1, None], training=True)
    return layer(y, training=_training_placeholder(True)), [layer]


def _dropout_tensor_noise_shape(L, x):
    # TF1 programs build noise shapes from tensors and NumPy integers.
    rate = tf.compat.v1.placeholder_with_default(tf.zeros([], x.dtype), [])
    noise_shape = [tf.shape(x)[0], 1, np.int64(1), x.shape[-1]]
    layer = L.Dropout(rate, noise_shape=noise_shape, seed=2)
    return layer(x, training=True), [layer]


def _dropout_training_none(L, x):
    layer = L.Dropout(0.5, seed=1)
    return layer(x, training=None) + L.dropout(x, training=None), [layer]


def _dropout_named_in_scopes(L, x):
    with _vs("block"):
        inner = L.Dropout(0.5, name="drop")
        y = inner(x)
        y = L.dropout(y, 0.1, name="drop")
        unnamed = L.Dropout()
        y = unnamed(y, training=False)
    return y, [inner, unnamed]


def _dropout_rate_too_big(L, x):
    return L.dropout(x, rate=1.5), []


def _dropout_negative_rate(L, x):
    layer = L.Dropout(-0.1)
    return layer(x), [layer]


def _dropout_unknown_keyword(L, x):
    layer = L.Dropout(0.5, keep_prob=0.5)
    return layer(x), [layer]


def _dropout_misspelt_functional_keyword(L, x):
    return L.dropout(x, 0.5, trainig=True), []


# ----------------------------------------------------------------- Flatten
def _flatten(L, x):
    return L.flatten(x), []


def _flatten_class(L, x):
    layer = L.Flatten()
    return layer(x), [layer]


def _flatten_channels_first(L, x):
    layer = L.Flatten(data_format="channels_first")
    return layer(x) + 2.0 * L.flatten(x, data_format="channels_first"), [layer]


def _flatten_named(L, x):
    with _vs("head"):
        layer = L.Flatten(name="flat")
        y = layer(x)
        y = L.flatten(tf.expand_dims(y, -1), name="flat")
    return y, [layer]


def _flatten_bad_data_format(L, x):
    return L.flatten(x, data_format="NCHW"), []


def _flatten_unknown_keyword(L, x):
    layer = L.Flatten(keep_dims=True)
    return layer(x), [layer]


CASES: tuple[Case, ...] = (
    Case("dense_basic", _dense, input_shape=(3, 6)),
    Case("dense_class_relu", _dense_class_relu, input_shape=(3, 6)),
    Case("dense_rank3", _dense_class_relu, input_shape=(2, 3, 4)),
    Case("dense_rank4_functional", _dense),
    Case("dense_scope_name_before_first_call", _dense_never_called, input_shape=(3, 6)),
    Case("dense_regularizers", _dense_regularizers, input_shape=(3, 6)),
    Case("dense_rank3_regularizers", _dense_functional_regularizers, input_shape=(2, 3, 4)),
    Case("dense_frozen_beside_trainable", _dense_frozen_beside_trainable, input_shape=(3, 6)),
    Case("dense_named", _dense_named, input_shape=(3, 6)),
    Case("dense_unnamed_uniquified_in_scope", _dense_unnamed_in_scope, input_shape=(3, 6)),
    Case("dense_reuse_true", _dense_reuse_true, input_shape=(3, 6)),
    Case("dense_auto_reuse", _dense_auto_reuse, input_shape=(3, 6)),
    Case("dense_functional_reuse", _dense_functional_reuse, input_shape=(3, 6)),
    Case("dense_called_twice", _dense_called_twice, input_shape=(3, 6)),
    Case("dense_scope_initializer", _dense_scope_initializer, input_shape=(3, 6),
         keep_initializers=True),
    Case("dense_scope_regularizer", _dense_scope_regularizer, input_shape=(3, 6)),
    Case("dense_constraints", _dense_constraints, input_shape=(3, 6)),
    Case("dense_no_bias_string_activation_float_units", _dense_no_bias_string_activation,
         input_shape=(3, 6)),
    Case("dense_float16", _dense_class_relu, input_shape=(3, 6), dtype="float16"),
    Case("dense_float64", _dense_class_relu, input_shape=(3, 6), dtype="float64"),
    Case("dense_float16_rank3_functional", _dense, input_shape=(2, 3, 4), dtype="float16"),
    Case("dense_explicit_float64_casts_input", _dense_explicit_float64, input_shape=(3, 6)),
    Case("dense_unknown_batch", _dense_class_relu, input_shape=(3, 6), placeholder_shape=(None, 6)),
    Case("dense_rank3_unknown_batch_and_time", _dense_class_relu, input_shape=(2, 3, 4),
         placeholder_shape=(None, None, 4)),
    Case("dense_mlp_with_dropout_and_flatten", _dense_mlp_with_dropout_and_flatten),
    Case("dense_after_weightless_wrappers_named_dense", _weightless_wrappers_named_like_dense),
    Case("dense_error_rank_1", _dense_wrong_rank, input_shape=(6,)),
    Case("dense_error_unknown_last_dim", _dense, input_shape=(3, 6), placeholder_shape=(3, None)),
    Case("dense_error_integer_input", _dense, input_shape=(3, 6), dtype="int32"),
    Case("dense_error_negative_units", _dense_negative_units, input_shape=(3, 6)),
    Case("dense_error_already_exists", _dense_already_exists, input_shape=(3, 6)),
    Case("dense_error_does_not_exist", _dense_does_not_exist, input_shape=(3, 6)),
    Case("dense_error_shape_mismatch", _dense_shape_mismatch, input_shape=(3, 6)),
    Case("dense_error_other_width_on_second_call", _dense_other_width_on_second_call,
         input_shape=(3, 6)),
    Case("dense_error_misspelt_keyword", _dense_misspelt_keyword, input_shape=(3, 6),
         our_message=r"^Keyword argument not understood: 'use_biass'\. "
                     r"Did you mean 'use_bias'\?$"),
    Case("dense_error_misspelt_functional_keyword", _dense_misspelt_functional_keyword,
         input_shape=(3, 6),
         our_message=r"^dense\(\) got an unexpected keyword argument 'activaton'\. "
                     r"Did you mean 'activation'\?$"),
    Case("dropout_functional_inference_by_default", _dropout),
    Case("dropout_class_inference_by_default", _dropout_class, input_shape=(4, 7)),
    Case("dropout_class_training_false", _dropout_class_training_false, input_shape=(4, 7)),
    Case("dropout_training_rate_zero", _dropout_training_rate_zero),
    Case("dropout_training_placeholder_false", _dropout_training_placeholder),
    Case("dropout_keep_all_rate_tensor", _dropout_keep_all_rate_tensor),
    Case("dropout_tensor_noise_shape", _dropout_tensor_noise_shape,
         placeholder_shape=(None, 5, 5, 3)),
    Case("dropout_training_none", _dropout_training_none),
    Case("dropout_named_in_scopes", _dropout_named_in_scopes),
    Case("dropout_float16", _dropout_class, input_shape=(4, 7), dtype="float16"),
    Case("dropout_float64_keep_all", _dropout_keep_all_rate_tensor, dtype="float64"),
    Case("dropout_unknown_batch", _dropout_training_placeholder,
         placeholder_shape=(None, 5, 5, 3)),
    Case("dropout_error_rate_above_one", _dropout_rate_too_big),
    Case("dropout_error_negative_rate", _dropout_negative_rate),
    Case("dropout_error_unknown_keyword", _dropout_unknown_keyword,
         our_message=r"^Keyword argument not understood: 'keep_prob'\.$"),
    Case("dropout_error_misspelt_functional_keyword", _dropout_misspelt_functional_keyword,
         our_message=r"^dropout\(\) got an unexpected keyword argument 'trainig'\. "
                     r"Did you mean 'training'\?$"),
    Case("flatten_basic", _flatten),
    Case("flatten_class", _flatten_class, input_shape=(2, 3, 4)),
    Case("flatten_rank2", _flatten_class, input_shape=(3, 6)),
    Case("flatten_rank1", _flatten, input_shape=(5,)),
    Case("flatten_channels_first", _flatten_channels_first, input_shape=(2, 3, 4, 5)),
    Case("flatten_channels_first_rank3", _flatten_channels_first, input_shape=(2, 3, 4)),
    Case("flatten_named", _flatten_named),
    Case("flatten_float16", _flatten_class, dtype="float16"),
    Case("flatten_float64", _flatten, dtype="float64"),
    Case("flatten_unknown_batch", _flatten_class, placeholder_shape=(None, 5, 5, 3)),
    Case("flatten_unknown_inner_dim", _flatten, placeholder_shape=(None, 5, None, 3)),
    Case("flatten_known_batch_unknown_inner_dim", _flatten_channels_first,
         placeholder_shape=(2, None, 5, 3)),
    Case("flatten_error_rank_0", _flatten, input_shape=()),
    Case("flatten_error_bad_data_format", _flatten_bad_data_format),
    Case("flatten_error_unknown_keyword", _flatten_unknown_keyword,
         our_message=r"^Keyword argument not understood: 'keep_dims'\.$"),
)
