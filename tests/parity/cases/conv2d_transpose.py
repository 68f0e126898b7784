"""Parity cases for `Conv2DTranspose` / `conv2d_transpose`.

See `tests/parity/registry.py` for what a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, l2 as _l2, vs as _vs


def _rename_kernel(getter, name, *args, **kwargs):
    return getter(name.replace("/kernel", "/weights"), *args, **kwargs)


def _basic(L, x):
    return L.conv2d_transpose(x, 4, 3), []


def _stride2_same(L, x):
    return L.conv2d_transpose(x, 4, 3, strides=2, padding="same"), []


def _class_stride2_same(L, x):
    layer = L.Conv2DTranspose(4, 3, strides=2, padding="same")
    return layer(x), [layer]


def _never_called_layer(L, x):
    unused = L.Conv2DTranspose(4, 3, name="spare")
    unnamed = L.Conv2DTranspose(4, 3)
    return L.conv2d_transpose(x, 4, 3), [unused, unnamed]


def _rect_valid(L, x):
    layer = L.Conv2DTranspose(4, (3, 2), strides=(2, 1), padding="valid")
    return layer(x), [layer]


def _upper_same_odd(L, x):
    layer = L.Conv2DTranspose(3, (4, 3), strides=(2, 3), padding="SAME")
    return layer(x), [layer]


def _relu_no_bias(L, x):
    layer = L.Conv2DTranspose(4, 3, activation=tf.nn.relu, use_bias=False)
    return layer(x), [layer]


def _regularizers(L, x):
    layer = L.Conv2DTranspose(
        4,
        3,
        kernel_regularizer=_l2(0.1),
        bias_regularizer=tf.nn.l2_loss,
        activity_regularizer=_l2(0.01),
    )
    return layer(x), [layer]


def _frozen_beside_trainable(L, x):
    frozen = L.Conv2DTranspose(4, 3, trainable=False, kernel_regularizer=tf.nn.l2_loss)
    trained = L.Conv2DTranspose(2, 3, padding="same")
    return trained(frozen(x)), [frozen, trained]


def _named(L, x):
    layer = L.Conv2DTranspose(4, 3, name="deconv")
    y = L.conv2d_transpose(layer(x), 2, 3, padding="same", name="up")
    return y, [layer]


def _unnamed_in_scope(L, x):
    with _vs("gen"):
        first = L.Conv2DTranspose(4, 3, padding="same")
        y = first(x)
        y = L.conv2d_transpose(y, 4, 3, padding="same")
        second = L.Conv2DTranspose(2, 3, padding="same")
        y = second(y)
    outside = L.Conv2DTranspose(2, 1)
    return outside(y), [first, second, outside]


def _reuse_true(L, x):
    with _vs("g"):
        y1 = L.conv2d_transpose(x, 4, 3, name="d")
        first = L.Conv2DTranspose(4, 3, name="e")
        y2 = first(x)
    with _vs("g", reuse=True):
        y3 = L.conv2d_transpose(x, 4, 3, name="d")
        y4 = L.conv2d_transpose(x, 4, 3, name="e")
    return y1 + 2.0 * y2 + 3.0 * y3 + 4.0 * y4, [first]


def _class_named_in_reuse_scope(L, x):
    # A named layer object takes `default_name="d"`: in a fresh entry of the
    # reuse=True scope that is `g/d`, the variables of the functional call.
    with _vs("g"):
        L.conv2d_transpose(x, 4, 3, name="d")
    with _vs("g", reuse=True):
        layer = L.Conv2DTranspose(4, 3, name="d")
        return layer(x), [layer]


def _class_named_after_functional_in_reuse_scope(L, x):
    # TF1 quirk kept: the functional call already opened `g/d` in this scope
    # entry, so the named layer object gets `g/d_1`, which reuse=True cannot find.
    with _vs("g"):
        L.conv2d_transpose(x, 4, 3, name="d")
    with _vs("g", reuse=True):
        L.conv2d_transpose(x, 4, 3, name="d")
        layer = L.Conv2DTranspose(4, 3, name="d")
        return layer(x), [layer]


def _other_channels_on_second_call(L, x):
    layer = L.Conv2DTranspose(4, 3)
    layer(x)
    return layer(tf.concat([x, x], axis=-1)), [layer]


def _auto_reuse(L, x):
    outputs = []
    for _ in range(2):
        with _vs("tower", reuse=tf.compat.v1.AUTO_REUSE):
            outputs.append(L.conv2d_transpose(x, 4, 3, name="d"))
            outputs.append(L.conv2d_transpose(x, 4, 3))
    return tf.add_n(outputs), []


def _functional_reuse(L, x):
    y1 = L.conv2d_transpose(x, 4, 3, strides=2, name="up")
    y2 = L.conv2d_transpose(x, 4, 3, strides=2, name="up", reuse=True)
    return y1 - y2 * 0.5, []


def _called_twice(L, x):
    layer = L.Conv2DTranspose(3, 3, padding="same", activation=tf.nn.relu)
    return layer(layer(x)), [layer]


def _nested_scopes(L, x):
    with _vs("a"):
        with _vs("b"):
            y = L.conv2d_transpose(x, 4, 3, padding="same")
        with tf.name_scope("ops_only"):
            inner = L.Conv2DTranspose(4, 3, padding="same")
            y = inner(y)
        with _vs("c"):
            y = L.conv2d_transpose(y, 2, 3, padding="same", name="out")
    return y, [inner]


def _channels_first(L, x):
    layer = L.Conv2DTranspose(4, 3, strides=2, padding="same", data_format="channels_first")
    return layer(x), [layer]


def _dilation(L, x):
    layer = L.Conv2DTranspose(4, 3, dilation_rate=2, padding="valid")
    return layer(x), [layer]


def _output_padding(L, x):
    layer = L.Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1)
    return layer(x), [layer]


def _scope_initializer(L, x):
    with _vs("init", initializer=tf.compat.v1.constant_initializer(0.25)):
        layer = L.Conv2DTranspose(
            4, 3, bias_initializer=tf.compat.v1.constant_initializer(0.5)
        )
        y = layer(x)
    return y, [layer]


def _scope_regularizer(L, x):
    with _vs("reg", regularizer=tf.nn.l2_loss):
        layer = L.Conv2DTranspose(4, 3)
        y = layer(x)
    return y, [layer]


def _custom_getter(L, x):
    with _vs("cg", custom_getter=_rename_kernel):
        layer = L.Conv2DTranspose(4, 3)
        y = layer(x)
    return y, [layer]


def _constraints(L, x):
    layer = L.Conv2DTranspose(
        4, 3, kernel_constraint=lambda w: tf.clip_by_value(w, -0.1, 0.1),
        bias_constraint=tf.abs,
    )
    return layer(x), [layer]


def _string_activation(L, x):
    layer = L.Conv2DTranspose(4.0, 3, activation="tanh")
    return layer(x), [layer]


# ------------------------------------------------------------- bad inputs
def _wrong_rank_3(L, x):
    return L.conv2d_transpose(x, 4, 3), []


def _bad_padding(L, x):
    return L.conv2d_transpose(x, 4, 3, padding="full"), []


def _bad_data_format(L, x):
    return L.conv2d_transpose(x, 4, 3, data_format="NHWC"), []


def _zero_filters(L, x):
    return L.conv2d_transpose(x, 0, 3), []


def _negative_filters(L, x):
    layer = L.Conv2DTranspose(-2, 3)
    return layer(x), [layer]


def _already_exists(L, x):
    L.conv2d_transpose(x, 4, 3, name="deconv")
    return L.conv2d_transpose(x, 4, 3, name="deconv"), []


def _does_not_exist(L, x):
    return L.conv2d_transpose(x, 4, 3, name="nonexist", reuse=True), []


def _shape_mismatch(L, x):
    L.conv2d_transpose(x, 4, 3, name="deconv")
    return L.conv2d_transpose(x, 5, 3, name="deconv", reuse=True), []


def _misspelt_keyword(L, x):
    layer = L.Conv2DTranspose(4, kernels_size=3)
    return layer(x), [layer]


def _misspelt_functional_keyword(L, x):
    return L.conv2d_transpose(x, 4, kernels_size=3), []


def _unknown_keyword(L, x):
    layer = L.Conv2DTranspose(4, 3, foo=1)
    return layer(x), [layer]


CASES: tuple[Case, ...] = (
    Case("basic", _basic),
    Case("stride2_same", _stride2_same),
    Case("rect_kernel_stride_valid", _rect_valid, input_shape=(2, 4, 6, 3)),
    Case("upper_same_odd_sizes", _upper_same_odd, input_shape=(3, 5, 7, 2)),
    Case("relu_without_bias", _relu_no_bias),
    Case("regularizers", _regularizers),
    Case("frozen_beside_trainable", _frozen_beside_trainable),
    Case("named", _named),
    Case("unnamed_uniquified_in_scope", _unnamed_in_scope),
    Case("reuse_true", _reuse_true),
    Case("auto_reuse", _auto_reuse),
    Case("functional_reuse", _functional_reuse),
    Case("called_twice", _called_twice),
    Case("nested_scopes", _nested_scopes),
    Case("channels_first", _channels_first, input_shape=(2, 3, 5, 4)),
    Case("float16", _class_stride2_same, dtype="float16"),
    Case("float64", _class_stride2_same, dtype="float64"),
    Case("float16_functional", _stride2_same, dtype="float16"),
    Case("dilation", _dilation),
    Case("output_padding", _output_padding),
    Case("unknown_batch", _class_stride2_same, placeholder_shape=(None, 5, 5, 3)),
    Case("unknown_spatial", _rect_valid, input_shape=(2, 4, 6, 3), placeholder_shape=(None, None, None, 3)),
    Case("scope_name_before_first_call", _never_called_layer),
    Case("scope_initializer", _scope_initializer, keep_initializers=True),
    Case("scope_regularizer", _scope_regularizer),
    Case("custom_getter_rename", _custom_getter),
    Case("constraints", _constraints),
    Case("string_activation_float_filters", _string_activation),
    # Bad input: TF1's exception type and message, nothing left half-created.
    Case("error_rank_3", _wrong_rank_3, input_shape=(2, 5, 3)),
    Case("error_rank_5", _wrong_rank_3, input_shape=(1, 2, 5, 5, 3)),
    Case("error_unknown_channels", _basic, placeholder_shape=(None, 5, 5, None)),
    Case("error_unknown_channels_first", _channels_first, input_shape=(2, 3, 5, 4),
         placeholder_shape=(None, None, 5, 4)),
    Case("error_bad_padding", _bad_padding),
    Case("error_bad_data_format", _bad_data_format),
    Case("error_zero_filters", _zero_filters),
    Case("error_negative_filters", _negative_filters),
    Case("error_already_exists", _already_exists),
    Case("error_does_not_exist", _does_not_exist),
    Case("error_shape_mismatch", _shape_mismatch),
    Case("class_named_in_reuse_scope", _class_named_in_reuse_scope),
    Case("error_class_named_after_functional_in_reuse_scope",
         _class_named_after_functional_in_reuse_scope),
    Case("error_other_channels_on_second_call", _other_channels_on_second_call),
    Case("error_unknown_keyword", _unknown_keyword,
         our_message=r"^Keyword argument not understood: 'foo'\.$"),
    Case("error_misspelt_keyword", _misspelt_keyword,
         our_message=r"^Keyword argument not understood: 'kernels_size'\. "
                     r"Did you mean 'kernel_size'\?$"),
    Case("error_misspelt_functional_keyword", _misspelt_functional_keyword,
         our_message=r"^conv2d_transpose\(\) got an unexpected keyword argument "
                     r"'kernels_size'\. Did you mean 'kernel_size'\?$"),
)

