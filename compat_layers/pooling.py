"""Pooling layers of `tf.compat.v1.layers`, thin over Keras 3.

Each class is the Keras 3 pooling layer behind TF1's constructor: `strides`
is required (Keras defaults it to `pool_size`), `data_format` defaults to
`channels_last` whatever Keras's global `image_data_format()` says, `padding`
is case-insensitive, and bad values raise TF1's messages. Keras 3's pooling
op transposes `channels_first` inputs to NHWC, so they also pool on CPUs,
whose TensorFlow kernels only take NHWC.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

from compat_layers import _arguments, base

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "average_pooling1d",
    "average_pooling2d",
    "average_pooling3d",
    "max_pooling1d",
    "max_pooling2d",
    "max_pooling3d",
]

_IntOrTuple = int | tuple[int, ...] | list[int]


class _Pooling(base.Layer):
    """TF1's pooling constructor, in front of a Keras 3 pooling layer."""

    _rank: int  # spatial dimensions, set by each public class

    def __init__(
        self,
        pool_size: _IntOrTuple,
        strides: _IntOrTuple,
        padding: str = "valid",
        data_format: str = "channels_last",
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Keras 3 would quietly take `pool_size`; TF1 asked for strides.
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        super().__init__(
            pool_size=_arguments.normalize_tuple(pool_size, self._rank, "pool_size"),
            strides=_arguments.normalize_tuple(strides, self._rank, "strides", allow_zero=True),
            padding=_arguments.normalize_padding(padding),
            data_format=_arguments.normalize_data_format(data_format),
            name=name,
            **kwargs,
        )

    def _input_of_unknown_rank(self, inputs: tf.Tensor) -> tf.Tensor:
        # TF1 pooled such inputs (the op checks the rank at run time) and
        # gave an output of the pooling rank.
        return tf.ensure_shape(inputs, [None] * (self._rank + 2))


@keras.saving.register_keras_serializable(package="compat_layers")
class AveragePooling1D(_Pooling, keras.layers.AveragePooling1D):
    """Average pooling layer for 1D inputs.

    Takes the average over each pooling window. This is
    `tf.compat.v1.layers.AveragePooling1D` on Keras 3: a subclass of
    `tf.keras.layers.AveragePooling1D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of a single integer, the size of the
        pooling window.
      strides: An integer or tuple/list of a single integer, the stride of the
        pooling operation. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, steps, channels)` or `(batch, channels, steps)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      3D tensor `(batch, steps, channels)` (`channels_last`) or
      `(batch, channels, steps)` (`channels_first`).

    Output shape:
      3D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 3.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 16])
    pool = compat_layers.AveragePooling1D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.AveragePooling1D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.AveragePooling1D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 1


@keras.saving.register_keras_serializable(package="compat_layers")
class MaxPooling1D(_Pooling, keras.layers.MaxPooling1D):
    """Max pooling layer for 1D inputs.

    Takes the maximum over each pooling window. This is
    `tf.compat.v1.layers.MaxPooling1D` on Keras 3: a subclass of
    `tf.keras.layers.MaxPooling1D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of a single integer, the size of the
        pooling window.
      strides: An integer or tuple/list of a single integer, the stride of the
        pooling operation. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, steps, channels)` or `(batch, channels, steps)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      3D tensor `(batch, steps, channels)` (`channels_last`) or
      `(batch, channels, steps)` (`channels_first`).

    Output shape:
      3D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 3.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 16])
    pool = compat_layers.MaxPooling1D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.MaxPooling1D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.MaxPooling1D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 1


@keras.saving.register_keras_serializable(package="compat_layers")
class AveragePooling2D(_Pooling, keras.layers.AveragePooling2D):
    """Average pooling layer for 2D inputs.

    Takes the average over each pooling window. This is
    `tf.compat.v1.layers.AveragePooling2D` on Keras 3: a subclass of
    `tf.keras.layers.AveragePooling2D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of 2 integers: (pool_height, pool_width),
        the size of the pooling window. One integer means the same value for
        both spatial dimensions.
      strides: An integer or tuple/list of 2 integers, the strides of the pooling
        operation. One integer means the same value for both spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      4D tensor `(batch, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, rows, cols)` (`channels_first`).

    Output shape:
      4D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 4.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    pool = compat_layers.AveragePooling2D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.AveragePooling2D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.AveragePooling2D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 2


@keras.saving.register_keras_serializable(package="compat_layers")
class MaxPooling2D(_Pooling, keras.layers.MaxPooling2D):
    """Max pooling layer for 2D inputs.

    Takes the maximum over each pooling window. This is
    `tf.compat.v1.layers.MaxPooling2D` on Keras 3: a subclass of
    `tf.keras.layers.MaxPooling2D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of 2 integers: (pool_height, pool_width),
        the size of the pooling window. One integer means the same value for
        both spatial dimensions.
      strides: An integer or tuple/list of 2 integers, the strides of the pooling
        operation. One integer means the same value for both spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      4D tensor `(batch, rows, cols, channels)` (`channels_last`) or
      `(batch, channels, rows, cols)` (`channels_first`).

    Output shape:
      4D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 4.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    pool = compat_layers.MaxPooling2D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.MaxPooling2D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.MaxPooling2D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 2


@keras.saving.register_keras_serializable(package="compat_layers")
class AveragePooling3D(_Pooling, keras.layers.AveragePooling3D):
    """Average pooling layer for 3D inputs.

    Takes the average over each pooling window. This is
    `tf.compat.v1.layers.AveragePooling3D` on Keras 3: a subclass of
    `tf.keras.layers.AveragePooling3D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of 3 integers: (pool_depth, pool_height,
        pool_width), the size of the pooling window. One integer means the
        same value for all three spatial dimensions.
      strides: An integer or tuple/list of 3 integers, the strides of the pooling
        operation. One integer means the same value for all three spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, dim1, dim2, dim3, channels)` or `(batch, channels, dim1, dim2, dim3)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      5D tensor `(batch, dim1, dim2, dim3, channels)` (`channels_last`) or
      `(batch, channels, dim1, dim2, dim3)` (`channels_first`).

    Output shape:
      5D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 5.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 8, 16])
    pool = compat_layers.AveragePooling3D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 4, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.AveragePooling3D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.AveragePooling3D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 3


@keras.saving.register_keras_serializable(package="compat_layers")
class MaxPooling3D(_Pooling, keras.layers.MaxPooling3D):
    """Max pooling layer for 3D inputs.

    Takes the maximum over each pooling window. This is
    `tf.compat.v1.layers.MaxPooling3D` on Keras 3: a subclass of
    `tf.keras.layers.MaxPooling3D` with TF1's constructor, naming and dtype
    inference (the output keeps the input's dtype, float16 included).

    Args:
      pool_size: An integer or tuple/list of 3 integers: (pool_depth, pool_height,
        pool_width), the size of the pooling window. One integer means the
        same value for all three spatial dimensions.
      strides: An integer or tuple/list of 3 integers, the strides of the pooling
        operation. One integer means the same value for all three spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: A string, `channels_last` (default) or `channels_first`:
        `(batch, dim1, dim2, dim3, channels)` or `(batch, channels, dim1, dim2, dim3)`.
        Keras's global `image_data_format()` is not consulted, as in TF1.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Input shape:
      5D tensor `(batch, dim1, dim2, dim3, channels)` (`channels_last`) or
      `(batch, channels, dim1, dim2, dim3)` (`channels_first`).

    Output shape:
      5D tensor in the same layout; each spatial size `L` becomes
      `(L - pool_size) // strides + 1` for `"valid"` and
      `ceil(L / strides)` for `"same"`.

    Raises:
      ValueError: For `strides=None`, a `pool_size` or `strides` of the
        wrong length or sign, an unknown `padding` or `data_format` (all
        with TF1's messages), and inputs of rank other than 5.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 8, 16])
    pool = compat_layers.MaxPooling3D(pool_size=2, strides=2, padding="SAME")
    print(pool(x).shape)          # (None, 4, 4, 4, 16)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    pool = tf.compat.v1.layers.MaxPooling3D(
        pool_size=2, strides=2, padding="SAME")
    y = pool(x)
    ```

    After (Keras 3):

    ```python
    pool = tf.keras.layers.MaxPooling3D(
        pool_size=2, strides=2,
        padding="same",                  # Keras 3 wants it lower-case
        data_format="channels_last")     # TF1 never read image_data_format()
    y = pool(x)
    ```
    """

    _rank = 3


@_arguments.functional_interface(AveragePooling1D, pin_scope=False)
def average_pooling1d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Average pooling layer for 1D inputs (functional interface).

    Builds a `AveragePooling1D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.average_pooling1d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 3.
      pool_size: An integer or tuple/list of a single integer, the size of the
        pooling window.
      strides: An integer or tuple/list of a single integer, the stride of the
        pooling operation. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 3.

    Raises:
      ValueError: As `AveragePooling1D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 16])
    y = compat_layers.average_pooling1d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.average_pooling1d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.AveragePooling1D(pool_size=2, strides=2)(x)
    ```
    """


@_arguments.functional_interface(MaxPooling1D, pin_scope=False)
def max_pooling1d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Max pooling layer for 1D inputs (functional interface).

    Builds a `MaxPooling1D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.max_pooling1d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 3.
      pool_size: An integer or tuple/list of a single integer, the size of the
        pooling window.
      strides: An integer or tuple/list of a single integer, the stride of the
        pooling operation. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 3.

    Raises:
      ValueError: As `MaxPooling1D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 16])
    y = compat_layers.max_pooling1d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.max_pooling1d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.MaxPooling1D(pool_size=2, strides=2)(x)
    ```
    """


@_arguments.functional_interface(AveragePooling2D, pin_scope=False)
def average_pooling2d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Average pooling layer for 2D inputs (functional interface).

    Builds a `AveragePooling2D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.average_pooling2d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 4.
      pool_size: An integer or tuple/list of 2 integers: (pool_height, pool_width),
        the size of the pooling window. One integer means the same value for
        both spatial dimensions.
      strides: An integer or tuple/list of 2 integers, the strides of the pooling
        operation. One integer means the same value for both spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 4.

    Raises:
      ValueError: As `AveragePooling2D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    y = compat_layers.average_pooling2d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.average_pooling2d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.AveragePooling2D(pool_size=2, strides=2)(x)
    ```
    """


@_arguments.functional_interface(MaxPooling2D, pin_scope=False)
def max_pooling2d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Max pooling layer for 2D inputs (functional interface).

    Builds a `MaxPooling2D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.max_pooling2d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 4.
      pool_size: An integer or tuple/list of 2 integers: (pool_height, pool_width),
        the size of the pooling window. One integer means the same value for
        both spatial dimensions.
      strides: An integer or tuple/list of 2 integers, the strides of the pooling
        operation. One integer means the same value for both spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 4.

    Raises:
      ValueError: As `MaxPooling2D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    y = compat_layers.max_pooling2d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.max_pooling2d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.MaxPooling2D(pool_size=2, strides=2)(x)
    ```
    """


@_arguments.functional_interface(AveragePooling3D, pin_scope=False)
def average_pooling3d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Average pooling layer for 3D inputs (functional interface).

    Builds a `AveragePooling3D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.average_pooling3d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 5.
      pool_size: An integer or tuple/list of 3 integers: (pool_depth, pool_height,
        pool_width), the size of the pooling window. One integer means the
        same value for all three spatial dimensions.
      strides: An integer or tuple/list of 3 integers, the strides of the pooling
        operation. One integer means the same value for all three spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 5.

    Raises:
      ValueError: As `AveragePooling3D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 8, 16])
    y = compat_layers.average_pooling3d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.average_pooling3d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.AveragePooling3D(pool_size=2, strides=2)(x)
    ```
    """


@_arguments.functional_interface(MaxPooling3D, pin_scope=False)
def max_pooling3d(
    inputs: tf.Tensor,
    pool_size: _IntOrTuple,
    strides: _IntOrTuple,
    padding: str = "valid",
    data_format: str = "channels_last",
    name: str | None = None,
) -> tf.Tensor:
    """Max pooling layer for 3D inputs (functional interface).

    Builds a `MaxPooling3D` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.max_pooling3d` is deprecated.

    Args:
      inputs: The tensor over which to pool, of rank 5.
      pool_size: An integer or tuple/list of 3 integers: (pool_depth, pool_height,
        pool_width), the size of the pooling window. One integer means the
        same value for all three spatial dimensions.
      strides: An integer or tuple/list of 3 integers, the strides of the pooling
        operation. One integer means the same value for all three spatial
        dimensions. Required, as in TF1.
      padding: A string, `"valid"` or `"same"` (case-insensitive).
      data_format: `channels_last` (default) or `channels_first`.
      name: A string, the name of the layer.

    Returns:
      The output tensor, of rank 5.

    Raises:
      ValueError: As `MaxPooling3D`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 8, 16])
    y = compat_layers.max_pooling3d(x, pool_size=2, strides=2)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.max_pooling3d(x, pool_size=2, strides=2)
    ```

    After (pooling has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.MaxPooling3D(pool_size=2, strides=2)(x)
    ```
    """
