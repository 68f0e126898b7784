"""The TF1 -> TF2 migration toolkit on Keras 3.

`tf.compat.v1.keras.utils.{track_tf1_style_variables, get_or_create_layer,
DeterministicRandomTestTool}` are gone with Keras 3. These are their
replacements, plus `load_tf1_checkpoint` and `save_tf1_checkpoint`, for the
migration path the TF2 guide describes: keep the TF1 model code inside a
Keras 3 layer first, check the numbers, then port it layer by layer.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import uuid
from unittest import mock
from typing import Any, Callable, Iterator, Mapping

import keras
import tensorflow as tf

from compat_layers import _graph, _private, _variable_store

__all__ = [
    "CheckpointLoadReport",
    "DeterministicRandomTestTool",
    "get_or_create_layer",
    "load_tf1_checkpoint",
    "save_tf1_checkpoint",
    "track_tf1_style_variables",
]

_STORE_ATTRIBUTE = "_compat_layers_tf1_store"
# The DeterministicRandomTestTool scopes open, innermost last.
_active_tools: list["DeterministicRandomTestTool"] = []


def track_tf1_style_variables(method: Callable) -> Callable:
    """Decorates a method so TF1-style variables live as long as its object.

    Inside the decorated method of a `keras.layers.Layer`, `keras.Model` or
    `tf.Module`, `compat_layers` layers, `tf.compat.v1.get_variable` and
    `tf.compat.v1.variable_scope` create their variables on the first call and
    get the same variables back on every later call, eagerly and inside
    `tf.function` (also when it retraces). The variables keep their TF1 names
    (`tf.Variable.name`, and `path` of the Keras weights), appear in
    `weights` / `trainable_weights` / `non_trainable_weights` (or
    `tf.Module.variables`), and train with `model.fit`, save with
    `tf.train.Checkpoint` and `model.save("*.keras")`.

    Unlike tf_keras's shim, unnamed layers work: every call numbers unnamed
    layers and scopes from the same state, so they get the names TF1 graph mode
    gave them, on every call. Within one call TF1's reuse rules hold (asking
    twice for a variable without `reuse` raises); across calls everything is
    reused. A variable that would first appear on a later call raises a
    `ValueError` saying why, instead of silently becoming a new weight.

    Regularizers given to `get_variable` or to the layers, and the layers'
    activity regularizers, appear in the owning Keras layer's `losses`,
    recomputed on each call.

    TF1 idioms work inside the method: `get_variable(initializer=<tensor>)`,
    `tf.compat.v1.make_template`, sub-layers set on the first call, and
    native Keras layers, whose weights get the TF1 names tf_keras gave them
    (`<owner>/<variable scope>/<layer>/kernel:0`). Other threads building in
    the same graph keep the graph's own variable store.

    Args:
      method: A method of a `keras.layers.Layer`, `keras.Model` or `tf.Module`
        subclass (usually `call`).

    Returns:
      The decorated method.

    Raises:
      TypeError: When the decorated function is called on an object that is
        not a Keras layer/model or `tf.Module`.
      ValueError: TF1's reuse errors inside a call; a variable that is new
        after the first call; inside `tf.function`, a first call whose
        `get_variable` initializer is computed from the call's inputs.

    Example:

    ```python
    class Generator(keras.layers.Layer):
        @compat_layers.utils.track_tf1_style_variables
        def call(self, z):
            with tf.compat.v1.variable_scope("generator"):
                h = compat_layers.conv2d_transpose(z, 32, 5, strides=2,
                                                   padding="same")
                return compat_layers.conv2d_transpose(h, 3, 5, strides=2,
                                                      padding="same")

    generator = Generator()
    image = generator(tf.zeros((1, 4, 4, 64)))
    print([w.path for w in generator.weights])
    # ['generator/conv2d_transpose/kernel', 'generator/conv2d_transpose/bias',
    #  'generator/conv2d_transpose_1/kernel', 'generator/conv2d_transpose_1/bias']
    ```

    How to migrate to native TF2:

    This decorator is the middle stage. Replace the TF1 calls inside the
    method with Keras layers created once in `__init__` (a
    `compat_layers.conv2d_transpose(x, 32, 5, name="up")` call becomes
    `self.up = keras.layers.Conv2DTranspose(32, 5)` plus `self.up(x)`), load
    the trained values by name with `load_tf1_checkpoint` (or map them onto
    the new weights), check the outputs against the decorated version, and
    drop the decorator.
    """

    @functools.wraps(method)
    def tracked_method(self, *args, **kwargs):
        store = _store_of(self, method)
        traced = not store.first_call_done and tf.executing_eagerly()
        with _first_call_state(self, store), (
            _seeds_replayed_after_trace() if traced else contextlib.nullcontext()
        ) as trace_done:
            if traced:
                # Eager variable scopes forget `reuse`: create the variables in a
                # traced graph, where TF1's reuse rules (and errors) still apply.
                scope = tf.compat.v1.get_variable_scope()
                tf.function(
                    functools.partial(_creating_call, store, scope, method, self, args, kwargs),
                    autograph=False,
                ).get_concrete_function()
                trace_done()
                _private.forget_graph_scopes_of_templates(self)
            with store.call():
                outputs = method(self, *args, **kwargs)
                store = _variable_store.current()
                if isinstance(self, keras.layers.Layer):
                    for variable, regularizer in store.regularizers.values():
                        self.add_loss(regularizer(variable))
                    if store.call_losses:
                        self.add_loss(store.call_losses)
        if store.keras_layer_variables:
            _name_keras_layer_weights(self, store)
        return outputs

    return tracked_method


def _seeds_replayed_after_trace() -> Any:
    """The innermost DeterministicRandomTestTool's `replaying_trace_seeds`."""
    if not _active_tools:
        return contextlib.nullcontext(lambda: None)
    return _active_tools[-1].replaying_trace_seeds()


