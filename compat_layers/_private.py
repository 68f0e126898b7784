"""Every private Keras / TensorFlow name that compat_layers touches, in one place.

Keras 3 and TensorFlow keep private much of what TF1 layer semantics need.
`PRIVATE_MEMBERS` names each such member once: where it lives, how
compat_layers uses it (overrides, calls, reads, writes, patches or implements
it), the parameter names it is relied on to have, and why. The helpers below
are the only code outside Keras and TensorFlow that touches these members;
the rest of compat_layers calls the helpers.

`check()` runs at import time and fails loudly (naming the versions) when a new
Keras or TensorFlow release removes one of them; `tests/test_private_members.py`
also checks every listed signature, and fails when a compat_layers class
overrides a private Keras member the list does not name. `tests/test_package.py`
(`PrivateApiTest`) exercises the helpers' behaviour.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import importlib.util
import sys
import types
from typing import Any, Iterator, Literal

import keras
import tensorflow as tf
from keras.src import backend as _keras_backend
from keras.src.backend.common import global_state as _keras_global_state
from keras.src.backend.common import name_scope as _keras_name_scope_module
from tensorflow.python.ops import variable_scope as _tf_variable_scope
from tensorflow.python.ops import variables as _tf_variables

from compat_layers import _tf_version

# Oldest Keras 3 release compat_layers gives TF1's results on (checked on
# TensorFlow 2.16): 3.0 lacks `_open_name_scope`, 3.2 fails on the first call,
# and 3.3 to 3.8 give Conv3DTranspose different gradients than TF1.
MIN_KERAS = (3, 10)

Use = Literal["overrides", "calls", "reads", "writes", "patches", "implements"]


@dataclasses.dataclass(frozen=True)
class PrivateMember:
    """One private member of Keras or TensorFlow that compat_layers relies on.

    Attributes:
      owner: Dotted path of the class or module that holds it.
      name: The member's name in `owner`.
      use: What compat_layers does with it: `overrides` (a compat_layers
        subclass defines it again), `calls`, `reads`, `writes`, `patches`
        (swaps it for a replacement while a scope is open) or `implements`
        (a compat_layers class stands in for `owner` where TensorFlow calls it).
      parameters: The parameter names of a callable (`self` included), as
        compat_layers calls, overrides or replaces it; `None` for data.
      on_instance: Set in `__init__`: only instances of `owner` have it.
      why: What TF1 semantics need it for.
    """

    owner: str
    name: str
    use: Use
    parameters: tuple[str, ...] | None
    why: str
    on_instance: bool = False

    @property
    def path(self) -> str:
        return f"{self.owner}.{self.name}"


_LAYER = "keras.layers.Layer"
_TRACKER = "keras.src.utils.tracking.Tracker"
_KERAS_RANDOM = "keras.src.backend.random"
_VARIABLE_SCOPE = "tensorflow.python.ops.variable_scope"
_VARIABLE_STORE = f"{_VARIABLE_SCOPE}._VariableStore"
_RANDOM_PARAMETERS = ("shape", "mean", "stddev", "dtype", "seed")

PRIVATE_MEMBERS: tuple[PrivateMember, ...] = (
    # ------------------------------------------------------------- Keras
    PrivateMember(
        _LAYER, "_open_name_scope", "overrides", ("self",),
        "The hook Keras opens a layer's name scope with. TF1 layers put their ops "
        "under the name scope their variable scope opened on the first call "
        "(`conv2d_transpose/Relu`, then `conv2d_transpose/Relu_1`), not under a "
        "fresh `tf.name_scope(layer.name)`.",
    ),
    PrivateMember(
        _LAYER, "_get_regularization_losses", "overrides", ("self",),
        "Keras 3 only regularizes trainable weights; TF1 also reported the losses "
        "of frozen (`trainable=False`) layers.",
    ),
    PrivateMember(
        _LAYER, "_track_variable", "calls", ("self", "variable"),
        "Registers a variable that `add_weight` did not create itself (ours come "
        "from `tf.compat.v1.get_variable`), so Keras tracks, saves and trains it.",
    ),
    PrivateMember(
        _LAYER, "_flatten_layers", "calls", ("self", "include_self", "recursive"),
        "The nested layers whose TF1-graph losses a layer's `losses` includes.",
    ),
    PrivateMember(
        _LAYER, "_maybe_build", "reads", ("self", "call_spec"),
        "Its running frame's `call_spec.eager` tells a layer built for a call on "
        "symbolic inputs (a functional model being made) apart from one built "
        "for a call on tensors: tf_keras named the variables of the former by "
        "the layer alone, outside the decorated call's scopes.",
    ),
    PrivateMember(
        _LAYER, "_tracker", "reads", None,
        "Unlocked for variables and sub-layers created after `build` (TF1-style "
        "code creates them on the first call).",
        on_instance=True,
    ),
    PrivateMember(_TRACKER, "locked", "reads", None,
                  "Whether to lock `_tracker` again.", on_instance=True),
    PrivateMember(_TRACKER, "lock", "calls", ("self", "msg"), "See `_tracker`."),
    PrivateMember(_TRACKER, "unlock", "calls", ("self",), "See `_tracker`."),
    PrivateMember(_TRACKER, "config", "reads", None,
                  "The tracked objects of a deep-copied layer (`Layer.__deepcopy__`).",
                  on_instance=True),
    PrivateMember(_TRACKER, "stored_ids", "writes", None,
                  "A deep-copied layer's tracker knows its objects by the copies' ids.",
                  on_instance=True),
    PrivateMember(
        "keras.Variable", "_value", "reads", None,
        "The wrapped `tf.Variable`, whose TF1 name (`scope/kernel:0`) "
        "`TF1NamedVariable.name` gives.",
        on_instance=True,
    ),
    PrivateMember(
        "keras.Variable", "_name", "reads", None,
        "`TF1NamedVariable.name` before the variable exists.", on_instance=True,
    ),
    PrivateMember(
        "keras.src.backend.common.name_scope", "name_scope", "calls",
        ("name", "caller", "deduplicate", "override_parent"),
        "Keras's backend-independent name scope: sets a wrapped variable's Keras "
        "path to its TF1 scope without opening a TensorFlow name scope, and keeps "
        "Keras's `add_weight` from naming a Keras-style weight under the layer's "
        "TensorFlow name scope.",
    ),
    PrivateMember(
        "keras.src.backend.common.global_state", "get_global_attribute", "calls",
        ("name", "default", "set_to_default"),
        "Reads Keras's `stateless_scope`, which forbids wrapping a `tf.Variable` "
        "while Keras traces a functional model (TF1 code creates variables then), "
        "and `current_call_ctx` and `autocast_scope`: a layer called eagerly on "
        "its own, outside mixed precision, skips Keras's `__call__`.",
    ),
    PrivateMember(
        "keras.src.backend.common.global_state", "set_global_attribute", "calls",
        ("name", "value"),
        "Leaves and restores the `stateless_scope`; swaps Keras's list of "
        "`uninitialized_variables` during a decorated first call; turns "
        "`tracking_on` off while `Layer.__deepcopy__` copies a layer's attributes.",
    ),
    PrivateMember(
        "keras.src.backend.common.name_scope", "current_path", "calls", (),
        "The Keras path a Keras layer's variable is made under in a decorated "
        "call, the start of the TF1 name tf_keras's decorator gave it.",
    ),
    PrivateMember(
        "keras.src.backend", "get_keras_mask", "calls", ("x",),
        "A tensor with a Keras mask takes Keras's `__call__`, which handles it.",
    ),
    PrivateMember(
        "keras.Variable", "_deferred_initialize", "calls", ("self",),
        "Makes a variable Keras deferred in its stateless scope at once, while "
        "the TF1 variable scope that names it is still open.",
    ),
    *(
        PrivateMember(
            _KERAS_RANDOM, name, "patches", parameters,
            "Keras 3's TensorFlow-backend random functions: "
            "`DeterministicRandomTestTool` reroutes them to TensorFlow's seeded "
            "stateful ops.",
        )
        for name, parameters in (
            ("uniform", ("shape", "minval", "maxval", "dtype", "seed")),
            ("normal", _RANDOM_PARAMETERS),
            ("truncated_normal", _RANDOM_PARAMETERS),
            ("dropout", ("inputs", "rate", "noise_shape", "seed")),
        )
    ),
    # -------------------------------------------------------- TensorFlow
    PrivateMember(
        _VARIABLE_SCOPE, "_get_default_variable_store", "calls", (),
        "The store `get_variable` uses now: a `track_tf1_style_variables` call's, "
        "or the graph's.",
    ),
    PrivateMember(
        _VARIABLE_SCOPE, "_VARSTORE_KEY", "reads", None,
        "The graph collection whose first item is the store `get_variable` uses; "
        "`_variable_store` puts a per-thread router there.",
    ),
    PrivateMember(
        _VARIABLE_SCOPE, "get_variable_scope_store", "calls", (),
        "Holds the per-thread counts that number unnamed variable scopes.",
    ),
    PrivateMember(
        f"{_VARIABLE_SCOPE}._VariableScopeStore", "variable_scopes_count", "writes", None,
        "Put back after each decorated call, so unnamed scopes get the same "
        "names on every call.",
        on_instance=True,
    ),
    PrivateMember(
        _VARIABLE_SCOPE, "_VariableStore", "calls", (),
        "TensorFlow's own store, which creates the variables of a "
        "`track_tf1_style_variables` object.",
    ),
    PrivateMember(
        _VARIABLE_STORE, "get_variable", "implements",
        ("self", "name", "shape", "dtype", "initializer", "regularizer", "reuse",
         "trainable", "collections", "caching_device", "partitioner",
         "validate_shape", "use_resource", "custom_getter", "constraint",
         "synchronization", "aggregation"),
        "`VariableScope.get_variable` calls the current store's with these "
        "keywords; `_variable_store.TrackingStore` is such a store.",
    ),
    PrivateMember(_VARIABLE_STORE, "_store_eager_variables", "writes", None,
                  "Makes TensorFlow's store keep eager variables (as "
                  "`EagerVariableStore` did)."),
    PrivateMember(_VARIABLE_STORE, "_vars", "writes", None,
                  "A failing layer call removes the variables it created."),
    PrivateMember(_VARIABLE_STORE, "_partitioned_vars", "writes", None,
                  "Likewise for partitioned variables."),
    PrivateMember(
        "tensorflow.python.ops.variables", "PartitionedVariable", "reads", None,
        "What `get_variable` returns under a partitioner (TF1 exported it as "
        "`tf.PartitionedVariable`).",
    ),
    PrivateMember(
        "tensorflow.Variable", "_get_save_slice_info", "calls", ("self",),
        "Where a part of a partitioned variable sits in the whole, for "
        "`load_tf1_checkpoint` and `save_tf1_checkpoint`.",
    ),
    PrivateMember(
        "tensorflow.python.framework.random_seed", "get_seed", "patches", ("op_seed",),
        "Every seeded TensorFlow random op calls it; `DeterministicRandomTestTool` "
        "patches it, as tf_keras's tool did.",
    ),
    PrivateMember(
        "tensorflow.__internal__.tf2", "enabled", "calls", (),
        "False after `tf.compat.v1.disable_v2_behavior()`; TF1's Keras read it "
        "to pick its legacy error messages.",
    ),
    PrivateMember(
        "tensorflow.python", "layers", "patches", None,
        "The package TF1-era libraries such as tf_slim import the v1 layers "
        "from; `install()` puts compat_layers' into its modules.",
    ),
    PrivateMember(
        "tensorflow.python.util.module_wrapper.TFModuleWrapper", "_tfmw_wrapped_module",
        "reads", None,
        "The module a lazy `TFModuleWrapper` (the type of `tf.compat.v1`) wraps "
        "and writes every attribute through to; `uninstall()` restores both.",
        on_instance=True,
    ),
)


def resolve(path: str) -> Any:
    """The object at dotted `path`, importing modules on the way.

    Raises:
      AttributeError or ImportError: Nothing is at `path`.
    """
    parts = path.split(".")
    found = importlib.import_module(parts[0])
    for depth, part in enumerate(parts[1:], start=2):
        try:
            found = getattr(found, part)
        except AttributeError:
            # A submodule its package does not import (`tensorflow.python.layers`).
            found = importlib.import_module(".".join(parts[:depth]))
    return found


def _exists(member: PrivateMember) -> bool:
    try:
        owner = resolve(member.owner)
    except (AttributeError, ImportError):
        return False
    if hasattr(owner, member.name):
        return True
    # A submodule is looked up, not imported: importing TF1's layer modules
    # at import time would cost time and change nothing.
    return isinstance(owner, types.ModuleType) and importlib.util.find_spec(member.path) is not None


# The package TF1's `tensorflow/python/layers/{base,core,...}.py` live in.
TF1_LAYERS_PACKAGE = "tensorflow.python.layers"
# The attribute of a `TFModuleWrapper` that holds the module it wraps.
TF_MODULE_WRAPPER_TARGET = "_tfmw_wrapped_module"

keras_path_scope = getattr(_keras_name_scope_module, "name_scope", None)
# The Keras path new variables get here ("outer_layer/inner_layer").
keras_current_path = getattr(_keras_name_scope_module, "current_path", None)


def keras_call_context() -> Any:
    """The call context of the outermost Keras layer call running, or None."""
    return _keras_global_state.get_global_attribute("current_call_ctx")


def keras_autocast_scope() -> Any:
    """Keras's mixed-precision autocast scope, or None."""
    return _keras_global_state.get_global_attribute("autocast_scope")


