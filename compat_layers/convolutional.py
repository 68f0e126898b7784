"""Convolution layers of `tf.compat.v1.layers`, thin over Keras 3.

Private bases hold what TF1's convolutions shared, once each:

* `_Conv`: `Conv1D`, `Conv2D`, `Conv3D`;
* `_SeparableConv` (a `_Conv`): `SeparableConv1D`, `SeparableConv2D`;
* `_ConvTranspose`: `Conv2DTranspose`, `Conv3DTranspose`.

Each public class is `class X(<private base>, keras.layers.X)`: the private base
(a `base.Layer`) checks arguments with TF1's messages and runs TF1's op
sequence; the Keras 3 layer underneath holds the configuration and builds the
weights, through `base.Layer.add_weight` (so from `get_variable`).
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from compat_layers import _arguments, base
from compat_layers._types import Activation, Constraint, Initializer, Regularizer

__all__ = [
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "SeparableConv1D",
    "SeparableConv2D",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "separable_conv1d",
    "separable_conv2d",
]

_IntOrSingle = int | tuple[int] | list[int]
_IntOrPair = int | tuple[int, int] | list[int]
_IntOrTriple = int | tuple[int, int, int] | list[int]

# TF1 capitalized "Use" in its convolutions' deprecation warnings.
_ADVICE = "Please Use `tf.keras.layers.{layer}` instead."


# ---------------------------------------------------------------- arguments
def _conv_arguments(
    rank: int,
    filters: Any,
    kernel_size: Any,
    strides: Any,
    padding: Any,
    data_format: Any,
    dilation_rate: Any,
    *,
    causal_allowed: bool,
    groups: int = 1,
) -> dict[str, Any]:
    """The arguments every TF1 convolution shared, checked in TF1's order."""
    arguments = {
        "filters": _arguments.normalize_filters(filters),
        "kernel_size": _arguments.normalize_tuple(kernel_size, rank, "kernel_size"),
        "strides": _arguments.normalize_tuple(strides, rank, "strides", allow_zero=True),
        "padding": _arguments.normalize_padding(padding),
        "data_format": _arguments.normalize_data_format(data_format),
        "dilation_rate": _arguments.normalize_tuple(dilation_rate, rank, "dilation_rate"),
    }
    strides, dilation_rate = arguments["strides"], arguments["dilation_rate"]
    if arguments["filters"] is not None and arguments["filters"] % groups:
        raise ValueError(
            "The number of filters must be evenly divisible by the number of "
            f"groups. Received: groups={groups}, filters={arguments['filters']}"
        )
    if not all(strides):
        raise ValueError(
            f"The argument `strides` cannot contains 0(s). Received: {strides}"
        )
    if arguments["padding"] == "causal" and not causal_allowed:
        raise ValueError(
            "Causal padding is only supported for `Conv1D`and `SeparableConv1D`."
        )
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation_rate}"
        )
    return arguments


# ------------------------------------------------------------------- shapes
def _channel_axis(data_format: str, rank: int) -> int:
    # Counted from the end, as TF1 did: extra leading batch axes do not move it.
    return -rank - 1 if data_format == "channels_first" else -1


def check_channels(
    input_shape: Any, data_format: str, rank: int, layer_name: str | None = None
) -> int:
    """The channel count of `input_shape`; TF1's message when it is unknown.

    TF1 named the layer (`layer_name`) only for the transposed convolutions.
    """
    input_shape = tuple(input_shape)
    axis = _channel_axis(data_format, rank)
    channels = input_shape[axis]
    if channels is None:
        inputs = f"inputs to `{layer_name}`" if layer_name else "inputs"
        raise ValueError(
            f"The channel dimension of the {inputs} should be defined. The "
            # TF1 printed a TensorShape: `(?, 9, ?)` under TF1's v1 shapes.
            f"input_shape received is {tf.TensorShape(input_shape)}, where axis {axis} (0-based) "
            "is the channel dimension, which found to be `None`."
        )
    return channels


def conv_output_length(
    length: int | None, kernel: int, padding: str, stride: int, dilation: int
) -> int | None:
    """Spatial output size of a convolution (TF1's formula; may be <= 0)."""
    if length is None:
        return None
    # TF1 asserted this here, in `build`, before making any variable: a list
    # `padding` (normalization passes lists through) failed as unhashable.
    if isinstance(padding, list):  # Keras 3 keeps it as its own list type
        raise TypeError("unhashable type: 'list'")
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if padding == "valid":
        length = length - kernel + 1
    return (length + stride - 1) // stride


def deconv_output_length(
    length: Any, kernel: int, padding: str, output_padding: int | None, stride: int, dilation: int
) -> Any:
    """Spatial output size of a transposed convolution (TF1's formula).

    `length` may be a scalar tensor (a dynamic size) or `None` (unknown).
    """
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


# --------------------------------------------------------------- op layouts
def _gpu_available() -> bool:
    # Where TF1 ran channels_first ops natively (NCHW, NCDHW).
    return bool(tf.config.list_logical_devices("GPU"))


def _tf_data_format(channels_first: bool, rank: int) -> str:
    spatial = "DHW"[-rank:]
    return f"NC{spatial}" if channels_first else f"N{spatial}C"


def _to_channels_last(rank: int) -> tuple[int, ...]:
    return (0, *range(2, rank + 2), 1)


def _to_channels_first(rank: int) -> tuple[int, ...]:
    return (0, rank + 1, *range(1, rank + 1))


# XLA-compiled, as TF1 ran grouped convolutions: TF's CPU kernels have none.
_xla_convolution = tf.function(tf.nn.convolution, jit_compile=True)


