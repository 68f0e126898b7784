"""The variable store behind `compat_layers.utils.track_tf1_style_variables`.

`tf.compat.v1.get_variable` asks the current store for a variable by full
name. This store gives TF1-style code TF2 lifetimes: the first call of a
decorated method creates its variables (eagerly, under `tf.init_scope`, also
when that call is traced by `tf.function` or by a Keras functional model), and
every later call gets the same variables back. As in tf_keras's store, asking
again for a variable gets it back whatever `reuse` says (`None`, `False` and
`AUTO_REUSE` all reuse), and `reuse=True` for a variable no call created
raises TF1's "does not exist" (eager variable scopes report `AUTO_REUSE`, so
only a graph or `tf.function` call sees it). After the first call has
finished, creating a new variable is an error that says why.

TensorFlow keeps one variable store per graph, shared by every thread building
in it; a decorated call's store is reached only from its own thread (other
threads keep the graph's store), through a router in the graph's slot.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator

import tensorflow as tf

from compat_layers import _private

_router_lock = threading.Lock()
# Set while a variable is made that keeps its own name: one `get_variable`
# made, or one an inner decorated call named (the outer calls' creators,
# further down the creator stack, must not name it again).
_naming = threading.local()


def current() -> "TrackingStore | None":
    """The store of the innermost decorated call running in this thread."""
    store = _private.default_variable_store()
    if isinstance(store, _ThreadRouter):
        store = store.target()
    return store if isinstance(store, TrackingStore) else None


class _ThreadRouter:
    """What a graph's variable-store slot holds once a decorated call ran there.

    TensorFlow's own swap (`with_variable_store`) would give the decorated
    call's store to every thread building in the graph: another thread's
    `get_variable` would then create its variable in that store (or wait on
    its lock for the whole call). The router sends each thread to the store
    of its own innermost decorated call, and the others to the graph's store.
    Everything TensorFlow reads of a store goes through to that store.
    """

    def __init__(self, default: Any):
        object.__setattr__(self, "_default", default)
        object.__setattr__(self, "_local", threading.local())

    def target(self) -> Any:
        stack = getattr(self._local, "stack", None)
        return stack[-1] if stack else self._default

    @contextlib.contextmanager
    def routing(self, store: "TrackingStore") -> Iterator[None]:
        stack = self._local.__dict__.setdefault("stack", [])
        stack.append(store)
        try:
            yield
        finally:
            stack.pop()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.target(), name, value)


def _router() -> _ThreadRouter:
    """The router of the current graph's variable-store slot (installed once)."""
    with _router_lock:
        store = _private.default_variable_store()  # creates the graph's store if none
        if not isinstance(store, _ThreadRouter):
            store = _ThreadRouter(store)
            _private.variable_store_slot()[:] = [store]
        return store


