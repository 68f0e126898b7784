"""The variable store behind `compat_layers.utils.track_tf1_style_variables`.

`tf.compat.v1.get_variable` asks the current store for a variable by full
name. This store gives TF1-style code TF2 lifetimes: the first call of a
decorated method creates its variables (eagerly, under `tf.init_scope`, also
when that call is traced by `tf.function` or by a Keras functional model), and
every later call gets the same variables back. Within one call, TF1's graph
rules hold: asking twice for a variable without `reuse` raises TF1's "already
exists" error, and `reuse=True` for a variable no call created raises TF1's
"does not exist". Eager variable scopes forget `reuse`, so a first call made
eagerly is traced once in a graph to create the variables under those rules.
After the first call has finished, creating a new variable is an error that
says why.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Callable, Iterator

import tensorflow as tf

from compat_layers import _private

_local = threading.local()


def current() -> "TrackingStore | None":
    """The store of the innermost decorated call running in this thread."""
    store = _private.default_variable_store()
    return store if isinstance(store, TrackingStore) else None


class TrackingStore:
    """Get-or-create by TF1 name, with TF1's reuse rules inside each call.

    Args:
      description: Names the decorated method, for error messages.
      owner: Tracks what the store creates: `track_variable(variable)` and
        `track_layer(key, layer)` track the new objects.
    """

    def __init__(self, description: str, owner: Any):
        self._description = description
        self._owner = owner
        self._creator = _private.eager_capable_variable_store()
        self.variables: dict[str, tf.Variable] = {}
        self.regularizers: dict[str, tuple[tf.Variable, Callable]] = {}
        self.layers: dict[str, Any] = {}
        self.call_losses: list = []
        self._asked_this_call: set[str] = set()
        self.first_call_done = False
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def call(self) -> Iterator[None]:
        """One call of the decorated method."""
        later_call = self.first_call_done
        with self._lock, _private.with_variable_store(self), _private.restored_scope_numbering(), (
            tf.variable_creator_scope(self._refuse_new_variable) if later_call else contextlib.nullcontext()
        ):
            outer = self._asked_this_call, self.call_losses
            self._asked_this_call, self.call_losses = set(), []
            try:
                yield
            finally:
                self._asked_this_call, self.call_losses = outer
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
        if tf.executing_eagerly():
            # Eager variable scopes forget `reuse` (they all report AUTO_REUSE).
            # The decorator traces the first eager call in a graph, where TF1's
            # reuse rules are checked; eager calls then only get variables.
            reuse = tf.compat.v1.AUTO_REUSE
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
            if not reuse and name in self._asked_this_call:
                raise ValueError(
                    f"Variable {name} already exists, disallowed. Did you mean to "
                    "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
                )
            self._asked_this_call.add(name)
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
            with tf.init_scope():
                variable = self._creator.get_variable(
                    name, reuse=tf.compat.v1.AUTO_REUSE, **kwargs
                )
                self._owner.track_variable(variable)
            self.variables[name] = variable
            if regularizer is not None:
                self.add_regularizer(variable, regularizer)
            return variable

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