def _first_call_state(owner: Any, store: _variable_store.TrackingStore) -> Any:
    """A Keras owner takes new sub-layers on its first call (TF1-style code
    sets them there: `self.head = layers.Dense(...)`), as it takes variables."""
    if store.first_call_done or not isinstance(owner, keras.layers.Layer):
        return contextlib.nullcontext()
    return _private.unlocked_tracker(owner)


def _name_keras_layer_weights(owner: Any, store: _variable_store.TrackingStore) -> None:
    """The Keras weights of the variables Keras layers made in the first call
    report their TF1 names (`weight.name`), as tf_keras's decorator gave them."""
    made = {id(variable) for variable in store.keras_layer_variables}
    store.keras_layer_variables.clear()
    for layer in (owner, *store.layers.values()):
        for weight in layer.weights if isinstance(layer, keras.layers.Layer) else ():
            if id(_private.wrapped_variable(weight)) in made:
                _private.tf1_named(weight)


def _creating_call(store, scope, method, owner, args, kwargs) -> None:
    # An eager scope reports reuse=AUTO_REUSE whatever it was opened with; the
    # call site's scope is re-entered as a graph scope with TF1's default
    # (no reuse), keeping its name, initializer, regularizer and getters.
    graph_scope = _graph.copy_variable_scope(scope, False, scope.caching_device)
    with store.call(tracing_eager_call=True), tf.compat.v1.variable_scope(graph_scope, auxiliary_name_scope=False):
        method(owner, *args, **kwargs)


def _store_of(owner: Any, method: Callable) -> _variable_store.TrackingStore:
    store = owner.__dict__.get(_STORE_ATTRIBUTE)
    if store is not None:
        return store
    if not isinstance(owner, (keras.layers.Layer, tf.Module)):
        # TF1's type and wording ("does not extend Module, Layer, or Model").
        raise ValueError(
            "`@track_tf1_style_variables` must be applied to a method of a subclassed "
            "`tf.Module`, `keras.layers.Layer`, or `keras.Model` and which takes `self` "
            f"as the first argument. But, the first argument passed to the decorated "
            f"method {method.__qualname__} was {owner!r}, which does not extend Module, "
            "Layer, or Model."
        )
    tracker = _KerasOwner(owner) if isinstance(owner, keras.layers.Layer) else _ModuleOwner(owner)
    store = _variable_store.TrackingStore(f"{method.__qualname__} ({tracker.description})", tracker)
    # Plain attribute: neither Keras nor tf.Module should track the store itself.
    object.__setattr__(owner, _STORE_ATTRIBUTE, store)
    return store


class _Owner:
    """How the decorated object tracks what its TF1-style code creates."""

    def __init__(self, owner: Any):
        self.owner = owner
        self.description = f"{type(owner).__name__} {getattr(owner, 'name', None)!r}"