# ------------------------------------------------------------ private bases
class _Conv(base.Layer):
    """TF1's N-d convolution, in front of a Keras 3 convolution layer.

    Subclasses set `rank` and name the Keras 3 layer next in their bases. What
    differs from Keras 3 (and is TF1's): argument checks and messages,
    `padding="causal"` also for `SeparableConv1D`, inputs with several leading
    batch axes, zero-sized outputs, channels_first on CPU, and the op sequence
    (`tf.nn.convolution`, `bias_add`).
    """

    # TF1's convolutions indexed the unknown shape: `TypeError`.
    _unknown_rank_error = TypeError

    rank: int

    def __init__(
        self,
        *,
        filters: Any,
        kernel_size: Any,
        strides: Any,
        padding: Any,
        data_format: Any,
        dilation_rate: Any,
        bias_initializer: Initializer,
        **kwargs: Any,
    ) -> None:
        arguments = _conv_arguments(
            self.rank,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            causal_allowed=self.rank == 1,
            # `groups` is Keras's (TF1 passed it through too); TF1 checked it here.
            groups=kwargs.get("groups") or 1,
        )
        padding = arguments.pop("padding")
        super().__init__(
            **arguments,
            # Keras 3's SeparableConv1D rejects "causal"; `call` pads causally itself.
            padding="valid" if padding == "causal" else padding,
            bias_initializer=_arguments.keras_initializer(bias_initializer),
            **kwargs,
        )
        self.padding = padding

    def build(self, input_shape: Any) -> None:
        channels = check_channels(input_shape, self.data_format, self.rank)
        # Keras 3 knows a single batch axis; TF1 also took
        # `batch_shape + (spatial..., channels)`.
        super().build(tuple(input_shape)[-self.rank - 2 :])
        self.input_spec = keras.layers.InputSpec(
            min_ndim=self.rank + 2,
            axes={_channel_axis(self.data_format, self.rank): channels},
        )

    def compute_output_shape(self, input_shape: Any) -> tuple:
        # TF1's formula: a too-small input gives a zero-sized output (Keras 3
        # raises), a negative size raises TF1's message.
        input_shape = tf.TensorShape(input_shape).as_list()
        channels_first = self.data_format == "channels_first"
        batch_rank = len(input_shape) - self.rank - 1
        first_spatial = batch_rank + 1 if channels_first else batch_rank
        spatial = [
            conv_output_length(length, kernel, self.padding, stride, dilation)
            for length, kernel, stride, dilation in zip(
                input_shape[first_spatial : first_spatial + self.rank],
                self.kernel_size,
                self.strides,
                self.dilation_rate,
            )
        ]
        if any(length is not None and length < 0 for length in spatial):
            raise ValueError(
                "One of the dimensions in the output is <= 0 due to downsampling "
                f"in {self.name}. Consider increasing the input size. Received "
                f"input shape {input_shape} which would produce output shape with "
                "a zero or negative value in a dimension."
            )
        batch = input_shape[:batch_rank]
        if channels_first:
            return tuple(batch + [self.filters] + spatial)
        return tuple(batch + spatial + [self.filters])

    def call(self, inputs: tf.Tensor) -> tf.Tensor:
        rank = self.rank
        channels_first = self.data_format == "channels_first"
        x = inputs
        extra_batch_axes = inputs.shape.rank > rank + 2
        if extra_batch_axes:
            # Flattened into one, as tf.nn.convolution does: the rest of the
            # op sequence then sees a single layout.
            x = tf.reshape(x, tf.concat([[-1], tf.shape(inputs)[-rank - 1 :]], axis=0))
        if self.padding == "causal":
            time_axis = 2 if channels_first else 1
            paddings = [[0, 0]] * (rank + 2)
            paddings[time_axis] = [self.dilation_rate[0] * (self.kernel_size[0] - 1), 0]
            x = tf.pad(x, paddings)
        # TF's CPU kernels only run channels_last (there TF1 failed); on a GPU
        # TF1's channels_first op runs as it is.
        native = not channels_first or _gpu_available()
        if not native:
            x = tf.transpose(x, _to_channels_last(rank))
        op_channels_first = channels_first and native
        outputs = self._convolution_op(x, _tf_data_format(op_channels_first, rank))
        if self.use_bias:
            outputs = tf.nn.bias_add(
                outputs, self.bias, data_format="NCHW" if op_channels_first else "NHWC"
            )
        if not native:
            outputs = tf.transpose(outputs, _to_channels_first(rank))
        if extra_batch_axes:
            outputs = tf.reshape(
                outputs,
                tf.concat([tf.shape(inputs)[: -rank - 1], tf.shape(outputs)[1:]], axis=0),
            )
        if not tf.executing_eagerly():
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def _convolution_op(self, x: tf.Tensor, data_format: str) -> tf.Tensor:
        convolution = _xla_convolution if self.groups > 1 else tf.nn.convolution
        return convolution(
            x,
            tf.convert_to_tensor(self.kernel),
            strides=list(self.strides),
            padding="VALID" if self.padding == "causal" else self.padding.upper(),
            dilations=list(self.dilation_rate),
            data_format=data_format,
            name=type(self).__name__,
        )


class _SeparableConv(_Conv):
    """TF1's depthwise-separable convolution (`depthwise_kernel`, `pointwise_kernel`).

    `depth_multiplier` and the depthwise/pointwise initializers, regularizers
    and constraints pass through to the Keras 3 layer unchanged.
    """

    def __init__(
        self,
        *,
        kernel_initializer: Initializer = None,
        kernel_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        **kwargs: Any,
    ) -> None:
        # TF1's separable classes took the plain convolution's kernel arguments
        # (through **kwargs) and never used them: TF1 programs that pass them
        # keep running, with the same (un)regularized variables.
        del kernel_initializer, kernel_regularizer, kernel_constraint
        super().__init__(**kwargs)

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        # TF1 fixed a separable convolution's input rank at its first call.
        self.input_spec = keras.layers.InputSpec(
            ndim=self.rank + 2, axes=self.input_spec.axes
        )

    def _convolution_op(self, x: tf.Tensor, data_format: str) -> tf.Tensor:
        channels_first = data_format.startswith("NC")
        depthwise, pointwise = self.depthwise_kernel, self.pointwise_kernel
        strides, dilations = self.strides, self.dilation_rate
        if self.rank == 1:
            # TF1 ran the 1D case as a 2D one over an inserted height-1 axis.
            height_axis = 2 if channels_first else 1
            x = tf.expand_dims(x, height_axis)
            depthwise = tf.expand_dims(depthwise, 0)
            pointwise = tf.expand_dims(pointwise, 0)
            strides, dilations = strides * 2, (1, *dilations)
        outputs = tf.nn.separable_conv2d(
            x,
            depthwise,
            pointwise,
            strides=(1, 1, *strides) if channels_first else (1, *strides, 1),
            padding="VALID" if self.padding == "causal" else self.padding.upper(),
            data_format="NCHW" if channels_first else "NHWC",
            dilations=dilations,
        )
        if self.rank == 1:
            outputs = tf.squeeze(outputs, [height_axis])
        return outputs


