"""Bad calls across the layers: every one compared with what TF1 did.

Wrong argument types and lengths, bad strings, non-float inputs, `training`
values that are neither bools nor tensors, misspelt keywords, and variable
sharing gone wrong (`reuse=True` for a missing variable, the same scope twice,
other shapes on reuse). The other groups already hold the commonest argument
checks of each family (zero filters, wrong rank, bad `padding`, ...); these are
the ones they do not. Besides the error (type and message), the runner compares
the variables and graph collections a failed call leaves behind, and
`tests/test_bad_input.py` checks that it leaves none of its own.

See `tests/parity/registry.py` for what a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, vs as _vs
# The conv group's program makers: a class called on the input, a functional
# wrapper with arguments; they serve every layer kind.
from tests.parity.cases.conv import _class, _functional_with

_1D = (2, 9, 3)
_2D = (2, 7, 6, 3)
_3D = (2, 3, 4, 3, 2)
_DENSE = (3, 6)
_BN_VARIABLES = tuple(
    f"batch_normalization/{name}:0" for name in ("gamma", "beta", "moving_mean", "moving_variance")
)


def _called_with_training(kind, training, *args):
    def program(L, x):
        layer = getattr(L, kind)(*args)
        return layer(x, training=training), [layer]

    return program


def _on_strings(function, *args):
    # Inputs are made from floats; a string tensor is one op away.
    def program(L, x):
        return getattr(L, function)(tf.strings.as_string(x), *args), []

    return program


def _same_scope_twice(function, *args):
    # Re-entering a variable scope by name reopens it (its name scope gets a
    # suffix, the variables do not): the second call makes the same variables.
    def program(L, x):
        with _vs("block"):
            getattr(L, function)(x, *args, name="layer")
        with _vs("block"):
            return getattr(L, function)(x, *args, name="layer"), []

    return program


def _missing_in_reuse_scope(kind, *args):
    # An unnamed layer object in a `reuse=True` scope looks for variables no
    # earlier call made.
    def program(L, x):
        with _vs("shared", reuse=True):
            layer = getattr(L, kind)(*args)
            return layer(x), [layer]

    return program


def _half_created(function, taken, shape, *args, **kwargs):
    # Under AUTO_REUSE the layer's first variables are new; a later one exists
    # already with another shape, so the call fails half-way through build.
    def program(L, x):
        with _vs("taken", reuse=tf.compat.v1.AUTO_REUSE):
            tf.compat.v1.get_variable(f"layer/{taken}", shape)
            return getattr(L, function)(x, *args, name="layer", **kwargs), []

    return program


def _wider_input_on_reuse(function, *args):
    def program(L, x):
        getattr(L, function)(x, *args, name="layer")
        wider = tf.concat([x, x], axis=-1)
        return getattr(L, function)(wider, *args, name="layer", reuse=True), []

    return program


def _other_kernel_size_on_reuse(function):
    def program(L, x):
        getattr(L, function)(x, 4, 3, name="layer")
        return getattr(L, function)(x, 4, 2, name="layer", reuse=True), []

    return program


CASES: tuple[Case, ...] = (
    # ------------------------------------------------ convolutions: arguments
    Case("bad_conv1d_kernel_size_word", _functional_with("conv1d", 4, "three"), input_shape=_1D),
    Case("bad_conv2d_kernel_size_float", _functional_with("conv2d", 4, 2.5), input_shape=_2D),
    Case("bad_conv3d_kernel_size_none", _functional_with("conv3d", 4, None), input_shape=_3D),
    Case("bad_conv2d_strides_3_tuple", _functional_with("conv2d", 4, 3, strides=(1, 1, 1)),
         input_shape=_2D),
    Case("bad_conv1d_strides_string", _functional_with("conv1d", 4, 3, strides="2"),
         input_shape=_1D),
    Case("bad_conv3d_negative_strides", _class("Conv3D", 4, 2, strides=-1), input_shape=_3D),
    Case("bad_conv2d_float_dilation", _functional_with("conv2d", 4, 3, dilation_rate=1.5),
         input_shape=_2D),
    Case("bad_conv1d_negative_filters", _functional_with("conv1d", -4, 3), input_shape=_1D),
    Case("bad_conv3d_filters_word", _class("Conv3D", "four", 2), input_shape=_3D),
    Case("bad_conv2d_padding_none", _functional_with("conv2d", 4, 3, padding=None),
         input_shape=_2D),
    Case("bad_conv1d_padding_list", _functional_with("conv1d", 4, 3, padding=["same"]),
         input_shape=_1D),
    Case("bad_conv2d_activation_string", _class("Conv2D", 4, 3, activation="relux"),
         input_shape=_2D),
    Case("bad_conv3d_activation_int", _class("Conv3D", 4, 2, activation=3), input_shape=_3D),
    Case("bad_conv2d_misspelt_functional_kernel_size",
         _functional_with("conv2d", 4, kernal_size=3), input_shape=_2D,
         our_message=r"^conv2d\(\) got an unexpected keyword argument 'kernal_size'\. "
                     r"Did you mean 'kernel_size'\?$"),
    Case("bad_conv3d_misspelt_dilation", _class("Conv3D", 4, 2, dilation=2), input_shape=_3D,
         our_message=r"^Keyword argument not understood: 'dilation'\. "
                     r"Did you mean 'dilation_rate'\?$"),
    # ----------------------------------------------- convolutions: input dtype
    Case("bad_conv2d_int32_input", _functional_with("conv2d", 4, 3), input_shape=_2D,
         dtype="int32"),
    Case("bad_conv1d_bool_input", _class("Conv1D", 4, 3), input_shape=_1D, dtype="bool",
         tf1_leaves_variables=("conv1d/kernel:0", "conv1d/bias:0")),
    # The layer's own initializer meets the string dtype (not the harness's).
    Case("bad_conv3d_string_input", _on_strings("conv3d", 4, 2), input_shape=_3D,
         keep_initializers=True, tf1_leaves_variables=("conv3d/kernel:0", "conv3d/bias:0")),
    # ------------------------------------------------ convolutions: variables
    Case("bad_conv2d_same_scope_twice", _same_scope_twice("conv2d", 4, 3), input_shape=_2D),
    Case("bad_conv1d_missing_in_reuse_scope", _missing_in_reuse_scope("Conv1D", 4, 3),
         input_shape=_1D),
    Case("bad_conv2d_wider_input_on_reuse", _wider_input_on_reuse("conv2d", 4, 3),
         input_shape=_2D),
    # ----------------------------------------------------- transposed convolutions
    Case("bad_conv2d_transpose_strides_3_tuple",
         _functional_with("conv2d_transpose", 4, 3, strides=(2, 2, 2))),
    Case("bad_conv2d_transpose_kernel_size_word", _class("Conv2DTranspose", 4, "three")),
    Case("bad_conv2d_transpose_strides_with_dilation",
         _class("Conv2DTranspose", 4, 3, strides=2, dilation_rate=2)),
    Case("bad_conv2d_transpose_padding_none", _class("Conv2DTranspose", 4, 3, padding=None)),
    Case("bad_conv2d_transpose_int32_input", _functional_with("conv2d_transpose", 4, 3),
         dtype="int32"),
    Case("bad_conv2d_transpose_other_kernel_size_on_reuse",
         _other_kernel_size_on_reuse("conv2d_transpose")),
    Case("bad_conv2d_transpose_same_scope_twice", _same_scope_twice("conv2d_transpose", 4, 3)),
    Case("bad_conv3d_transpose_kernel_size_2_tuple",
         _functional_with("conv3d_transpose", 4, (2, 2)), input_shape=_3D),
    Case("bad_conv3d_transpose_negative_strides", _class("Conv3DTranspose", 4, 2, strides=-2),
         input_shape=_3D),
    Case("bad_conv3d_transpose_bool_input", _functional_with("conv3d_transpose", 4, 2),
         input_shape=_3D, dtype="bool",
         tf1_leaves_variables=("conv3d_transpose/kernel:0", "conv3d_transpose/bias:0"),
         # Eagerly TF1's op error ends in " name: ", ours does not.
         our_message=r"^Value (for attr 'T' of bool is not in the list of allowed values: "
                     r"half, bfloat16, float, double\n|passed to parameter 'filter' has "
                     r"DataType bool not in list of allowed values)"),
    Case("bad_conv3d_transpose_does_not_exist",
         _functional_with("conv3d_transpose", 4, 2, name="nonexist", reuse=True),
         input_shape=_3D),
    # -------------------------------------------------- separable convolutions
    # TF1 failed on the depthwise kernel's shape: "Dimension -1 must be >= 0".
    Case("bad_separable_conv1d_negative_depth_multiplier",
         _functional_with("separable_conv1d", 4, 3, depth_multiplier=-1), input_shape=_1D,
         our_message=r"^Invalid value for argument `depth_multiplier`\. Expected a strictly "
                     r"positive value\. Received depth_multiplier=-1\.$"),
    Case("bad_separable_conv2d_int32_input", _functional_with("separable_conv2d", 4, 3),
         input_shape=_2D, dtype="int32",
         tf1_leaves_variables=("separable_conv2d/depthwise_kernel:0",
                               "separable_conv2d/pointwise_kernel:0", "separable_conv2d/bias:0")),
    Case("bad_separable_conv2d_pointwise_kernel_taken",
         _half_created("separable_conv2d", "pointwise_kernel", [1, 1, 3, 5], 4, 3),
         input_shape=_2D, tf1_leaves_variables=("taken/layer/depthwise_kernel:0",)),
    Case("bad_separable_conv1d_strides_2_tuple",
         _class("SeparableConv1D", 4, 3, strides=(1, 1)), input_shape=_1D),
    Case("bad_separable_conv2d_activation_string",
         _functional_with("separable_conv2d", 4, 3, activation="sigmoidal"), input_shape=_2D),
    Case("bad_separable_conv2d_same_scope_twice", _same_scope_twice("separable_conv2d", 4, 3),
         input_shape=_2D),
    # ------------------------------------------------------------------- Dense
    Case("bad_dense_units_none", _class("Dense", None), input_shape=_DENSE),
    Case("bad_dense_units_word", _functional_with("dense", "four"), input_shape=_DENSE),
    Case("bad_dense_bool_input", _functional_with("dense", 4), input_shape=_DENSE, dtype="bool"),
    Case("bad_dense_string_input", _on_strings("dense", 4), input_shape=_DENSE),
    Case("bad_dense_activation_string", _functional_with("dense", 4, activation="softmaxx"),
         input_shape=_DENSE),
    Case("bad_dense_rank_0", _functional_with("dense", 4), input_shape=()),
    Case("bad_dense_wider_input_on_reuse", _wider_input_on_reuse("dense", 4),
         input_shape=_DENSE),
    Case("bad_dense_same_scope_twice", _same_scope_twice("dense", 4), input_shape=_DENSE),
    Case("bad_dense_missing_in_reuse_scope", _missing_in_reuse_scope("Dense", 4),
         input_shape=_DENSE),
    Case("bad_dense_bias_taken", _half_created("dense", "bias", [5], 4), input_shape=_DENSE,
         tf1_leaves_variables=("taken/layer/kernel:0",)),
    # ----------------------------------------------------------------- Dropout
    Case("bad_dropout_training_string", _called_with_training("Dropout", "yes", 0.5)),
    Case("bad_dropout_training_float", _called_with_training("Dropout", 0.5, 0.5)),
    Case("bad_dropout_rate_string", _functional_with("dropout", "0.5", training=True)),
    Case("bad_dropout_noise_shape_rank",
         _functional_with("dropout", 0.5, noise_shape=[2, 5], training=True)),
    Case("bad_dropout_int32_input", _functional_with("dropout", 0.5, training=True),
         dtype="int32"),
    Case("bad_dropout_rate_one", _functional_with("dropout", 1.0, training=True)),
    # ----------------------------------------------------------------- Flatten
    Case("bad_flatten_misspelt_data_format",
         _functional_with("flatten", data_fromat="channels_first"),
         our_message=r"^flatten\(\) got an unexpected keyword argument 'data_fromat'\. "
                     r"Did you mean 'data_format'\?$"),
    # ----------------------------------------------------------------- Pooling
    Case("bad_max_pooling2d_float_pool_size", _functional_with("max_pooling2d", 2.5, 1),
         input_shape=_2D),
    Case("bad_average_pooling1d_negative_pool_size",
         _functional_with("average_pooling1d", -2, 1), input_shape=_1D),
    # The op's message names TF1's and Keras 3's own op layouts.
    Case("bad_max_pooling1d_zero_strides", _class("MaxPooling1D", 2, 0), input_shape=_1D,
         our_message=r"Stride must be > 0, but got 0"),
    Case("bad_average_pooling2d_int32_input", _functional_with("average_pooling2d", 2, 2),
         input_shape=_2D, dtype="int32"),
    Case("bad_max_pooling3d_bool_input", _class("MaxPooling3D", 2, 1), input_shape=_3D,
         dtype="bool"),
    Case("bad_average_pooling3d_padding_none",
         _functional_with("average_pooling3d", 2, 1, padding=None), input_shape=_3D),
    Case("bad_max_pooling2d_misspelt_padding", _class("MaxPooling2D", 2, 2, paddin="same"),
         input_shape=_2D,
         our_message=r"^Keyword argument not understood: 'paddin'\. Did you mean 'padding'\?$"),
    # ------------------------------------------------------ BatchNormalization
    Case("bad_bn_axis_float", _functional_with("batch_normalization", axis=1.5)),
    Case("bad_bn_axis_none", _class("BatchNormalization", None)),
    Case("bad_bn_training_string", _functional_with("batch_normalization", training="True"),
         tf1_leaves_variables=_BN_VARIABLES),
    Case("bad_bn_class_training_float", _called_with_training("BatchNormalization", 1.0)),
    Case("bad_bn_int32_input", _functional_with("batch_normalization", training=True),
         dtype="int32", tf1_leaves_variables=_BN_VARIABLES),
    Case("bad_bn_rank_1", _functional_with("batch_normalization", training=True),
         input_shape=(6,)),
    Case("bad_bn_same_scope_twice", _same_scope_twice("batch_normalization")),
    Case("bad_bn_wider_input_on_reuse", _wider_input_on_reuse("batch_normalization")),
    # The messages name graph nodes (TF1's `concat_1`, our `concat`) or differ
    # between graph shape inference and the eager kernel.
    Case("bad_bn_virtual_batch_not_dividing_batch",
         _functional_with("batch_normalization", virtual_batch_size=3, training=True),
         input_shape=(4, 3, 3, 2), tf1_leaves_variables=_BN_VARIABLES,
         our_message=r"^(Dimension size must be evenly divisible by 54 but is 72 |"
                     r".*Input to reshape is a tensor with 72 values)"),
    Case("bad_bn_moving_mean_taken",
         _half_created("batch_normalization", "moving_mean", [5], training=True),
         tf1_leaves_variables=("taken/layer/gamma:0", "taken/layer/beta:0")),
)