class _KerasOwner(_Owner):
    def track_variable(self, variable: tf.Variable) -> None:
        if not tf.compat.v1.executing_eagerly_outside_functions():
            # A TF1 graph (the same decorated class built beside the original
            # TF1 model, as tf_keras's decorator allowed): the variables are
            # the graph's, in its collections, for `Session` code; Keras 3
            # cannot wrap reference variables, and has no use for graph ones.
            graph_variables = self.owner.__dict__.setdefault("_tf1_graph_variables", [])
            graph_variables.extend(_private.variable_parts(variable))
            return
        for part in _private.variable_parts(variable):
            weight = _private.keras_variable(part)
            _private.track_variable(self.owner, weight)
            # An attribute too, named by the TF1 name: tf.train.Checkpoint
            # follows attributes (not Keras's tracker or lists of variables).
            _private.track_attribute(self.owner, f"tf1/{weight.path}", weight)

    def track_layer(self, key: str, layer: Any) -> None:
        nested = dict(getattr(self.owner, "_tf1_style_layers", {}))
        nested[key] = layer
        _private.track_attribute(self.owner, "_tf1_style_layers", nested)


class _ModuleOwner(_Owner):
    def track_variable(self, variable: tf.Variable) -> None:
        self.owner._tf1_style_variables = [
            *getattr(self.owner, "_tf1_style_variables", ()),
            *_private.variable_parts(variable),
        ]

    def track_layer(self, key: str, layer: Any) -> None:
        self.owner._tf1_style_layers = {**getattr(self.owner, "_tf1_style_layers", {}), key: layer}


def get_or_create_layer(name: str, create_layer_method: Callable[[], Any]) -> Any:
    """Creates a nested Keras layer/model once per decorated object.

    Inside a method decorated with `track_tf1_style_variables`, the first call
    runs `create_layer_method()` and keeps the result under
    `<current variable scope>/<name>`; later calls return the same object, so
    its weights are created once and tracked by the decorated object (its
    weights and losses show up in the owner's). In a TF1 graph (no decorator),
    it simply returns `create_layer_method()`, as TF1 did.

    Args:
      name: The nested layer's key, inside the current variable scope.
      create_layer_method: A function of no arguments returning the layer.

    Returns:
      The nested layer or model.

    Raises:
      ValueError: When called eagerly outside a decorated method.

    How to migrate to native TF2:
      Create the nested layer in `__init__` (`self.head = build_head()`) and
      call it; Keras tracks attributes itself.
    """
    store = _variable_store.current()
    if store is None:
        if not tf.compat.v1.executing_eagerly_outside_functions():
            return create_layer_method()
        raise ValueError(
            "get_or_create_layer was called eagerly outside a method decorated "
            "with @compat_layers.utils.track_tf1_style_variables; decorate the "
            "method that calls it (usually `call`)."
        )
    scope_name = tf.compat.v1.get_variable_scope().name
    key = f"{scope_name}/{name}" if scope_name else name
    return store.get_or_create_layer(key, create_layer_method)


@dataclasses.dataclass(frozen=True)
class CheckpointLoadReport:
    """What `load_tf1_checkpoint` did.

    Attributes:
      loaded: TF1 names of the variables that were restored.
      missing_in_checkpoint: Variables of the model the checkpoint lacks (they
        keep their values).
      unused_in_checkpoint: Checkpoint entries no variable asked for (e.g.
        `global_step` or optimizer slots).
    """

    loaded: tuple[str, ...]
    missing_in_checkpoint: tuple[str, ...]
    unused_in_checkpoint: tuple[str, ...]


def _tf1_name(variable: Any) -> str:
    if isinstance(variable, keras.Variable) and not isinstance(variable, _private.TF1NamedVariable):
        return variable.path
    return variable.name.rsplit(":", 1)[0]


def _variables_of(model_or_layer: keras.layers.Layer | tf.Module) -> list:
    if isinstance(model_or_layer, keras.layers.Layer):
        return model_or_layer.weights
    return list(model_or_layer.variables)


