"""`BatchNormalization` of `tf.compat.v1.layers`, thin over Keras 3, with TF1 graph-mode updates."""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Callable

import keras
import tensorflow as tf

from compat_layers import _arguments, _graph, _private, base
from compat_layers._types import Constraint, Initializer, Regularizer

__all__ = ["BatchNormalization", "batch_normalization"]

_Axis = int | list[int] | tuple[int, ...]
_Adjustment = Callable[[tf.Tensor], tuple[Any, Any]] | None
_Training = bool | tf.Tensor | tf.Variable
_Momentum = float | tf.Tensor

# (input rank, normalized axis) -> data format of the fused kernel.
_FUSED_DATA_FORMATS = {(4, 1): "NCHW", (4, 3): "NHWC", (5, 1): "NCDHW", (5, 4): "NDHWC"}
_RENORM_CLIPPING_KEYS = ["rmax", "rmin", "dmax"]
_FUSED_DTYPES = ("float16", "bfloat16", "float32")
_HALF_DTYPES = (tf.float16, tf.bfloat16)

_ADVICE = (
    "Please use `tf.keras.layers.BatchNormalization` instead. "
    "In particular, `tf.control_dependencies(tf.GraphKeys.UPDATE_OPS)` "
    "should not be used (consult the `tf.keras.layers.BatchNormalization` "
    "documentation)."
)


def _normalize_axis(axis: _Axis, input_shape: tf.TensorShape) -> list[int]:
    """`axis` as a list of non-negative axes, with TF1's messages."""
    rank = input_shape.rank
    if not rank:
        raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}")
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = [a + rank if a < 0 else a for a in axes]
    if any(a < 0 or a >= rank for a in axes):
        raise ValueError(
            "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank "
            f"(with inputs.rank={rank}). Received: axis={tuple(axes)}"
        )
    if len(axes) != len(set(axes)):
        raise ValueError(f"Duplicate axis: {tuple(axes)}")
    return axes


