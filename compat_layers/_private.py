"""Every private Keras / TensorFlow name that compat_layers touches, in one place.

Keras 3 keeps private what TF1 layer semantics need:

* `Layer._track_variable`: registers a variable that `add_weight` did not create
  itself (ours come from `tf.compat.v1.get_variable`), so Keras tracks, saves and
  trains it; `Layer._tracker` is unlocked for variables created after `build`
  (TF1-style code creates them on the first call).
* `Layer._open_name_scope`: the hook Keras uses to open a layer's name scope. TF1
  layers put their ops under the name scope their variable scope opened on the
  first call (`conv2d_transpose/Relu`, then `conv2d_transpose/Relu_1`), not under
  a fresh `tf.name_scope(layer.name)`.
* `Layer._get_regularization_losses`: Keras 3 only regularizes trainable weights;
  TF1 also reported the losses of frozen (`trainable=False`) layers.
* The backend-independent Keras name scope, which keeps Keras's variable paths
  right without opening a TensorFlow name scope, and Keras's "stateless scope",
  which forbids wrapping a `tf.Variable` while Keras traces a functional model.

* Keras's TF-backend random functions (`keras.src.backend.random`), which
  `DeterministicRandomTestTool` reroutes to TensorFlow's seeded stateful ops.

And TensorFlow keeps private the `PartitionedVariable` type `get_variable`
returns under a partitioner and each part's place in the whole
(`_get_save_slice_info`, for `load_tf1_checkpoint`), the variable store
behind `get_variable`, which `track_tf1_style_variables` swaps (as tf_keras's
own shim did) and whose entries (`_vars`, `_partitioned_vars`) a failing
layer call removes, the per-thread counts that number unnamed variable
scopes, and the module behind
`tf.compat.v1.get_seed`, whose `get_seed` `DeterministicRandomTestTool` patches
(as tf_keras's tool did).

For `compat_layers.install()`, TensorFlow keeps private the package
`tensorflow.python.layers` (whose modules TF1-era libraries such as tf_slim
import the v1 layers from) and the module its lazy `TFModuleWrapper` (the type
of `tf.compat.v1`) wraps and writes every attribute through to.

`check()` runs at import time and fails loudly (naming the versions) when a new
Keras or TensorFlow release moves any of them; `tests/test_package.py`
(`PrivateApiTest`) exercises each one in CI.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import types
from typing import Any, Iterator

import keras
import tensorflow as tf
from keras.src import backend as _keras_backend
from keras.src.backend.common import global_state as _keras_global_state
from keras.src.backend.common import name_scope as _keras_name_scope_module
from tensorflow.python.ops import template as _tf_template
from tensorflow.python.ops import variable_scope as _tf_variable_scope
from tensorflow.python.ops import variables as _tf_variables

# Oldest Keras 3 release compat_layers gives TF1's results on (checked on
# TensorFlow 2.16): 3.0 lacks `_open_name_scope`, 3.2 fails on the first call,
# and 3.3 to 3.8 give Conv3DTranspose different gradients than TF1.
MIN_KERAS = (3, 10)

LAYER_HOOKS = ("_track_variable", "_open_name_scope", "_get_regularization_losses")
TF_VARIABLE_SCOPE_NAMES = (
    "_VARSTORE_KEY",
    "_get_default_variable_store",
    "get_variable_scope_store",
    "_VariableStore",
)

KERAS_RANDOM_FUNCTIONS = ("uniform", "normal", "truncated_normal", "dropout")

# The package TF1's `tensorflow/python/layers/{base,core,...}.py` live in.
TF1_LAYERS_PACKAGE = "tensorflow.python.layers"
# The attribute of a `TFModuleWrapper` that holds the module it wraps.
TF_MODULE_WRAPPER_TARGET = "_tfmw_wrapped_module"

keras_path_scope = getattr(_keras_name_scope_module, "name_scope", None)
# The Keras path new variables get here ("outer_layer/inner_layer").
keras_current_path = getattr(_keras_name_scope_module, "current_path", None)
# What `get_variable` returns under a partitioner (TF1 exported it as
# `tf.PartitionedVariable`; TF2 keeps it private).
PartitionedVariable = getattr(_tf_variables, "PartitionedVariable", None)
# The module whose `get_seed` every seeded TensorFlow random op calls.
tf_random_seed_module = sys.modules[tf.compat.v1.get_seed.__module__]
# Keras 3's backend random functions (initializers, Dropout, keras.random).
keras_random_backend = _keras_backend.random


def tf2_behavior_enabled() -> bool:
    """False after `tf.compat.v1.disable_v2_behavior()` (TensorFlow keeps the
    switch in `tf.__internal__`; TF1's Keras read it to pick legacy paths)."""
    return tf.__internal__.tf2.enabled()


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check() -> None:
    """Raises ImportError when a private name compat_layers relies on moved."""
    found = _version_tuple(keras.__version__)
    if found < MIN_KERAS:
        raise ImportError(
            f"compat_layers needs Keras >= {MIN_KERAS[0]}.{MIN_KERAS[1]} (found keras "
            f"{keras.__version__}). Upgrade with `pip install 'keras>="
            f"{MIN_KERAS[0]}.{MIN_KERAS[1]}'` (TensorFlow >= 2.16 brings Keras 3)."
        )
    missing = [hook for hook in LAYER_HOOKS if not hasattr(keras.layers.Layer, hook)]
    if keras_path_scope is None:
        missing.append("keras.src.backend.common.name_scope.name_scope")
    if keras_current_path is None:
        missing.append("keras.src.backend.common.name_scope.current_path")
    if not hasattr(_keras_global_state, "get_global_attribute"):
        missing.append("keras.src.backend.common.global_state.get_global_attribute")
    missing += [
        f"keras.src.backend.random.{name}"
        for name in KERAS_RANDOM_FUNCTIONS
        if not hasattr(keras_random_backend, name)
    ]
    if not hasattr(tf_random_seed_module, "get_seed"):
        missing.append(f"{tf_random_seed_module.__name__}.get_seed")
    missing += [
        f"tensorflow.python.ops.variable_scope.{name}"
        for name in TF_VARIABLE_SCOPE_NAMES
        if not hasattr(_tf_variable_scope, name)
    ]
    if not callable(getattr(getattr(tf.__internal__, "tf2", None), "enabled", None)):
        missing.append("tf.__internal__.tf2.enabled")
    if PartitionedVariable is None:
        missing.append("tensorflow.python.ops.variables.PartitionedVariable")
    if not hasattr(tf.Variable, "_get_save_slice_info"):
        missing.append("tf.Variable._get_save_slice_info")
    store = _tf_variable_scope._VariableStore()
    missing += [
        f"tensorflow.python.ops.variable_scope._VariableStore.{name}"
        for name in ("_vars", "_partitioned_vars")
        if not isinstance(getattr(store, name, None), dict)
    ]
    if importlib.util.find_spec(TF1_LAYERS_PACKAGE) is None:
        missing.append(TF1_LAYERS_PACKAGE)
    if not isinstance(vars(tf.compat.v1).get(TF_MODULE_WRAPPER_TARGET), types.ModuleType):
        missing.append(f"tensorflow.python.util.module_wrapper.{TF_MODULE_WRAPPER_TARGET}")
    if missing:
        raise ImportError(
            "compat_layers relies on Keras / TensorFlow internals that keras "
            f"{keras.__version__} / tensorflow {tf.__version__} no longer have: "
            f"{', '.join(missing)}. Please report this at the compat_layers "
            "issue tracker together with your TensorFlow and Keras versions."
        )


# ------------------------------------------------------------------- Keras
@contextlib.contextmanager
def unlocked_tracker(layer: keras.layers.Layer) -> Iterator[None]:
    """Lets `layer` take new state (variables, sub-layers) after `build`, as
    TF1-style code gives it on its first call."""
    tracker = layer._tracker
    was_locked = tracker.locked
    tracker.unlock()
    try:
        yield
    finally:
        if was_locked:
            tracker.lock()


def track_variable(layer: keras.layers.Layer, variable: keras.Variable) -> None:
    """Registers `variable` with `layer`'s Keras tracker (weights, saving)."""
    with unlocked_tracker(layer):
        layer._track_variable(variable)


def track_attribute(layer: keras.layers.Layer, name: str, value: Any) -> None:
    """`setattr(layer, name, value)` with Keras tracking, also after `build`."""
    with unlocked_tracker(layer):
        setattr(layer, name, value)


@contextlib.contextmanager
def _outside_stateless_scope() -> Iterator[None]:
    scope = _keras_global_state.get_global_attribute("stateless_scope")
    _keras_global_state.set_global_attribute("stateless_scope", None)
    try:
        yield
    finally:
        _keras_global_state.set_global_attribute("stateless_scope", scope)


class _MadeAtOnce(list):
    """Keras's list of variables to make when its stateless scope ends; here
    each is made as it is registered."""

    def append(self, variable: keras.Variable) -> None:
        with _outside_stateless_scope():
            variable._deferred_initialize()


@contextlib.contextmanager
def keras_variables_made_at_once() -> Iterator[None]:
    """Keras variables constructed in here get their `tf.Variable` at once.

    In a stateless scope (the symbolic call that builds a Keras layer with
    sub-layers) Keras defers making them until the scope ends, when the
    variable scopes of the code that asked for them are gone.
    """
    previous = _keras_global_state.get_global_attribute("uninitialized_variables")
    _keras_global_state.set_global_attribute("uninitialized_variables", _MadeAtOnce())
    try:
        yield
    finally:
        _keras_global_state.set_global_attribute("uninitialized_variables", previous)


# The attribute of a tf.Variable that holds its one `keras.Variable` wrapper.
_KERAS_WRAPPER_ATTRIBUTE = "_compat_layers_keras_variable"


class TF1NamedVariable(keras.Variable):
    """A `keras.Variable` whose `name` is its `tf.Variable`'s TF1 name.

    TF1 code and TF1-era tests read `layer.kernel.name` as `'scope/kernel:0'`,
    also eagerly; Keras 3 names a variable by its last path component
    (`'kernel'`) and forbids "/" in the name it is given, so the name is read
    from the wrapped variable (Keras's private `_value`) instead. Keras 3's
    own uses of `name` (optimizer slot names) replace "/" and ":".
    """

    @property
    def name(self) -> str:
        value = self._value
        return self._name if value is None else value.name


def wrapped_variable(variable: keras.Variable) -> Any:
    """The `tf.Variable` a `keras.Variable` holds (None before it is built)."""
    return variable._value


def tf1_named(variable: keras.Variable) -> keras.Variable:
    """`variable` (made by Keras's `add_weight`) with `TF1NamedVariable`'s `name`.

    The subclass adds only that property, so the object stays what Keras
    made, tracked where Keras tracked it.
    """
    variable.__class__ = TF1NamedVariable
    return variable


def keras_variable(variable: tf.Variable, autocast: bool = True) -> keras.Variable:
    """Wraps a `tf.Variable` in a `keras.Variable` whose `path` is its TF1 name.

    Keras 3 forbids "/" in a variable's name, so the TF1 scope goes into the
    Keras path (`gen/conv2d_transpose/kernel`) through an absolute Keras name
    scope; the wrapped `tf.Variable` keeps its TF1 name (`...:0`). The wrapper
    is made outside Keras's stateless scope: TF1 code creates variables on the
    first call, which may be the symbolic call that builds a functional model.
    """
    # One wrapper per tf.Variable, whoever asks (the layer that made it, a
    # `track_tf1_style_variables` owner that tracks it too): two wrappers of
    # one variable would list it twice in the owner's weights and apply every
    # gradient twice.
    existing = getattr(variable, _KERAS_WRAPPER_ATTRIBUTE, None)
    if existing is not None:
        return existing
    path = variable.name.rsplit(":", 1)[0]
    parent, _, leaf = path.rpartition("/")
    grandparent, _, last = parent.rpartition("/")
    scope = (
        keras_path_scope(last, override_parent=grandparent)
        if last
        else contextlib.nullcontext()
    )
    with scope, _outside_stateless_scope():
        wrapper = TF1NamedVariable(
            initializer=variable,
            dtype=variable.dtype.base_dtype.name,
            trainable=variable.trainable,
            autocast=autocast,
            name=leaf,
        )
    setattr(variable, _KERAS_WRAPPER_ATTRIBUTE, wrapper)
    return wrapper


# -------------------------------------------------------------- TensorFlow
def variable_parts(variable: Any) -> list:
    """The `tf.Variable`s of `variable`: its parts when a partitioner made it
    (a `PartitionedVariable`), else `[variable]`."""
    return list(variable) if isinstance(variable, PartitionedVariable) else [variable]


def save_slice_info(variable: Any) -> Any:
    """Where a part of a partitioned variable sits in the whole, or `None`.

    TF1's `SaveSliceInfo` (`full_name`, `full_shape`, `var_offset`,
    `var_shape`), which `get_variable` gives each part and `Saver` uses to
    write the parts as one variable. `variable` may be a `keras.Variable`.
    """
    if isinstance(variable, keras.Variable):
        variable = variable.value
    getter = getattr(variable, "_get_save_slice_info", None)
    return getter() if getter is not None else None


def default_variable_store() -> Any:
    """The store `tf.compat.v1.get_variable` uses right now."""
    return _tf_variable_scope._get_default_variable_store()


def forget_variables(variables: list) -> None:
    """Drops `variables` from the default variable store, so a later
    `get_variable` neither finds them under `reuse` nor calls them existing."""
    store = default_variable_store()
    for variable in variables:
        name = variable.op.name
        store._vars.pop(name, None)
        # A partition `kernel/part_0` also leaves its whole, `kernel`, behind.
        store._partitioned_vars.pop(name.rsplit("/part_", 1)[0], None)


def variable_store_slot() -> list:
    """The current graph's collection whose first item is the store
    `get_variable` uses (shared with the `tf.function` graphs traced in it)."""
    return tf.compat.v1.get_collection_ref(_tf_variable_scope._VARSTORE_KEY)


def forget_graph_scopes_of_templates(owner: Any) -> None:
    """Lets `owner`'s `make_template` templates run eagerly after a graph trace.

    An eager template keeps the `variable_scope` it first entered, and that
    re-enters the graph it was made in: after the graph trace of a first
    eager call, the eager run would build its ops in the trace's graph.
    """
    for value in vars(owner).values():
        if isinstance(value, _tf_template.EagerTemplate):
            value._variable_scope_context_manager = None


def eager_capable_variable_store() -> Any:
    """TF's own store, set to keep eager variables (as `EagerVariableStore`)."""
    store = _tf_variable_scope._VariableStore()
    store._store_eager_variables = True
    return store


@contextlib.contextmanager
def restored_scope_numbering() -> Iterator[None]:
    """Numbers unnamed variable scopes from the same state on every entry.

    TF1 built a model function once, so `conv2d_transpose`, `conv2d_transpose_1`
    ... were fixed names; a TF2 call that builds the same layers again must give
    them the same names, so the counts are put back when the call ends.
    """
    store = _tf_variable_scope.get_variable_scope_store()
    counts = dict(store.variable_scopes_count)
    try:
        yield
    finally:
        store.variable_scopes_count = counts


def tf1_layers_package() -> types.ModuleType:
    """`tensorflow.python.layers`, the home of TF1's private layer modules."""
    return importlib.import_module(TF1_LAYERS_PACKAGE)


def module_namespaces(module: types.ModuleType) -> list[dict[str, Any]]:
    """The attribute dicts that `setattr(module, ...)` writes.

    A plain module has one. TensorFlow's `TFModuleWrapper` (`tf.compat.v1`)
    copies the module it wraps and writes every attribute to both, so both
    are needed to put back exactly what was there.
    """
    namespaces = [vars(module)]
    wrapped = vars(module).get(TF_MODULE_WRAPPER_TARGET)
    if isinstance(wrapped, types.ModuleType):
        namespaces.append(vars(wrapped))
    return namespaces
