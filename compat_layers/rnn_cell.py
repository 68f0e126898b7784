"""`tf.compat.v1.nn.rnn_cell` for TensorFlow 2.16+ and Keras 3.

The ten names Keras 3 removed from `tf.compat.v1.nn.rnn_cell`, as
compat_layers layers: every cell is a `compat_layers.Layer`, so its weights
come from `tf.compat.v1.get_variable` in its variable scope
(`rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0`), and core TensorFlow's
`tf.compat.v1.nn.dynamic_rnn`, `static_rnn`, `bidirectional_dynamic_rnn`,
`raw_rnn` and friends run them as they ran TF1's. A cell computes one step;
those functions loop over time.

`to_keras_cell` turns a built cell into the Keras 3 cell with the same
function, the way out of TF1.

Example:

```python
import tensorflow as tf
from compat_layers import rnn_cell

cell = rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(4), rnn_cell.GRUCell(3)])
outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, tf.ones([2, 5, 6]), dtype=tf.float32)
print(outputs.shape)        # (2, 5, 3)
print(cell.weights[0].name) # rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0
```
"""

from __future__ import annotations

import collections
import collections.abc
import hashlib
import numbers
import warnings
from typing import Any, Callable, Sequence

import keras
import numpy as np
import tensorflow as tf

from compat_layers import _graph, _private, base
from compat_layers._types import Activation, Initializer

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
    "to_keras_cell",
]

_logger = tf.get_logger()


def _check_supported_dtypes(dtype: Any) -> None:
    if dtype is None:
        return
    dtype = tf.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_complex):
        raise ValueError(
            f"RNN cell only supports floating point inputs, but received dtype: {dtype}"
        )


def _zero_state_tensors(state_size: Any, batch_size: Any, dtype: Any) -> Any:
    """Zeros of shape `[batch_size] + s` for each `s` of `state_size`."""
    if tf.is_tensor(batch_size):
        static_batch = tf.get_static_value(batch_size)
        batch = tf.reshape(batch_size, [1])
    else:
        static_batch = tf.compat.dimension_value(batch_size)
        batch = [static_batch]

    def zeros(size: Any) -> tf.Tensor:
        inner = tf.TensorShape(size).as_list()
        if tf.is_tensor(batch):
            state = tf.zeros(tf.concat([batch, tf.constant(inner, batch.dtype)], 0), dtype=dtype)
        else:
            state = tf.zeros(batch + inner, dtype=dtype)
        if not tf.executing_eagerly():
            state.set_shape([static_batch] + inner)
        return state

    return tf.nest.map_structure(zeros, state_size)


def _weights(*weights: Any) -> tuple:
    """The `tf.Variable`s behind a cell's weights, for its step's ops.

    Eagerly, TensorFlow's C fast path takes a `tf.Variable`, while a
    `keras.Variable` sends every op through its Python conversion (most of a
    small step's time).
    """
    return tuple(base.graph_variable(weight) for weight in weights)


class RNNCell(base.Layer):
    """Abstract TF1 RNN cell: `(output, new_state) = cell(inputs, state)`.

    Subclasses give `state_size`, `output_size` and `call(inputs, state)`; a
    `call` may create variables with `tf.compat.v1.get_variable` (the cell
    keeps them, as TF1's did). Cells that make their weights in `build` derive
    from the layer cells instead (`BasicLSTMCell` and the others).

    Args:
      trainable: Whether the cell's variables are trainable.
      name: Name of the cell (and of its variable scope).
      dtype: Dtype of the variables; `None` takes the first input's.
      **kwargs: Keyword arguments of `compat_layers.Layer`.

    Example:

    ```python
    class Doubler(RNNCell):
        state_size = 2
        output_size = 2

        def call(self, inputs, state):
            return 2 * inputs, state + inputs

    cell = Doubler()
    output, state = cell(tf.ones([1, 2]), cell.zero_state(1, tf.float32))
    print(output.numpy())  # [[2. 2.]]
    ```

    How to migrate to native TF2:
      Write a Keras 3 cell (`keras.layers.Layer` with `state_size`,
      `output_size` and `call(inputs, states)` taking a list of states) and
      run it with `keras.layers.RNN`.
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        # Core TensorFlow's and Keras's RNN code read this mark: the state of
        # a single-state cell is a tensor, not a one-item list.
        self._is_tf_rnn_cell = True

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        """Runs one step from `state`; returns `(output, new_state)`.

        Args:
          inputs: A `[batch_size, input_size]` tensor.
          state: A tensor, or a structure of tensors like `state_size`.
          scope: Variable scope of the step; `None` uses the scope the cell's
            first call was made in.
        """
        # TF1 entered `scope`, or the variable scope of the first call kept on
        # the cell, with a getter that lets the cell keep the variables its
        # `call` gets with `get_variable`.
        if scope is not None:
            with tf.compat.v1.variable_scope(scope, custom_getter=self._keep_variable) as scope:
                return super().__call__(inputs, state, scope=scope)
        if getattr(self, "rnncell_scope", None) is None:
            self.rnncell_scope = tf.compat.v1.variable_scope(
                tf.compat.v1.get_variable_scope(), custom_getter=self._keep_variable
            )
            self._rnncell_variable_scope = tf.compat.v1.get_variable_scope()
        scope = self.rnncell_scope
        enterable = _graph.eager_enterable(self._rnncell_variable_scope)
        if enterable is not self._rnncell_variable_scope:
            scope = tf.compat.v1.variable_scope(
                enterable, custom_getter=self._keep_variable, auxiliary_name_scope=False
            )
        with scope:
            return super().__call__(inputs, state)

    def _keep_variable(self, getter: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        variable = getter(*args, **kwargs)
        for part in _private.variable_parts(variable):
            if _graph.in_tf1_graph():
                if all(part is not v for v in self._tf1_variables):
                    self._tf1_variables.append(part)
            else:
                _private.track_variable(self, _private.keras_variable(part))
        return variable

    def build(self, inputs_shape: Any) -> None:
        """Builds the cell; `RNNCell` itself has no weights."""
        self.built = True

    @property
    def state_size(self) -> Any:
        """Size(s) of the state: an int, a `TensorShape` or a tuple of them."""
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self) -> Any:
        """Size of the output: an int or a `TensorShape`."""
        raise NotImplementedError("Abstract method")

    def get_initial_state(self, inputs: Any = None, batch_size: Any = None,
                          dtype: Any = None) -> Any:
        """The zero state for `inputs`' batch and dtype, or for `batch_size` and `dtype`.

        Raises:
          ValueError: When `inputs` disagrees with `batch_size` or `dtype`, or
            without a batch size and dtype.
        """
        if inputs is not None:
            inputs = tf.convert_to_tensor(inputs, name="inputs")
            static_batch = tf.compat.dimension_value(inputs.shape[0])
            if batch_size is not None:
                given = (tf.get_static_value(batch_size, partial=True)
                         if tf.is_tensor(batch_size) else batch_size)
                if static_batch != given:
                    raise ValueError(
                        "batch size from input tensor is different from the input param. "
                        f"Input tensor batch: {static_batch}, batch_size: {batch_size}"
                    )
            if dtype is not None and inputs.dtype != dtype:
                raise ValueError(
                    "dtype from input tensor is different from the input param. "
                    f"Input tensor dtype: {inputs.dtype}, dtype: {dtype}"
                )
            batch_size = static_batch or tf.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                "batch_size and dtype cannot be None while constructing initial state: "
                f"batch_size={batch_size}, dtype={dtype}"
            )
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Zero-filled state: `[batch_size, s]` for each size `s` of `state_size`.

        Eagerly, the last result is kept and given again for the same
        arguments, as TF1 did.
        """
        state_size = self.state_size
        eager = tf.executing_eagerly()
        if eager:
            last = self.__dict__.get("_last_zero_state")
            if last is not None and last[:3] == (state_size, batch_size, dtype):
                return last[3]
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            output = _zero_state_tensors(state_size, batch_size, dtype)
        if eager:
            # Not through Keras's attribute tracking, which would copy the
            # tuples (TF1 gave the very same tensors again).
            self.__dict__["_last_zero_state"] = (state_size, batch_size, dtype, output)
        return output


