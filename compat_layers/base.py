"""The TF1 layer semantics, written once, on top of Keras 3.

Every compat_layers layer is `class X(<a Layer subclass>, keras.layers.X)`:
this module's `Layer` (directly, or through a family's private base) sits in
front of the Keras 3 layer in the MRO and adds what TF1 programs observe of
`tf.compat.v1.layers`:

* variables come from `tf.compat.v1.get_variable` inside the layer's variable
  scope, so names, `reuse`, `AUTO_REUSE`, scope initializers, regularizers,
  partitioners and custom getters act as in TF1, and in a TF1 graph the
  collections (`GLOBAL_VARIABLES`, `TRAINABLE_VARIABLES`,
  `REGULARIZATION_LOSSES`, `UPDATE_OPS`) fill up;
* in a TF1 graph the layer keeps those `tf.Variable`s as they are (TF1 code
  runs and saves them itself); eagerly and in `tf.function` each is wrapped in
  one `keras.Variable` tracked by Keras 3 (`layer.weights`, checkpoints,
  `.keras` files, `model.fit`);
* unnamed layers take TF1 names (`layer.name` from a per-graph counter, the
  variable scope from `variable_scope(None, default_name=...)`);
* `dtype=None` means "the dtype of the first input", never an autocast;
* `scope_name`, `graph`, `apply`, and TF1's error messages;
* unknown constructor keywords raise `TypeError`, naming the nearest valid one.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import functools
import numbers
import re
import threading
import warnings
import weakref
from typing import Any, Callable, Iterable

import keras
import numpy as np
import tensorflow as tf

from compat_layers import _arguments, _graph, _private, _variable_store

__all__ = ["Layer", "graph_variable", "keras_style_scope", "set_keras_style"]

_keras_style = threading.local()
_keras_style_forever = False

_name_uids_lock = threading.Lock()
# TF1 numbered unnamed layers per graph (`conv2d_transpose_1`, `_2`, ...).
_name_uids: "weakref.WeakKeyDictionary[tf.Graph, collections.Counter]" = (
    weakref.WeakKeyDictionary()
)


@contextlib.contextmanager
def keras_style_scope():
    """Layers constructed inside behave as plain Keras 3 layers (TF1 API).

    No variable scopes, no `get_variable`: variables are Keras's own, named by
    the layer, and a layer object is the only way to share them. Passing
    `scope` or `reuse` to such a layer raises `ValueError`, as in TF1.

    Example:

    ```python
    with compat_layers.experimental.keras_style_scope():
        layer = compat_layers.Conv2DTranspose(8, 3)
    ```
    """
    previous = getattr(_keras_style, "enabled", False)
    _keras_style.enabled = True
    try:
        yield
    finally:
        _keras_style.enabled = previous


def set_keras_style() -> None:
    """Makes every layer constructed from now on Keras-style (TF1 API).

    As in TF1 this cannot be undone; see `keras_style_scope`.
    """
    global _keras_style_forever
    _keras_style_forever = True


def _in_keras_style() -> bool:
    return _keras_style_forever or getattr(_keras_style, "enabled", False)


def _refuse_in_keras_style(argument: str, value: Any) -> None:
    raise ValueError(
        f"{argument} argument not allowed when keras style layers are enabled, "
        f"but saw: {value}"
    )


def to_snake_case(name: str) -> str:
    """`Conv2DTranspose` -> `conv2d_transpose`, as TF1 derived default names."""
    intermediate = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    snake = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return snake if snake[0] != "_" else "private" + snake


def _unique_layer_name(base_name: str) -> str:
    graph = tf.compat.v1.get_default_graph()
    with _name_uids_lock:
        counts = _name_uids.setdefault(graph, collections.Counter())
        counts[base_name] += 1
        return f"{base_name}_{counts[base_name]}"


def _check_synchronization(synchronization, trainable):
    if synchronization == tf.VariableSynchronization.ON_READ:
        if trainable:
            raise ValueError(
                "Synchronization value can be set to "
                "VariableSynchronization.ON_READ only for non-trainable "
                "variables. You have specified trainable=True and "
                "synchronization=VariableSynchronization.ON_READ."
            )
        return False
    return True if trainable is None else trainable


class Layer(keras.layers.Layer):
    """Base of every compat_layers layer: Keras 3 underneath, TF1 on the outside.

    Args:
      trainable: Whether the layer's variables are trainable. `False` makes the
        `tf.Variable`s themselves non-trainable and keeps them out of
        `TRAINABLE_VARIABLES`, as in TF1.
      name: The layer's name; also the name of its variable scope. Unnamed
        layers take `snake_case(class name)` and the first free scope.
      dtype: Dtype of the layer's variables and computation. `None` (default)
        means the dtype of the first input, with no casting.
      **kwargs: Keyword arguments of the Keras 3 layer underneath.

    Raises:
      TypeError: For a keyword no layer understands; the message names the
        closest valid keyword.

    How to migrate to native TF2:
      Subclass `tf.keras.layers.Layer`, create weights in `build` with
      `self.add_weight`, and keep variables alive by keeping the layer object
      (Keras tracks them; no variable scopes or collections are involved).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Whether `call` is compat_layers' or the Keras layer's (a user
        # subclass's may add Keras losses, which Keras's `__call__` clears on
        # every eager call).
        own_call = next(klass for klass in cls.__mro__ if "call" in klass.__dict__)
        cls._compat_layers_call = own_call.__module__.startswith(("compat_layers.", "keras."))
        # The implementation this class runs, wrapped once: a family's (or a
        # subclass's own), else the Keras 3 layer's after the family bases in
        # the MRO. A family base that only has Keras's unimplemented default
        # (wrapped) must not hide the Keras layer's implementation.
        for klass in cls.__mro__:
            method = klass.__dict__.get("compute_output_shape")
            if method is None or getattr(method, "_wraps_keras_default", False):
                continue
            if not getattr(method, "_tf1_shapes", False):
                cls.compute_output_shape = _tf1_output_shapes(method)
            return

    def __new__(cls, *args: Any, **kwargs: Any):
        # Checked before Python binds the arguments: it would otherwise report
        # `Conv2DTranspose(2, kernels_size=3)` as a missing `kernel_size`.
        _arguments.check_constructor_keywords(cls, kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(
        self,
        trainable: bool = True,
        name: str | tf.compat.v1.VariableScope | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        # TF1's signature: `Layer(False)` is `trainable=False`; its private
        # `_scope` and `_reuse` (the functional wrappers') come as keywords.
        _scope = kwargs.pop("_scope", None)
        _reuse = kwargs.pop("_reuse", None)
        base_name = to_snake_case(type(self).__name__)
        if isinstance(name, tf.compat.v1.VariableScope):
            base_name, keras_name = name.name, _unique_layer_name(base_name)
        elif name:
            base_name = keras_name = name
        else:
            keras_name = _unique_layer_name(base_name)
        if isinstance(dtype, (tf.DType, np.dtype, type)):
            dtype = tf.as_dtype(dtype).name
        kwargs.setdefault("autocast", False)
        if "activation" in kwargs:
            _arguments.check_activation(kwargs["activation"])
        super().__init__(
            trainable=bool(trainable),
            # Keras 3 reserves "/" for its own paths; the variable scope keeps it.
            name=keras_name.replace("/", "_"),
            dtype=dtype,
            **kwargs,
        )
        self._keras_style = _in_keras_style()
        if self._keras_style:
            if _scope is not None:
                _refuse_in_keras_style("scope", _scope)
            if _reuse is not None:
                _refuse_in_keras_style("reuse", _reuse)
        self._base_name = base_name
        self._reuse = _reuse
        self._infer_dtype = dtype is None
        self._current_scope: tf.compat.v1.VariableScope | None = None
        self._scope: tf.compat.v1.VariableScope | None = None
        self._graph_updates: list = []
        # The variables this layer made or reused in a TF1 graph (see add_weight).
        self._tf1_variables: list = []
        # TF1 graph losses, `(tensor, unconditional)`, and every call's inputs.
        self._tf1_losses: list = []
        self._call_inputs: list = []
        if _scope:
            with tf.compat.v1.variable_scope(_scope) as captured_scope:
                self._scope = captured_scope

    # ------------------------------------------------------------------ TF1 API
    @property
    def dtype(self) -> str | None:
        """The variables' dtype; `None` until the first input fixes it (TF1)."""
        return None if self._infer_dtype else super().dtype

    @property
    def scope_name(self) -> str:
        """Full name of the layer's variable scope, fixed by its first call."""
        if not self._scope:
            raise ValueError(
                'No name available for layer scope because the layer "'
                + self.name
                + '" has not been used yet. The scope name '
                + " is determined the first time the layer instance is "
                + "called. You must therefore call the layer before "
                + "querying `scope_name`."
            )
        return self._scope.name

    @property
    def graph(self) -> None:
        """Deprecated in TF1: warns, then `None` in graph mode, raises in eager."""
        warnings.warn(
            "`Layer.graph` is deprecated and will be removed in a future version. "
            "Please stop using this property because tf.layers layers no longer "
            "track their graph.",
            UserWarning,
            stacklevel=2,
        )
        if tf.executing_eagerly():
            raise RuntimeError("Layer.graph not supported when executing eagerly.")
        return None

    def __dir__(self) -> list[str]:
        # Keras's `.keras` saver reads every attribute `dir()` lists; reading the
        # deprecated `graph` would warn on every save.
        return [name for name in super().__dir__() if name != "graph"]

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Alias of `__call__`, kept for TF1 code."""
        return self(inputs, *args, **kwargs)

    # ---------------------------------------------------------------- scoping
    def _set_scope(self, scope: str | tf.compat.v1.VariableScope | None) -> None:
        if self._scope is not None:
            return
        if self._reuse:
            with tf.compat.v1.variable_scope(
                scope if scope is not None else self._base_name
            ) as captured_scope:
                self._scope = captured_scope
        else:
            with tf.compat.v1.variable_scope(
                scope, default_name=self._base_name
            ) as captured_scope:
                self._scope = captured_scope

    @contextlib.contextmanager
    def _enter_variable_scope(self):
        self._set_scope(None)
        with tf.compat.v1.variable_scope(
            _graph.eager_enterable(self._scope),
            reuse=True if self.built else self._reuse,
            auxiliary_name_scope=False,
        ) as scope:
            self._current_scope = scope
            yield scope

    def _open_name_scope(self):
        keras_scope = super()._open_name_scope()
        if self._current_scope is None:
            return keras_scope
        return _tf1_name_scope(self, self._current_scope.original_name_scope)

    # TF1's layers lived in TensorFlow, which autograph never converts; ours
    # must not be converted either (autograph re-reads source by line number).
    @tf.autograph.experimental.do_not_convert
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls the layer inside its variable scope, as TF1 did.

        Args:
          inputs: Input tensor(s).
          *args: Further positional arguments of `call`.
          **kwargs: Further keyword arguments of `call`; `scope` (TF1) names the
            variable scope of the first call.

        Returns:
          The output tensor(s).
        """
        scope = kwargs.pop("scope", None)
        if not tf.is_tensor(inputs):
            # TF1 took Python numbers as inputs (Keras 3 refuses them).
            inputs = tf.nest.map_structure(
                lambda x: tf.convert_to_tensor(x) if isinstance(x, (float, int)) else x, inputs
            )
        flat_inputs = tf.nest.flatten(inputs)
        first = flat_inputs[0] if flat_inputs else None
        # Not gated on `built`: Keras 3 builds weightless layers (pooling,
        # Flatten, Dropout) in `__init__`; TF1 built them on the first call,
        # which also fixed their dtype.
        if self._infer_dtype:
            self._adopt_dtype_of(first)
        if self._keras_style:
            if scope is not None:
                _refuse_in_keras_style("scope", scope)
            return super().__call__(inputs, *args, **kwargs)
        self._set_scope(scope)
        _check_input_spec(self.input_spec, inputs, self.name)
        unknown_rank = tf.is_tensor(first) and first.shape.rank is None
        if unknown_rank:
            inputs = self._input_of_unknown_rank(inputs)
        if _graph.in_tf1_graph():
            self._call_inputs.extend(t for t in flat_inputs if tf.is_tensor(t))
        kwargs = dict(zip(kwargs, _scalar_flags(kwargs.values())))
        if type(self).call is keras.layers.Layer.call:
            # TF1's `Layer.call` returned its inputs (Keras 3's raises), its
            # activity loss included.
            self.built = True
            if self.activity_regularizer is not None:
                with self._enter_variable_scope():
                    self._regularize_activity(self.activity_regularizer, inputs, inputs)
            return inputs
        if unknown_rank and not self._compat_layers_call:
            # A subclass's own `call` that builds nothing (see
            # `_input_of_unknown_rank`): Keras 3's `__call__` cannot take a
            # shape of unknown rank, so it is called in the scope, as TF1 did.
            with self._enter_variable_scope(), self._undone_on_error(), self._open_name_scope():
                outputs = self.call(inputs, *_scalar_flags(args), **kwargs)
                if self.activity_regularizer is not None:
                    self._regularize_activity(self.activity_regularizer, inputs, outputs)
            self.built = True
            return outputs
        # Positional tensors (an RNN cell's state) may take the direct path:
        # `_scalar_flags` leaves eager tensors as they are.
        if self._direct_eager_call(flat_inputs + tf.nest.flatten(args), kwargs):
            kwargs = {key: value for key, value in kwargs.items() if value is not None}
            return self.call(inputs, *args, **kwargs)
        args = _scalar_flags(args)
        regularizer = self.activity_regularizer
        with self._enter_variable_scope(), self._undone_on_error(), _hidden_from_keras(
            self, "activity_regularizer"
        ):
            outputs = _python_control_flow_as_tf1(super().__call__, inputs, *args, **kwargs)
            if regularizer is not None:
                self._regularize_activity(regularizer, inputs, outputs)
        _check_variables_in_strategy(self)
        return outputs

    def __deepcopy__(self, memo: dict) -> Layer:
        """A copy of the object, as TF1 made it: its attributes deep-copied
        (Keras 3 would go through serialization, which needs a registered
        class and keeps only the config), variables included; tensors shared,
        the variable scope copied shallowly, locks and thread-local state not
        copied."""
        result = object.__new__(type(self))
        memo[id(self)] = result
        with _private.keras_tracking_off():
            for key, value in self.__dict__.items():
                if key == "_scope":
                    copied = copy.copy(value)
                elif _is_tensor_or_tensor_list(value) or isinstance(value, _NOT_COPIED):
                    copied = value
                else:
                    copied = copy.deepcopy(value, memo)
                object.__setattr__(result, key, copied)
        _private.retrack_copy(result)
        return result

    def _direct_eager_call(self, flat_inputs: list, kwargs: dict[str, Any]) -> bool:
        """Whether an eager call may skip the variable scope and Keras's `__call__`.

        For a built compat_layers layer called eagerly on plain tensors and on
        its own (not inside another Keras layer's call or a decorated call),
        they add nothing TF1 semantics need, and cost more than a small
        layer's computation: the scope is one `reuse` has already been fixed
        for, no variable is made, Keras neither casts (`autocast` is off) nor
        resolves `training` from an outer call, and there is no mask or
        activity loss. `None` keywords then take the call's defaults, as
        Keras would give them.
        """
        return (
            self._compat_layers_call
            and self.built
            and tf.executing_eagerly()
            and self.activity_regularizer is None
            and "mask" not in kwargs
            and all(isinstance(t, tf.Tensor) and _private.keras_mask(t) is None for t in flat_inputs)
            and _private.keras_call_context() is None
            and _private.keras_autocast_scope() is None
            and self.compute_dtype == self.variable_dtype
            and not tf.distribute.has_strategy()
            and _variable_store.current() is None
        )

    def _regularize_activity(self, regularizer: Callable, inputs: Any, outputs: Any) -> None:
        """TF1's activity regularization: `regularizer(output) / batch_size`,
        under `<layer scope>/ActivityRegularizer/` (Keras 3's own uses other
        ops and names, and TF1 code finds these losses by name)."""
        with tf.name_scope(self._current_scope.original_name_scope), tf.name_scope(
            "ActivityRegularizer"
        ):
            for output in tf.nest.flatten(outputs):
                loss = regularizer(output)
                batch_size = tf.cast(tf.shape(output)[0], loss.dtype)
                self.add_loss(loss / batch_size, inputs=inputs)

    # The error TF1 raised for an input of unknown rank (most TF1 layers
    # failed on it, with the type of error each family's code hit).
    _unknown_rank_error: type[Exception] = ValueError

    def _input_of_unknown_rank(self, inputs: Any) -> Any:
        """An input whose rank is unknown (`tf.compat.v1.placeholder(tf.float32)`).

        Keras 3 cannot build from such a shape. TF1's layers that needed the
        shape failed with unhelpful messages (`'NoneType' object is not
        subscriptable`); ours say what to do. Families that TF1 ran on such
        inputs override this. A bare `Layer`, and a subclass with its own
        `call` and no `build`, need no shape: TF1 called them.
        """
        bare = type(self).call is keras.layers.Layer.call
        if bare or (not self._compat_layers_call and type(self).build is keras.layers.Layer.build):
            return inputs
        raise self._unknown_rank_error(
            f'Input 0 of layer "{self.name}" has unknown rank: {type(self).__name__} '
            "needs the input's rank (and channel dimension) to build its variables. "
            "Give the input a static shape, e.g. "
            "`tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])` or "
            "`tf.ensure_shape(x, [None, 28, 28, 1])`."
        )

    @contextlib.contextmanager
    def _undone_on_error(self):
        """A call that raises leaves no variable or collection entry behind.

        TF1 kept what a failing call had made: the variables of a layer whose
        op then rejected the input, the update ops of a half-built batch
        normalization. Those stay out of the graph's collections and of the
        variable store here, so `global_variables_initializer()`, `Saver` and
        a corrected retry under the same name see a graph without them.
        """
        if not _graph.in_tf1_graph():
            yield
            return
        graph = tf.compat.v1.get_default_graph()
        sizes = {key: len(graph.get_collection(key)) for key in _graph.CALL_COLLECTIONS}
        updates = len(self._graph_updates)
        try:
            yield
        except Exception:
            created = [
                variable
                for key in (tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
                            tf.compat.v1.GraphKeys.LOCAL_VARIABLES)
                for variable in graph.get_collection(key)[sizes[key]:]
            ]
            for key, size in sizes.items():
                if len(graph.get_collection(key)) > size:
                    del graph.get_collection_ref(key)[size:]
            _private.forget_variables(created)
            del self._graph_updates[updates:]
            raise

    def _adopt_dtype_of(self, first: Any) -> None:
        """Takes the dtype of the first input, `first`, as TF1 did."""
        if tf.is_tensor(first) or isinstance(first, (keras.KerasTensor, tf.Variable)):
            dtype = first.dtype
        elif isinstance(first, np.ndarray):
            dtype = first.dtype
        elif isinstance(first, (float, int)):
            # TF1 converted NumPy arrays and Python numbers (not NumPy
            # scalars) to tensors first: float32, int32.
            dtype = tf.convert_to_tensor(first).dtype
        else:
            dtype = None
        if dtype is not None:  # else TF1 left the dtype to a later input
            self.dtype_policy = keras.backend.standardize_dtype(tf.as_dtype(dtype).base_dtype)
            self._infer_dtype = False

    # -------------------------------------------------------------- variables
    def add_weight(
        self,
        name: str | None = None,
        shape: Any = None,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Callable[[Any], Any] | None = None,
        trainable: bool | None = None,
        constraint: Callable[[Any], Any] | None = None,
        use_resource: bool | None = None,
        synchronization: tf.VariableSynchronization = tf.VariableSynchronization.AUTO,
        aggregation: Any = tf.VariableAggregation.NONE,
        partitioner: Callable[..., Any] | None = None,
        autocast: bool = True,
        **kwargs: Any,
    ) -> keras.Variable:
        """Gets or creates a variable with `tf.compat.v1.get_variable`.

        Keeps TF1's positional order (`name, shape, dtype, initializer, ...`).
        The variable is created (or, under `reuse`, fetched) in the layer's
        variable scope, so scope initializers, custom getters and partitioners
        apply. In a TF1 graph, a new variable's regularization loss is added to
        `REGULARIZATION_LOSSES` once. The returned `keras.Variable` wraps the
        `tf.Variable`; its `path` is the TF1 variable name.

        Returns:
          A `keras.Variable` tracked by this layer; under a partitioner, TF1's
          `PartitionedVariable` (each part is tracked as a `keras.Variable`).
        """
        for keyword in kwargs:
            if keyword != "overwrite_with_gradient":
                raise TypeError("Unknown keyword argument:", keyword)
        trainable = _check_synchronization(synchronization, trainable)
        # What Keras's add_weight and TF1's get_variable both take.
        common = dict(
            name=name, shape=shape, initializer=initializer,
            trainable=trainable and self.trainable, constraint=constraint,
        )
        if self._keras_style:
            # Keras 3 names a weight under the layer's name scope; TF1's
            # Keras-style layers used the name scope open at the time (inside
            # a call, the layer's; outside, e.g. `bar/my_var:0`). A Keras path
            # scope of this layer, which opens no TensorFlow name scope, makes
            # Keras's own scope a repeat, which Keras skips.
            with _private.keras_path_scope(self.name, caller=self):
                weight = super().add_weight(
                    **common, dtype=dtype, regularizer=regularizer, autocast=autocast
                )
            if not _graph.in_tf1_graph():
                # TF1's Keras-style variables had the name scope's name
                # (`outer/conv2d_transpose_1/kernel:0`), as `.name` too.
                return _private.tf1_named(weight)
            # TF1's Keras-style layers made graph variables too (named by the
            # name scope), which TF1 code reads as such (see `weights`).
            self._tf1_variables.append(weight.value)
            return weight.value
        if isinstance(aggregation, str):
            aggregation = tf.VariableAggregation[aggregation.upper()]
        dtype = tf.as_dtype(dtype or self.variable_dtype)
        with self._enter_variable_scope() as scope, tf.name_scope(
            scope.original_name_scope
        ):
            tf1_graph = _graph.in_tf1_graph()
            existing = {id(v) for v in tf.compat.v1.global_variables()} if tf1_graph else set()
            variable = tf.compat.v1.get_variable(
                **common,
                dtype=dtype,
                use_resource=use_resource,
                synchronization=synchronization,
                aggregation=aggregation,
                partitioner=partitioner,
            )
            # A partitioner gives a PartitionedVariable: TF1 regularized,
            # tracked and trained each part, and the layer used the whole
            # (converting it to a tensor concatenates the parts).
            partitioned = isinstance(variable, _private.PartitionedVariable)
            parts = _private.variable_parts(variable)
            if regularizer is not None and tf1_graph and id(parts[0]) not in existing:
                for part in parts:
                    with tf.name_scope(name + "/Regularizer"):
                        loss = regularizer(part)
                    if loss is not None:
                        _graph.add_to_collection(
                            tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES, [loss]
                        )
                        self._tf1_losses.append((loss, True))
        if tf1_graph:
            # TF1 code reads the layer's variables as graph variables
            # (`sess.run(layer.kernel)`, `minimize(var_list=layer.weights)`):
            # a TF1 graph gets them unwrapped, the very objects of its
            # collections. Keras 3 has no use for them there.
            self._tf1_variables.extend(p for p in parts if all(p is not v for v in self._tf1_variables))
            return variable
        store = _variable_store.current()
        for part in parts:
            if regularizer is not None and store is not None:
                store.add_regularizer(part, regularizer)
            tracked = _private.keras_variable(part, autocast=autocast)
            # Inside a decorated call the owner adds the regularization loss
            # (from the store); the layer adding it too would count it twice
            # when the owner also owns the layer.
            tracked.regularizer = regularizer if store is None else None
            tracked.constraint = constraint
            _private.track_variable(self, tracked)
        return variable if partitioned else tracked

    @property
    def updates(self) -> list:
        """Update ops created by graph-mode calls (e.g. moving averages).

        TF1 code runs them itself, usually through
        `tf.control_dependencies(tf.compat.v1.get_collection(UPDATE_OPS))`.
        """
        return list(self._graph_updates)

    def add_update(self, updates: Any) -> None:
        """Records graph-mode update ops and adds them to `UPDATE_OPS`.

        Eagerly, or in a `tf.function`, an update runs as part of the call, so
        there is nothing to record (as in TF1).
        """
        if not _graph.in_tf1_graph():
            return
        updates = tf.nest.flatten(updates)
        self._graph_updates.extend(updates)
        _graph.add_to_collection(tf.compat.v1.GraphKeys.UPDATE_OPS, updates)

    def add_variable(self, *args: Any, **kwargs: Any) -> keras.Variable:
        """TF1's deprecated alias of `add_weight` (same positional order)."""
        warnings.warn(
            "`layer.add_variable` is deprecated and will be removed in a future "
            "version. Please use the `layer.add_weight()` method instead.",
            UserWarning,
            stacklevel=2,
        )
        return self.add_weight(*args, **kwargs)

    def add_loss(self, losses: Any, inputs: Any = None) -> None:
        """Adds loss tensors; in a TF1 graph also to `REGULARIZATION_LOSSES`.

        Args:
          losses: A loss tensor, a zero-argument callable returning one (it is
            evaluated now: Keras 3 keeps no callables), or a list of either.
          inputs: TF1's conditional-loss argument: in a TF1 graph, anything
            but `None` makes the losses conditional on the call's inputs (see
            `get_losses_for`), as do losses computed from them (activity
            regularization). Ignored eagerly, as in TF1.

        Inside a `track_tf1_style_variables` call the losses also reach the
        decorated layer's `losses`.
        """
        losses = [loss() if callable(loss) else loss for loss in tf.nest.flatten(losses)]
        losses = [loss for loss in losses if loss is not None]
        store = _variable_store.current()
        if store is not None:
            # One path: the decorated owner's losses (it may own this layer
            # too, and would then see the loss twice).
            store.add_call_loss(losses)
        else:
            super().add_loss(losses)
        if not tf.executing_eagerly():
            _graph.add_to_collection(
                tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES, tf.nest.flatten(losses)
            )
        if _graph.in_tf1_graph():
            # TF1 kept every call's losses in a graph (Keras 3 keeps the last).
            conditional = _reachable_from(self._call_inputs, losses)
            self._tf1_losses.extend(
                (loss, inputs is None and all(loss is not c for c in conditional))
                for loss in losses
            )

    def _get_regularization_losses(self):
        # Keras 3 regularizes trainable weights only; TF1 also reported the
        # weight-regularization losses of frozen layers. A TF1 graph's
        # variables are TensorFlow's own and carry no `regularizer`: their
        # losses were made once, at creation (see `losses`).
        return [
            variable.regularizer(variable)
            for variable in self.weights
            if getattr(variable, "regularizer", None) is not None
        ]

    # ------------------------------------------------- TF1 graph: what TF1 saw
    @property
    def weights(self) -> list:
        """The layer's variables, trainable ones first (TF1's order).

        In a TF1 graph these are the graph's own `tf.Variable`s (the objects in
        `tf.compat.v1.global_variables()`); elsewhere the `keras.Variable`s
        that wrap them.
        """
        return self._tf1_view(super().weights)

    @property
    def variables(self) -> list:
        """`weights`, plus Keras 3's other state (random seeds) outside TF1 graphs."""
        return self._tf1_view(super().variables)

    def _tf1_view(self, keras_weights: list) -> list:
        if self._tf1_variables:
            # A TF1 graph's layer: Keras-style layers' `keras.Variable`s too
            # are seen as the graph variables they hold.
            keras_weights = [graph_variable(v) for v in keras_weights]
        return _trainable_first(self._tf1_variables + keras_weights)

    @property
    def losses(self) -> list:
        """Loss tensors of the layer.

        In a TF1 graph, as in TF1: every call's losses (activity
        regularization, `add_loss`) and the weight-regularization losses made
        when the variables were created, the tensors of
        `REGULARIZATION_LOSSES`. Elsewhere Keras 3's: the last call's losses
        and the weight-regularization losses recomputed from current values.
        """
        if self._tf1_variables or self._tf1_losses:
            own = [loss for loss, _ in self._tf1_losses]
            nested = [
                loss
                for layer in self._flatten_layers(include_self=False)
                for loss in layer.losses
                if all(loss is not seen for seen in own)
            ]
            return own + nested
        return super().losses

    def get_losses_for(self, inputs: Any) -> list:
        """TF1's split of `losses`: `None` gives the unconditional ones
        (weight regularization, `add_loss` without `inputs`), a tensor the
        conditional ones that depend on it (activity regularization)."""
        if inputs is None:
            return [loss for loss, unconditional in self._tf1_losses if unconditional]
        conditional = [loss for loss, unconditional in self._tf1_losses if not unconditional]
        return _reachable_from(inputs, conditional)

    def get_updates_for(self, inputs: Any) -> list:
        """TF1's split of `updates`: `None` gives the updates that depend on
        no input of a call, a tensor the updates that depend on it."""
        if inputs is None:
            conditional = _reachable_from(self._call_inputs, self._graph_updates)
            return [u for u in self._graph_updates if all(u is not c for c in conditional)]
        return _reachable_from(inputs, self._graph_updates)


def _python_control_flow_as_tf1(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`call(*args, **kwargs)`, with TF1's error for Python control flow on
    graph tensors (`c, h = state` given one tensor): TF1's graph-mode layers
    raised a `TypeError` with these words."""
    try:
        return call(*args, **kwargs)
    except tf.errors.OperatorNotAllowedInGraphError as error:
        if not _graph.in_tf1_graph():  # in a tf.function too, TF1's error was the op's own
            raise
        # TF1 quoted the error itself; Keras 3 raises a copy with its call's
        # context added, while handling the original.
        if isinstance(error.__context__, tf.errors.OperatorNotAllowedInGraphError):
            error = error.__context__
        raise TypeError(
            "You are attempting to use Python control flow in a layer that was not "
            "declared to be dynamic. Pass `dynamic=True` to the class constructor.\n"
            f'Encountered error:\n"""\n{error}\n"""'
        ) from error


@contextlib.contextmanager
def _hidden_from_keras(layer: Layer, attribute: str):
    """Keras 3's `__call__` sees `attribute` as `None` (the base does that
    part TF1's way); set back afterwards. Only swapped when set: every
    Keras attribute write costs a tracker pass, on every call."""
    value = getattr(layer, attribute)
    if value is None:
        yield
        return
    setattr(layer, attribute, None)
    try:
        yield
    finally:
        setattr(layer, attribute, value)


# What `Layer.__deepcopy__` shares instead of copying (as TF1 did its graph,
# thread-local state and locks).
_NOT_COPIED = (tf.Graph, threading.local, type(threading.Lock()), type(threading.RLock()))


def _is_tensor_or_tensor_list(value: Any) -> bool:
    # Tensors, not variables (`tf.is_tensor` says True for both).
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, tf.Tensor) for v in value)
    return isinstance(value, tf.Tensor)


def _tf1_output_shapes(method: Callable[..., Any]) -> Callable[..., Any]:
    """`compute_output_shape` as TF1 code calls it: a `tf.TensorShape`, tuple
    or list in (with `Dimension`s under v1 shapes), `tf.TensorShape`s out,
    unknown dimensions kept, as TF1 returned. (Keras 3, which calls it with
    tuples, turns a `tf.TensorShape` back into one.) `functools.wraps` keeps
    the mark Keras reads to know whether a layer implements the method at all.
    """

    @functools.wraps(method)
    def compute_output_shape(self, input_shape: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(input_shape, (tuple, list)) and all(
            d is None or isinstance(d, (numbers.Integral, tf.compat.v1.Dimension)) for d in input_shape
        ):
            input_shape = tf.TensorShape(input_shape)
        if not isinstance(input_shape, tf.TensorShape) or input_shape.rank is None:
            return method(self, input_shape, *args, **kwargs)
        return _as_tensor_shapes(method(self, tuple(input_shape.as_list()), *args, **kwargs))

    compute_output_shape._tf1_shapes = True
    compute_output_shape._wraps_keras_default = method is keras.layers.Layer.compute_output_shape
    return compute_output_shape


def shape_passed_through(method: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a `compute_output_shape` that returns its argument itself, not
    wrapped by `_tf1_output_shapes`: TF1's layers that keep their input's
    shape (batch norm, dropout) returned what they were given, a tuple as a
    tuple."""
    method._tf1_shapes = True
    return method


def _as_tensor_shapes(shapes: Any) -> Any:
    if isinstance(shapes, dict):
        return {key: _as_tensor_shapes(value) for key, value in shapes.items()}
    if isinstance(shapes, (list, tuple)) and shapes and not all(
        d is None or isinstance(d, numbers.Integral) for d in shapes
    ):
        return [_as_tensor_shapes(shape) for shape in shapes]
    return tf.TensorShape(shapes)


def _scalar_flags(arguments: Iterable[Any]) -> tuple:
    """`arguments`, with bool flags as Keras 3 can take them.

    TF1 code feeds `training` through `tf.compat.v1.placeholder(tf.bool)`
    without a shape, or a bool `tf.Variable` (a reference variable under
    `disable_v2_behavior()`). TF1's `cond` needed a scalar at run time
    anyway, but Keras 3 reads the static shape and dtype of every tensor
    argument and can read neither an unknown shape nor `bool_ref`. A
    variable becomes its read, which in a graph reads it on every run.
    """
    return tuple(_scalar_flag(a) for a in arguments)


def _scalar_flag(argument: Any) -> Any:
    if isinstance(argument, tf.Variable) and argument.dtype.base_dtype == tf.bool:
        argument = tf.convert_to_tensor(argument)
    if tf.is_tensor(argument) and argument.dtype == tf.bool and argument.shape.rank is None:
        argument = tf.ensure_shape(argument, [])
    return argument


def graph_variable(variable: Any) -> Any:
    """The `tf.Variable` behind a layer weight (a `keras.Variable` outside
    TF1 graphs, the graph's own variable inside one)."""
    return variable.value if isinstance(variable, keras.Variable) else variable


def _trainable_first(variables: list) -> list:
    """`variables` without repeats, trainable ones first, each part in order."""
    unique = list({id(v): v for v in variables}.values())
    return [v for v in unique if v.trainable] + [v for v in unique if not v.trainable]


def _reachable_from(inputs: Any, targets: list) -> list:
    """The tensors or ops of `targets` that depend on any of `inputs` (a graph walk)."""
    ops = [t.op for t in tf.nest.flatten(inputs) if hasattr(t, "op")]
    seen = {id(op) for op in ops}
    while ops:
        op = ops.pop()
        for consumer in [c for output in op.outputs for c in output.consumers()]:
            if id(consumer) not in seen:
                seen.add(id(consumer))
                ops.append(consumer)
    return [t for t in targets if id(getattr(t, "op", t)) in seen]


def _check_variables_in_strategy(layer: Layer) -> None:
    """Refuses variables made outside the `tf.distribute` strategy running a replica.

    A layer built (or a `track_tf1_style_variables` object first called)
    outside `strategy.scope()` holds plain variables: every replica would read
    and update the same copy, and Keras's optimizer stops on a bare
    `AssertionError`. Only replica contexts (`strategy.run`, `model.fit`'s
    step) are checked; cross-replica code may read such variables.
    """
    if not tf.distribute.has_strategy() or tf.distribute.in_cross_replica_context():
        return
    strategy = tf.distribute.get_strategy()
    for weight in layer.weights:
        variable = graph_variable(weight)
        if not strategy.extended.variable_created_in_scope(variable):
            raise ValueError(
                f"Layer {layer.name!r} runs in a replica of {type(strategy).__name__}, but "
                f"its variable {variable.name} was created outside that strategy's "
                "scope. Create the layer's variables inside `with strategy.scope():` "
                "(build the layer there, or make the first call of the "
                "track_tf1_style_variables method there), as TF1 required."
            )


def _check_input_spec(input_spec: Any, inputs: Any, layer_name: str) -> None:
    """Rejects inputs that break `input_spec` with TF1's messages.

    Keras 3 runs the same checks afterwards with other wording; this runs
    first so TF1 code sees the messages it was written against.
    """
    if not input_spec:
        return
    for index, (x, spec) in enumerate(zip(tf.nest.flatten(inputs), tf.nest.flatten(input_spec))):
        shape = tf.TensorShape(getattr(x, "shape", None))
        if spec is None or shape.rank is None:
            continue
        prefix = f'Input {index} of layer "{layer_name}" is incompatible with the layer: '
        received = f"Full shape received: {tuple(shape)}"
        if spec.ndim is not None and shape.rank != spec.ndim:
            raise ValueError(f"{prefix}expected ndim={spec.ndim}, found ndim={shape.rank}. {received}")
        if spec.max_ndim is not None and shape.rank > spec.max_ndim:
            raise ValueError(f"{prefix}expected max_ndim={spec.max_ndim}, found ndim={shape.rank}")
        if spec.min_ndim is not None and shape.rank < spec.min_ndim:
            raise ValueError(
                f"{prefix}expected min_ndim={spec.min_ndim}, found ndim={shape.rank}. {received}"
            )
        if spec.dtype is not None and tf.as_dtype(x.dtype).name != spec.dtype:
            raise ValueError(
                f"{prefix}expected dtype={spec.dtype}, found dtype={tf.as_dtype(x.dtype)}"
            )
        dims = shape.as_list()
        for axis, value in (spec.axes or {}).items():
            if value is not None and dims[int(axis)] not in {value, None}:
                raise ValueError(
                    f"{prefix}expected axis {axis} of input shape to have value {value}, "
                    f"but received input with shape {tuple(dims)}"
                )
        if spec.shape is not None:
            for expected, found in zip(spec.shape, dims):
                if expected is not None and found is not None and expected != found:
                    raise ValueError(
                        f"{prefix}expected shape={spec.shape}, found shape={tuple(dims)}"
                    )


@contextlib.contextmanager
def _tf1_name_scope(layer: Layer, original_name_scope: str):
    """Keras's variable-path scope, TF1's op name scope (reused on every call)."""
    with _private.keras_path_scope(layer.name, caller=layer), tf.name_scope(
        original_name_scope
    ):
        yield