def _assign_moving_average(variable: tf.Variable, value: tf.Tensor, momentum: Any) -> Any:
    """`variable -= (variable - value) * (1 - momentum)`: TF1's op sequence, so
    the moving statistics match TF1's to the last bit."""
    with tf.name_scope("AssignMovingAvg") as scope, _colocated_in_tf1_graphs(variable):
        # TF1 built the decay in float32 and cast it, also for float64 variables.
        decay = tf.convert_to_tensor(1.0 - momentum, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = tf.cast(decay, variable.dtype.base_dtype)
        delta = (variable - tf.cast(value, variable.dtype)) * decay
        return variable.assign_sub(delta, name=scope)


def _colocated_in_tf1_graphs(variable: Any) -> Any:
    """TF1 graphs put the update ops on the variable's device (a parameter
    server under `replica_device_setter`); TF2 functions let placement decide."""
    if tf.compat.v1.executing_eagerly_outside_functions():
        return contextlib.nullcontext()
    return tf.compat.v1.colocate_with(variable)


def _assign_new_value(variable: tf.Variable, value: tf.Tensor) -> Any:
    with tf.name_scope("AssignNewValue") as scope, _colocated_in_tf1_graphs(variable):
        return variable.assign(value, name=scope)


def _compose_transforms(scale: Any, offset: Any, then_scale: Any, then_offset: Any) -> tuple:
    """`(x * scale + offset) * then_scale + then_offset` as one scale and offset."""
    if then_scale is not None:
        scale = scale * then_scale
        offset = offset * then_scale
    if then_offset is not None:
        offset = offset + then_offset
    return scale, offset


@keras.saving.register_keras_serializable(package="compat_layers")
class BatchNormalization(base.Layer, keras.layers.BatchNormalization):
    """Batch Normalization layer from (Ioffe et al., 2015).

    This is `tf.compat.v1.layers.BatchNormalization` on Keras 3: a subclass of
    `tf.keras.layers.BatchNormalization` whose variables come from
    `tf.compat.v1.get_variable` in the layer's variable scope, and which keeps
    TF1's training semantics:

    * In a TF1 graph, `training=True` (or a bool tensor) builds the ops that
      update `moving_mean` and `moving_variance` and adds them to
      `tf.compat.v1.GraphKeys.UPDATE_OPS` and `layer.updates`. They run only
      when you run them, typically through
      `with tf.control_dependencies(update_ops): train_op = ...`.
      (Keras 3's own layer builds no such ops in a TF1 graph: its moving
      statistics never move.)
    * Eagerly and inside `tf.function`, the moving statistics are updated by
      the call itself.
    * `trainable=False` does not mean inference: `training=True` still
      normalizes with the batch statistics, but the moving statistics are
      left alone (as in TF1, unlike Keras 2+).

    Args:
      axis: An `int` or list of `int`, the axis or axes that should be
        normalized, typically the features axis/axes. For instance, after a
        `Conv2D` layer with `data_format="channels_first"`, set `axis=1`. With
        several axes, `beta`, `gamma`, `moving_mean` and `moving_variance` have
        the input's rank, with size 1 in every reduced dimension.
      momentum: Momentum for the moving average (a float, or a scalar
        tensor).
      epsilon: Small float added to variance to avoid dividing by zero.
      center: If True, add offset of `beta` to normalized tensor. If False,
        `beta` is ignored.
      scale: If True, multiply by `gamma`. If False, `gamma` is not used. When
        the next layer is linear (also e.g. `nn.relu`), this can be disabled
        since the scaling can be done by the next layer.
      beta_initializer: Initializer for the beta weight.
      gamma_initializer: Initializer for the gamma weight.
      moving_mean_initializer: Initializer for the moving mean.
      moving_variance_initializer: Initializer for the moving variance.
      beta_regularizer: Optional regularizer for the beta weight.
      gamma_regularizer: Optional regularizer for the gamma weight.
      beta_constraint: An optional projection function to be applied to the
        `beta` weight after being updated by an `Optimizer`.
      gamma_constraint: An optional projection function to be applied to the
        `gamma` weight after being updated by an `Optimizer`.
      renorm: Whether to use Batch Renormalization (Ioffe, 2017). This adds
        the variables `moving_stddev`, `renorm_mean` and `renorm_stddev`.
        Inference is the same for either value of this parameter.
      renorm_clipping: A dictionary that may map keys `'rmax'`, `'rmin'`,
        `'dmax'` to scalar `Tensors` used to clip the renorm correction. The
        correction `(r, d)` is used as `corrected_value = normalized_value * r
        + d`, with `r` clipped to `[rmin, rmax]`, and `d` to `[-dmax, dmax]`.
        Missing rmax, rmin, dmax are set to inf, 0, inf, respectively.
      renorm_momentum: Momentum used to update the moving means and standard
        deviations with renorm. `momentum` is still applied to get the means
        and variances for inference.
      fused: If `None` or `True`, use the faster, fused implementation if
        possible (4D or 5D input normalized over axis 1 or the last axis, no
        renorm, virtual batches or adjustment, float16/bfloat16/float32). If
        `False`, never use it. As in TF1, `True` never raises: it falls back.
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES` (see `tf.Variable`), and update the
        moving statistics when training.
      virtual_batch_size: An `int`. If not `None`, perform "Ghost Batch
        Normalization": normalize virtual sub-batches of this size separately
        (sharing gamma, beta and moving statistics). Must divide the actual
        batch size.
      adjustment: A function taking the dynamic shape of the input tensor and
        returning a pair `(scale, bias)` applied to the normalized values
        (before gamma and beta), only during training. Cannot be combined with
        `virtual_batch_size`.
      name: A string, the name of the layer (and of its variable scope).
      **kwargs: `dtype` (default: the first input's dtype; float16 and
        bfloat16 inputs get float32 variables) and Keras 3 layer arguments.

    Call arguments:
      inputs: Input tensor.
      training: A Python boolean, or a boolean scalar tensor (e.g. a
        placeholder): normalize with the batch statistics and update the
        moving ones (training), or normalize with the moving statistics
        (inference, the default).
      mask: Optional tensor of the input's shape without the normalized axis:
        only the positions where it is nonzero count for the batch statistics
        (not with the fused implementation, which warns and ignores it).

    Input shape:
      Arbitrary; the normalized axes must have a known size.

    Output shape:
      Same shape (and dtype) as input.

    Raises:
      TypeError: For an `axis` that is neither an int nor a list/tuple of
        ints, and for an unknown keyword argument (the message names the
        closest valid one).
      ValueError: For unknown `renorm_clipping` keys; on the first call, for
        an axis out of range or repeated, a normalized axis of unknown size, a
        non-positive `virtual_batch_size`, or `virtual_batch_size` combined
        with `axis` 0 or `adjustment`; and (from `tf.compat.v1.get_variable`)
        for variables that already exist without `reuse`, are missing under
        `reuse=True`, or have another shape.

    Example:

    ```python
    import tensorflow as tf
    import compat_layers

    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 8, 8, 16])
    is_training = tf.compat.v1.placeholder_with_default(False, [])
    bn = compat_layers.BatchNormalization()
    y = bn(x, training=is_training)
    loss = tf.reduce_mean(tf.square(y))
    update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):      # moves moving_mean/variance
        train_op = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    print(bn.moving_mean.name)                     # batch_normalization/moving_mean:0
    ```

    How to migrate to native TF2:

    Before (TF1, or this shim):

    ```python
    bn = tf.compat.v1.layers.BatchNormalization(momentum=0.9)
    y = bn(x, training=is_training)
    update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss)
    ```

    After (Keras 3):

    ```python
    bn = tf.keras.layers.BatchNormalization(momentum=0.9)
    y = bn(x, training=True)   # updates the moving statistics itself
    ```

    Keras 3 updates the moving statistics during the training call (no
    `UPDATE_OPS`), takes one int `axis`, has no `fused`, `virtual_batch_size`
    or `adjustment`, and runs a layer with `trainable=False` in inference
    mode. Keep the layer object to reuse its weights (there is no `reuse=`).
    """

    def __init__(
        self,
        axis: _Axis = -1,
        momentum: _Momentum = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        gamma_initializer: Initializer = tf.compat.v1.ones_initializer(),
        moving_mean_initializer: Initializer = tf.compat.v1.zeros_initializer(),
        moving_variance_initializer: Initializer = tf.compat.v1.ones_initializer(),
        beta_regularizer: Regularizer = None,
        gamma_regularizer: Regularizer = None,
        beta_constraint: Constraint = None,
        gamma_constraint: Constraint = None,
        renorm: bool = False,
        renorm_clipping: dict[str, Any] | None = None,
        renorm_momentum: float = 0.99,
        fused: bool | None = None,
        trainable: bool = True,
        virtual_batch_size: int | None = None,
        adjustment: _Adjustment = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(axis, (int, list, tuple)):
            raise TypeError(
                "Expected an int or a list/tuple of ints for the argument 'axis', "
                f"but received: {axis!r}"
            )
        if renorm and set(renorm_clipping or {}) - set(_RENORM_CLIPPING_KEYS):
            raise ValueError(
                "Received invalid keys for `renorm_clipping` argument: "
                f"{renorm_clipping}. Supported values: {_RENORM_CLIPPING_KEYS}."
            )
        super().__init__(
            epsilon=epsilon,
            center=center,
            scale=scale,
            beta_initializer=_arguments.keras_initializer(beta_initializer),
            gamma_initializer=_arguments.keras_initializer(gamma_initializer),
            moving_mean_initializer=_arguments.keras_initializer(moving_mean_initializer),
            moving_variance_initializer=_arguments.keras_initializer(moving_variance_initializer),
            beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer,
            beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )
        # Keras 3 keeps one int axis, a float momentum and numeric clipping
        # bounds; TF1 took a list of axes and tensors for the others.
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        # `build` turns `axis` into TF1's normalized list (shifted by one for
        # virtual batches); the config must keep what was passed.
        self._axis_argument = self.axis
        self.momentum = momentum
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping or {}
        self.renorm_momentum = renorm_momentum
        self.fused = fused
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment

    # ------------------------------------------------------------------ build
    def _fused_data_format(self, rank: int) -> str | None:
        """The fused kernel's data format, or None where TF1 did not fuse."""
        if (
            self.fused is False
            or self.renorm
            or self.virtual_batch_size is not None
            or self.adjustment is not None
            or len(self.axis) != 1
            or self.compute_dtype not in _FUSED_DTYPES
        ):
            return None
        return _FUSED_DATA_FORMATS.get((rank, self.axis[0]))

    def _input_of_unknown_rank(self, inputs: tf.Tensor) -> tf.Tensor:
        raise ValueError("Input has undefined rank. Received: input_shape=<unknown>")

    def build(self, input_shape: Any) -> None:
        input_shape = tf.TensorShape(input_shape)
        rank = input_shape.rank
        self.axis = _normalize_axis(self.axis, input_shape)
        if self.virtual_batch_size is not None:
            if self.virtual_batch_size <= 0:
                raise ValueError(
                    "`virtual_batch_size` must be a positive integer that divides "
                    "the true batch size of the input tensor. Received: "
                    f"virtual_batch_size={self.virtual_batch_size}"
                )
            if 0 in self.axis:
                raise ValueError(
                    "When using `virtual_batch_size`, the batch dimension must be 0 "
                    f"and thus axis cannot include 0. Received axis={self.axis}"
                )
            if self.adjustment is not None:
                raise ValueError(
                    "When using `virtual_batch_size`, adjustment cannot be specified"
                )
        self._data_format = self._fused_data_format(rank)
        self.fused = self._data_format is not None
        # Plain ints also under TF1's v1 shapes, whose dims are `Dimension`s.
        axis_to_dim = {a: input_shape.as_list()[a] for a in self.axis}
        if None in axis_to_dim.values():
            raise ValueError(
                "Input has undefined `axis` dimension. Received input with shape "
                f"{tuple(input_shape)} and axis={tuple(self.axis)}"
            )
        self.input_spec = keras.layers.InputSpec(ndim=rank, axes=axis_to_dim)

        if len(self.axis) == 1 and self.virtual_batch_size is None:
            param_shape = [axis_to_dim[self.axis[0]]]
        else:
            # Keep the input's rank so the parameters broadcast.
            param_shape = [axis_to_dim.get(i, 1) for i in range(rank)]
            if self.virtual_batch_size is not None:
                # Calls reshape the batch to (virtual batch, batches, ...).
                param_shape.insert(1, 1)
                self.axis = [a + 1 for a in self.axis]
        self._param_shape = param_shape
        self._param_dtype = (
            tf.float32 if self.variable_dtype in ("float16", "bfloat16") else self.variable_dtype
        )

        if self.scale:
            self.gamma = self._add_parameter(
                "gamma", self.gamma_initializer, self.gamma_regularizer, self.gamma_constraint
            )
        if self.center:
            self.beta = self._add_parameter(
                "beta", self.beta_initializer, self.beta_regularizer, self.beta_constraint
            )
        self.moving_mean = self._add_statistic("moving_mean", self.moving_mean_initializer)
        self.moving_variance = self._add_statistic(
            "moving_variance", self.moving_variance_initializer
        )
        if self.renorm:
            # Renorm tracks a standard deviation where the rest tracks a variance.
            variance_initializer = self.moving_variance_initializer

            def stddev_initializer(shape, dtype=None, partition_info=None):
                return tf.sqrt(variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self._add_statistic("moving_stddev", stddev_initializer)
            self.renorm_mean = self._add_statistic("renorm_mean", self.moving_mean_initializer)
            self.renorm_stddev = self._add_statistic("renorm_stddev", stddev_initializer)

    def _add_parameter(
        self, name: str, initializer: Any, regularizer: Regularizer, constraint: Constraint
    ) -> keras.Variable:
        return self.add_weight(
            name=name,
            shape=self._param_shape,
            dtype=self._param_dtype,
            initializer=initializer,
            regularizer=regularizer,
            constraint=constraint,
            trainable=True,
            autocast=False,
        )

    def _add_statistic(self, name: str, initializer: Any) -> keras.Variable:
        # TF1's distribution settings: each replica keeps its own statistics,
        # averaged when read across replicas.
        return self.add_weight(
            name=name,
            shape=self._param_shape,
            dtype=self._param_dtype,
            initializer=initializer,
            trainable=False,
            synchronization=tf.VariableSynchronization.ON_READ,
            aggregation=tf.VariableAggregation.MEAN,
            autocast=False,
        )

    @base.shape_passed_through
    def compute_output_shape(self, input_shape: Any) -> Any:
        # Keras 3's bounds check would reject the axes shifted for virtual batches.
        return input_shape

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            axis=self._axis_argument,
            fused=self.fused,
            virtual_batch_size=self.virtual_batch_size,
        )
        if self.adjustment is not None:
            tf.get_logger().warning(
                "The `adjustment` function of this `BatchNormalization` layer "
                "cannot be serialized and has been omitted from the layer config. "
                "It will not be included when re-creating the layer from the "
                "saved config."
            )
        return config

    # ------------------------------------------------------------------- call
    def call(
        self, inputs: tf.Tensor, training: _Training = False, mask: tf.Tensor | None = None
    ) -> tf.Tensor:
        training_value = _graph.static_value(training)
        if self.virtual_batch_size is None:
            return self._normalize(inputs, training, training_value, mask)
        # Ghost batches: the batch dimension splits in two, (virtual batch,
        # batches), and statistics reduce over the first only. Under TF2
        # behaviour, unless `training` is known True, TF1 used one batch; after
        # `disable_v2_behavior()` it always split (a `training` tensor fed True
        # normalizes per virtual batch, and the batch must divide).
        batch_shape = tf.shape(inputs)[1:]
        # Built first, as TF1 did: a batch that does not divide names this
        # graph's second `concat` in its error.
        output_shape = tf.concat([tf.constant([-1]), batch_shape], axis=0)
        split = training_value or not _private.tf2_behavior_enabled()
        leading = [self.virtual_batch_size, -1] if split else [-1, 1]
        inputs = tf.reshape(inputs, tf.concat([tf.constant(leading), batch_shape], axis=0))
        outputs = self._normalize(inputs, training, training_value, mask)
        return tf.reshape(outputs, output_shape)

    def _normalize(self, inputs, training, training_value, mask) -> tf.Tensor:
        if self.fused:
            return self._fused_normalize(inputs, training, training_value, mask)
        input_dtype = inputs.dtype.base_dtype
        if input_dtype in _HALF_DTYPES:
            # The variance overflows easily in float16: TF1 computed in float32.
            inputs = tf.cast(inputs, tf.float32)
        input_shape = inputs.shape
        ndims = input_shape.rank
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        if self.virtual_batch_size is not None:
            del reduction_axes[1]  # one set of statistics per virtual batch
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = input_shape[self.axis[0]]

        def broadcast(value):
            # One-axis parameters broadcast by themselves only on the last axis.
            if (
                value is not None
                and len(value.shape) != ndims
                and reduction_axes != list(range(ndims - 1))
            ):
                return tf.reshape(value, broadcast_shape)
            return value

        gamma = base.graph_variable(self.gamma) if self.scale else None
        beta = base.graph_variable(self.beta) if self.center else None
        moving_mean, moving_variance = base.graph_variable(self.moving_mean), base.graph_variable(self.moving_variance)
        scale, offset = broadcast(gamma), broadcast(beta)
        if training_value is False:
            mean, variance = moving_mean, moving_variance
        else:
            if self.adjustment:
                adjust_scale, adjust_bias = self.adjustment(tf.shape(inputs))
                adjust_scale = _graph.smart_cond(
                    training, lambda: adjust_scale, lambda: tf.ones_like(adjust_scale)
                )
                adjust_bias = _graph.smart_cond(
                    training, lambda: adjust_bias, lambda: tf.zeros_like(adjust_bias)
                )
                scale, offset = _compose_transforms(adjust_scale, adjust_bias, scale, offset)
            batch_mean, batch_variance = self._tf1_moments(
                tf.cast(inputs, self._param_dtype),
                reduction_axes,
                keepdims=self.virtual_batch_size is not None or len(self.axis) > 1,
                mask=mask,
            )
            mean = _graph.smart_cond(
                training, lambda: batch_mean, lambda: tf.convert_to_tensor(moving_mean)
            )
            variance = _graph.smart_cond(
                training, lambda: batch_variance, lambda: tf.convert_to_tensor(moving_variance)
            )
            if self.virtual_batch_size is not None:
                # One update from the mean of the virtual batches' statistics
                # (not one per virtual batch), as TF1 did.
                new_mean = tf.reduce_mean(mean, axis=1, keepdims=True)
                new_variance = tf.reduce_mean(variance, axis=1, keepdims=True)
            else:
                new_mean, new_variance = mean, variance
            if self.renorm:
                r, d, new_mean, new_variance = self._tf1_renorm_correction_and_moments(
                    new_mean, new_variance, training
                )
                # (x * r + d) * gamma + beta, with (r, d) not differentiated.
                r = broadcast(tf.stop_gradient(r, name="renorm_r"))
                d = broadcast(tf.stop_gradient(d, name="renorm_d"))
                scale, offset = _compose_transforms(r, d, scale, offset)
            if self.trainable:
                self._record_updates(
                    _graph.smart_cond(
                        training,
                        lambda: _assign_moving_average(moving_mean, new_mean, self.momentum),
                        lambda: moving_mean,
                    ),
                    _graph.smart_cond(
                        training, self._variance_update(new_variance), lambda: moving_variance
                    ),
                )

        mean = tf.cast(mean, inputs.dtype)
        variance = tf.cast(variance, inputs.dtype)
        if offset is not None:
            offset = tf.cast(offset, inputs.dtype)
        if scale is not None:
            scale = tf.cast(scale, inputs.dtype)
        outputs = tf.nn.batch_normalization(
            inputs, broadcast(mean), broadcast(variance), offset, scale, self.epsilon
        )
        if input_dtype in _HALF_DTYPES:
            outputs = tf.cast(outputs, input_dtype)
        # Some static dimensions may be lost to the adjustment; the input's hold.
        outputs.set_shape(input_shape)
        return outputs

    def _tf1_moments(self, inputs, axes, keepdims, mask) -> tuple[tf.Tensor, tf.Tensor]:
        if mask is None:
            return tf.nn.moments(inputs, axes, keepdims=keepdims)
        weights = tf.cast(mask, self.compute_dtype, name="mask_weights")
        weights = tf.expand_dims(weights, axis=-1, name="mask_weights_broadcasted")
        return tf.nn.weighted_moments(
            inputs, axes=axes, frequency_weights=weights, keepdims=keepdims
        )

    def _variance_update(self, new_variance: tf.Tensor) -> Callable[[], Any]:
        moving_variance = base.graph_variable(self.moving_variance)
        if not self.renorm:
            return lambda: _assign_moving_average(moving_variance, new_variance, self.momentum)

        def update_through_stddev():
            # Renorm averages the standard deviation (epsilon included, as in
            # training) and derives the variance from it; relu absorbs rounding.
            stddev = _assign_moving_average(
                base.graph_variable(self.moving_stddev), tf.sqrt(new_variance + self.epsilon), self.momentum
            )
            return _assign_new_value(moving_variance, tf.nn.relu(stddev * stddev - self.epsilon))

        return update_through_stddev

    def _record_updates(self, *updates: Any) -> None:
        """Records the moving-statistics updates, as TF1 did: their ops.

        In a TF1 graph they are ops the caller runs (`UPDATE_OPS`); eagerly and
        in `tf.function` building them was running them.
        """
        if not tf.executing_eagerly():  # `.op` exists only in graphs
            self.add_update([update.op for update in updates])

    def _tf1_renorm_correction_and_moments(self, mean, variance, training) -> tuple:
        """Batch renormalization's `(r, d)` and the statistics to average.

        The renorm averages move when the returned mean and variance are
        computed: inline eagerly, with the moving-average updates in a graph.
        """
        stddev = tf.sqrt(variance + self.epsilon)
        renorm_mean = base.graph_variable(self.renorm_mean)
        renorm_stddev = base.graph_variable(self.renorm_stddev)
        # Keeps r and d finite while the renorm averages start from zero.
        clipped_stddev = tf.maximum(renorm_stddev, tf.sqrt(self.epsilon))
        r = stddev / clipped_stddev
        d = (mean - renorm_mean) / clipped_stddev
        # r and d must read the renorm averages before this batch updates them.
        with tf.control_dependencies([r, d]):
            mean = tf.identity(mean)
            stddev = tf.identity(stddev)
        rmin, rmax, dmax = (self.renorm_clipping.get(key) for key in ("rmin", "rmax", "dmax"))
        if rmin is not None:
            r = tf.maximum(r, rmin)
        if rmax is not None:
            r = tf.minimum(r, rmax)
        if dmax is not None:
            d = tf.minimum(tf.maximum(d, -dmax), dmax)
        r = _graph.smart_cond(training, lambda: r, lambda: tf.ones_like(r))
        d = _graph.smart_cond(training, lambda: d, lambda: tf.zeros_like(d))

        def renorm_update(variable, value):
            value = tf.identity(value)
            return _graph.smart_cond(
                training,
                lambda: _assign_moving_average(variable, value, self.renorm_momentum),
                lambda: tf.identity(variable),
            )

        with tf.control_dependencies(
            [renorm_update(renorm_mean, mean), renorm_update(renorm_stddev, stddev)]
        ):
            return r, d, tf.identity(mean), tf.identity(variance)

    def _fused_normalize(self, inputs, training, training_value, mask) -> tf.Tensor:
        if mask is not None:
            warnings.warn(
                "Masking is not supported with `fused=True`. You should either turn "
                "off fusing (`fused=False`) or you should not pass a `mask` argument "
                "when calling the layer. For the moment `mask` will be ignored for "
                "the normalization."
            )
        gamma = (
            base.graph_variable(self.gamma)
            if self.scale
            else tf.constant(1.0, dtype=self._param_dtype, shape=self._param_shape)
        )
        beta = (
            base.graph_variable(self.beta)
            if self.center
            else tf.constant(0.0, dtype=self._param_dtype, shape=self._param_shape)
        )
        moving_mean, moving_variance = base.graph_variable(self.moving_mean), base.graph_variable(self.moving_variance)
        # Eagerly and in tf.function the kernel itself averages (with a Python
        # momentum); in a TF1 graph the updates are separate ops, as in TF1.
        kernel_averages = tf.compat.v1.executing_eagerly_outside_functions() and isinstance(
            self.momentum, (float, int)
        )
        average_factor = 1.0 - self.momentum if kernel_averages else 1.0

        def fused(is_training: bool, factor: float):
            return lambda: tf.compat.v1.nn.fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=moving_mean,
                variance=moving_variance,
                epsilon=self.epsilon,
                data_format=self._data_format,
                is_training=is_training,
                exponential_avg_factor=factor,
            )

        outputs, mean, variance = _graph.smart_cond(
            training, fused(True, average_factor), fused(False, 1.0)
        )
        if training_value is not False and self.trainable:
            # Unconditional: when a `training` tensor says inference, the
            # kernel returns the moving statistics, or the momentum is 1.
            if kernel_averages:
                self._record_updates(
                    _assign_new_value(moving_mean, mean),
                    _assign_new_value(moving_variance, variance),
                )
            else:
                momentum = (
                    _graph.smart_cond(training, lambda: self.momentum, lambda: 1.0)
                    if training_value is None
                    else tf.convert_to_tensor(self.momentum)
                )
                self._record_updates(
                    _assign_moving_average(moving_mean, mean, momentum),
                    _assign_moving_average(moving_variance, variance, momentum),
                )
        return outputs


@_arguments.functional_interface(BatchNormalization, advice=_ADVICE, call_arguments=("training",))
def batch_normalization(
    inputs: tf.Tensor,
    axis: _Axis = -1,
    momentum: _Momentum = 0.99,
    epsilon: float = 1e-3,
    center: bool = True,
    scale: bool = True,
    beta_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    gamma_initializer: Initializer = tf.compat.v1.ones_initializer(),
    moving_mean_initializer: Initializer = tf.compat.v1.zeros_initializer(),
    moving_variance_initializer: Initializer = tf.compat.v1.ones_initializer(),
    beta_regularizer: Regularizer = None,
    gamma_regularizer: Regularizer = None,
    beta_constraint: Constraint = None,
    gamma_constraint: Constraint = None,
    training: _Training = False,
    trainable: bool = True,
    name: str | None = None,
    reuse: bool | None = None,
    renorm: bool = False,
    renorm_clipping: dict[str, Any] | None = None,
    renorm_momentum: float = 0.99,
    fused: bool | None = None,
    virtual_batch_size: int | None = None,
    adjustment: _Adjustment = None,
) -> tf.Tensor:
    """Functional interface for the batch normalization layer (Ioffe et al., 2015).

    Builds a `BatchNormalization` and calls it on `inputs`. Warns, as TF1 did,
    that `tf.layers.batch_normalization` is deprecated.

    Note: when training, the moving_mean and moving_variance need to be
    updated. In a TF1 graph the update ops are placed in
    `tf.compat.v1.GraphKeys.UPDATE_OPS`, so they need to be executed alongside
    the `train_op`; build the batch normalization layers before reading the
    collection.

    Args:
      inputs: Tensor input.
      axis: An `int` or list of `int`, the axis or axes to normalize (typically
        the features axis).
      momentum: Momentum for the moving average.
      epsilon: Small float added to variance to avoid dividing by zero.
      center: If True, add offset of `beta` to normalized tensor.
      scale: If True, multiply by `gamma`.
      beta_initializer: Initializer for the beta weight.
      gamma_initializer: Initializer for the gamma weight.
      moving_mean_initializer: Initializer for the moving mean.
      moving_variance_initializer: Initializer for the moving variance.
      beta_regularizer: Optional regularizer for the beta weight.
      gamma_regularizer: Optional regularizer for the gamma weight.
      beta_constraint: Optional projection applied to `beta` after an
        `Optimizer` update.
      gamma_constraint: Optional projection applied to `gamma` after an
        `Optimizer` update.
      training: Either a Python boolean, or a boolean scalar tensor (e.g. a
        placeholder): normalize with the batch statistics (training) or the
        moving ones (inference, the default).
      trainable: Boolean, if `True` also add variables to the graph collection
        `GraphKeys.TRAINABLE_VARIABLES`.
      name: String, the name of the layer and of its variable scope.
      reuse: Boolean, whether to reuse the weights of a previous layer by the
        same name.
      renorm: Whether to use Batch Renormalization (Ioffe, 2017).
      renorm_clipping: A dictionary that may map keys `'rmax'`, `'rmin'`,
        `'dmax'` to scalar `Tensors` used to clip the renorm correction.
      renorm_momentum: Momentum of the renorm moving averages.
      fused: If `None` or `True`, use the fused implementation if possible; if
        `False`, never.
      virtual_batch_size: An `int`: normalize virtual sub-batches of this size
        separately ("Ghost Batch Normalization").
      adjustment: A function taking the dynamic input shape and returning a
        `(scale, bias)` pair applied to the normalized values during training.

    Returns:
      Output tensor.

    Raises:
      ValueError: As `BatchNormalization`, and when `reuse=True` asks for
        variables that do not exist (in graph mode).
      TypeError: For an unknown keyword; the message names the closest one.

    Example:

    ```python
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 32])
    is_training = tf.compat.v1.placeholder_with_default(False, [])
    h = compat_layers.batch_normalization(x, training=is_training, name="bn1")
    loss = tf.reduce_mean(tf.square(h))
    optimizer = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss)
    # The updates of moving_mean and moving_variance:
    print(len(update_ops))                         # 2
    ```

    How to migrate to native TF2:

    Before:

    ```python
    h = tf.compat.v1.layers.batch_normalization(x, training=is_training,
                                                name="bn1")
    ```

    After (create the layer once, e.g. in `__init__`, and call it; the moving
    statistics update during the training call, no `UPDATE_OPS`):

    ```python
    self.bn1 = tf.keras.layers.BatchNormalization()
    h = self.bn1(x, training=is_training)
    ```
    """