def load_tf1_checkpoint(
    model_or_layer: keras.layers.Layer | tf.Module,
    path: str,
    assignment_map: Mapping[str, str] | None = None,
) -> CheckpointLoadReport:
    """Restores a `tf.compat.v1.train.Saver` checkpoint by TF1 variable name.

    Variables made by compat_layers (directly or under
    `track_tf1_style_variables`) carry their TF1 names, so a checkpoint of the
    TF1 model loads into the migrated one as is. For renamed variables (e.g.
    after porting to native Keras layers), `assignment_map` maps checkpoint
    names to the model's names (`{"generator/deconv1/kernel": "up1/kernel"}`).
    Every shape is checked before anything is assigned: on a mismatch no
    variable changes.

    Args:
      model_or_layer: A Keras layer/model (its `weights` are matched by
        `path`) or a `tf.Module` (its `variables` by TF1 name).
      path: The checkpoint prefix, as given to `Saver.save`/`restore`.
      assignment_map: Optional `{checkpoint name: model name}` overrides;
        names not in it are matched as they are.

    Returns:
      A `CheckpointLoadReport`.

    Raises:
      ValueError: When a variable's shape differs from the checkpoint's (all
        mismatches are listed; nothing was assigned), or when
        `assignment_map` names a checkpoint entry or variable that does not
        exist.

    How to migrate to native TF2:
      Save the migrated model with `tf.train.Checkpoint` or `model.save`; from
      then on, load with those (object-based, not name-based).
    """
    by_name = {_tf1_name(v): v for v in _variables_of(model_or_layer)}
    reader = tf.train.load_checkpoint(path)
    checkpoint_shapes = reader.get_variable_to_shape_map()
    mapping = {name: name for name in checkpoint_shapes if name in by_name}
    for checkpoint_name, model_name in (assignment_map or {}).items():
        if checkpoint_name not in checkpoint_shapes:
            raise ValueError(f"assignment_map: {checkpoint_name!r} is not in the checkpoint {path}")
        if model_name not in by_name:
            raise ValueError(
                f"assignment_map: {model_name!r} is not a variable of "
                f"{getattr(model_or_layer, 'name', model_or_layer)!r}"
            )
        mapping[checkpoint_name] = model_name
    # A part of a partitioned variable (`.../kernel/part_0`) loads its slice
    # of the whole variable, which TF1's Saver wrote under the whole's name.
    slices = {
        name: info
        for name, variable in by_name.items()
        if name not in mapping.values()
        and (info := _private.save_slice_info(variable)) is not None
        and info.full_name in checkpoint_shapes
    }
    mismatches = [
        f"{model_name}: model {tuple(by_name[model_name].shape)} vs checkpoint "
        f"{tuple(checkpoint_shapes[checkpoint_name])} ({checkpoint_name})"
        for checkpoint_name, model_name in mapping.items()
        if tuple(by_name[model_name].shape) != tuple(checkpoint_shapes[checkpoint_name])
    ] + [
        f"{name}: partitioned variable {tuple(info.full_shape)} vs checkpoint "
        f"{tuple(checkpoint_shapes[info.full_name])} ({info.full_name})"
        for name, info in slices.items()
        if tuple(info.full_shape) != tuple(checkpoint_shapes[info.full_name])
    ]
    if mismatches:
        raise ValueError(
            f"Not loading {path}: shapes differ, no variable was changed.\n  "
            + "\n  ".join(mismatches)
        )
    values = {model: reader.get_tensor(ckpt) for ckpt, model in mapping.items()}
    for name, info in slices.items():
        part = tuple(slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape))
        values[name] = reader.get_tensor(info.full_name)[part]
    for model_name, value in values.items():
        by_name[model_name].assign(value)
    return CheckpointLoadReport(
        loaded=tuple(sorted(values)),
        missing_in_checkpoint=tuple(sorted(set(by_name) - set(values))),
        unused_in_checkpoint=tuple(
            sorted(set(checkpoint_shapes) - set(mapping) - {i.full_name for i in slices.values()})
        ),
    )