class _LayerRNNCell(RNNCell):
    """A cell that makes its weights in `build`, called as a TF1 layer.

    The first call's variable scope is `<enclosing scope>/<cell name>`, as
    for every TF1 layer; `scope=` names it instead. Its state and output
    are `num_units` wide unless a subclass says otherwise.
    """

    # The Keras layer TF1's deprecation warning names.
    _keras_equivalent: str

    def __init__(self, num_units: int, activation: Activation = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        warnings.warn(
            f"`tf.nn.rnn_cell.{type(self).__name__}` is deprecated and will be removed in a "
            "future version. This class is equivalent as "
            f"`tf.keras.layers.{self._keras_equivalent}`, and will be replaced by that in "
            "Tensorflow 2.0.",
            stacklevel=3,
        )
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self.input_spec = keras.layers.InputSpec(ndim=2)
        self._num_units = num_units
        self._state_size: Any = num_units
        self._output_size = num_units
        self._activation = keras.activations.get(activation) if activation else tf.tanh

    def __call__(self, inputs: Any, state: Any, scope: Any = None, *args: Any,
                 **kwargs: Any) -> tuple[Any, Any]:
        return base.Layer.__call__(self, inputs, state, *args, scope=scope, **kwargs)

    @property
    def state_size(self) -> Any:
        return self._state_size

    @property
    def output_size(self) -> int:
        return self._output_size

    def _input_depth(self, inputs_shape: Any) -> int:
        depth = tf.compat.dimension_value(tf.TensorShape(inputs_shape)[-1])
        if depth is None:
            raise ValueError(
                f"Expected inputs.shape[-1] to be known, received shape: {inputs_shape}"
            )
        _check_supported_dtypes(self.dtype)
        return depth

    def _checked_inputs(self, inputs: Any, state: Any) -> None:
        for tensor in tf.nest.flatten([inputs, state]):
            _check_supported_dtypes(tensor.dtype)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(num_units=self._num_units, reuse=self._reuse,
                      activation=keras.activations.serialize(self._activation))
        return config


@keras.saving.register_keras_serializable(package="compat_layers")
class BasicRNNCell(_LayerRNNCell):
    """The most basic RNN cell: `h' = activation(concat([x, h]) @ kernel + bias)`.

    Args:
      num_units: Number of units in the cell.
      activation: Nonlinearity; default `tanh`.
      reuse: Whether to reuse the variables of an existing scope.
      name: Name of the cell (and of its variable scope).
      dtype: Dtype of the variables; `None` takes the first input's.
      **kwargs: Keyword arguments of `compat_layers.Layer` (`trainable`).

    Variables: `basic_rnn_cell/kernel [input_depth + num_units, num_units]`,
    `basic_rnn_cell/bias [num_units]` (zeros).

    Example:

    ```python
    cell = BasicRNNCell(4)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, tf.ones([2, 5, 3]), dtype=tf.float32)
    print([w.name for w in cell.weights])
    # ['rnn/basic_rnn_cell/kernel:0', 'rnn/basic_rnn_cell/bias:0']
    ```

    How to migrate to native TF2:
      `keras.layers.SimpleRNNCell(num_units)` in `keras.layers.RNN`;
      `to_keras_cell(cell)` converts a built cell with its weights.
    """

    _keras_equivalent = "SimpleRNNCell"

    def __init__(self, num_units: int, activation: Activation = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(num_units, activation, reuse=reuse, name=name, dtype=dtype, **kwargs)

    def build(self, inputs_shape: Any) -> None:
        depth = self._input_depth(inputs_shape)
        self._kernel = self.add_weight("kernel", shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_weight(
            "bias", shape=[self._num_units], initializer=tf.compat.v1.zeros_initializer()
        )
        self.built = True

    def call(self, inputs: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        self._checked_inputs(inputs, state)
        kernel, bias = _weights(self._kernel, self._bias)
        gate_inputs = tf.matmul(tf.concat([inputs, state], 1), kernel)
        output = self._activation(tf.nn.bias_add(gate_inputs, bias))
        return output, output


@keras.saving.register_keras_serializable(package="compat_layers")
class GRUCell(_LayerRNNCell):
    """Gated Recurrent Unit cell (Cho et al., 2014), TF1's variant.

    `r, u = split(sigmoid(concat([x, h]) @ gates/kernel + gates/bias))`;
    `c = activation(concat([x, r * h]) @ candidate/kernel + candidate/bias)`;
    `h' = u * h + (1 - u) * c`. The reset gate acts before the candidate
    matmul (Keras's `reset_after=False`).

    Args:
      num_units: Number of units in the cell.
      activation: Nonlinearity; default `tanh`.
      reuse: Whether to reuse the variables of an existing scope.
      kernel_initializer: Initializer of both kernels; `None` uses the
        variable scope's, else Glorot uniform.
      bias_initializer: Initializer of both biases; `None` gives the gates
        bias 1.0 and the candidate bias zeros.
      name: Name of the cell (and of its variable scope).
      dtype: Dtype of the variables; `None` takes the first input's.
      **kwargs: Keyword arguments of `compat_layers.Layer` (`trainable`).

    Example:

    ```python
    cell = GRUCell(3)
    output, state = cell(tf.ones([2, 4]), cell.zero_state(2, tf.float32))
    print([w.name for w in cell.weights][:2])
    # ['gru_cell/gates/kernel:0', 'gru_cell/gates/bias:0']
    print(cell.weights[1].numpy())  # [1. 1. 1. 1. 1. 1.]
    ```

    How to migrate to native TF2:
      `keras.layers.GRUCell(num_units, reset_after=False)` in
      `keras.layers.RNN` computes the same function with other weights'
      layout; `to_keras_cell(cell)` converts a built cell with its weights.
    """

    _keras_equivalent = "GRUCell"

    def __init__(self, num_units: int, activation: Activation = None, reuse: Any = None,
                 kernel_initializer: Initializer = None, bias_initializer: Initializer = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(num_units, activation, reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape: Any) -> None:
        depth = self._input_depth(inputs_shape)
        units = self._num_units
        bias = self._bias_initializer
        self._gate_kernel = self.add_weight(
            "gates/kernel", shape=[depth + units, 2 * units], initializer=self._kernel_initializer
        )
        self._gate_bias = self.add_weight(
            "gates/bias", shape=[2 * units],
            initializer=bias if bias is not None else tf.compat.v1.constant_initializer(1.0),
        )
        self._candidate_kernel = self.add_weight(
            "candidate/kernel", shape=[depth + units, units], initializer=self._kernel_initializer
        )
        self._candidate_bias = self.add_weight(
            "candidate/bias", shape=[units],
            initializer=bias if bias is not None else tf.compat.v1.zeros_initializer(),
        )
        self.built = True

    def call(self, inputs: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        self._checked_inputs(inputs, state)
        gate_kernel, gate_bias, candidate_kernel, candidate_bias = _weights(
            self._gate_kernel, self._gate_bias, self._candidate_kernel, self._candidate_bias
        )
        gate_inputs = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, state], 1), gate_kernel), gate_bias
        )
        r, u = tf.split(value=tf.sigmoid(gate_inputs), num_or_size_splits=2, axis=1)
        candidate = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, r * state], 1), candidate_kernel), candidate_bias
        )
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            kernel_initializer=keras.initializers.serialize(self._kernel_initializer)
            if isinstance(self._kernel_initializer, keras.initializers.Initializer)
            else self._kernel_initializer,
            bias_initializer=keras.initializers.serialize(self._bias_initializer)
            if isinstance(self._bias_initializer, keras.initializers.Initializer)
            else self._bias_initializer,
        )
        return config


_LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


class LSTMStateTuple(_LSTMStateTuple):
    """The state of an LSTM cell: `(c, h)`, the cell state and the output.

    Example:

    ```python
    state = LSTMStateTuple(tf.zeros([1, 2]), tf.ones([1, 2]))
    print(state.dtype)   # <dtype: 'float32'>
    print(state.h.numpy())  # [[1. 1.]]
    ```

    How to migrate to native TF2:
      Keras 3's `LSTMCell` keeps the state as the list `[h, c]`.
    """

    __slots__ = ()

    @property
    def dtype(self) -> tf.DType:
        """The dtype of `c` and `h`; `TypeError` if they differ."""
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _concatenated_state_warning(cell: RNNCell) -> None:
    _logger.warning(
        "%s: Using a concatenated state is slower and will soon be deprecated.  "
        "Use state_is_tuple=True.", cell,
    )


def _lstm_state(c: tf.Tensor, h: tf.Tensor, state_is_tuple: bool) -> Any:
    return LSTMStateTuple(c, h) if state_is_tuple else tf.concat([c, h], 1)


@keras.saving.register_keras_serializable(package="compat_layers")
class BasicLSTMCell(_LayerRNNCell):
    """Basic LSTM cell: no peepholes, clipping or projection.

    `i, j, f, o = split(concat([x, h]) @ kernel + bias, 4)`;
    `c' = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j)`;
    `h' = activation(c') * sigmoid(o)`. `forget_bias` is added at run time,
    not stored in `bias` (zeros initially).

    Args:
      num_units: Number of units in the cell.
      forget_bias: Added to the forget gate's pre-activation (set 0.0 to
        restore CudnnLSTM checkpoints).
      state_is_tuple: `True` gives `LSTMStateTuple(c, h)` states; `False`
        the two concatenated (deprecated in TF1, and logged).
      activation: Nonlinearity of the inner states; default `tanh`.
      reuse: Whether to reuse the variables of an existing scope.
      name: Name of the cell (and of its variable scope).
      dtype: Dtype of the variables; `None` takes the first input's.
      **kwargs: Keyword arguments of `compat_layers.Layer` (`trainable`).

    Example:

    ```python
    cell = BasicLSTMCell(4)
    outputs, state = tf.compat.v1.nn.dynamic_rnn(cell, tf.ones([2, 5, 3]), dtype=tf.float32)
    print(type(state).__name__, state.c.shape)  # LSTMStateTuple (2, 4)
    print(cell.weights[0].name, cell.weights[0].shape)  # rnn/basic_lstm_cell/kernel:0 (7, 16)
    ```

    How to migrate to native TF2:
      `keras.layers.LSTMCell(num_units)` in `keras.layers.RNN` has another
      weights' layout (kernel and recurrent kernel apart, gates `i, f, c, o`,
      the forget bias stored) and state `[h, c]`; `to_keras_cell(cell)`
      converts a built cell with its weights.
    """

    _keras_equivalent = "LSTMCell"

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Activation = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(num_units, activation, reuse=reuse, name=name, dtype=dtype, **kwargs)
        if not state_is_tuple:
            _concatenated_state_warning(self)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._state_size = LSTMStateTuple(num_units, num_units) if state_is_tuple else 2 * num_units

    def build(self, inputs_shape: Any) -> None:
        depth = self._input_depth(inputs_shape)
        units = self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + units, 4 * units])
        self._bias = self.add_weight(
            "bias", shape=[4 * units], initializer=tf.compat.v1.zeros_initializer()
        )
        self.built = True

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, Any]:
        self._checked_inputs(inputs, state)
        one = tf.constant(1, dtype=tf.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = tf.split(value=state, num_or_size_splits=2, axis=one)
        kernel, bias = _weights(self._kernel, self._bias)
        gate_inputs = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), kernel), bias)
        i, j, f, o = tf.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
        new_c = tf.add(
            tf.multiply(c, tf.sigmoid(tf.add(f, forget_bias))),
            tf.multiply(tf.sigmoid(i), self._activation(j)),
        )
        new_h = tf.multiply(self._activation(new_c), tf.sigmoid(o))
        return new_h, _lstm_state(new_c, new_h, self._state_is_tuple)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(forget_bias=self._forget_bias, state_is_tuple=self._state_is_tuple)
        return config


