"""Parity cases for the rest of the convolution family.

`Conv1D`/`conv1d`, `Conv2D`/`conv2d`, `Conv3D`/`conv3d`,
`Conv3DTranspose`/`conv3d_transpose`, `SeparableConv1D`/`separable_conv1d`,
`SeparableConv2D`/`separable_conv2d`, plus argument checks `Conv2DTranspose`
shares with them. See `tests/parity/registry.py` for what a case is and how it
is run.

Not here, because TF1 failed inside an op there (in `Session.run`, or with an
op error that Keras 2 and Keras 3 wrap in different words):

* `channels_first` runs of the non-transposed layers and of `Conv3DTranspose`:
  TF1 ran them natively in NCHW/NCDHW, which TensorFlow's CPU kernels do not
  implement (compat_layers transposes to channels_last on CPU instead);
* outputs of size 0 (graph-mode shape inference rejects them, eager runs them);
* separable convolutions given several batch axes or an input smaller than the
  kernel (TF1's separable layers skipped the checks the others make in `build`).
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, l2 as _l2, vs as _vs

_1D = (2, 9, 3)
_2D = (2, 7, 6, 3)
_3D = (2, 5, 6, 4, 2)
_3D_SMALL = (2, 3, 4, 3, 2)


def _clip(w):
    return tf.clip_by_value(w, -0.1, 0.1)


# --------------------------------------------------------------- programs
# Programs are made per layer: `kind` names the class (`"Conv2D"`), `function`
# the functional wrapper (`"conv2d"`), so one program serves the whole family.
def _functional(function):
    def program(L, x):
        return getattr(L, function)(x, 4, 3), []

    return program


def _class(kind, *args, **kwargs):
    def program(L, x):
        layer = getattr(L, kind)(*args, **kwargs)
        return layer(x), [layer]

    return program


def _functional_with(function, *args, **kwargs):
    def program(L, x):
        return getattr(L, function)(x, *args, **kwargs), []

    return program


def _regularizers(kind):
    def program(L, x):
        layer = getattr(L, kind)(
            4,
            3,
            kernel_regularizer=_l2(0.1),
            bias_regularizer=tf.nn.l2_loss,
            activity_regularizer=_l2(0.01),
        )
        return layer(x), [layer]

    return program


def _separable_regularizers(kind):
    def program(L, x):
        layer = getattr(L, kind)(
            4,
            3,
            depth_multiplier=2,
            depthwise_regularizer=_l2(0.1),
            pointwise_regularizer=tf.nn.l2_loss,
            bias_regularizer=_l2(0.5),
            activity_regularizer=_l2(0.01),
        )
        return layer(x), [layer]

    return program


def _frozen_beside_trainable(kind, **regularizer):
    def program(L, x):
        frozen = getattr(L, kind)(4, 3, padding="same", trainable=False, **regularizer)
        trained = getattr(L, kind)(2, 1)
        return trained(frozen(x)), [frozen, trained]

    return program


def _named_and_reuse(function, kind):
    # A named layer object, then functional calls that share its variables
    # through `reuse=True` and through a reuse=True scope.
    def program(L, x):
        with _vs("g"):
            layer = getattr(L, kind)(4, 3, padding="same", name="c")
            y1 = layer(x)
            y2 = getattr(L, function)(x, 4, 3, padding="same", name="c", reuse=True)
        with _vs("g", reuse=True):
            y3 = getattr(L, function)(x, 4, 3, padding="same", name="c")
        return y1 + 2.0 * y2 + 3.0 * y3, [layer]

    return program


def _unnamed_in_scope(kind):
    def program(L, x):
        with _vs("enc"):
            first = getattr(L, kind)(4, 3, padding="same")
            y = first(x)
            second = getattr(L, kind)(2, 1)
            y = second(y)
        outside = getattr(L, kind)(3, 1)
        return outside(y), [first, second, outside]

    return program


def _called_twice(kind, filters):
    def program(L, x):
        layer = getattr(L, kind)(filters, 3, padding="same", activation=tf.nn.relu)
        return layer(layer(x)), [layer]

    return program


def _auto_reuse(function):
    def program(L, x):
        outputs = []
        for _ in range(2):
            with _vs("tower", reuse=tf.compat.v1.AUTO_REUSE):
                outputs.append(getattr(L, function)(x, 4, 3, padding="same", name="c"))
        return tf.add_n(outputs), []

    return program


def _already_exists(function):
    def program(L, x):
        getattr(L, function)(x, 4, 3, name="c")
        return getattr(L, function)(x, 4, 3, name="c"), []

    return program


def _does_not_exist(function):
    def program(L, x):
        return getattr(L, function)(x, 4, 3, name="nonexist", reuse=True), []

    return program


def _shape_mismatch(function):
    def program(L, x):
        getattr(L, function)(x, 4, 3, name="c")
        return getattr(L, function)(x, 5, 3, name="c", reuse=True), []

    return program


def _other_channels_on_second_call(kind, axis=-1, **kwargs):
    def program(L, x):
        layer = getattr(L, kind)(4, 3, **kwargs)
        layer(x)
        return layer(tf.concat([x, x], axis=axis)), [layer]

    return program


def _other_rank_on_second_call(kind):
    def program(L, x):
        layer = getattr(L, kind)(4, 3)
        layer(x)
        return layer(x[None]), [layer]

    return program


def _scope_initializer(kind):
    def program(L, x):
        with _vs("init", initializer=tf.compat.v1.constant_initializer(0.25)):
            layer = getattr(L, kind)(4, 3, bias_initializer=tf.compat.v1.constant_initializer(0.5))
            y = layer(x)
        return y, [layer]

    return program


def _constraints(kind):
    def program(L, x):
        layer = getattr(L, kind)(4, 3, kernel_constraint=_clip, bias_constraint=tf.abs)
        return layer(x), [layer]

    return program


def _separable_constraints(kind):
    def program(L, x):
        layer = getattr(L, kind)(
            4, 3, depthwise_constraint=_clip, pointwise_constraint=tf.abs, bias_constraint=tf.abs
        )
        return layer(x), [layer]

    return program


def _ignores_kernel_arguments(kind):
    # TF1's separable classes took the plain convolution's kernel arguments
    # through **kwargs and never used them.
    def program(L, x):
        layer = getattr(L, kind)(
            4,
            3,
            kernel_initializer=tf.compat.v1.ones_initializer(),
            kernel_regularizer=tf.nn.l2_loss,
            kernel_constraint=tf.abs,
        )
        return layer(x), [layer]

    return program


def _groups(L, x):
    layer = L.Conv2D(4, 2, groups=2)
    return layer(x), [layer]


def _misspelt_keyword(L, x):
    layer = L.Conv2D(4, kernels_size=3)
    return layer(x), [layer]


def _misspelt_separable_keyword(L, x):
    return L.separable_conv2d(x, 4, 3, depth_multipler=2), []


# ------------------------------------------------------------------ cases
def _family(prefix, kind, function, input_shape, separable=False):
    """Cases every non-transposed convolution shares."""
    rank = len(input_shape) - 2
    weights = "depthwise" if separable else "kernel"
    cases = (
        Case(f"{prefix}_basic", _functional(function), input_shape=input_shape),
        Case(f"{prefix}_regularizers",
             (_separable_regularizers if separable else _regularizers)(kind),
             input_shape=input_shape),
        Case(f"{prefix}_frozen_beside_trainable",
             _frozen_beside_trainable(kind, **{f"{weights}_regularizer": tf.nn.l2_loss}),
             input_shape=input_shape),
        Case(f"{prefix}_named_and_reuse", _named_and_reuse(function, kind),
             input_shape=input_shape),
        Case(f"{prefix}_unnamed_in_scope", _unnamed_in_scope(kind), input_shape=input_shape),
        Case(f"{prefix}_called_twice", _called_twice(kind, input_shape[-1]),
             input_shape=input_shape),
        Case(f"{prefix}_auto_reuse", _auto_reuse(function), input_shape=input_shape),
        Case(f"{prefix}_constraints",
             (_separable_constraints if separable else _constraints)(kind),
             input_shape=input_shape),
        Case(f"{prefix}_scope_initializer", _scope_initializer(kind), input_shape=input_shape,
             keep_initializers=True),
        Case(f"{prefix}_float16", _class(kind, 4, 3, padding="same"), input_shape=input_shape,
             dtype="float16"),
        Case(f"{prefix}_float64", _class(kind, 4, 3, padding="same"), input_shape=input_shape,
             dtype="float64"),
        Case(f"{prefix}_float_filters_string_activation", _class(kind, 4.0, 3, activation="tanh"),
             input_shape=input_shape),
        Case(f"{prefix}_unknown_batch", _class(kind, 4, 3, strides=2, padding="same"),
             input_shape=input_shape, placeholder_shape=(None, *input_shape[1:])),
        Case(f"{prefix}_unknown_spatial", _class(kind, 4, 3, strides=2),
             input_shape=input_shape, placeholder_shape=(None,) * (rank + 1) + input_shape[-1:]),
        Case(f"{prefix}_error_rank", _functional(function), input_shape=input_shape[1:]),
        Case(f"{prefix}_error_unknown_channels", _functional(function),
             input_shape=input_shape, placeholder_shape=(None, *input_shape[1:-1], None)),
        Case(f"{prefix}_error_other_channels_on_second_call",
             _other_channels_on_second_call(kind), input_shape=input_shape),
        Case(f"{prefix}_error_bad_padding", _functional_with(function, 4, 3, padding="FULL"),
             input_shape=input_shape),
        Case(f"{prefix}_error_bad_data_format",
             _functional_with(function, 4, 3, data_format="NHWC"), input_shape=input_shape),
        Case(f"{prefix}_error_zero_filters", _functional_with(function, 0, 3),
             input_shape=input_shape),
        Case(f"{prefix}_error_zero_kernel_size", _functional_with(function, 4, 0),
             input_shape=input_shape),
        Case(f"{prefix}_error_kernel_size_length",
             _functional_with(function, 4, (3,) * (rank + 1)), input_shape=input_shape),
        Case(f"{prefix}_error_zero_strides", _functional_with(function, 4, 3, strides=0),
             input_shape=input_shape),
        Case(f"{prefix}_error_negative_dilation",
             _functional_with(function, 4, 3, dilation_rate=-1), input_shape=input_shape),
        Case(f"{prefix}_error_strides_with_dilation",
             _functional_with(function, 4, 3, strides=2, dilation_rate=2),
             input_shape=input_shape),
        Case(f"{prefix}_error_already_exists", _already_exists(function), input_shape=input_shape),
        Case(f"{prefix}_error_does_not_exist", _does_not_exist(function), input_shape=input_shape),
        Case(f"{prefix}_error_shape_mismatch", _shape_mismatch(function), input_shape=input_shape),
    )
    if separable:
        return cases
    # TF1's separable convolutions failed inside the op for these (see the
    # module docstring).
    return cases + (
        Case(f"{prefix}_extra_batch_axes", _class(kind, 4, 3, padding="same"),
             input_shape=(2, *input_shape)),
        Case(f"{prefix}_error_negative_output", _class(kind, 4, max(input_shape[1:-1]) + 2),
             input_shape=input_shape),
    )


def _separable_family(prefix, kind, function, input_shape):
    """What the separable convolutions add or do differently."""
    return (
        Case(f"{prefix}_depth_multiplier_stride2_same",
             _class(kind, 5, 3, strides=2, padding="same", depth_multiplier=2),
             input_shape=input_shape),
        Case(f"{prefix}_dilation", _class(kind, 4, 3, dilation_rate=2, depth_multiplier=3),
             input_shape=input_shape),
        Case(f"{prefix}_relu_without_bias",
             _functional_with(function, 4, 3, activation=tf.nn.relu, use_bias=False),
             input_shape=input_shape),
        Case(f"{prefix}_ignores_kernel_arguments", _ignores_kernel_arguments(kind),
             input_shape=input_shape),
        Case(f"{prefix}_error_other_rank_on_second_call", _other_rank_on_second_call(kind),
             input_shape=input_shape),
    )


def _transpose_3d_cases():
    kind, function, shape = "Conv3DTranspose", "conv3d_transpose", _3D_SMALL
    return (
        Case("conv3d_transpose_basic", _functional(function), input_shape=shape),
        Case("conv3d_transpose_stride2_same", _class(kind, 4, 3, strides=2, padding="same"),
             input_shape=shape),
        Case("conv3d_transpose_rect_kernel_stride_valid",
             _class(kind, 3, (3, 2, 4), strides=(2, 1, 3), padding="valid"), input_shape=shape),
        Case("conv3d_transpose_upper_same_odd",
             _class(kind, 2, (4, 3, 2), strides=(3, 2, 1), padding="SAME"), input_shape=shape),
        Case("conv3d_transpose_output_padding",
             _class(kind, 4, 3, strides=2, padding="same", output_padding=1), input_shape=shape),
        # TF1 checked `dilation_rate` against `strides`, then never applied it.
        Case("conv3d_transpose_dilation_ignored", _class(kind, 4, 3, dilation_rate=2),
             input_shape=shape),
        Case("conv3d_transpose_relu_without_bias",
             _class(kind, 4, 3, activation=tf.nn.relu, use_bias=False), input_shape=shape),
        Case("conv3d_transpose_regularizers", _regularizers(kind), input_shape=shape),
        Case("conv3d_transpose_frozen_beside_trainable",
             _frozen_beside_trainable(kind, kernel_regularizer=tf.nn.l2_loss), input_shape=shape),
        Case("conv3d_transpose_named_and_reuse", _named_and_reuse(function, kind),
             input_shape=shape),
        Case("conv3d_transpose_called_twice", _called_twice(kind, shape[-1]), input_shape=shape),
        Case("conv3d_transpose_float16", _class(kind, 4, 3, strides=2, padding="same"),
             input_shape=shape, dtype="float16"),
        Case("conv3d_transpose_float64", _class(kind, 4, 3, strides=2, padding="same"),
             input_shape=shape, dtype="float64"),
        Case("conv3d_transpose_unknown_batch", _class(kind, 4, 3, strides=2),
             input_shape=shape, placeholder_shape=(None, *shape[1:])),
        Case("conv3d_transpose_unknown_spatial", _class(kind, 4, 3, strides=(2, 1, 2)),
             input_shape=shape, placeholder_shape=(None, None, None, None, shape[-1])),
        Case("conv3d_transpose_error_rank_4", _functional(function), input_shape=shape[1:]),
        Case("conv3d_transpose_error_rank_6", _functional(function), input_shape=(1, *shape)),
        Case("conv3d_transpose_error_unknown_channels", _functional(function), input_shape=shape,
             placeholder_shape=(None, *shape[1:-1], None)),
        Case("conv3d_transpose_error_other_channels_on_second_call",
             _other_channels_on_second_call(kind), input_shape=shape),
        Case("conv3d_transpose_error_bad_padding",
             _functional_with(function, 4, 3, padding="full"), input_shape=shape),
        Case("conv3d_transpose_error_causal_padding",
             _functional_with(function, 4, 3, padding="causal"), input_shape=shape),
        Case("conv3d_transpose_error_bad_data_format",
             _functional_with(function, 4, 3, data_format="channels"), input_shape=shape),
        Case("conv3d_transpose_error_zero_filters", _functional_with(function, 0, 3),
             input_shape=shape),
        Case("conv3d_transpose_error_output_padding_not_below_strides",
             _class(kind, 4, 3, strides=2, output_padding=(1, 2, 1)), input_shape=shape),
        Case("conv3d_transpose_error_negative_output_padding",
             _class(kind, 4, 3, strides=2, output_padding=-1), input_shape=shape),
        Case("conv3d_transpose_error_strides_with_dilation",
             _class(kind, 4, 3, strides=2, dilation_rate=2), input_shape=shape),
        Case("conv3d_transpose_error_already_exists", _already_exists(function),
             input_shape=shape),
        Case("conv3d_transpose_error_shape_mismatch", _shape_mismatch(function),
             input_shape=shape),
    )


CASES: tuple[Case, ...] = (
    *_family("conv1d", "Conv1D", "conv1d", _1D),
    Case("conv1d_stride3_upper_valid", _class("Conv1D", 5, (4,), strides=(3,), padding="VALID"),
         input_shape=_1D),
    Case("conv1d_causal_dilation", _class("Conv1D", 4, 3, padding="causal", dilation_rate=2),
         input_shape=_1D),
    Case("conv1d_causal_functional_stride2",
         _functional_with("conv1d", 4, 3, strides=2, padding="Causal"), input_shape=_1D),
    Case("conv1d_causal_extra_batch_axes", _class("Conv1D", 4, 2, padding="causal"),
         input_shape=(2, *_1D)),
    Case("conv1d_dilation", _class("Conv1D", 4, 3, dilation_rate=3), input_shape=_1D),
    *_family("conv2d", "Conv2D", "conv2d", _2D),
    Case("conv2d_rect_kernel_stride_valid",
         _class("Conv2D", 4, (3, 2), strides=(2, 1), padding="valid"), input_shape=_2D),
    Case("conv2d_upper_same_odd_strides",
         _class("Conv2D", 3, (4, 3), strides=(2, 3), padding="SAME"),
         input_shape=_2D),
    Case("conv2d_dilation", _class("Conv2D", 4, 3, dilation_rate=(2, 1)), input_shape=_2D),
    Case("conv2d_relu_without_bias", _class("Conv2D", 4, 3, activation=tf.nn.relu, use_bias=False),
         input_shape=_2D),
    Case("conv2d_groups", _groups, input_shape=(1, 5, 5, 6)),
    Case("conv2d_error_groups_do_not_divide_filters",
         _class("Conv2D", 4, 2, groups=3), input_shape=(1, 5, 5, 6)),
    Case("conv2d_error_groups_do_not_divide_channels", _class("Conv2D", 4, 2, groups=2),
         input_shape=(1, 5, 5, 3)),
    Case("conv2d_error_causal_padding", _functional_with("conv2d", 4, 3, padding="causal"),
         input_shape=_2D),
    Case("conv2d_error_misspelt_keyword", _misspelt_keyword, input_shape=_2D,
         our_message=r"^Keyword argument not understood: 'kernels_size'\. "
                     r"Did you mean 'kernel_size'\?$"),
    *_family("conv3d", "Conv3D", "conv3d", _3D),
    Case("conv3d_stride_valid", _class("Conv3D", 3, (3, 2, 2), strides=(1, 2, 2)),
         input_shape=_3D),
    Case("conv3d_dilation", _class("Conv3D", 4, 2, dilation_rate=(2, 1, 2)), input_shape=_3D),
    Case("conv3d_error_causal_padding", _functional_with("conv3d", 4, 3, padding="causal"),
         input_shape=_3D),
    *_transpose_3d_cases(),
    *_family("separable_conv1d", "SeparableConv1D", "separable_conv1d", _1D, separable=True),
    *_separable_family("separable_conv1d", "SeparableConv1D", "separable_conv1d", _1D),
    Case("separable_conv1d_causal_dilation",
         _class("SeparableConv1D", 4, 3, padding="causal", dilation_rate=2, depth_multiplier=2),
         input_shape=_1D),
    *_family("separable_conv2d", "SeparableConv2D", "separable_conv2d", _2D, separable=True),
    *_separable_family("separable_conv2d", "SeparableConv2D", "separable_conv2d", _2D),
    Case("separable_conv2d_error_causal_padding",
         _functional_with("separable_conv2d", 4, 3, padding="causal"), input_shape=_2D),
    Case("separable_conv2d_error_misspelt_functional_keyword", _misspelt_separable_keyword,
         input_shape=_2D,
         our_message=r"^separable_conv2d\(\) got an unexpected keyword argument "
                     r"'depth_multipler'\. Did you mean 'depth_multiplier'\?$"),
    # Argument checks Conv2DTranspose shares with the family.
    Case("conv2d_transpose_error_causal_padding",
         _functional_with("conv2d_transpose", 4, 3, padding="causal")),
    Case("conv2d_transpose_error_zero_strides",
         _functional_with("conv2d_transpose", 4, 3, strides=0)),
    Case("conv2d_transpose_error_kernel_size_length",
         _functional_with("conv2d_transpose", 4, (3, 3, 3))),
    Case("conv2d_transpose_error_output_padding_not_below_strides",
         _class("Conv2DTranspose", 4, 3, strides=(2, 1), output_padding=1)),
    Case("conv2d_transpose_error_other_channels_first_on_second_call",
         _other_channels_on_second_call("Conv2DTranspose", axis=1, data_format="channels_first"),
         input_shape=(2, 3, 5, 4)),
)