class _ConvTranspose(base.Layer):
    """TF1's N-d transposed convolution, in front of a Keras 3 one.

    Subclasses set `rank` and name the Keras 3 layer next in their bases. TF1's
    op sequence (`conv2d_transpose` / `conv3d_transpose` channels_last on CPU,
    `atrous_conv2d_transpose` when dilated, then `bias_add`) runs channels_first
    and dilation also where Keras 3's `conv_transpose` fails (no oneDNN), and
    gives TF1's output sizes.
    """

    rank: int

    def __init__(
        self,
        *,
        filters: Any,
        kernel_size: Any,
        strides: Any,
        padding: Any,
        data_format: Any,
        bias_initializer: Initializer,
        dilation_rate: Any = 1,
        output_padding: Any = None,
        **kwargs: Any,
    ) -> None:
        arguments = _conv_arguments(
            self.rank,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            causal_allowed=False,
        )
        if output_padding is not None:
            output_padding = _arguments.normalize_tuple(
                output_padding, self.rank, "output_padding", allow_zero=True
            )
            if any(pad >= stride for pad, stride in zip(output_padding, arguments["strides"])):
                raise ValueError(
                    "Strides must be greater than output padding. Received "
                    f"strides={arguments['strides']}, output_padding={output_padding}."
                )
        super().__init__(
            **arguments,
            output_padding=output_padding,
            bias_initializer=_arguments.keras_initializer(bias_initializer),
            **kwargs,
        )

    @property
    def _applied_dilation_rate(self) -> tuple[int, ...]:
        """The dilation TF1 actually applied (see `Conv3DTranspose`)."""
        return self.dilation_rate

    def build(self, input_shape: Any) -> None:
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(
                f"Inputs should have rank {self.rank + 2}. "
                f"Received input_shape={input_shape}."
            )
        channels = check_channels(
            input_shape, self.data_format, self.rank, layer_name=type(self).__name__
        )
        super().build(input_shape)
        self.input_spec = keras.layers.InputSpec(
            ndim=self.rank + 2,
            axes={_channel_axis(self.data_format, self.rank): channels},
        )

    def compute_output_shape(self, input_shape: Any) -> tuple:
        output_shape = tf.TensorShape(input_shape).as_list()
        channels_first = self.data_format == "channels_first"
        first_spatial = 2 if channels_first else 1
        output_shape[1 if channels_first else -1] = self.filters
        for i, dilation in enumerate(self._applied_dilation_rate):
            output_shape[first_spatial + i] = deconv_output_length(
                output_shape[first_spatial + i],
                self.kernel_size[i],
                self.padding,
                None if self.output_padding is None else self.output_padding[i],
                self.strides[i],
                dilation,
            )
        return tuple(output_shape)

    def call(self, inputs: tf.Tensor) -> tf.Tensor:
        rank = self.rank
        channels_first = self.data_format == "channels_first"
        dilation_rate = self._applied_dilation_rate
        dilated = max(dilation_rate) > 1
        if dilated and len(set(dilation_rate)) > 1:
            raise ValueError(
                "Expected the 2 dimensions of the `dilation_rate` argument to be "
                f"equal to each other. Received: dilation_rate={dilation_rate}"
            )
        eager = tf.executing_eagerly()
        # Eagerly every dimension is known: a Python output shape skips the
        # Shape/StridedSlice/Pack ops TF1 built (about a third of a small
        # eager call, benchmarks/RESULTS.md). Graphs keep TF1's ops and names.
        dynamic_shape = inputs.shape if eager else tf.shape(inputs)
        first_spatial = 2 if channels_first else 1
        static_shape = inputs.shape.as_list()  # ints also under v1 shapes (`Dimension`s)
        out_size = [
            deconv_output_length(
                static_shape[axis] if static_shape[axis] is not None else dynamic_shape[axis],
                self.kernel_size[i],
                self.padding,
                None if self.output_padding is None else self.output_padding[i],
                self.strides[i],
                dilation_rate[i],
            )
            for i, axis in enumerate(range(first_spatial, first_spatial + rank))
        ]
        # TF's CPU kernels, and atrous_conv2d_transpose anywhere, only run
        # channels_last.
        native = not channels_first or (not dilated and _gpu_available())
        x = inputs if native else tf.transpose(inputs, _to_channels_last(rank))
        op_channels_first = channels_first and native
        # Eagerly, the tf.Variable inside each keras.Variable: TensorFlow's C
        # fast path takes it, a keras.Variable sends every op through its
        # Python fallback. Graphs read the keras.Variable as before.
        kernel = self.kernel.value if eager else self.kernel
        if op_channels_first:
            output_shape = [dynamic_shape[0], self.filters, *out_size]
            strides = (1, 1, *self.strides)
        else:
            output_shape = [dynamic_shape[0], *out_size, self.filters]
            strides = (1, *self.strides, 1)
        if dilated:
            outputs = tf.nn.atrous_conv2d_transpose(
                x,
                kernel,
                output_shape if eager else tf.stack(output_shape),
                rate=dilation_rate[0],
                padding=self.padding.upper(),
            )
        else:
            outputs = tf.nn.conv_transpose(
                x,
                kernel,
                output_shape if eager else tf.stack(output_shape),
                strides,
                padding=self.padding.upper(),
                data_format=_tf_data_format(op_channels_first, rank),
            )
        if not native:
            outputs = tf.transpose(outputs, _to_channels_first(rank))
        if not eager:
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            bias = self.bias.value if eager else self.bias
            outputs = tf.nn.bias_add(
                outputs, bias, data_format="NCHW" if channels_first else "NHWC"
            )
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


