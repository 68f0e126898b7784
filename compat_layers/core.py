"""`Dense`, `Dropout` and `Flatten` of `tf.compat.v1.layers`, thin over Keras 3."""

from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import keras
import tensorflow as tf

from compat_layers import _arguments, _graph, base
from compat_layers._types import Activation, Constraint, Initializer, Regularizer

__all__ = ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]


def _normalize_units(units: Any) -> int:
    """TF1 accepted `units=3.0` (cast to int) and rejected negative units."""
    normalized = units if isinstance(units, int) else int(units)
    if normalized < 0:
        raise ValueError(
            "Received an invalid value for `units`, expected a positive "
            f"integer. Received: units={units}"
        )
    return normalized


@keras.saving.register_keras_serializable(package="compat_layers")
class Dense(base.Layer, keras.layers.Dense):
    """Densely-connected layer: `outputs = activation(inputs @ kernel + bias)`.

    This is `tf.compat.v1.layers.Dense` on Keras 3: a subclass of
    `tf.keras.layers.Dense` whose `kernel` and `bias` come from
    `tf.compat.v1.get_variable` in the layer's variable scope. Inputs of rank
    above 2 are contracted on their last axis (`tf.tensordot`), as in TF1.

    Args:
      units: Integer (or a float holding one), the dimensionality of the
        output space.
      activation: Activation function. Set it to `None` to maintain a linear
        activation.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: An initializer for the weight matrix. `None` uses
        the enclosing variable scope's initializer, else Glorot uniform.
      bias_initializer: An initializer for the bias vector.
      kernel_regularizer: Optional regularizer for the weight matrix.
      bias_regularizer: Optional regularizer for the bias vector.
      activity_regularizer: Optional regularizer function for the output
        (its loss is divided by the batch size, as in TF1).
      kernel_constraint: Optional projection function applied to the kernel
        after an `Optimizer` update.
      bias_constraint: Optional projection function applied to the bias after
        an `Optimizer` update.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`).
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype; inputs of another
        dtype are cast to it, as in TF1).

    Input shape:
      N-D tensor `(batch, ..., input_dim)`, N >= 2, with a known last
      dimension.

    Output shape:
      N-D tensor `(batch, ..., units)`.

    Raises:
      ValueError: For negative `units`, inputs of rank below 2 or with an
        undefined last dimension, and (from `tf.compat.v1.get_variable`) a
        variable that already exists without `reuse`, is missing under
        `reuse=True`, or has another shape.
      TypeError: For a non-floating dtype, and for an unknown keyword
        argument (the message names the closest valid one).

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 7, 16])
    with tf.compat.v1.variable_scope("head"):
        layer = compat_layers.Dense(4, activation=tf.nn.relu)
        y = layer(x)
    print(layer.kernel.name)      # head/dense/kernel:0
    print(y.shape)                # (None, 7, 4)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    with tf.compat.v1.variable_scope("head"):
        layer = tf.compat.v1.layers.Dense(4, activation=tf.nn.relu)
        y = layer(x)
    ```

    After (Keras 3):

    ```python
    layer = tf.keras.layers.Dense(4, activation="relu",
                                  kernel_initializer="glorot_uniform",
                                  bias_initializer="zeros")
    y = layer(x)
    ```

    Keep the layer object to reuse its weights (there is no `reuse=`); Keras
    names weights by layer (`dense/kernel`), so load old TF1 checkpoints by
    mapping names, or build once under this shim and save with
    `tf.train.Checkpoint`. Keras 3 casts float16 inputs to float32 unless
    the layer is given `dtype="float16"`.
    """

    def __init__(
        self,
        units: int,
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
            units=_normalize_units(units),
            activation=activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=_arguments.keras_initializer(bias_initializer),
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )

    def _input_of_unknown_rank(self, inputs: tf.Tensor) -> tf.Tensor:
        raise ValueError(
            "The last dimension of the inputs to a Dense layer should be defined. "
            "Found None. Full input shape received: <unknown>"
        )

    def build(self, input_shape: Any) -> None:
        # TF1's checks and messages; Keras 3 would build an integer kernel or
        # fail later on a `None` dimension.
        dtype = tf.as_dtype(self.variable_dtype)
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError(
                "A Dense layer can only be built with a floating-point "
                f"dtype. Received: dtype={dtype}"
            )
        if input_shape[-1] is None:
            raise ValueError(
                "The last dimension of the inputs to a Dense layer "
                "should be defined. Found None. "
                f"Full input shape received: {tf.TensorShape(input_shape)}"
            )
        super().build(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tf.TensorShape:
        # TF1's checks: Keras 3 indexes the last axis of whatever it gets.
        input_shape = tf.TensorShape(input_shape).with_rank_at_least(2)
        if tf.compat.dimension_value(input_shape[-1]) is None:
            raise ValueError(
                "The last dimension of the input shape of a Dense layer should be "
                f"defined. Found None. Received: input_shape={input_shape}"
            )
        return input_shape[:-1].concatenate(self.units)

    def call(self, inputs: tf.Tensor) -> tf.Tensor:
        # TF1's op sequence: matmul for matrices, tensordot on the last axis
        # for higher ranks (Keras 3 broadcasts a batched matmul instead).
        if inputs.dtype.base_dtype != tf.as_dtype(self.compute_dtype):
            inputs = tf.cast(inputs, self.compute_dtype)
        rank = inputs.shape.rank
        if rank == 2 or rank is None:
            outputs = tf.matmul(inputs, self.kernel)
        else:
            outputs = tf.tensordot(inputs, self.kernel, [[rank - 1], [0]])
            if not tf.executing_eagerly():
                outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
        if self.use_bias:
            outputs = tf.nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


@_arguments.functional_interface(Dense)
def dense(
    inputs: tf.Tensor,
    units: int,
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
    """Functional interface for the densely-connected layer.

    Builds a `Dense` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.dense` is deprecated.

    Args:
      inputs: Input tensor, of rank 2 or more.
      units: Integer, the dimensionality of the output space.
      activation: Activation function; `None` for linear.
      use_bias: Boolean, whether the layer uses a bias.
      kernel_initializer: Initializer for the weight matrix; `None` uses the
        variable scope's initializer, else Glorot uniform.
      bias_initializer: Initializer for the bias.
      kernel_regularizer: Optional regularizer for the weight matrix.
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
      Output tensor the same shape as `inputs` except the last dimension,
      which is `units`.

    Raises:
      ValueError: As `Dense`, and when `reuse=True` asks for variables that
        do not exist (in graph mode).
      TypeError: For a non-floating input, and for an unknown keyword (the
        message names the closest one).

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 16])
    with tf.compat.v1.variable_scope("mlp", reuse=tf.compat.v1.AUTO_REUSE):
        h = compat_layers.dense(x, 32, activation=tf.nn.relu, name="fc1")
        y = compat_layers.dense(h, 10, name="logits")
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.dense(x, 10, name="logits")
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.logits = tf.keras.layers.Dense(10)
    y = self.logits(x)
    ```
    """


@keras.saving.register_keras_serializable(package="compat_layers")
class Dropout(base.Layer, keras.layers.Dropout):
    """Applies Dropout to the input.

    Dropout consists in randomly setting a fraction `rate` of input units to 0
    at each update during training time, which helps prevent overfitting.
    The units that are kept are scaled by `1 / (1 - rate)`, so that their
    sum is unchanged at training time and inference time.

    This is `tf.compat.v1.layers.Dropout` on Keras 3. Unlike Keras 3's
    `Dropout` (whose seed-generator variable makes a TF1 graph repeat one
    mask on every `session.run`), the mask comes from TF1's stateful
    `tf.nn.dropout`: a fresh mask on every run, reproducible with
    `tf.compat.v1.set_random_seed` and `seed`, as in TF1.

    Args:
      rate: The dropout rate, between 0 and 1, or a scalar float tensor
        (e.g. a placeholder). E.g. `rate=0.1` drops out 10% of input units.
      noise_shape: Shape of the binary dropout mask that is multiplied with
        the input: a list of integers or scalar tensors, where `None` takes
        the input's dimension. E.g. for inputs `(batch_size, timesteps,
        features)`, `noise_shape=[None, 1, None]` uses the same mask for all
        timesteps.
      seed: A Python integer, the op seed of the first call (each further
        call of the layer uses the next integer). See
        `tf.compat.v1.set_random_seed` for how it combines with the graph
        seed.
      name: A string, the name of the layer.
      **kwargs: `dtype` (default: the first input's dtype) and `trainable`.

    Call arguments:
      inputs: Input tensor, of any rank.
      training: A Python boolean or a boolean scalar tensor (e.g. a
        placeholder): whether to drop (training) or return the input
        untouched (inference). Defaults to `False`, as in TF1; `None` means
        inference too (TF1 read Keras's learning phase, 0 by default).

    Input shape:
      Arbitrary.

    Output shape:
      Same shape as the input.

    Raises:
      ValueError: For a numeric `rate` outside [0, 1], and (when called with
        `training=True`) for `rate=1`, which `tf.nn.dropout` rejects.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    tf.compat.v1.set_random_seed(1)
    x = tf.ones([2, 4])
    is_training = tf.compat.v1.placeholder_with_default(False, [])
    y = compat_layers.Dropout(0.5, seed=7)(x, training=is_training)
    with tf.compat.v1.Session() as session:
        print(session.run(y))                          # [[1. 1. 1. 1.] [1. 1. 1. 1.]]
        first = session.run(y, {is_training: True})
        second = session.run(y, {is_training: True})   # another mask
    print(sorted(set(first.flatten().tolist())))       # [0.0, 2.0]
    print((first != second).any())                     # True
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    drop = tf.compat.v1.layers.Dropout(0.5, seed=7)
    y = drop(x, training=is_training)
    ```

    After (Keras 3, eager or `tf.function`; in a Keras model `fit` passes
    `training` for you):

    ```python
    drop = tf.keras.layers.Dropout(0.5, seed=7)
    y = drop(x, training=is_training)
    ```

    Keras 3 draws masks from its own seeded generator, so the masks differ
    from TF1's even with the same seeds.
    """

    def __init__(
        self,
        rate: float | tf.Tensor = 0.5,
        noise_shape: Sequence[int | tf.Tensor | None] | None = None,
        seed: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value {rate} received for "
                "`rate`, expected a value between 0 and 1."
            )
        # Keras 3 is given rate 0 so that it makes no seed-generator variable
        # (it would land in the TF1 graph's GLOBAL_VARIABLES) and need not
        # compare a tensor `rate`; the masks come from `call` below. It is not
        # given `noise_shape` either: it rejects the tensors and NumPy
        # integers TF1 took there (`[tf.shape(x)[0], 1, units]`).
        super().__init__(rate=0, seed=seed, name=name, **kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self._next_op_seed = seed

    def _op_seed(self) -> int | None:
        # TF1 gave each call its own op seed (seed, seed + 1, ...), so two
        # calls of one layer draw different masks.
        seed = self._next_op_seed
        if seed is not None:
            self._next_op_seed = seed + 1
        return seed

    def _mask_shape(self, inputs: tf.Tensor) -> tf.Tensor | None:
        if self.noise_shape is None:
            return None
        dynamic_shape = tf.shape(inputs)
        return tf.convert_to_tensor(
            [dynamic_shape[i] if dim is None else dim
             for i, dim in enumerate(self.noise_shape)]
        )

    @base.shape_passed_through
    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def _input_of_unknown_rank(self, inputs: tf.Tensor) -> tf.Tensor:
        return inputs  # dropout needs no shape (TF1 ran it)

    def call(
        self, inputs: tf.Tensor, training: bool | tf.Tensor | None = False
    ) -> tf.Tensor:
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return tf.identity(inputs)
        if training is None:
            # TF1 read Keras's learning phase, 0 unless a program set it;
            # Keras 3 has no learning phase.
            training = False

        def dropped() -> tf.Tensor:
            # TF1's order: the mask shape's ops come before tf.nn.dropout's,
            # which keeps graph-seed-only masks (op seed = op count) equal.
            noise_shape = self._mask_shape(inputs)
            return tf.nn.dropout(
                inputs, rate=self.rate, noise_shape=noise_shape, seed=self._op_seed()
            )

        # Eagerly there is no op name to keep: not dropping is the input itself
        # (an identity op would cost as much as the rest of the call).
        kept = (lambda: inputs) if tf.executing_eagerly() else (lambda: tf.identity(inputs))
        return _graph.smart_cond(training, dropped, kept)


@_arguments.functional_interface(Dropout, pin_scope=False, call_arguments=("training",))
def dropout(
    inputs: tf.Tensor,
    rate: float | tf.Tensor = 0.5,
    noise_shape: Sequence[int | tf.Tensor | None] | None = None,
    seed: int | None = None,
    training: bool | tf.Tensor = False,
    name: str | None = None,
) -> tf.Tensor:
    """Applies Dropout to the input (functional interface).

    Builds a `Dropout` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.dropout` is deprecated.

    Args:
      inputs: Tensor input.
      rate: The dropout rate, between 0 and 1, or a scalar float tensor.
      noise_shape: Shape of the binary dropout mask; `None` entries take the
        input's dimension.
      seed: A Python integer, the op seed. See `tf.compat.v1.set_random_seed`.
      training: A Python boolean or a boolean scalar tensor (e.g. a
        placeholder): whether to drop (training) or return the input
        untouched (inference). Defaults to `False`, as in TF1.
      name: A string, the name of the layer.

    Returns:
      Output tensor, of the input's shape and dtype.

    Raises:
      ValueError: As `Dropout`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 128])
    is_training = tf.compat.v1.placeholder_with_default(False, [])
    h = compat_layers.dropout(x, rate=0.3, training=is_training)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    h = tf.compat.v1.layers.dropout(x, rate=0.3, training=is_training)
    ```

    After (create the layer once, e.g. in `__init__`, and call it):

    ```python
    self.drop = tf.keras.layers.Dropout(0.3)
    h = self.drop(x, training=is_training)
    ```
    """


@keras.saving.register_keras_serializable(package="compat_layers")
class Flatten(base.Layer, keras.layers.Flatten):
    """Flattens an input tensor while preserving the batch axis (axis 0).

    This is `tf.compat.v1.layers.Flatten` on Keras 3. `channels_first`
    inputs are transposed to `channels_last` first, so both layouts flatten
    to the same feature order, as in TF1.

    Args:
      data_format: A string, `channels_last` or `channels_first`: the
        ordering of the dimensions in the inputs, `(batch, ..., channels)` or
        `(batch, channels, ...)`. `None` (default) reads Keras's global
        `image_data_format()`, as TF1's class did (the functional `flatten`
        defaults to `channels_last`).
      **kwargs: `name`, `dtype` (default: the first input's dtype) and
        `trainable`.

    Input shape:
      Tensor of rank >= 1 `(batch, ...)`; unknown dimensions are allowed.

    Output shape:
      2D tensor `(batch, product of the other dimensions)`; rank-1 inputs
      become `(batch, 1)`.

    Raises:
      ValueError: For an unknown `data_format` (TF1's message) and rank-0
        inputs.
      TypeError: For an unknown keyword argument; the message names the
        closest valid one.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 4, 4])
    print(compat_layers.Flatten()(x).shape)     # (None, 16)
    x = tf.compat.v1.placeholder(tf.float32, [None, 3, None])
    print(compat_layers.Flatten()(x).shape)     # (None, None)
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    flat = tf.compat.v1.layers.Flatten()
    y = flat(x)
    ```

    After (Keras 3):

    ```python
    flat = tf.keras.layers.Flatten()
    y = flat(x)
    ```
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        # Unlike TF1's other layers, its Flatten class read Keras's global
        # setting for `None`; only the functional `flatten` fixed channels_last.
        super().__init__(
            data_format=_arguments.normalize_data_format(
                data_format or keras.config.image_data_format()
            ),
            **kwargs,
        )

    def _input_of_unknown_rank(self, inputs: tf.Tensor) -> tf.Tensor:
        # TF1 flattened it to `(?, ?)`. Keras 3 can neither build from nor
        # check such a shape; Flatten has nothing to build, and the base
        # layer has checked the input spec as TF1 did.
        self.input_spec = None
        self.built = True
        return inputs

    def call(self, inputs: tf.Tensor) -> tf.Tensor:
        rank = inputs.shape.rank
        if rank is None:
            return tf.reshape(inputs, [tf.shape(inputs)[0], -1])
        # TF1's op sequence. Keras 3 passes the flat size as int32, which
        # wraps for more than 2**31 elements a row; TF1's constant widened
        # to int64.
        if self.data_format == "channels_first" and rank > 1:
            inputs = tf.transpose(inputs, [0] + list(range(2, rank)) + [1])
        if rank == 1:
            return tf.expand_dims(inputs, axis=1)
        dims = inputs.shape.as_list()
        if None not in dims[1:]:
            shape = tf.constant([-1, math.prod(dims[1:])])
        elif dims[0] is not None:
            shape = tf.constant([dims[0], -1])
        else:
            shape = [tf.shape(inputs)[0], -1]
        return tf.reshape(inputs, shape)


@_arguments.functional_interface(Flatten, pin_scope=False)
def flatten(
    inputs: tf.Tensor, name: str | None = None, data_format: str = "channels_last"
) -> tf.Tensor:
    """Flattens an input tensor while preserving the batch axis (axis 0).

    Builds a `Flatten` and calls it on `inputs`. Warns, as TF1 did, that
    `tf.layers.flatten` is deprecated.

    Args:
      inputs: Tensor input, of rank >= 1.
      name: A string, the name of the layer.
      data_format: `channels_last` (default) or `channels_first`; the latter
        is transposed to `channels_last` before flattening.

    Returns:
      The reshaped 2D tensor `(batch, -1)`.

    Raises:
      ValueError: As `Flatten`.
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 4, 4])
    y = compat_layers.flatten(x)    # shape (None, 16)
    ```

    How to migrate to native TF2:

    Before:

    ```python
    y = tf.compat.v1.layers.flatten(x)
    ```

    After (Flatten has no weights, so a layer made on the spot is fine):

    ```python
    y = tf.keras.layers.Flatten(data_format="channels_last")(x)
    ```
    """