class TrackingStore:
    """Get-or-create by TF1 name; asking again reuses, as in tf_keras's store.

    Args:
      description: Names the decorated method, for error messages.
      owner: Tracks what the store creates: `track_variable(variable)` and
        `track_layer(key, layer)` track the new objects.
    """

    # TF's templates (`make_template`) nest their own stores in an outer one
    # that keeps eager variables, and read its variables by name.
    _store_eager_variables = True

    def __init__(self, description: str, owner: Any):
        self._description = description
        self._owner = owner
        self._creator = _private.eager_capable_variable_store()
        self.variables: dict[str, tf.Variable] = {}
        self.regularizers: dict[str, tuple[tf.Variable, Callable]] = {}
        self.layers: dict[str, Any] = {}
        self.call_losses: list = []
        # Eager calls after the first reuse the layer objects the functional
        # wrappers made (see `functional_site`); counts of this call's sites.
        self._functional_layers: dict[tuple, tuple[Any, dict[str, Any]]] = {}
        self._sites_this_call: dict[tuple, int] = {}
        # The tf.Variables made in the first call without `get_variable` (by
        # Keras layers, or plain ones), named as tf_keras's decorator named
        # them; and the Keras path of the decorated call those names start from.
        self.keras_layer_variables: list[tf.Variable] = []
        self._owner_path = ""
        self.first_call_done = False
        self._lock = threading.RLock()

    @property
    def _vars(self) -> dict[str, Any]:
        """TF's name for a store's variables (templates and `forget_variables` read it)."""
        return self.variables

    _partitioned_vars = _vars

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """One call of the decorated method."""
        later_call = self.first_call_done
        if not later_call:
            self._owner_path = _private.keras_current_path()
        with self._lock, _router().routing(self), _private.restored_scope_numbering(), tf.variable_creator_scope(
            self._refuse_new_variable if later_call else self._name_as_tf1
        ), (contextlib.nullcontext() if later_call else _private.keras_variables_made_at_once()):
            outer = self.call_losses, self._sites_this_call
            self.call_losses, self._sites_this_call = [], {}
            try:
                yield
            finally:
                self.call_losses, self._sites_this_call = outer
        self.first_call_done = True

    def _refuse_new_variable(self, next_creator: Callable, **kwargs: Any) -> tf.Variable:
        """A later call made a `tf.Variable` (or a Keras layer its weights).

        Without this, eagerly, the variable would be made anew on every call
        (and never trained); in `tf.function`, TensorFlow's generic
        "singleton tf.Variables" error would name neither it nor the cure.
        """
        name = kwargs.get("name") or "Variable"
        raise ValueError(
            f"{self._description} creates the variable {name!r} again on a later "
            "call. Variables must be created once: ask for them with "
            "tf.compat.v1.get_variable (or through compat_layers layers), which the "
            "first call creates and later calls reuse, or create the tf.Variable or "
            "Keras layer once, in __init__ or with "
            "compat_layers.utils.get_or_create_layer."
        )

    def _name_as_tf1(self, next_creator: Callable, **kwargs: Any) -> tf.Variable:
        """A Keras layer's variable made in the first call gets the TF1 name
        tf_keras's decorator gave it.

        A layer called on tensors: the decorated layer's path, the TF1
        variable scope, then the layer's own path (Keras 3 alone would drop
        the variable scope and name the `tf.Variable` by the outermost
        layer); a plain `tf.Variable` in the call of a Keras layer, that
        layer's path and the variable scope. A layer of a functional model
        made in the call: its own path only, as tf_keras built such layers in
        a graph of their own. Outside any Keras 3 layer (a `tf.Module` owner,
        tf_keras's layers) TensorFlow's name scopes name it, as with tf_keras.
        """
        if getattr(_naming, "depth", 0):
            return next_creator(**kwargs)
        inner = _private.keras_current_path()
        if self._owner_path and inner.startswith(self._owner_path):
            inner = inner[len(self._owner_path):]
        inner = inner.strip("/")
        if not (self._owner_path or inner):
            return next_creator(**kwargs)
        if _private.keras_building_for_symbolic_inputs():
            prefix = inner
        else:
            parts = [self._owner_path, tf.compat.v1.get_variable_scope().name, inner]
            prefix = "/".join(part for part in parts if part)
        with tf.name_scope(f"{prefix}/"), _named():
            variable = next_creator(**kwargs)
        self.keras_layer_variables.append(variable)
        return variable

    # The signature `VariableScope.get_variable` calls stores with.
    def get_variable(
        self,
        name: str,
        shape: Any = None,
        dtype: Any = tf.float32,
        initializer: Any = None,
        regularizer: Callable | None = None,
        reuse: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: bool | None = None,
        custom_getter: Callable | None = None,
        constraint: Callable | None = None,
        synchronization: tf.VariableSynchronization = tf.VariableSynchronization.AUTO,
        aggregation: tf.VariableAggregation = tf.VariableAggregation.NONE,
    ) -> tf.Variable:
        kwargs = dict(
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            regularizer=regularizer,
            reuse=reuse,
            trainable=trainable,
            collections=collections,
            caching_device=caching_device,
            partitioner=partitioner,
            validate_shape=validate_shape,
            use_resource=use_resource,
            constraint=constraint,
            synchronization=synchronization,
            aggregation=aggregation,
        )
        if custom_getter is not None:
            if not callable(custom_getter):  # TF1's error, before anything is made
                raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
            return custom_getter(self._true_getter, name, **kwargs)
        return self._true_getter(name, **kwargs)

    def _true_getter(self, name: str, *, reuse: Any = None, regularizer=None, **kwargs) -> tf.Variable:
        with self._lock:
            if reuse is True and name not in self.variables:
                raise ValueError(
                    f"Variable {name} does not exist, or was not created with "
                    "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                    "VarScope?"
                )
            if name in self.variables:
                return self._existing(name, kwargs)
            if self.first_call_done:
                raise ValueError(
                    f"{self._description} would create the new variable {name!r} after its "
                    "first call. TF1-style code must ask for the same variables on "
                    "every call: the first call creates them, later calls reuse them "
                    "by name. A new name usually comes from an unnamed layer or "
                    "variable scope that is only reached on some calls, or from a "
                    "Python branch; name it (name=..., variable_scope(...)) and "
                    "build it on the first call too."
                )
            initializer = kwargs.get("initializer")
            if tf.is_symbolic_tensor(initializer) and tf.compat.v1.executing_eagerly_outside_functions():
                kwargs["initializer"] = self._initial_value_outside_the_call(name, initializer)
            with tf.init_scope(), _named():
                variable = self._creator.get_variable(name, reuse=tf.compat.v1.AUTO_REUSE, **kwargs)
                self._owner.track_variable(variable)
            self.variables[name] = variable
            if regularizer is not None:
                self.add_regularizer(variable, regularizer)
            return variable

    def _initial_value_outside_the_call(self, name: str, initializer: tf.Tensor) -> Any:
        """`get_variable(initializer=<tensor>)`, the tensor made in the call.

        TF1 made the variable in the graph of its initializer; here it lives
        outside the call's graph (created under `init_scope`), where that
        tensor cannot be used. A tensor that depends only on constants and
        random ops is computed where it was made; one made from the call's
        inputs cannot be (an eager first call has it as an eager tensor).
        """
        if not _depends_on_inputs(initializer):
            with tf.compat.v1.Session(graph=initializer.graph) as session:
                return session.run(initializer)
        raise ValueError(
            f"The initializer of the variable {name!r} is computed from the inputs "
            f"of {self._description}, whose first call runs inside tf.function, "
            "where TensorFlow 2 creates variables before any input is seen. Call it "
            "eagerly once first (e.g. on one batch), or initialize the variable "
            "from constants and assign the computed value."
        )

    def _existing(self, name: str, kwargs: dict) -> tf.Variable:
        variable = self.variables[name]
        shape = kwargs.get("shape")
        if shape is not None and not tf.TensorShape(shape).is_compatible_with(variable.shape):
            raise ValueError(
                f"Trying to share variable {name}, but specified shape "
                f"{tf.TensorShape(shape)} and found shape {variable.shape}."
            )
        dtype = kwargs.get("dtype")
        if dtype is not None and tf.as_dtype(dtype).base_dtype != variable.dtype.base_dtype:
            raise ValueError(
                f"Trying to share variable {name}, but specified dtype "
                f"{tf.as_dtype(dtype).name} and found dtype {variable.dtype.base_dtype.name}."
            )
        return variable

    def functional_site(self, layer_class: type, name: str | None, inputs: Any) -> tuple | None:
        """Where in this call a functional wrapper (`dense(x, ...)`) runs.

        TF1 built a model function once; eagerly it runs on every call, and
        making its layers anew each time costs more than the computation of
        a small model. An eager call after the first one therefore reuses
        the layer its site made before: the n-th call of the same wrapper with
        the same name in the same variable scope, on inputs of the same shape
        (batch aside). `None` where layers are made anew (the first call,
        `tf.function` traces).
        """
        if not self.first_call_done or not tf.executing_eagerly():
            return None
        shape = getattr(inputs, "shape", None)
        if shape is None:
            return None
        site = (layer_class, tf.compat.v1.get_variable_scope().name, name, tuple(shape[1:]))
        number = self._sites_this_call.get(site, 0)
        self._sites_this_call[site] = number + 1
        return (*site, number)

    def functional_layer(self, site: tuple, arguments: dict[str, Any]) -> Any:
        """The layer `site` made before with the same arguments, or None."""
        layer, made_with = self._functional_layers.get(site, (None, None))
        if layer is None or made_with.keys() != arguments.keys():
            return None
        for argument, value in arguments.items():
            if not (_creation_only(argument) or _same_value(value, made_with[argument])):
                return None
        return layer

    def keep_functional_layer(self, site: tuple, arguments: dict[str, Any], layer: Any) -> None:
        self._functional_layers[site] = (layer, arguments)

    def track(self, variable: tf.Variable) -> None:
        """Has the owner track a variable made in the call without `get_variable`."""
        self._owner.track_variable(variable)

    def get_or_create_layer(self, key: str, create_layer_method: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self.layers:
                self.layers[key] = create_layer_method()
                self._owner.track_layer(key, self.layers[key])
            return self.layers[key]

    def add_regularizer(self, variable: tf.Variable, regularizer: Callable) -> None:
        """Keeps `regularizer(variable)` as a loss recomputed on every call."""
        self.regularizers.setdefault(variable.name, (variable, regularizer))

    def add_call_loss(self, losses: Any) -> None:
        """A loss of this call (e.g. an inner layer's activity regularizer)."""
        self.call_losses.extend(tf.nest.flatten(losses))


@contextlib.contextmanager
def _named() -> Iterator[None]:
    _naming.depth = getattr(_naming, "depth", 0) + 1
    try:
        yield
    finally:
        _naming.depth -= 1


def _depends_on_inputs(tensor: tf.Tensor) -> bool:
    """Whether `tensor` is computed from a placeholder of its graph (an input
    or a captured value of a traced call)."""
    seen, ops = set(), [tensor.op]
    while ops:
        op = ops.pop()
        if op.type in ("Placeholder", "PlaceholderWithDefault"):
            return True
        for upstream in [t.op for t in op.inputs] + list(op.control_inputs):
            if upstream.name not in seen:
                seen.add(upstream.name)
                ops.append(upstream)
    return False


def _creation_only(argument: str) -> bool:
    """Arguments that act only when a variable is made (and it was made on the
    first call): initializers, constraints, the variables' regularizers."""
    return argument.endswith(("_initializer", "_constraint")) or (
        argument.endswith("_regularizer") and argument != "activity_regularizer"
    )


def _same_value(a: Any, b: Any) -> bool:
    """Same object, or equal plain values (numbers, strings, dtypes and
    tuples of them); anything else, e.g. a new lambda, is not the same."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    return isinstance(a, (int, float, str, tf.DType)) and a == b