# ------------------------------------------------------------- convolutions
@keras.saving.register_keras_serializable(package="compat_layers")
class Conv1D(_Conv, keras.layers.Conv1D):
    """1D convolution layer (e.g. temporal convolution).

    This layer creates a convolution kernel that is convolved (actually
    cross-correlated) with the layer input to produce a tensor of outputs. If
    `use_bias` is True, a bias vector is created and added to the outputs.
    Finally, if `activation` is not `None`, it is applied to the outputs.

    This is `tf.compat.v1.layers.Conv1D` on Keras 3: a subclass of
    `tf.keras.layers.Conv1D` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution). A float such as `2.0` is cast to int.
      kernel_size: An integer or tuple/list of a single integer, specifying the
        length of the 1D convolution window.
      strides: An integer or tuple/list of a single integer, specifying the
        stride length of the convolution. Any `strides` value != 1 is
        incompatible with any `dilation_rate` value != 1.
      padding: One of `"valid"`, `"same"` or `"causal"` (case-insensitive).
        `"causal"` pads `dilation_rate * (kernel_size - 1)` steps on the left,
        so that `output[t]` does not depend on `input[t + 1:]`.
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, length, channels)` or
        `(batch, channels, length)`. Keras's global `image_data_format()` is
        not consulted, as in TF1.
      dilation_rate: An integer or tuple/list of a single integer, specifying
        the dilation rate to use for dilated convolution.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the convolution kernel. `None`
        uses the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector.
      kernel_regularizer: Optional regularizer for the convolution kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection function to be applied to the
        kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype) and `groups`.

    Input shape:
      3D tensor `(batch, steps, channels)` (`channels_last`) or
      `(batch, channels, steps)` (`channels_first`); more leading batch axes
      are allowed, as in TF1. The channel dimension must be known.

    Output shape:
      3D tensor `(batch, new_steps, filters)` (`channels_last`) or
      `(batch, filters, new_steps)` (`channels_first`), with the same leading
      batch axes as the input; `new_steps` is 0 when the input is shorter
      than the dilated kernel (`"valid"`).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`,
        `strides` or `dilation_rate`, `strides > 1` together with
        `dilation_rate > 1`, an unknown `padding` or `data_format`, inputs of
        rank below 3, an undefined channel dimension, and (from
        `tf.compat.v1.get_variable`) a variable that already exists without
        `reuse`, is missing under `reuse=True`, or has another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 100, 16])
    with tf.compat.v1.variable_scope("encoder"):
        conv = compat_layers.Conv1D(32, 5, padding="causal", dilation_rate=2)
        y = conv(x)
    print(conv.kernel.name)       # encoder/conv1d/kernel:0
    print(y.shape)                # (None, 100, 32)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("encoder"):
        y = tf.compat.v1.layers.Conv1D(32, 5, padding="causal")(x)
    ```

    After (Keras 3):

    ```python
    conv = tf.keras.layers.Conv1D(
        32, 5, padding="causal",
        data_format="channels_last",     # TF1 never read image_data_format()
        kernel_initializer="glorot_uniform", bias_initializer="zeros")
    y = conv(x)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`). Keras 3
    takes exactly one batch axis: reshape `(b1, b2, steps, channels)` inputs
    to `(b1 * b2, steps, channels)` first.
    """

    rank = 1

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrSingle,
        strides: _IntOrSingle = 1,
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: _IntOrSingle = 1,
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class Conv2D(_Conv, keras.layers.Conv2D):
    """2D convolution layer (e.g. spatial convolution over images).

    This layer creates a convolution kernel that is convolved (actually
    cross-correlated) with the layer input to produce a tensor of outputs. If
    `use_bias` is True, a bias vector is created and added to the outputs.
    Finally, if `activation` is not `None`, it is applied to the outputs.

    This is `tf.compat.v1.layers.Conv2D` on Keras 3: a subclass of
    `tf.keras.layers.Conv2D` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution). A float such as `2.0` is cast to int.
      kernel_size: An integer or tuple/list of 2 integers, specifying the
        height and width of the 2D convolution window.
      strides: An integer or tuple/list of 2 integers, specifying the strides
        of the convolution along the height and width. Any stride value != 1
        is incompatible with any `dilation_rate` value != 1.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, height, width, channels)` or
        `(batch, channels, height, width)`. Keras's global
        `image_data_format()` is not consulted, as in TF1.
      dilation_rate: An integer or tuple/list of 2 integers, specifying the
        dilation rate to use for dilated convolution.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the convolution kernel. `None`
        uses the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector.
      kernel_regularizer: Optional regularizer for the convolution kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection function to be applied to the
        kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype) and `groups`.

    Input shape:
      4D tensor `(batch, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, rows, cols)` (`channels_first`); more leading batch
      axes are allowed, as in TF1. The channel dimension must be known.

    Output shape:
      4D tensor `(batch, new_rows, new_cols, filters)` (`channels_last`) or
      `(batch, filters, new_rows, new_cols)` (`channels_first`), with the same
      leading batch axes as the input; a size is 0 when the input is smaller
      than the dilated kernel (`"valid"`).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`,
        `strides` or `dilation_rate`, `strides > 1` together with
        `dilation_rate > 1`, an unknown `padding` or `data_format`,
        `padding="causal"`, inputs of rank below 4, an undefined channel
        dimension, and (from `tf.compat.v1.get_variable`) a variable that
        already exists without `reuse`, is missing under `reuse=True`, or has
        another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])
    with tf.compat.v1.variable_scope("mnist"):
        conv = compat_layers.Conv2D(32, 5, padding="same", activation=tf.nn.relu)
        y = conv(images)
    print(conv.scope_name)        # mnist/conv2d
    print(y.shape)                # (None, 28, 28, 32)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("mnist"):
        conv = tf.compat.v1.layers.Conv2D(32, 5, padding="same")
        y = conv(images)
    ```

    After (Keras 3):

    ```python
    conv = tf.keras.layers.Conv2D(
        32, 5, padding="same",
        data_format="channels_last",     # TF1 never read image_data_format()
        kernel_initializer="glorot_uniform", bias_initializer="zeros")
    y = conv(images)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`); Keras
    names weights by layer (`conv2d/kernel`), so load old TF1 checkpoints by
    mapping names, or build once under this shim and save with
    `tf.train.Checkpoint`.
    """

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrPair,
        strides: _IntOrPair = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: _IntOrPair = (1, 1),
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class Conv3D(_Conv, keras.layers.Conv3D):
    """3D convolution layer (e.g. spatial convolution over volumes).

    This layer creates a convolution kernel that is convolved (actually
    cross-correlated) with the layer input to produce a tensor of outputs. If
    `use_bias` is True, a bias vector is created and added to the outputs.
    Finally, if `activation` is not `None`, it is applied to the outputs.

    This is `tf.compat.v1.layers.Conv3D` on Keras 3: a subclass of
    `tf.keras.layers.Conv3D` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution). A float such as `2.0` is cast to int.
      kernel_size: An integer or tuple/list of 3 integers, specifying the
        depth, height and width of the 3D convolution window.
      strides: An integer or tuple/list of 3 integers, specifying the strides
        of the convolution along the depth, height and width. Any stride value
        != 1 is incompatible with any `dilation_rate` value != 1.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, depth, height, width, channels)` or
        `(batch, channels, depth, height, width)`. Keras's global
        `image_data_format()` is not consulted, as in TF1.
      dilation_rate: An integer or tuple/list of 3 integers, specifying the
        dilation rate to use for dilated convolution.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the convolution kernel. `None`
        uses the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector.
      kernel_regularizer: Optional regularizer for the convolution kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection function to be applied to the
        kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype) and `groups`.

    Input shape:
      5D tensor `(batch, depth, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, depth, rows, cols)` (`channels_first`); more leading
      batch axes are allowed, as in TF1. The channel dimension must be known.

    Output shape:
      5D tensor `(batch, new_depth, new_rows, new_cols, filters)`
      (`channels_last`) or `(batch, filters, new_depth, new_rows, new_cols)`
      (`channels_first`), with the same leading batch axes as the input.

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`,
        `strides` or `dilation_rate`, `strides > 1` together with
        `dilation_rate > 1`, an unknown `padding` or `data_format`,
        `padding="causal"`, inputs of rank below 5, an undefined channel
        dimension, and (from `tf.compat.v1.get_variable`) a variable that
        already exists without `reuse`, is missing under `reuse=True`, or has
        another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    volumes = tf.compat.v1.placeholder(tf.float32, [None, 16, 32, 32, 1])
    conv = compat_layers.Conv3D(8, 3, strides=2, padding="same")
    y = conv(volumes)
    print(y.shape)                # (None, 8, 16, 16, 8)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    y = tf.compat.v1.layers.Conv3D(8, 3, strides=2, padding="same")(volumes)
    ```

    After (Keras 3):

    ```python
    conv = tf.keras.layers.Conv3D(
        8, 3, strides=2, padding="same",
        data_format="channels_last",     # TF1 never read image_data_format()
        kernel_initializer="glorot_uniform", bias_initializer="zeros")
    y = conv(volumes)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`).
    """

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrTriple,
        strides: _IntOrTriple = (1, 1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: _IntOrTriple = (1, 1, 1),
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class SeparableConv1D(_SeparableConv, keras.layers.SeparableConv1D):
    """Depthwise separable 1D convolution.

    This layer performs a depthwise convolution that acts separately on
    channels, followed by a pointwise convolution that mixes channels. If
    `use_bias` is True and a bias initializer is provided, it adds a bias
    vector to the output. It then optionally applies an activation function to
    produce the final output.

    This is `tf.compat.v1.layers.SeparableConv1D` on Keras 3: a subclass of
    `tf.keras.layers.SeparableConv1D` whose variables (`depthwise_kernel`,
    `pointwise_kernel`, `bias`) come from `tf.compat.v1.get_variable` in the
    layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution). A float such as `2.0` is cast to int.
      kernel_size: A single integer specifying the spatial dimensions of the
        filters.
      strides: A single integer specifying the strides of the convolution. Any
        `stride` value != 1 is incompatible with any `dilation_rate` value != 1.
      padding: One of `"valid"`, `"same"` or `"causal"` (case-insensitive).
        `"causal"` pads `dilation_rate * (kernel_size - 1)` steps on the left.
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, length, channels)` or
        `(batch, channels, length)`.
      dilation_rate: A single integer, specifying the dilation rate to use for
        dilated convolution.
      depth_multiplier: The number of depthwise convolution output channels for
        each input channel. The total number of depthwise convolution output
        channels will be equal to `num_filters_in * depth_multiplier`.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      depthwise_initializer: An initializer for the depthwise convolution
        kernel. `None` uses the variable scope's initializer, else Glorot
        uniform.
      pointwise_initializer: An initializer for the pointwise convolution
        kernel. `None` uses the variable scope's initializer, else Glorot
        uniform.
      bias_initializer: An initializer for the bias vector.
      depthwise_regularizer: Optional regularizer for the depthwise convolution
        kernel.
      pointwise_regularizer: Optional regularizer for the pointwise convolution
        kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      depthwise_constraint: Optional projection function to be applied to the
        depthwise kernel after being updated by an `Optimizer`.
      pointwise_constraint: Optional projection function to be applied to the
        pointwise kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype).

    Input shape:
      3D tensor `(batch, steps, channels)` (`channels_last`) or
      `(batch, channels, steps)` (`channels_first`). The channel dimension
      must be known.

    Output shape:
      3D tensor `(batch, new_steps, filters)` (`channels_last`) or
      `(batch, filters, new_steps)` (`channels_first`).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`,
        `strides` or `dilation_rate`, `strides > 1` together with
        `dilation_rate > 1`, an unknown `padding` or `data_format`, inputs of
        rank below 3, an undefined channel dimension, and (from
        `tf.compat.v1.get_variable`) a variable that already exists without
        `reuse`, is missing under `reuse=True`, or has another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 50, 8])
    conv = compat_layers.SeparableConv1D(16, 3, depth_multiplier=2)
    y = conv(x)
    print([w.name for w in conv.weights])
    # ['separable_conv1d/depthwise_kernel:0', 'separable_conv1d/pointwise_kernel:0',
    #  'separable_conv1d/bias:0']
    print(y.shape)                # (None, 48, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    y = tf.compat.v1.layers.SeparableConv1D(16, 3, padding="causal")(x)
    ```

    After (Keras 3, which has no causal padding for this layer):

    ```python
    pad = tf.keras.layers.ZeroPadding1D((2, 0))   # dilation * (kernel - 1)
    conv = tf.keras.layers.SeparableConv1D(
        16, 3, padding="valid", data_format="channels_last",
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform", bias_initializer="zeros")
    y = conv(pad(x))
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`).
    """

    rank = 1

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrSingle,
        strides: _IntOrSingle = 1,
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: _IntOrSingle = 1,
        depth_multiplier: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        depthwise_initializer: Initializer = None,
        pointwise_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        depthwise_regularizer: Regularizer = None,
        pointwise_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        depthwise_constraint: Constraint = None,
        pointwise_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class SeparableConv2D(_SeparableConv, keras.layers.SeparableConv2D):
    """Depthwise separable 2D convolution.

    This layer performs a depthwise convolution that acts separately on
    channels, followed by a pointwise convolution that mixes channels. If
    `use_bias` is True and a bias initializer is provided, it adds a bias
    vector to the output. It then optionally applies an activation function to
    produce the final output.

    This is `tf.compat.v1.layers.SeparableConv2D` on Keras 3: a subclass of
    `tf.keras.layers.SeparableConv2D` whose variables (`depthwise_kernel`,
    `pointwise_kernel`, `bias`) come from `tf.compat.v1.get_variable` in the
    layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution). A float such as `2.0` is cast to int.
      kernel_size: A tuple or list of 2 integers specifying the spatial
        dimensions of the filters. Can be a single integer to specify the same
        value for all spatial dimensions.
      strides: A tuple or list of 2 positive integers specifying the strides of
        the convolution. Can be a single integer to specify the same value for
        all spatial dimensions. Any `stride` value != 1 is incompatible with
        any `dilation_rate` value != 1.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, height, width, channels)` or
        `(batch, channels, height, width)`.
      dilation_rate: An integer or tuple/list of 2 integers, specifying the
        dilation rate to use for dilated convolution.
      depth_multiplier: The number of depthwise convolution output channels for
        each input channel. The total number of depthwise convolution output
        channels will be equal to `num_filters_in * depth_multiplier`.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      depthwise_initializer: An initializer for the depthwise convolution
        kernel. `None` uses the variable scope's initializer, else Glorot
        uniform.
      pointwise_initializer: An initializer for the pointwise convolution
        kernel. `None` uses the variable scope's initializer, else Glorot
        uniform.
      bias_initializer: An initializer for the bias vector.
      depthwise_regularizer: Optional regularizer for the depthwise convolution
        kernel.
      pointwise_regularizer: Optional regularizer for the pointwise convolution
        kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      depthwise_constraint: Optional projection function to be applied to the
        depthwise kernel after being updated by an `Optimizer`.
      pointwise_constraint: Optional projection function to be applied to the
        pointwise kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype).

    Input shape:
      4D tensor `(batch, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, rows, cols)` (`channels_first`). The channel
      dimension must be known.

    Output shape:
      4D tensor `(batch, new_rows, new_cols, filters)` (`channels_last`) or
      `(batch, filters, new_rows, new_cols)` (`channels_first`).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`,
        `strides` or `dilation_rate`, `strides > 1` together with
        `dilation_rate > 1`, an unknown `padding` or `data_format`,
        `padding="causal"`, inputs of rank below 4, an undefined channel
        dimension, and (from `tf.compat.v1.get_variable`) a variable that
        already exists without `reuse`, is missing under `reuse=True`, or has
        another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 16])
    with tf.compat.v1.variable_scope("block1"):
        conv = compat_layers.SeparableConv2D(32, 3, padding="same",
                                             depth_multiplier=2)
        y = conv(x)
    print(conv.depthwise_kernel.name)   # block1/separable_conv2d/depthwise_kernel:0
    print(conv.depthwise_kernel.shape)  # (3, 3, 16, 2)
    print(y.shape)                      # (None, 32, 32, 32)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("block1"):
        y = tf.compat.v1.layers.SeparableConv2D(32, 3, padding="same")(x)
    ```

    After (Keras 3):

    ```python
    conv = tf.keras.layers.SeparableConv2D(
        32, 3, padding="same",
        data_format="channels_last",     # TF1 never read image_data_format()
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform", bias_initializer="zeros")
    y = conv(x)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`).
    """

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrPair,
        strides: _IntOrPair = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: _IntOrPair = (1, 1),
        depth_multiplier: int = 1,
        activation: Activation = None,
        use_bias: bool = True,
        depthwise_initializer: Initializer = None,
        pointwise_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        depthwise_regularizer: Regularizer = None,
        pointwise_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        depthwise_constraint: Constraint = None,
        pointwise_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer,
            bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer,
            pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class Conv2DTranspose(_ConvTranspose, keras.layers.Conv2DTranspose):
    """Transposed 2D convolution layer (sometimes called 2D Deconvolution).

    The need for transposed convolutions generally arises from the desire to use
    a transformation going in the opposite direction of a normal convolution,
    i.e., from something that has the shape of the output of some convolution
    to something that has the shape of its input while maintaining a
    connectivity pattern that is compatible with said convolution.

    This is `tf.compat.v1.layers.Conv2DTranspose` on Keras 3: a subclass of
    `tf.keras.layers.Conv2DTranspose` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution).
      kernel_size: A tuple or list of 2 positive integers specifying the spatial
        dimensions of the filters. Can be a single integer to specify the same
        value for all spatial dimensions.
      strides: A tuple or list of 2 positive integers specifying the strides of
        the convolution. Can be a single integer to specify the same value for
        all spatial dimensions.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, height, width, channels)` or
        `(batch, channels, height, width)`. Keras's global
        `image_data_format()` is not consulted, as in TF1.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the convolution kernel. `None`
        uses the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector. If `None`, the
        default initializer will be used.
      kernel_regularizer: Optional regularizer for the convolution kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection function to be applied to the
        kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dilation_rate`, `output_padding` and `dtype` (default: the
        first input's dtype).

    Input shape:
      4D tensor `(batch, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, rows, cols)` (`channels_first`). The channel dimension
      must be known.

    Output shape:
      4D tensor `(batch, new_rows, new_cols, filters)` (`channels_last`) or
      `(batch, filters, new_rows, new_cols)` (`channels_first`), where
      `new = L * stride` for `"same"` and `L * stride + max(k - stride, 0)` for
      `"valid"` (`k` the dilated kernel size).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`, `strides`
        or `output_padding`, `strides > 1` together with `dilation_rate > 1`,
        an unknown `padding` or `data_format`, `padding="causal"`, inputs of
        rank other than 4, an undefined channel dimension, unequal dilation
        rates (on the call), and (from `tf.compat.v1.get_variable`) a variable
        that already exists without `reuse`, is missing under `reuse=True`, or
        has another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    with tf.compat.v1.variable_scope("generator"):
        deconv = compat_layers.Conv2DTranspose(8, 3, strides=2, padding="same")
        y = deconv(x)
    print(deconv.scope_name)      # generator/conv2d_transpose
    print(deconv.kernel.name)     # generator/conv2d_transpose/kernel:0
    print(y.shape)                # (None, 16, 16, 8)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("generator"):
        deconv = tf.compat.v1.layers.Conv2DTranspose(8, 3, strides=2,
                                                     padding="same")
        y = deconv(x)
    ```

    After (Keras 3):

    ```python
    deconv = tf.keras.layers.Conv2DTranspose(
        8, 3, strides=2, padding="same",
        data_format="channels_last",     # TF1 never read image_data_format()
        kernel_initializer="glorot_uniform", bias_initializer="zeros")
    y = deconv(x)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`); Keras
    names weights by layer (`conv2d_transpose/kernel`), so load old TF1
    checkpoints by mapping names, or build once under this shim and save with
    `tf.train.Checkpoint`.
    """

    rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrPair,
        strides: _IntOrPair = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )


@keras.saving.register_keras_serializable(package="compat_layers")
class Conv3DTranspose(_ConvTranspose, keras.layers.Conv3DTranspose):
    """Transposed 3D convolution layer (sometimes called 3D Deconvolution).

    The need for transposed convolutions generally arises from the desire to use
    a transformation going in the opposite direction of a normal convolution,
    i.e., from something that has the shape of the output of some convolution
    to something that has the shape of its input while maintaining a
    connectivity pattern that is compatible with said convolution.

    This is `tf.compat.v1.layers.Conv3DTranspose` on Keras 3: a subclass of
    `tf.keras.layers.Conv3DTranspose` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope.

    Args:
      filters: Integer, the dimensionality of the output space (i.e. the number
        of filters in the convolution).
      kernel_size: An integer or tuple/list of 3 integers, specifying the
        depth, height and width of the 3D convolution window.
      strides: An integer or tuple/list of 3 integers, specifying the strides
        of the convolution along the depth, height and width.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: A string, one of `channels_last` (default) or
        `channels_first`: `(batch, depth, height, width, channels)` or
        `(batch, channels, depth, height, width)`. Keras's global
        `image_data_format()` is not consulted, as in TF1.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the convolution kernel. `None`
        uses the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector.
      kernel_regularizer: Optional regularizer for the convolution kernel.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection function to be applied to the
        kernel after being updated by an `Optimizer`.
      bias_constraint: Optional projection function to be applied to the bias
        after being updated by an `Optimizer`.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `output_padding`, `dtype` (default: the first input's dtype)
        and `dilation_rate`, which TF1 checked against `strides` but never
        applied: this layer ignores it too.

    Input shape:
      5D tensor `(batch, depth, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, depth, rows, cols)` (`channels_first`). The channel
      dimension must be known.

    Output shape:
      5D tensor `(batch, new_depth, new_rows, new_cols, filters)`
      (`channels_last`) or `(batch, filters, new_depth, new_rows, new_cols)`
      (`channels_first`), where `new = L * stride` for `"same"` and
      `L * stride + max(k - stride, 0)` for `"valid"` (with `output_padding`:
      `(L - 1) * stride + k - 2 * pad + output_padding`).

    Raises:
      ValueError: For a non-positive `filters`, a bad `kernel_size`, `strides`
        or `output_padding`, an unknown `padding` or `data_format`, inputs of
        rank other than 5, an undefined channel dimension, and (from
        `tf.compat.v1.get_variable`) a variable that already exists without
        `reuse`, is missing under `reuse=True`, or has another shape.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    z = tf.compat.v1.placeholder(tf.float32, [None, 4, 4, 4, 64])
    with tf.compat.v1.variable_scope("generator"):
        deconv = compat_layers.Conv3DTranspose(32, 3, strides=2, padding="same")
        y = deconv(z)
    print(deconv.kernel.name)     # generator/conv3d_transpose/kernel:0
    print(deconv.kernel.shape)    # (3, 3, 3, 32, 64)
    print(y.shape)                # (None, 8, 8, 8, 32)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("generator"):
        y = tf.compat.v1.layers.Conv3DTranspose(32, 3, strides=2,
                                                padding="same")(z)
    ```

    After (Keras 3):

    ```python
    deconv = tf.keras.layers.Conv3DTranspose(
        32, 3, strides=2, padding="same",
        data_format="channels_last",     # TF1 never read image_data_format()
        kernel_initializer="glorot_uniform", bias_initializer="zeros")
    y = deconv(z)
    ```

    Drop any `dilation_rate`: TF1 ignored it, Keras 3 applies it. Keep the
    layer object to reuse its weights (there is no `reuse=`).
    """

    rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrTriple,
        strides: _IntOrTriple = (1, 1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        activation: Activation = None,
        use_bias: bool = True,
        kernel_initializer: Initializer = None,
        bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: Regularizer = None,
        bias_regularizer: Regularizer = None,
        activity_regularizer: Regularizer = None,
        kernel_constraint: Constraint = None,
        bias_constraint: Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )

    @property
    def _applied_dilation_rate(self) -> tuple[int, ...]:
        # TF1 ran tf.nn.conv3d_transpose without dilations and sized the output
        # without them: `dilation_rate` only took part in argument checks.
        return (1, 1, 1)


