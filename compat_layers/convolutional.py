"""Convolution layers of `tf.compat.v1.layers`, thin over Keras 3."""

from __future__ import annotations

from typing import Any, Callable

import keras
import tensorflow as tf

from compat_layers import base

__all__ = ["Conv2DTranspose", "conv2d_transpose"]

_Initializer = Any
_Regularizer = Callable[[Any], Any] | None
_Constraint = Callable[[Any], Any] | None
_IntOrPair = int | tuple[int, int] | list[int]


def normalize_padding(padding: Any) -> Any:
    """Lower-cases `padding` and rejects what TF1 rejected, with TF1's message."""
    if isinstance(padding, (list, tuple)):
        return padding
    normalized = padding.lower() if isinstance(padding, str) else padding
    if normalized not in {"valid", "same", "causal"}:
        raise ValueError(
            "The `padding` argument must be a list/tuple or one of "
            '"valid", "same" (or "causal", only for `Conv1D). '
            f"Received: {padding}"
        )
    return normalized


def normalize_data_format(data_format: str | None) -> str:
    """TF1 layers default to `channels_last`, whatever Keras's global setting."""
    normalized = (data_format or "channels_last").lower()
    if normalized not in {"channels_first", "channels_last"}:
        raise ValueError(
            'The `data_format` argument must be one of "channels_first", '
            f'"channels_last". Received: {data_format}'
        )
    return normalized


def normalize_filters(filters: Any) -> int:
    """TF1 accepted `filters=2.0` (cast to int) and rejected `filters <= 0`."""
    if filters is not None and not isinstance(filters, int):
        filters = int(filters)
    if filters is not None and filters <= 0:
        raise ValueError(
            "Invalid value for argument `filters`. Expected a strictly positive "
            f"value. Received filters={filters}."
        )
    return filters


def check_channels(layer_name: str, input_shape: Any, data_format: str, rank: int) -> int:
    """Returns the channel count; TF1's messages for a wrong rank or unknown channels."""
    input_shape = tuple(input_shape)
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"Inputs should have rank {rank + 2}. Received input_shape={input_shape}."
        )
    channel_axis = 1 if data_format == "channels_first" else -1
    channels = input_shape[channel_axis]
    if channels is None:
        # TF1 counted the axis from the end (-rank - 1 for channels_first).
        negative_axis = channel_axis if channel_axis < 0 else channel_axis - len(input_shape)
        raise ValueError(
            f"The channel dimension of the inputs to `{layer_name}` should be "
            f"defined. The input_shape received is {input_shape}, where axis "
            f"{negative_axis} (0-based) is the channel dimension, which found to "
            "be `None`."
        )
    return channels


def deconv_output_length(
    length: Any, kernel: int, padding: str, output_padding: int | None, stride: int, dilation: int
) -> Any:
    """Spatial output size of a transposed convolution (TF1's formula)."""
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def _gpu_available() -> bool:
    # TensorFlow's CPU kernels only run NHWC; TF1 transposed unless a GPU exists.
    return bool(tf.config.list_logical_devices("GPU"))