# The Keras mask attached to a tensor (by e.g. `Embedding(mask_zero=True)`).
keras_mask = _keras_backend.get_keras_mask
# What `get_variable` returns under a partitioner.
PartitionedVariable = getattr(_tf_variables, "PartitionedVariable", None)
# The module whose `get_seed` every seeded TensorFlow random op calls.
tf_random_seed_module = sys.modules[tf.compat.v1.get_seed.__module__]
# Keras 3's backend random functions (initializers, Dropout, keras.random).
keras_random_backend = _keras_backend.random


def tf2_behavior_enabled() -> bool:
    """False after `tf.compat.v1.disable_v2_behavior()`."""
    return tf.__internal__.tf2.enabled()


def check() -> None:
    """Raises ImportError when a private name compat_layers relies on moved."""
    if _tf_version.parse(keras.__version__)[:2] < MIN_KERAS:
        raise ImportError(
            f"compat_layers needs Keras >= {MIN_KERAS[0]}.{MIN_KERAS[1]} (found keras "
            f"{keras.__version__}). Upgrade with `pip install 'keras>="
            f"{MIN_KERAS[0]}.{MIN_KERAS[1]}'` (TensorFlow >= 2.16 brings Keras 3)."
        )
    # Instance-only members need an instance; `tf.compat.v1` is one at hand.
    missing = [
        member.path
        for member in PRIVATE_MEMBERS
        if not member.on_instance and not _exists(member)
    ]
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