# ---------------------------------------------------------------- functions
@_arguments.functional_interface(Conv1D, advice=_ADVICE)
def conv1d(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrSingle,
    strides: _IntOrSingle = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: _IntOrSingle = 1,
    activation: Activation = None,
    use_bias: bool = True,
    kernel_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    kernel_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for 1D convolution (e.g. temporal convolution).

    Builds a `Conv1D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.conv1d` is deprecated.

    Args:
      inputs: Input tensor, 3D (or with more leading batch axes).
      filters: Integer, the dimensionality of the output space.
      kernel_size: An integer or tuple/list of a single integer.
      strides: An integer or tuple/list of a single integer.
      padding: One of `"valid"`, `"same"` or `"causal"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      dilation_rate: An integer or tuple/list of a single integer.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the kernel; `None` uses the variable
        scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection applied to the kernel after an
        `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `Conv1D`, and when `reuse=True` asks for variables that
        do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    audio = tf.compat.v1.placeholder(tf.float32, [None, 16000, 1])
    with tf.compat.v1.variable_scope("wavenet", reuse=tf.compat.v1.AUTO_REUSE):
        h = compat_layers.conv1d(audio, 32, 2, padding="causal",
                                 dilation_rate=4, name="dilated_4")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    h = tf.compat.v1.layers.conv1d(audio, 32, 2, padding="causal",
                                   dilation_rate=4, name="dilated_4")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.dilated_4 = tf.keras.layers.Conv1D(32, 2, padding="causal",
                                            dilation_rate=4)
    h = self.dilated_4(audio)
    ```
    """


@_arguments.functional_interface(Conv2D, advice=_ADVICE)
def conv2d(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrPair,
    strides: _IntOrPair = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: _IntOrPair = (1, 1),
    activation: Activation = None,
    use_bias: bool = True,
    kernel_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    kernel_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for the 2D convolution layer.

    Builds a `Conv2D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.conv2d` is deprecated.

    Args:
      inputs: Input tensor, 4D (or with more leading batch axes).
      filters: Integer, the dimensionality of the output space.
      kernel_size: An integer or tuple/list of 2 integers.
      strides: An integer or tuple/list of 2 integers.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      dilation_rate: An integer or tuple/list of 2 integers.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the kernel; `None` uses the variable
        scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection applied to the kernel after an
        `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `Conv2D`, and when `reuse=True` asks for variables that
        do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])
    with tf.compat.v1.variable_scope("tower", reuse=tf.compat.v1.AUTO_REUSE):
        h = compat_layers.conv2d(images, 32, 5, padding="same",
                                 activation=tf.nn.relu, name="conv1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    h = tf.compat.v1.layers.conv2d(images, 32, 5, padding="same",
                                   activation=tf.nn.relu, name="conv1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.conv1 = tf.keras.layers.Conv2D(32, 5, padding="same",
                                        activation="relu")
    h = self.conv1(images)
    ```
    """


@_arguments.functional_interface(Conv3D, advice=_ADVICE)
def conv3d(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrTriple,
    strides: _IntOrTriple = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: _IntOrTriple = (1, 1, 1),
    activation: Activation = None,
    use_bias: bool = True,
    kernel_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    kernel_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for the 3D convolution layer.

    Builds a `Conv3D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.conv3d` is deprecated.

    Args:
      inputs: Input tensor, 5D (or with more leading batch axes).
      filters: Integer, the dimensionality of the output space.
      kernel_size: An integer or tuple/list of 3 integers.
      strides: An integer or tuple/list of 3 integers.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      dilation_rate: An integer or tuple/list of 3 integers.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the kernel; `None` uses the variable
        scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection applied to the kernel after an
        `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `Conv3D`, and when `reuse=True` asks for variables that
        do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    volumes = tf.compat.v1.placeholder(tf.float32, [None, 16, 32, 32, 1])
    h = compat_layers.conv3d(volumes, 8, 3, strides=2, padding="same",
                             name="down1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    h = tf.compat.v1.layers.conv3d(volumes, 8, 3, strides=2, padding="same",
                                   name="down1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.down1 = tf.keras.layers.Conv3D(8, 3, strides=2, padding="same")
    h = self.down1(volumes)
    ```
    """


@_arguments.functional_interface(SeparableConv1D, advice=_ADVICE)
def separable_conv1d(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrSingle,
    strides: _IntOrSingle = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: _IntOrSingle = 1,
    depth_multiplier: int = 1,
    activation: Activation = None,
    use_bias: bool = True,
    depthwise_initializer: Initializer = None,
    pointwise_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    depthwise_regularizer: Regularizer = None,
    pointwise_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    depthwise_constraint: Constraint = None,
    pointwise_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for the depthwise separable 1D convolution layer.

    Builds a `SeparableConv1D` and calls it on `inputs`. Warns, as TF1 did,
    that `tf.layers.separable_conv1d` is deprecated.

    Args:
      inputs: Input tensor, 3D.
      filters: Integer, the dimensionality of the output space.
      kernel_size: A single integer specifying the spatial dimensions of the
        filters.
      strides: A single integer specifying the strides of the convolution.
      padding: One of `"valid"`, `"same"` or `"causal"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      dilation_rate: A single integer, the dilation rate.
      depth_multiplier: The number of depthwise convolution output channels
        for each input channel.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      depthwise_initializer: Initializer for the depthwise kernel; `None` uses
        the variable scope's initializer, else Glorot uniform.
      pointwise_initializer: Initializer for the pointwise kernel; `None` uses
        the variable scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      depthwise_regularizer: Optional regularizer for the depthwise kernel.
      pointwise_regularizer: Optional regularizer for the pointwise kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      depthwise_constraint: Optional projection applied to the depthwise
        kernel after an `Optimizer` update.
      pointwise_constraint: Optional projection applied to the pointwise
        kernel after an `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `SeparableConv1D`, and when `reuse=True` asks for
        variables that do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 50, 8])
    y = compat_layers.separable_conv1d(x, 16, 3, depth_multiplier=2,
                                       name="sep1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.separable_conv1d(x, 16, 3, depth_multiplier=2,
                                             name="sep1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.sep1 = tf.keras.layers.SeparableConv1D(16, 3, depth_multiplier=2)
    y = self.sep1(x)
    ```
    """


@_arguments.functional_interface(SeparableConv2D, advice=_ADVICE)
def separable_conv2d(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrPair,
    strides: _IntOrPair = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: _IntOrPair = (1, 1),
    depth_multiplier: int = 1,
    activation: Activation = None,
    use_bias: bool = True,
    depthwise_initializer: Initializer = None,
    pointwise_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    depthwise_regularizer: Regularizer = None,
    pointwise_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    depthwise_constraint: Constraint = None,
    pointwise_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for the depthwise separable 2D convolution layer.

    Builds a `SeparableConv2D` and calls it on `inputs`. Warns, as TF1 did,
    that `tf.layers.separable_conv2d` is deprecated.

    Args:
      inputs: Input tensor, 4D.
      filters: Integer, the dimensionality of the output space.
      kernel_size: An integer or tuple/list of 2 integers.
      strides: An integer or tuple/list of 2 integers.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      dilation_rate: An integer or tuple/list of 2 integers.
      depth_multiplier: The number of depthwise convolution output channels
        for each input channel.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      depthwise_initializer: Initializer for the depthwise kernel; `None` uses
        the variable scope's initializer, else Glorot uniform.
      pointwise_initializer: Initializer for the pointwise kernel; `None` uses
        the variable scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      depthwise_regularizer: Optional regularizer for the depthwise kernel.
      pointwise_regularizer: Optional regularizer for the pointwise kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      depthwise_constraint: Optional projection applied to the depthwise
        kernel after an `Optimizer` update.
      pointwise_constraint: Optional projection applied to the pointwise
        kernel after an `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `SeparableConv2D`, and when `reuse=True` asks for
        variables that do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 16])
    with tf.compat.v1.variable_scope("entry_flow"):
        y = compat_layers.separable_conv2d(x, 32, 3, padding="same",
                                           activation=tf.nn.relu, name="sep1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.separable_conv2d(x, 32, 3, padding="same",
                                             name="sep1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.sep1 = tf.keras.layers.SeparableConv2D(32, 3, padding="same")
    y = self.sep1(x)
    ```
    """


@_arguments.functional_interface(Conv2DTranspose, advice=_ADVICE)
def conv2d_transpose(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrPair,
    strides: _IntOrPair = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    activation: Activation = None,
    use_bias: bool = True,
    kernel_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    kernel_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for transposed 2D convolution layer.

    Builds a `Conv2DTranspose` and calls it on `inputs`. Warns, as TF1 did,
    that `tf.layers.conv2d_transpose` is deprecated.

    Args:
      inputs: Input tensor, 4D.
      filters: Integer, the dimensionality of the output space.
      kernel_size: A tuple or list of 2 positive integers, or one integer.
      strides: A tuple or list of 2 positive integers, or one integer.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the kernel; `None` uses the variable
        scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection applied to the kernel after an
        `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `Conv2DTranspose`, and when `reuse=True` asks for
        variables that do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    z = tf.compat.v1.placeholder(tf.float32, [None, 4, 4, 64])
    with tf.compat.v1.variable_scope("generator", reuse=tf.compat.v1.AUTO_REUSE):
        y = compat_layers.conv2d_transpose(z, 32, 5, strides=2, padding="same",
                                           activation=tf.nn.relu, name="up1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.conv2d_transpose(x, 32, 5, strides=2,
                                             padding="same", name="up1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.up1 = tf.keras.layers.Conv2DTranspose(32, 5, strides=2,
                                               padding="same")
    y = self.up1(x)
    ```
    """


@_arguments.functional_interface(Conv3DTranspose, advice=_ADVICE)
def conv3d_transpose(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrTriple,
    strides: _IntOrTriple = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    activation: Activation = None,
    use_bias: bool = True,
    kernel_initializer: Initializer = None,
    bias_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: Regularizer = None,
    bias_regularizer: Regularizer = None,
    activity_regularizer: Regularizer = None,
    kernel_constraint: Constraint = None,
    bias_constraint: Constraint = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """Functional interface for transposed 3D convolution layer.

    Builds a `Conv3DTranspose` and calls it on `inputs`. Warns, as TF1 did,
    that `tf.layers.conv3d_transpose` is deprecated.

    Args:
      inputs: Input tensor, 5D.
      filters: Integer, the dimensionality of the output space.
      kernel_size: A tuple or list of 3 positive integers, or one integer.
      strides: A tuple or list of 3 positive integers, or one integer.
      padding: One of `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the kernel; `None` uses the variable
        scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the kernel.
      bias_regularizer: Optional regularizer for the bias.
      activity_regularizer: Optional regularizer function for the output.
      kernel_constraint: Optional projection applied to the kernel after an
        `Optimizer` update.
      bias_constraint: Optional projection applied to the bias after an
        `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: A string, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `Conv3DTranspose`, and when `reuse=True` asks for
        variables that do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    z = tf.compat.v1.placeholder(tf.float32, [None, 4, 4, 4, 64])
    with tf.compat.v1.variable_scope("generator", reuse=tf.compat.v1.AUTO_REUSE):
        y = compat_layers.conv3d_transpose(z, 32, 3, strides=2, padding="same",
                                           activation=tf.nn.relu, name="up1")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.conv3d_transpose(z, 32, 3, strides=2,
                                             padding="same", name="up1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.up1 = tf.keras.layers.Conv3DTranspose(32, 3, strides=2,
                                               padding="same")
    y = self.up1(z)
    ```
    """