def save_tf1_checkpoint(model_or_layer: keras.layers.Layer | tf.Module, path: str) -> str:
    """Writes the variables as a `tf.compat.v1.train.Saver` checkpoint, by TF1 name.

    The way back from a migrated model to TF1 code (or to a TF1 serving or
    evaluation job): the checkpoint restores with `Saver` in a TF1 graph that
    builds the same layers. Parts of a partitioned variable are written as
    one variable under its whole name, as TF1's `Saver` wrote them.

    A plain `Saver(model.weights)` must not be used for this: given
    `keras.Variable`s, `Saver` saves them as trackable objects, all under the
    key `VARIABLE_VALUE` (a list) or `<name>VARIABLE_VALUE` (a dict), which
    no TF1 program can restore; it does not fail.

    Args:
      model_or_layer: A Keras layer/model or a `tf.Module`, as for
        `load_tf1_checkpoint`.
      path: The checkpoint prefix; missing parent directories are created.

    Returns:
      The prefix written, as `Saver.save` returns it.

    Raises:
      ValueError: Two different variables have the same TF1 name, or this
        runs inside a TF1 graph (use that graph's `Saver` and session).

    How to migrate to native TF2:
      Write `tf.train.Checkpoint` (or `model.save`) checkpoints and read them
      with the same; this is only for TF1 programs that still need names.
    """
    if not tf.executing_eagerly():
        raise ValueError(
            "save_tf1_checkpoint runs eagerly; in a TF1 graph, save with "
            "tf.compat.v1.train.Saver().save(session, path) as TF1 did."
        )
    names, slice_specs, values, whole = [], [], [], set()
    for weight in _variables_of(model_or_layer):
        variable = weight.value if isinstance(weight, keras.Variable) else weight
        info = _private.save_slice_info(variable)
        name = _tf1_name(weight) if info is None else info.full_name
        if info is None and name in whole:
            raise ValueError(f"Two variables are named {name!r}; a TF1 checkpoint keeps one "
                             "value per name.")
        whole.add(name)
        names.append(name)
        slice_specs.append("" if info is None else info.spec)
        values.append(tf.convert_to_tensor(variable))
    # What TF1's Saver ran (it refuses the parts of a partitioned variable
    # eagerly): write a temporary checkpoint, then merge it into `path` (the
    # data file is renamed, the index written last), so an interrupted save
    # leaves no index at `path` over partly written data.
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = f"{path}_temp_{uuid.uuid4().hex}"
    tf.raw_ops.SaveV2(prefix=temporary, tensor_names=names, shape_and_slices=slice_specs,
                      tensors=values)
    tf.raw_ops.MergeV2Checkpoints(checkpoint_prefixes=[temporary], destination_prefix=path,
                                  delete_old_dirs=False)
    tf.compat.v1.train.update_checkpoint_state(os.path.dirname(os.path.abspath(path)), path)
    return path