@contextlib.contextmanager
def keras_tracking_off() -> Iterator[None]:
    """Keras's attribute tracking paused (what its `DotNotTrackScope` does):
    a deep copy rebuilds a layer's tracked lists and dicts, which would
    otherwise add every copied object to the copy's locked tracker again."""
    previous = _keras_global_state.get_global_attribute("tracking_on", True)
    _keras_global_state.set_global_attribute("tracking_on", False)
    try:
        yield
    finally:
        _keras_global_state.set_global_attribute("tracking_on", previous)


def retrack_copy(layer: Any) -> None:
    """A deep-copied layer's `_tracker` knows the objects it tracks by the
    originals' ids; make them the copies'."""
    tracker = layer.__dict__.get("_tracker")
    if tracker is not None:
        tracker.stored_ids = {
            name: {id(value) for value in store} for name, (_, store) in tracker.config.items()
        }


class _MadeAtOnce(list):
    """Keras's list of variables to make when its stateless scope ends; here
    each is made as it is registered."""

    def append(self, variable: keras.Variable) -> None:
        with _outside_stateless_scope():
            variable._deferred_initialize()


def keras_building_for_symbolic_inputs() -> bool:
    """Whether the Keras layer being built is called on symbolic inputs
    (`keras.Input`: a functional model is being made), not on tensors."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is keras.layers.Layer._maybe_build.__code__:
            return not frame.f_locals["call_spec"].eager
        frame = frame.f_back
    return False


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

    def __getattr__(self, name: str) -> Any:
        # Only for attributes not found otherwise: the rest of the
        # `tf.Variable` API (`get_shape`, `device`, `read_value`, `eval`,
        # `load`, `initializer`, ...) that TF1 code used on a layer's weights,
        # which in TF1 were `tf.Variable`s, eagerly too. The wrapped
        # variable answers, exactly as it did in TF1.
        value = self.__dict__.get("_value")
        if name in _TF_VARIABLE_ONLY_API and value is not None:
            return getattr(value, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


# `tf.Variable`'s public API that `keras.Variable` lacks.
_TF_VARIABLE_ONLY_API = frozenset(
    name for name in dir(tf.Variable) if not name.startswith("_") and not hasattr(TF1NamedVariable, name)
)


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