@keras.saving.register_keras_serializable(package="compat_layers")
class Conv2DTranspose(base.Layer, keras.layers.Conv2DTranspose):
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
      ValueError: For a non-positive `filters`, an unknown `padding` or
        `data_format`, inputs of rank other than 4, an undefined channel
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
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    with tf.compat.v1.variable_scope("generator"):
        deconv = compat_layers.Conv2DTranspose(8, 3, strides=2, padding="same")
        y = deconv(x)
    print(deconv.scope_name)      # generator/conv2d_transpose
    print(deconv.kernel.path)     # generator/conv2d_transpose/kernel
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

    def __init__(
        self,
        filters: int,
        kernel_size: _IntOrPair,
        strides: _IntOrPair = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        activation: Callable[[Any], Any] | str | None = None,
        use_bias: bool = True,
        kernel_initializer: _Initializer = None,
        bias_initializer: _Initializer = tf.compat.v1.zeros_initializer(),
        kernel_regularizer: _Regularizer = None,
        bias_regularizer: _Regularizer = None,
        activity_regularizer: _Regularizer = None,
        kernel_constraint: _Constraint = None,
        bias_constraint: _Constraint = None,
        trainable: bool = True,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters=normalize_filters(filters),
            kernel_size=kernel_size,
            strides=strides,
            padding=normalize_padding(padding),
            data_format=normalize_data_format(data_format),
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=base.keras_initializer(bias_initializer),
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )

    def build(self, input_shape: Any) -> None:
        channels = check_channels(
            type(self).__name__, input_shape, self.data_format, rank=2
        )
        super().build(input_shape)
        channel_axis = 1 if self.data_format == "channels_first" else -1
        self.input_spec = keras.layers.InputSpec(ndim=4, axes={channel_axis: channels})

    def call(self, inputs: tf.Tensor) -> tf.Tensor:
        # TF1's op sequence (conv2d_transpose or atrous_conv2d_transpose in NHWC
        # on CPU, then bias_add): it matches TF1 bit for bit and, unlike
        # tf.nn.conv_transpose, runs channels_first and dilation without oneDNN.
        channels_first = self.data_format == "channels_first"
        dynamic_shape = tf.shape(inputs)
        spatial_axes = (2, 3) if channels_first else (1, 2)
        out_size = [
            deconv_output_length(
                inputs.shape[axis] if inputs.shape[axis] is not None else dynamic_shape[axis],
                self.kernel_size[i],
                self.padding,
                None if self.output_padding is None else self.output_padding[i],
                self.strides[i],
                self.dilation_rate[i],
            )
            for i, axis in enumerate(spatial_axes)
        ]
        dilated = self.dilation_rate != (1, 1)
        nchw = channels_first and not dilated and _gpu_available()
        x = inputs
        if channels_first and not nchw:
            x = tf.transpose(x, (0, 2, 3, 1))
        if nchw:
            output_shape = [dynamic_shape[0], self.filters, *out_size]
            strides = (1, 1, *self.strides)
        else:
            output_shape = [dynamic_shape[0], *out_size, self.filters]
            strides = (1, *self.strides, 1)
        if dilated:
            outputs = tf.nn.atrous_conv2d_transpose(
                x,
                self.kernel,
                tf.stack(output_shape),
                rate=self.dilation_rate[0],
                padding=self.padding.upper(),
            )
        else:
            outputs = tf.compat.v1.nn.conv2d_transpose(
                x,
                self.kernel,
                tf.stack(output_shape),
                strides,
                padding=self.padding.upper(),
                data_format="NCHW" if nchw else "NHWC",
            )
        if channels_first and not nchw:
            outputs = tf.transpose(outputs, (0, 3, 1, 2))
        if not tf.executing_eagerly() and inputs.shape.rank:
            outputs.set_shape(self.compute_output_shape(tuple(inputs.shape)))
        if self.use_bias:
            outputs = tf.nn.bias_add(
                outputs, self.bias, data_format="NCHW" if channels_first else "NHWC"
            )
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


@base.checks_keywords
def conv2d_transpose(
    inputs: tf.Tensor,
    filters: int,
    kernel_size: _IntOrPair,
    strides: _IntOrPair = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    activation: Callable[[Any], Any] | str | None = None,
    use_bias: bool = True,
    kernel_initializer: _Initializer = None,
    bias_initializer: _Initializer = tf.compat.v1.zeros_initializer(),
    kernel_regularizer: _Regularizer = None,
    bias_regularizer: _Regularizer = None,
    activity_regularizer: _Regularizer = None,
    kernel_constraint: _Constraint = None,
    bias_constraint: _Constraint = None,
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
    return base.apply_functional(
        Conv2DTranspose,
        "conv2d_transpose",
        inputs,
        name=name,
        reuse=reuse,
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
    )