@keras.saving.register_keras_serializable(package="compat_layers")
class LSTMCell(_LayerRNNCell):
    """LSTM cell with optional peepholes, cell clipping and a projection.

    The step of `BasicLSTMCell`, plus: peepholes (`w_f_diag`, `w_i_diag`,
    `w_o_diag`, Sak et al., 2014), `cell_clip` on `c`, a projection of the
    output to `num_proj` units (`projection/kernel`) and `proj_clip` on it.

    Args:
      num_units: Number of units in the cell.
      use_peepholes: Whether to use diagonal peephole connections.
      cell_clip: If set, `c` is clipped to `[-cell_clip, cell_clip]`.
      initializer: Initializer of the kernels and peepholes; `None` uses the
        variable scope's, else Glorot uniform.
      num_proj: If set, the output (and `h`) is projected to this size.
      proj_clip: If set with `num_proj`, the projection is clipped to
        `[-proj_clip, proj_clip]`.
      num_unit_shards: Deprecated: splits the kernel in this many parts
        (a `fixed_size_partitioner`); logged.
      num_proj_shards: Deprecated: likewise for the projection kernel.
      forget_bias: Added to the forget gate's pre-activation.
      state_is_tuple: `True` gives `LSTMStateTuple(c, h)` states; `False`
        the two concatenated (logged).
      activation: Nonlinearity of the inner states; default `tanh`.
      reuse: Whether to reuse the variables of an existing scope.
      name: Name of the cell (and of its variable scope).
      dtype: Dtype of the variables; `None` takes the first input's.
      **kwargs: Keyword arguments of `compat_layers.Layer` (`trainable`).

    Example:

    ```python
    cell = LSTMCell(4, use_peepholes=True, num_proj=2)
    output, state = cell(tf.ones([1, 3]), cell.zero_state(1, tf.float32))
    print(output.shape, cell.state_size)  # (1, 2) LSTMStateTuple(c=4, h=2)
    print([w.name for w in cell.weights][2:])
    # ['lstm_cell/w_f_diag:0', 'lstm_cell/w_i_diag:0', 'lstm_cell/w_o_diag:0',
    #  'lstm_cell/projection/kernel:0']
    ```

    How to migrate to native TF2:
      Without peepholes, clipping or projection, `keras.layers.LSTMCell`
      (see `BasicLSTMCell`, and `to_keras_cell`). Keras 3 has neither
      peepholes nor projection: keep this cell, or write a Keras cell.
    """

    _keras_equivalent = "LSTMCell"

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: float | None = None,
                 initializer: Initializer = None, num_proj: int | None = None,
                 proj_clip: float | None = None, num_unit_shards: int | None = None,
                 num_proj_shards: int | None = None, forget_bias: float = 1.0,
                 state_is_tuple: bool = True, activation: Activation = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(num_units, activation, reuse=reuse, name=name, dtype=dtype, **kwargs)
        if not state_is_tuple:
            _concatenated_state_warning(self)
        if num_unit_shards is not None or num_proj_shards is not None:
            _logger.warning(
                "%s: The num_unit_shards and proj_unit_shards parameters are deprecated and "
                "will be removed in Jan 2017.  Use a variable scope with a partitioner instead.",
                self,
            )
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        h_size = num_proj or num_units
        self._state_size = (
            LSTMStateTuple(num_units, h_size) if state_is_tuple else num_units + h_size
        )
        self._output_size = h_size

    def build(self, inputs_shape: Any) -> None:
        depth = self._input_depth(inputs_shape)
        units = self._num_units
        h_depth = units if self._num_proj is None else self._num_proj
        self._kernel = self.add_weight(
            "kernel", shape=[depth + h_depth, 4 * units], initializer=self._initializer,
            partitioner=_shards(self._num_unit_shards),
        )
        self._bias = self.add_weight(
            "bias", shape=[4 * units], initializer=tf.compat.v1.zeros_initializer()
        )
        if self._use_peepholes:
            self._w_f_diag, self._w_i_diag, self._w_o_diag = (
                self.add_weight(name, shape=[units], initializer=self._initializer)
                for name in ("w_f_diag", "w_i_diag", "w_o_diag")
            )
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight(
                "projection/kernel", shape=[units, self._num_proj],
                initializer=self._initializer, partitioner=_shards(self._num_proj_shards),
            )
        self.built = True

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, Any]:
        self._checked_inputs(inputs, state)
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        sigmoid = tf.sigmoid
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = tf.slice(state, [0, self._num_units], [-1, num_proj])
        if tf.compat.dimension_value(inputs.shape.with_rank(2)[1]) is None:
            raise ValueError(
                "Could not infer input size from inputs.get_shape()[-1]."
                f"Received input shape: {inputs.shape}"
            )
        kernel, bias = _weights(self._kernel, self._bias)
        lstm_matrix = tf.nn.bias_add(tf.matmul(tf.concat([inputs, m_prev], 1), kernel), bias)
        i, j, f, o = tf.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            w_f_diag, w_i_diag, w_o_diag = _weights(self._w_f_diag, self._w_i_diag,
                                                    self._w_o_diag)
            c = (sigmoid(f + self._forget_bias + w_f_diag * c_prev) * c_prev
                 + sigmoid(i + w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            (proj_kernel,) = _weights(self._proj_kernel)
            m = tf.matmul(m, proj_kernel)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, _lstm_state(c, m, self._state_is_tuple)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            use_peepholes=self._use_peepholes, cell_clip=self._cell_clip,
            initializer=keras.initializers.serialize(self._initializer)
            if isinstance(self._initializer, keras.initializers.Initializer)
            else self._initializer,
            num_proj=self._num_proj, proj_clip=self._proj_clip,
            num_unit_shards=self._num_unit_shards, num_proj_shards=self._num_proj_shards,
            forget_bias=self._forget_bias, state_is_tuple=self._state_is_tuple,
        )
        return config


def _shards(count: int | None) -> Any:
    # TF1's cells made whole variables whatever the shards unless in a TF1
    # graph: eagerly, and in a `tf.function` (where they made their
    # variables eagerly, under `init_scope`).
    if count is None or not _graph.in_tf1_graph():
        return None
    return tf.compat.v1.fixed_size_partitioner(count)


def _cells_weights(cells: Sequence[Any], attribute: str) -> list:
    return [w for cell in cells if isinstance(cell, base.Layer) for w in getattr(cell, attribute)]


@keras.saving.register_keras_serializable(package="compat_layers")
class MultiRNNCell(RNNCell):
    """Cells stacked: each cell's output is the next one's input.

    Cell `i` runs in variable scope `cell_<i>` (`rnn/multi_rnn_cell/cell_0/
    basic_lstm_cell/kernel`). Its weights are the cells' weights, so a stack
    of wrappers, which report none, reports none (as in TF1).

    Args:
      cells: List of cells, composed in this order.
      state_is_tuple: `True` gives a tuple of the cells' states; `False` the
        states concatenated (only for cells whose states are single tensors).

    Raises:
      ValueError: For no cells, or for a cell with a tuple state and
        `state_is_tuple=False`.
      TypeError: If `cells` is not a list or tuple.

    Example:

    ```python
    cell = MultiRNNCell([BasicRNNCell(3), BasicRNNCell(2)])
    print(cell.state_size, cell.output_size)  # (3, 2) 2
    output, state = cell(tf.ones([1, 4]), cell.zero_state(1, tf.float32))
    print([w.name for w in cell.weights][::2])
    # ['multi_rnn_cell/cell_0/basic_rnn_cell/kernel:0',
    #  'multi_rnn_cell/cell_1/basic_rnn_cell/kernel:0']
    ```

    How to migrate to native TF2:
      `keras.layers.StackedRNNCells(cells)` (or `keras.layers.RNN(cells)`)
      with Keras cells (see `to_keras_cell`).
    """

    def __init__(self, cells: Sequence[Any], state_is_tuple: bool = True) -> None:
        _logger.warning(
            "`tf.nn.rnn_cell.MultiRNNCell` is deprecated. This class is equivalent as "
            "`tf.keras.layers.StackedRNNCells`, and will be replaced by that in Tensorflow 2.0."
        )
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not tf.nest.is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        if len({id(cell) for cell in cells}) < len(cells):
            _logger.warning(
                "At least two cells provided to MultiRNNCell are the same object and will "
                "share weights."
            )
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(tf.nest.is_nested(c.state_size) for c in self._cells):
            raise ValueError(
                "Some cells return tuples of states, but the flag state_is_tuple is not set. "
                f"State sizes are: {[c.state_size for c in self._cells]}"
            )

    @property
    def state_size(self) -> Any:
        sizes = [cell.state_size for cell in self._cells]
        return tuple(sizes) if self._state_is_tuple else sum(sizes)

    @property
    def output_size(self) -> Any:
        return self._cells[-1].output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    # TF1 reported the cells' weights (a wrapper reports none of its own).
    @property
    def trainable_weights(self) -> list:
        return _cells_weights(self._cells, "trainable_weights") if self.trainable else []

    @property
    def non_trainable_weights(self) -> list:
        weights = _cells_weights(self._cells, "non_trainable_weights")
        if not self.trainable:
            return _cells_weights(self._cells, "trainable_weights") + weights
        return weights

    @property
    def weights(self) -> list:
        return self.trainable_weights + self.non_trainable_weights

    @property
    def variables(self) -> list:
        return self.weights

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        position = 0
        layer_input = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with tf.compat.v1.variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    if not tf.nest.is_nested(state):
                        raise ValueError(
                            f"Expected state to be a tuple of length {len(self.state_size)}, "
                            f"but received: {state}"
                        )
                    cell_state = state[i]
                else:
                    cell_state = tf.slice(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                layer_input, new_state = cell(layer_input, cell_state)
                new_states.append(new_state)
        return layer_input, (tuple(new_states) if self._state_is_tuple
                             else tf.concat(new_states, 1))

    def get_config(self) -> dict[str, Any]:
        return {
            "cells": [keras.saving.serialize_keras_object(cell) for cell in self._cells],
            "state_is_tuple": self._state_is_tuple,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "MultiRNNCell":
        config = dict(config)
        cells = [keras.saving.deserialize_keras_object(cell) for cell in config.pop("cells")]
        return cls(cells, **config)


# ------------------------------------------------------------------ wrappers
def _assert_like_rnncell(cell: Any) -> None:
    # Core TensorFlow's test (`rnn_cell_impl.assert_like_rnncell`), TF1's words.
    checks = {
        "'output_size' property is missing": hasattr(cell, "output_size"),
        "'state_size' property is missing": hasattr(cell, "state_size"),
        "either 'zero_state' or 'get_initial_state' method is required": (
            hasattr(cell, "zero_state") or hasattr(cell, "get_initial_state")
        ),
        "is not callable": callable(cell),
    }
    errors = [message for message, passed in checks.items() if not passed]
    if errors:
        raise TypeError(f"The argument 'cell' ({cell}) is not an RNNCell: {', '.join(errors)}.")


class _RNNCellWrapper(RNNCell):
    """A cell around a cell. Its call is the wrapped cell's, in the wrapped
    cell's variable scope: the wrapper itself is never built, and its
    `scope_name` raises, as in TF1.

    TF1's wrappers did not make the cell a sub-layer, so they report no
    weights of their own (and a `MultiRNNCell` of wrappers none at all).
    Keras 3 and `tf.train.Checkpoint` still reach the cell through the
    `cell` attribute, so a Keras model that holds a wrapper trains and saves
    the cell's weights.
    """

    def __init__(self, cell: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _assert_like_rnncell(cell)
        self.cell = cell

    @property
    def weights(self) -> list:
        return []

    trainable_weights = non_trainable_weights = variables = weights

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        return self._call_wrapped_cell(inputs, state, self.cell.__call__, scope=scope)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        raise NotImplementedError

    def call(self, inputs: Any, state: Any, **kwargs: Any) -> tuple[Any, Any]:
        return self._call_wrapped_cell(inputs, state, self.cell.call, **kwargs)

    @property
    def state_size(self) -> Any:
        return self.cell.state_size

    @property
    def output_size(self) -> Any:
        return self.cell.output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["cell"] = keras.saving.serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "_RNNCellWrapper":
        config = dict(config)
        cell = keras.saving.deserialize_keras_object(config.pop("cell"))
        return cls(cell, **config)


def _default_dropout_state_filter_visitor(substate: Any) -> Any:
    """TF1's default: no dropout on an LSTM's `c`, nor on `TensorArray`s."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return not isinstance(substate, tf.TensorArray)


def _enumerated_map_structure_up_to(shallow: Any, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(i, *leaves)` for the `i`-th leaf of `shallow` (flattening order)."""
    index = iter(range(1 << 30))
    return keras.tree.map_structure_up_to(shallow, lambda *inner: fn(next(index), *inner), *args)


def _children(structure: Any) -> list:
    if isinstance(structure, collections.abc.Mapping):
        return [structure[key] for key in sorted(structure)]
    return list(structure)


def _rebuilt(structure: Any, children: list) -> Any:
    if isinstance(structure, collections.abc.Mapping):
        return type(structure)(zip(sorted(structure), children))
    if hasattr(structure, "_fields"):  # a namedtuple (LSTMStateTuple)
        return type(structure)(*children)
    return type(structure)(children)


def _dropout_targets(visitor: Callable[[Any], Any], structure: Any) -> Any:
    """Where `visitor` lets dropout act in `structure`: a shallow structure of bools.

    TF1's rule: `visitor(part)` is `False` (not this part), `True` (this part,
    and each of its parts asked in turn) or, for a nested part, a structure
    of such bools, one for each of its parts.
    """
    decision = visitor(structure)
    if not tf.nest.is_nested(structure):
        return bool(decision)
    children = _children(structure)
    decisions = [decision] * len(children) if isinstance(decision, bool) else _children(decision)
    if decision is False:
        return False
    return _rebuilt(structure, [_dropout_targets(visitor, child) if wanted else False
                                for wanted, child in zip(decisions, children, strict=True)])


@keras.saving.register_keras_serializable(package="compat_layers")
class DropoutWrapper(_RNNCellWrapper):
    """Dropout on a cell's inputs, outputs and state.

    Masks are drawn anew at every step, or, with `variational_recurrent`,
    once per wrapper and reused at every step (Gal & Ghahramani, 2016). Each
    dropout op's seed derives from `seed` as in TF1, so a seeded TF1 program
    draws the same masks.

    Args:
      cell: The cell to wrap.
      input_keep_prob: Keep probability of the inputs: a float in (0, 1] or
        a scalar tensor (a placeholder, to switch dropout off at test time).
      output_keep_prob: Likewise for the outputs.
      state_keep_prob: Likewise for the state (see
        `dropout_state_filter_visitor`).
      variational_recurrent: Whether to reuse one mask at every step.
      input_size: The depth of the inputs (a nested structure of them);
        needed with `variational_recurrent` and `input_keep_prob < 1`.
      dtype: The dtype of the masks; needed with `variational_recurrent`.
      seed: Random seed (an int).
      dropout_state_filter_visitor: Function of a part of the state that
        says (a bool, or a structure of bools) where dropout applies. The
        default skips an `LSTMStateTuple`'s `c`.
      **kwargs: Keyword arguments of `compat_layers.Layer`.

    Raises:
      ValueError: For a constant keep probability outside [0, 1], or
        `variational_recurrent` without `dtype` (or without `input_size`
        when inputs are dropped).
      TypeError: If `cell` is not a cell or the filter is not callable.

    Example:

    ```python
    cell = DropoutWrapper(GRUCell(3), output_keep_prob=0.5, seed=1)
    outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, tf.ones([2, 5, 4]), dtype=tf.float32)
    print(cell.weights, cell.wrapped_cell.weights[0].name)  # [] rnn/gru_cell/gates/kernel:0
    ```

    How to migrate to native TF2:
      Keras 3's cells take `dropout=` (inputs) and `recurrent_dropout=`
      (state) and draw one mask per sequence; for outputs, put a
      `keras.layers.Dropout` after the `keras.layers.RNN`.
    """

    def __init__(self, cell: Any, input_keep_prob: Any = 1.0, output_keep_prob: Any = 1.0,
                 state_keep_prob: Any = 1.0, variational_recurrent: bool = False,
                 input_size: Any = None, dtype: Any = None, seed: int | None = None,
                 dropout_state_filter_visitor: Callable[[Any], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(
                "dropout_state_filter_visitor must be callable. "
                f"Received: {dropout_state_filter_visitor}"
            )
        self._dropout_state_filter = (
            dropout_state_filter_visitor or _default_dropout_state_filter_visitor
        )
        with tf.name_scope("DropoutWrapperInit"):
            for prob, attribute in ((input_keep_prob, "input_keep_prob"),
                                    (state_keep_prob, "state_keep_prob"),
                                    (output_keep_prob, "output_keep_prob")):
                tensor = tf.convert_to_tensor(prob)
                constant = tf.get_static_value(tensor)
                if constant is not None:
                    if constant < 0 or constant > 1:
                        raise ValueError(
                            f"Parameter {attribute} must be between 0 and 1. Received {constant}"
                        )
                    value = float(constant)
                else:
                    value = tensor
                setattr(self, f"_{attribute}", value)
        self._variational_recurrent = variational_recurrent
        self._input_size = input_size
        self._seed = seed
        noise = dict(input=None, state=None, output=None)
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def batch_noise(prefix: str) -> Callable[[int, Any], tf.Tensor]:
                def draw(i: int, size: Any) -> tf.Tensor:
                    shape = tf.concat(([1], tf.TensorShape(size).as_list()), 0)
                    return tf.random.uniform(shape, seed=self._gen_seed(prefix, i), dtype=dtype)
                return draw

            if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError(
                        "When variational_recurrent=True and input_keep_prob < 1.0 or "
                        "is unknown, input_size must be provided"
                    )
                noise["input"] = _enumerated_map_structure_up_to(
                    input_size, batch_noise("input"), input_size)
            noise["state"] = _enumerated_map_structure_up_to(
                cell.state_size, batch_noise("state"), cell.state_size)
            noise["output"] = _enumerated_map_structure_up_to(
                cell.output_size, batch_noise("output"), cell.output_size)
        self._recurrent_noise = noise

    def _gen_seed(self, salt_prefix: str, index: int) -> int | None:
        """TF1's op seed of dropout number `index` on `salt_prefix`."""
        if self._seed is None:
            return None
        salt = f"{salt_prefix}_{index}"
        digest = hashlib.md5((str(self._seed) + salt).encode("utf-8")).hexdigest()
        return int(digest[:8], 16) & 0x7FFFFFFF

    @property
    def wrapped_cell(self) -> Any:
        """The wrapped cell."""
        return self.cell

    def _dropout(self, values: Any, prefix: str, keep_prob: Any, shallow: Any = None) -> Any:
        shallow = values if shallow is None else shallow
        noise = self._recurrent_noise[prefix]

        def dropout(i: int, do_dropout: Any, value: tf.Tensor, *mask: tf.Tensor) -> tf.Tensor:
            if isinstance(do_dropout, bool) and not do_dropout:
                return value
            if not self._variational_recurrent:
                return tf.nn.dropout(value, rate=1.0 - keep_prob, seed=self._gen_seed(prefix, i))
            kept = tf.divide(value, keep_prob) * tf.floor(keep_prob + mask[0])
            kept.set_shape(value.shape)
            return kept

        structures = [shallow, values] + ([noise] if self._variational_recurrent else [])
        return _enumerated_map_structure_up_to(shallow, dropout, *structures)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        def should_dropout(p: Any) -> bool:
            return not isinstance(p, float) or p < 1

        if should_dropout(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._input_keep_prob)
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should_dropout(self._state_keep_prob):
            shallow = _dropout_targets(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._state_keep_prob, shallow)
        if should_dropout(self._output_keep_prob):
            output = self._dropout(output, "output", self._output_keep_prob)
        return output, new_state

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(
            input_keep_prob=self._input_keep_prob, output_keep_prob=self._output_keep_prob,
            state_keep_prob=self._state_keep_prob,
            variational_recurrent=self._variational_recurrent,
            input_size=self._input_size, seed=self._seed,
        )
        return config


@keras.saving.register_keras_serializable(package="compat_layers")
class ResidualWrapper(_RNNCellWrapper):
    """Adds a cell's inputs to its outputs: `residual_fn(inputs, outputs)`.

    Args:
      cell: The cell to wrap.
      residual_fn: Function of the cell's inputs and outputs; default
        `inputs + outputs` (same structure and shapes required).
      **kwargs: Keyword arguments of `compat_layers.Layer`.

    Example:

    ```python
    cell = ResidualWrapper(BasicRNNCell(3))
    inputs = tf.ones([1, 3])
    output, state = cell(inputs, cell.zero_state(1, tf.float32))
    print(bool(tf.reduce_all(output == inputs + state)))  # True
    ```

    How to migrate to native TF2:
      Keras 3 has no residual cell wrapper: add the inputs to the outputs of
      the `keras.layers.RNN` (`keras.layers.Add()`), or write a Keras cell.
    """

    def __init__(self, cell: Any, residual_fn: Callable[[Any, Any], Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def default_residual_fn(inputs: Any, outputs: Any) -> Any:
            tf.nest.assert_same_structure(inputs, outputs)
            tf.nest.map_structure(
                lambda i, o: i.shape.assert_is_compatible_with(o.shape), inputs, outputs
            )
            return tf.nest.map_structure(lambda i, o: i + o, inputs, outputs)

        return (self._residual_fn or default_residual_fn)(inputs, outputs), new_state


@keras.saving.register_keras_serializable(package="compat_layers")
class DeviceWrapper(_RNNCellWrapper):
    """Runs a cell (and makes its zero state) on `device`.

    Args:
      cell: The cell to wrap.
      device: A device string or function, as `tf.device` takes.
      **kwargs: Keyword arguments of `compat_layers.Layer`.

    Example:

    ```python
    cell = DeviceWrapper(BasicRNNCell(2), "/cpu:0")
    output, _ = cell(tf.ones([1, 3]), cell.zero_state(1, tf.float32))
    print(output.device.endswith("CPU:0"))  # True
    ```

    How to migrate to native TF2:
      Call the `keras.layers.RNN` under `with tf.device(device):`.
    """

    def __init__(self, cell: Any, device: Any, **kwargs: Any) -> None:
        super().__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with tf.name_scope(type(self).__name__ + "ZeroState"), tf.compat.v1.device(self._device):
            return self.cell.zero_state(batch_size, dtype)

    def _call_wrapped_cell(self, inputs: Any, state: Any, cell_call_fn: Callable[..., Any],
                           **kwargs: Any) -> tuple[Any, Any]:
        with tf.compat.v1.device(self._device):
            return cell_call_fn(inputs, state, **kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["device"] = self._device
        return config


# ---------------------------------------------------------------- to Keras 3
def to_keras_cell(cell: RNNCell, session: Any = None) -> keras.layers.Layer:
    """The Keras 3 cell that computes what built TF1 `cell` computes, with its weights.

    `BasicRNNCell` becomes `keras.layers.SimpleRNNCell`, `BasicLSTMCell` and
    `LSTMCell` `keras.layers.LSTMCell`, `GRUCell`
    `keras.layers.GRUCell(reset_after=False)`. The TF1 kernel over
    `concat([x, h])` is split into `kernel` (the input rows) and
    `recurrent_kernel` (the state rows); the LSTM gate blocks go from TF1's
    order `i, j, f, o` to Keras's `i, f, c, o` with `forget_bias` added into
    the stored bias; the GRU's `(r, u)` gates and candidate become Keras's
    `(z, r, h)` blocks. The Keras LSTM's state is `[h, c]` (TF1's `(c, h)`).

    Args:
      cell: A built `BasicRNNCell`, `BasicLSTMCell`, `LSTMCell` (without
        peepholes, clipping or projection) or `GRUCell`.
      session: For a cell of a TF1 graph, the `tf.compat.v1.Session` to read
        its weights with (call `to_keras_cell` outside that graph, with TF2
        behaviour); `None` for an eager cell.

    Returns:
      A built Keras 3 cell; run it with `keras.layers.RNN(keras_cell)`.

    Raises:
      ValueError: For an unbuilt cell, or an `LSTMCell` with peepholes,
        `cell_clip`, `num_proj` or `proj_clip` (Keras 3 has none of them).
      TypeError: For another kind of cell.

    Example:

    ```python
    cell = compat_layers.rnn_cell.BasicLSTMCell(4)
    x = tf.random.normal([2, 5, 3], seed=1)
    tf1_outputs, _ = tf.compat.v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    keras_rnn = keras.layers.RNN(compat_layers.rnn_cell.to_keras_cell(cell),
                                 return_sequences=True)
    print(np.allclose(keras_rnn(x), tf1_outputs, atol=1e-6))  # True
    ```

    How to migrate to native TF2:
      This is the migration: build and restore the TF1 cell once, convert
      it, and save the Keras model.
    """
    kinds = (BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell)
    if not isinstance(cell, kinds):
        raise TypeError(
            "to_keras_cell converts BasicRNNCell, BasicLSTMCell, LSTMCell and GRUCell; "
            f"received {type(cell).__name__}."
        )
    if not cell.built:
        raise ValueError(
            f"to_keras_cell needs a built cell: call {cell.name} once (or run it in "
            "dynamic_rnn) so that its weights exist."
        )
    if isinstance(cell, LSTMCell):
        extras = [name for name in ("use_peepholes", "cell_clip", "num_proj", "proj_clip")
                  if getattr(cell, f"_{name}")]
        if extras:
            raise ValueError(
                f"to_keras_cell cannot convert an LSTMCell with {', '.join(extras)}: "
                "Keras 3's LSTMCell has no peepholes, clipping or projection."
            )
    units = cell._num_units

    def values(*variables: Any) -> list[np.ndarray]:
        if session is None:
            return [tf.convert_to_tensor(base.graph_variable(v)).numpy() for v in variables]
        with session.graph.as_default():
            return session.run([tf.convert_to_tensor(base.graph_variable(v)) for v in variables])

    activation = cell._activation
    config = dict(units=units, activation=activation, dtype=cell.dtype, name=cell.name)
    if isinstance(cell, BasicRNNCell):
        kernel, bias = values(cell._kernel, cell._bias)
        depth = kernel.shape[0] - units
        keras_class, options = keras.layers.SimpleRNNCell, {}
        weights = [kernel[:depth], kernel[depth:], bias]
    elif isinstance(cell, GRUCell):
        gate_kernel, gate_bias, candidate_kernel, candidate_bias = values(
            cell._gate_kernel, cell._gate_bias, cell._candidate_kernel, cell._candidate_bias)
        depth = gate_kernel.shape[0] - units
        r, u = np.split(gate_kernel, 2, axis=1)
        r_bias, u_bias = np.split(gate_bias, 2)
        full = np.concatenate([u, r, candidate_kernel], axis=1)
        keras_class = keras.layers.GRUCell
        options = dict(recurrent_activation="sigmoid", reset_after=False)
        weights = [full[:depth], full[depth:], np.concatenate([u_bias, r_bias, candidate_bias])]
    else:
        kernel, bias = values(cell._kernel, cell._bias)
        depth = kernel.shape[0] - units
        i, j, f, o = np.split(kernel, 4, axis=1)
        b_i, b_j, b_f, b_o = np.split(bias, 4)
        full = np.concatenate([i, f, j, o], axis=1)
        keras_class = keras.layers.LSTMCell
        options = dict(recurrent_activation="sigmoid", unit_forget_bias=False)
        weights = [full[:depth], full[depth:],
                   np.concatenate([b_i, b_f + np.asarray(cell._forget_bias, b_f.dtype), b_j, b_o])]
    keras_cell = keras_class(**config, **options)
    keras_cell.build((None, depth))
    keras_cell.set_weights(weights)
    return keras_cell