class DeterministicRandomTestTool:
    """Makes TF1 graph runs and migrated TF2 runs draw the same random numbers.

    The TF2 migration guide validates a port by running the TF1 model (graph +
    `Session`) and the migrated one (eager, Keras 3) under this tool and
    comparing their numbers. Inside `scope()`:

    * every seeded TensorFlow random op (`tf.random.*`, the v1 initializers,
      `tf.nn.dropout`, compat_layers' layers) takes its seeds from the tool:
      `(seed, operation_seed)`;
    * Keras 3's random functions (its initializers, `keras.layers.Dropout`,
      `keras.random.*`), which normally use stateless ops and their own seed
      generators, run the same stateful TensorFlow ops with those seeds.

    So `tf.compat.v1.glorot_uniform_initializer()` in a graph and Keras 3's
    `"glorot_uniform"` eagerly give the same kernel, and TF1 `dropout` and
    Keras 3 `Dropout` the same mask.

    Args:
      seed: The global seed.
      mode: `"constant"`: every random op uses `operation_seed` (set it between
        ops to vary them); `"num_random_ops"`: the n-th random op uses seed n,
        so TF1 and TF2 code must create their random ops in the same order.

    Raises:
      ValueError: For another `mode`; in `"num_random_ops"` mode, when an
        operation seed would be used twice (after setting `operation_seed`).

    Example:

    ```python
    tool = DeterministicRandomTestTool(mode="num_random_ops")
    with tool.scope():
        graph = tf.Graph()
        with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
            tf.random.set_seed(tool.seed)   # the graph's own seed
            x = compat_layers.dense(tf.ones((2, 3)), 4)
            sess.run(tf.compat.v1.global_variables_initializer())
            tf1_out = sess.run(x)
    tool = DeterministicRandomTestTool(mode="num_random_ops")
    with tool.scope():
        tf2_out = keras.layers.Dense(4)(tf.ones((2, 3)))
    np.testing.assert_allclose(tf1_out, tf2_out)
    ```

    How to migrate to native TF2:
      The tool is for validating a migration; once the TF2 model is the
      reference, seed it the TF2 way (`keras.utils.set_random_seed`).
    """

    def __init__(self, seed: int = 42, mode: str = "constant"):
        if mode not in {"constant", "num_random_ops"}:
            raise ValueError(f"Mode arg must be 'constant' or 'num_random_ops'. Got: {mode}")
        self.seed = seed
        self._mode = mode
        self.operation_seed = 0
        self._observed_seeds: set[int] = set()
        # See `replaying_trace_seeds`.
        self._trace_seeds: list[int] | None = None
        self._replayed_seeds: list[int] = []

    def _next_seed(self, op_seed: Any = None) -> tuple[int, int]:
        del op_seed  # the tool decides every op's seed
        if self._replayed_seeds:
            return self.seed, self._replayed_seeds.pop(0)
        seed = self.operation_seed
        if self._trace_seeds is not None and not tf.executing_eagerly():
            self._trace_seeds.append(seed)
        if self._mode == "constant":
            # Restarts TensorFlow's eager kernel cache, so the same seed pair
            # gives the same numbers again, as a new graph op would.
            tf.random.set_seed(seed)
        else:
            if seed in self._observed_seeds:
                raise ValueError(
                    "This `DeterministicRandomTestTool` object is trying to re-use the "
                    f"already-used operation seed {seed}. It cannot guarantee random "
                    "numbers will match between eager and sessions when an operation "
                    "seed is reused. You most likely set `operation_seed` explicitly "
                    "but used a value that caused the naturally-incrementing operation "
                    "seed sequences to overlap with an already-used seed."
                )
            self._observed_seeds.add(seed)
            self.operation_seed += 1
        return self.seed, seed

    @contextlib.contextmanager
    def replaying_trace_seeds(self) -> Iterator[Callable[[], None]]:
        """The first eager call of a decorated method, traced and then run.

        The trace makes the variables (their initializers take seeds, as in
        TF1's graph) and random ops that are thrown away; the eager run that
        follows makes those random ops again. It gets the seeds the trace's
        ops had, so every op has the one seed TF1 gave it. Yields the
        function to call when the trace is done. (In "constant" mode every op
        has the same seed anyway.)
        """
        if self._mode == "constant":
            yield lambda: None
            return

        def trace_done() -> None:
            self._replayed_seeds, self._trace_seeds = self._trace_seeds, None

        self._trace_seeds = []
        try:
            yield trace_done
        finally:
            self._trace_seeds, self._replayed_seeds = None, []

    @contextlib.contextmanager
    def scope(self) -> Iterator["DeterministicRandomTestTool"]:
        """Applies the tool's seeds to TensorFlow's and Keras 3's random ops."""
        _active_tools.append(self)
        try:
            with self._applied():
                yield self
        finally:
            _active_tools.remove(self)

    @contextlib.contextmanager
    def _applied(self) -> Iterator[None]:
        tf.random.set_seed(self.seed)
        keras_random = _private.keras_random_backend
        with contextlib.ExitStack() as stack:
            stack.enter_context(
                mock.patch.object(_private.tf_random_seed_module, "get_seed", self._next_seed)
            )
            for name, replacement in _KERAS_RANDOM_AS_TF.items():
                stack.enter_context(mock.patch.object(keras_random, name, replacement))
            yield


def _keras_dtype(dtype: Any) -> tf.DType:
    return tf.as_dtype(keras.backend.standardize_dtype(dtype or keras.config.floatx()))


# Keras 3's random functions, as the stateful TensorFlow ops TF1 code used
# (seeded through `get_seed`, which the tool patches). Keras's own `seed`
# argument is replaced by the tool's seeds.
_KERAS_RANDOM_AS_TF: dict[str, Callable[..., Any]] = {
    "uniform": lambda shape, minval=0.0, maxval=1.0, dtype=None, seed=None: tf.random.uniform(
        shape, minval=minval, maxval=maxval, dtype=_keras_dtype(dtype)
    ),
    "normal": lambda shape, mean=0.0, stddev=1.0, dtype=None, seed=None: tf.random.normal(
        shape, mean=mean, stddev=stddev, dtype=_keras_dtype(dtype)
    ),
    "truncated_normal": lambda shape, mean=0.0, stddev=1.0, dtype=None, seed=None: (
        tf.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=_keras_dtype(dtype))
    ),
    "dropout": lambda inputs, rate, noise_shape=None, seed=None: tf.nn.dropout(
        inputs, rate=rate, noise_shape=noise_shape
    ),
}
