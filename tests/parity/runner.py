"""Runs one registry case against one implementation of `tf.compat.v1.layers`.

The same code runs in three places, so every implementation sees exactly the
same program, inputs and weights:

* in the test process, with `compat_layers`;
* in the live oracle subprocess, with tf_keras's legacy layers
  (`TF_USE_LEGACY_KERAS=1`, same TensorFlow);
* under TensorFlow 2.15.1, where `tf.compat.v1.layers` is native, to record the
  golden fixtures (`record_goldens.py`).

It therefore imports nothing but TensorFlow and NumPy, and uses only APIs that
TensorFlow 2.15 has. A result is a dict of plain Python values and NumPy arrays.

Weights: every variable the program creates through `tf.compat.v1.get_variable`
gets values derived from its full TF1 name (a custom getter on the outermost
variable scope replaces the initializer), so two implementations that agree on
names agree on weights, in graph mode, eagerly and inside `tf.function`, also
for functional calls whose layer objects the program never sees.
"""

from __future__ import annotations

import contextlib
import re
import textwrap
import warnings
import zlib
from typing import Any

import numpy as np
import tensorflow as tf

from tests.parity.case import rnn_cell

# Execution modes. "graph_v1" is "graph" in a process that called
# `tf.compat.v1.disable_eager_execution()`, "graph_tf1" in one that called
# `tf.compat.v1.disable_v2_behavior()`, as nearly every TF1 program run on
# TF2 does (reference variables, v1 shapes, v1 control flow); both run in
# worker subprocesses, since neither call can be undone.
MODES = ("graph", "eager", "function")
PROCESS_MODES = ("graph_v1", "graph_tf1")
ALL_MODES = MODES + PROCESS_MODES

# What TF1 code reads from a layer object: its variables as attributes and
# as lists (`sess.run(layer.kernel)`, `minimize(var_list=layer.trainable_weights)`).
VARIABLE_ATTRIBUTES = ("kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance",
                       "depthwise_kernel", "pointwise_kernel")
VARIABLE_LISTS = ("weights", "variables", "trainable_weights", "trainable_variables",
                  "non_trainable_weights", "non_trainable_variables")


def deterministic_array(key: str, shape: Any, dtype: Any) -> np.ndarray:
    """Values in [-1, 1) that depend only on `key` and `shape`."""
    rng = np.random.RandomState(zlib.crc32(key.encode("utf-8")))
    return rng.uniform(-1.0, 1.0, size=tuple(shape)).astype(np.dtype(dtype))


def _static_shape(tensor: Any) -> list | None:
    shape = tf.TensorShape(tensor.shape)
    return None if shape.rank is None else shape.as_list()


def static_input_shape(case: Any) -> Any:
    """The input's static shape in graphs and tf.function (None: unknown rank)."""
    return None if case.unknown_rank else (case.placeholder_shape or case.input_shape)


def case_input(case: Any) -> np.ndarray:
    return deterministic_array(f"{case.name}/input", case.input_shape, case.dtype)


class VariableRecorder:
    """Custom getter: records the variables get_variable returns, sets their values."""

    def __init__(self, override_initializers: bool):
        self.override_initializers = override_initializers
        self.variables: list[tf.Variable] = []
        self._seen: set[int] = set()

    def __call__(self, getter, name, *args, **kwargs):
        if self.override_initializers:
            kwargs["initializer"] = _name_initializer(name)
        variable = getter(name, *args, **kwargs)
        # A partitioned variable (a partitioner in scope, LSTMCell's shards)
        # is its parts: what the graph, the collections and Savers hold.
        for part in [variable] if isinstance(variable, tf.Variable) else list(variable):
            if id(part) not in self._seen:
                self._seen.add(id(part))
                self.variables.append(part)
        return variable


def _name_initializer(name: str):
    def initializer(shape, dtype=None, partition_info=None):
        dtype = tf.as_dtype(dtype or tf.float32)
        return tf.constant(deterministic_array(name, shape, dtype.as_numpy_dtype), dtype=dtype)

    return initializer


def variable_info(variable: tf.Variable) -> dict[str, Any]:
    return {
        "name": variable.name,
        "shape": [int(d) for d in variable.shape],
        "dtype": variable.dtype.base_dtype.name,
        "trainable": bool(variable.trainable),
    }


def _scope_name(layer: Any) -> str:
    try:
        return layer.scope_name
    except ValueError as error:  # a layer never called: TF1 raised
        return f"ValueError: {error}"


def _graph_property(layer: Any) -> dict[str, Any]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = repr(layer.graph)
        except Exception as error:  # eager: TF1 raised RuntimeError
            value = f"{type(error).__name__}: {error}"
    return {"value": value, "warnings": _warning_messages(caught)}


def _probe(read: Any) -> Any:
    try:
        return read()
    except Exception as error:  # what TF1 code would have hit
        return f"{type(error).__name__}"


def _variable_view(variable: Any, session: Any) -> dict[str, Any]:
    """What TF1 code sees of one layer variable in a graph: the graph's own
    `tf.Variable` (its place in `global_variables()`), usable as TF1 used it."""
    global_variables = tf.compat.v1.global_variables()
    return {
        "type": type(variable).__name__,
        "name": _probe(lambda: variable.name),
        "global_index": next((i for i, v in enumerate(global_variables) if v is variable), None),
        "dtype": _probe(lambda: variable.dtype.name),
        "op": _probe(lambda: variable.op.name),
        "shape": _probe(lambda: variable.get_shape().as_list()),
        "initializer": _probe(lambda: variable.initializer.name),
        "value_sum": _probe(lambda: float(np.sum(session.run(variable)))),
    }


def layer_view(layer_objects: list, session: Any) -> list[dict[str, Any]]:
    """`_variable_view` of each layer's variable attributes and lists."""
    view = []
    for layer in layer_objects:
        entry: dict[str, Any] = {}
        for attribute in VARIABLE_ATTRIBUTES:
            value = _probe(lambda: getattr(layer, attribute, None))
            if value is not None and not isinstance(value, str):
                entry[attribute] = _variable_view(value, session)
        for attribute in VARIABLE_LISTS:
            entry[attribute] = [_variable_view(v, session) for v in getattr(layer, attribute)]
        # TF1 kept what every call and `build` added.
        entry["num_losses"] = _probe(lambda: len(layer.losses))
        entry["num_updates"] = _probe(lambda: len(layer.updates))
        if hasattr(layer, "state_size") and hasattr(layer, "zero_state"):
            entry["cell"] = _cell_view(layer)
        view.append(entry)
    return view


def _cell_view(cell: Any) -> dict[str, Any]:
    """What TF1 code reads off an RNN cell: its sizes (`LSTMStateTuple`s
    included) and the names of the state `zero_state` builds."""
    def sizes(value: Any) -> str:
        return repr(tf.nest.map_structure(
            lambda size: tf.TensorShape(size).as_list() if isinstance(size, tf.TensorShape)
            else int(size), value))

    return {
        "state_size": _probe(lambda: sizes(cell.state_size)),
        "output_size": _probe(lambda: sizes(cell.output_size)),
        "zero_state": _probe(lambda: repr(tf.nest.map_structure(
            lambda tensor: (tensor.name, tensor.shape.as_list()), cell.zero_state(3, tf.float32)))),
    }


def _layer_info(layer: Any) -> dict[str, Any]:
    return {
        "name": layer.name,
        # TF1 named a layer's variables `scope/kernel:0`, also eagerly.
        "weight_names": [w.name for w in layer.weights],
        "scope_name": _scope_name(layer),
        "graph": _graph_property(layer),
        "dtype": layer.dtype,
        "trainable": bool(layer.trainable),
        "weight_shapes": [[int(d) for d in w.shape] for w in layer.weights],
        "num_trainable_weights": len(layer.trainable_weights),
        "num_non_trainable_weights": len(layer.non_trainable_weights),
    }


def weighted_sum(output: tf.Tensor) -> tf.Tensor:
    """A scalar whose gradient is a fixed, shape-derived cotangent of `output`."""
    cotangent = tf.random.stateless_uniform(
        tf.shape(output), seed=(1, 2), minval=-1.0, maxval=1.0
    )
    return tf.reduce_sum(output * tf.cast(cotangent, output.dtype))


# Keras 2 wraps errors raised in `call` (eagerly and while tracing) in the
# layer's name and call arguments; group 1 is the original message.
_KERAS2_CALL_ERROR = re.compile(
    r"Exception encountered when calling layer .*?\.\n[ \t]*\n"
    r"(.*?)\n[ \t]*\n[ \t]*Call arguments received",
    re.S,
)


_AUTOGRAPH_NAME = re.compile(r"\b(?:\w+\.<locals>\.)*tf__(?=\w)")


def error_info(error: BaseException) -> dict[str, str]:
    message = str(error)
    keras2_call_error = _KERAS2_CALL_ERROR.search(message)
    if keras2_call_error:
        # Inside tf.function the wrapped message is indented under "in user code:".
        message = textwrap.dedent(keras2_call_error.group(1))
    elif "\x1b[1m" in message:
        # Keras 3 wraps errors raised in `call` with the call's context and
        # prints the original message in bold.
        message = message.split("\x1b[1m", 1)[1].split("\x1b[0m", 1)[0]
    if "\n" in message and "in user code" in message:
        # tf.function prefixes errors raised while tracing with "in user code:"
        # (also inside Keras 2's wrapping, on some TensorFlow releases).
        message = message.strip().splitlines()[-1].strip()
        message = message.split(": ", 1)[1] if ": " in message else message
    # Autograph names the functions it converts after their closures on some
    # releases (`outer_factory.<locals>.inner_factory.<locals>.tf__f() missing`).
    message = _AUTOGRAPH_NAME.sub("", message)
    # Reference variables' "already exists" error ends with the traceback of
    # the first definition: each implementation's own source lines.
    message = message.split(" Originally defined at:", 1)[0]
    return {"type": type(error).__name__, "message": message}


@contextlib.contextmanager
def recording(recorder: VariableRecorder):
    with warnings.catch_warnings(record=True) as caught, tf.compat.v1.variable_scope(
        tf.compat.v1.get_variable_scope(),
        custom_getter=recorder,
        auxiliary_name_scope=False,
    ):
        warnings.simplefilter("always")
        yield caught


def _warning_messages(caught: list) -> list[str]:
    return sorted(
        {str(w.message) for w in caught if issubclass(w.category, UserWarning)}
    )


def run_case(layers: Any, case: Any, mode: str, checkpoint: dict | None = None) -> dict:
    """Runs `case.program(layers, x)` in `mode` and returns what TF1 code observes.

    `checkpoint` (graph modes only): `{"save": path}` writes a TF1 Saver
    checkpoint of the variables after the run; `{"restore": path}` keeps the
    variables' own initializers and restores them from `path` before running.
    """
    if mode in ("graph",) + PROCESS_MODES:
        if (mode in PROCESS_MODES) == tf.executing_eagerly():
            raise RuntimeError(f"mode {mode!r} needs eager execution "
                               f"{'disabled' if mode in PROCESS_MODES else 'enabled'}")
        if mode == "graph_tf1" and tf.compat.v1.resource_variables_enabled():
            raise RuntimeError("mode 'graph_tf1' runs only in a process after "
                               "tf.compat.v1.disable_v2_behavior()")
        return _run_graph(layers, case, checkpoint)
    # Eager state (layer-name counters, variable-scope counts) lives on the
    # global default graph: a fresh one gives every case TF1's fresh-program names.
    tf.compat.v1.reset_default_graph()
    if mode == "eager":
        return _run_eager(layers, case)
    if mode == "function":
        return _run_function(layers, case)
    raise ValueError(f"unknown mode {mode!r}")


def _run_graph(layers: Any, case: Any, checkpoint: dict | None) -> dict:
    restore = (checkpoint or {}).get("restore")
    recorder = VariableRecorder(override_initializers=not (case.keep_initializers or restore))
    x_value = case_input(case)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(case.dtype, static_input_shape(case))
        result: dict[str, Any] = {"error": None}
        with recording(recorder) as caught:
            try:
                output, layer_objects = case.program(layers, x)
            except Exception as error:  # the error itself is the observation
                result["error"] = error_info(error)
        result["warnings"] = _warning_messages(caught)
        result["variables"] = [variable_info(v) for v in recorder.variables]
        result["collections"] = {
            "global_variables": [v.name for v in tf.compat.v1.global_variables()],
            "trainable_variables": [v.name for v in tf.compat.v1.trainable_variables()],
            "regularization_losses": len(
                tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
            ),
            "update_ops": len(tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)),
        }
        if result["error"]:
            return result
        result["layers"] = [_layer_info(layer) for layer in layer_objects]
        result["output_static_shape"] = _static_shape(output)
        loss = weighted_sum(output)
        targets = [x] + recorder.variables
        gradients = tf.gradients(loss, targets)
        reg_losses = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES)
        fetch_grads = [g for g in gradients if g is not None]
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            if restore:
                tf.compat.v1.train.Saver().restore(session, restore)
            try:
                out, grad_values, reg_values = session.run(
                    [output, fetch_grads, reg_losses], {x: x_value}
                )
            except tf.errors.OpError as error:  # TF1 failed at run time
                result["error"] = {"type": type(error).__name__, "message": error.message.splitlines()[0]}
                return result
            result["layer_view"] = layer_view(layer_objects, session)
            if checkpoint and checkpoint.get("save"):
                tf.compat.v1.train.Saver().save(
                    session, checkpoint["save"], write_meta_graph=False, write_state=False
                )
        grad_iter = iter(grad_values)
        result.update(outputs(out, targets, [None if g is None else next(grad_iter) for g in gradients]))
        result["regularization_losses"] = sorted(float(v) for v in reg_values)
    return result


def outputs(out: Any, targets: list, gradient_values: list) -> dict[str, Any]:
    names = ["input"] + [v.name for v in targets[1:]]
    return {
        "output": np.asarray(out),
        "output_dtype": np.asarray(out).dtype.name,
        "gradients": {
            name: None if g is None else np.asarray(_dense(g))
            for name, g in zip(names, gradient_values)
        },
    }


def _dense(gradient: Any) -> Any:
    if isinstance(gradient, tf.IndexedSlices):
        return tf.convert_to_tensor(gradient)
    return gradient


def _run_eager(layers: Any, case: Any) -> dict:
    recorder = VariableRecorder(override_initializers=not case.keep_initializers)
    x = tf.constant(case_input(case))
    result: dict[str, Any] = {"error": None}
    with recording(recorder) as caught:
        try:
            with tf.GradientTape() as tape:
                tape.watch(x)
                output, layer_objects = case.program(layers, x)
                loss = weighted_sum(output)
            gradients = tape.gradient(loss, [x] + recorder.variables)
            losses = [value for layer in layer_objects for value in layer.losses]
        except Exception as error:
            result["error"] = error_info(error)
    result["warnings"] = _warning_messages(caught)
    result["variables"] = [variable_info(v) for v in recorder.variables]
    if result["error"]:
        return result
    result["layers"] = [_layer_info(layer) for layer in layer_objects]
    result["output_static_shape"] = _static_shape(output)
    result.update(outputs(output.numpy(), [x] + recorder.variables, [None if g is None else g.numpy() for g in gradients]))
    result["regularization_losses"] = sorted(float(v) for v in losses)
    return result


class LayerProxy:
    """The layers module, with the construction of its layer classes routed
    through `_construct(layer_class, args, kwargs)` (subclasses keep objects)."""

    def __init__(self, layers: Any):
        self._layers = layers

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._layers, name)
        # Base classes are for subclassing, not layers to keep.
        if not isinstance(attribute, type) or name in ("Layer", "InputSpec"):
            return attribute
        return lambda *args, **kwargs: self._construct(attribute, args, kwargs)

    def _construct(self, layer_class: type, args: tuple, kwargs: dict) -> Any:
        raise NotImplementedError

    @property
    def rnn_cell(self) -> Any:
        """The RNN cells that go with the layers (`case.rnn_cell`), their
        construction routed through `_construct` too."""
        return _CellsProxy(self)


class _CellsProxy:
    """`LayerProxy.rnn_cell`: the cells module, the cells that own variables
    made by the layers proxy.

    Wrappers and `MultiRNNCell` own none (only the cells they wrap), and a
    variational `DropoutWrapper` draws its masks when made: they are made
    anew each time, as a TF2 program makes them inside its traced function.
    """

    _OWN_VARIABLES = ("BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell")

    def __init__(self, layers: LayerProxy):
        self._layers = layers
        self._cells = rnn_cell(layers._layers)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._cells, name)
        if name not in self._OWN_VARIABLES:
            return attribute
        return lambda *args, **kwargs: self._layers._construct(attribute, args, kwargs)


class _BuiltOnce(LayerProxy):
    """The layers module as a `tf.function` sees it when layers live in `__init__`.

    tf.function traces a program that creates variables twice; TF2 code keeps
    its layer objects across traces. Inside a trace, the n-th layer *object*
    constructed is the same object every trace. Functional calls
    (`conv2d_transpose(x, ...)`) are passed through untouched: in TF1 they make
    new variables on every trace and fail inside tf.function, and that failure
    is part of what is compared.
    """

    def __init__(self, layers: Any):
        super().__init__(layers)
        self._built: list = []
        self._next = 0

    def start_trace(self) -> None:
        self._next = 0

    def _construct(self, layer_class: type, args: tuple, kwargs: dict) -> Any:
        if self._next == len(self._built):
            self._built.append(layer_class(*args, **kwargs))
        self._next += 1
        return self._built[self._next - 1]


def _run_function(layers: Any, case: Any) -> dict:
    recorder = VariableRecorder(override_initializers=not case.keep_initializers)
    layers = _BuiltOnce(layers)
    x_value = case_input(case)
    signature = tf.TensorSpec(static_input_shape(case), case.dtype)
    seen_layers: list = []
    static_shape: list = []

    @tf.function(input_signature=[signature])
    def program(x):
        layers.start_trace()
        with tf.GradientTape() as tape:
            tape.watch(x)
            output, layer_objects = case.program(layers, x)
            loss = weighted_sum(output)
        gradients = tape.gradient(loss, [x] + recorder.variables)
        seen_layers[:] = layer_objects
        static_shape[:] = [_static_shape(output)]
        losses = [value for layer in layer_objects for value in layer.losses]
        return output, [g if g is not None else tf.zeros(()) for g in gradients], losses, [
            g is None for g in gradients
        ]

    result: dict[str, Any] = {"error": None}
    with recording(recorder) as caught:
        try:
            output, gradients, losses, missing = program(tf.constant(x_value))
        except Exception as error:
            result["error"] = error_info(error)
    result["warnings"] = _warning_messages(caught)
    result["variables"] = [variable_info(v) for v in recorder.variables]
    if result["error"]:
        return result
    result["layers"] = [_layer_info(layer) for layer in seen_layers]
    result["output_static_shape"] = static_shape[0]
    result.update(
        outputs(
            output.numpy(),
            [None] + recorder.variables,
            [None if m else g.numpy() for g, m in zip(gradients, missing)],
        )
    )
    result["regularization_losses"] = sorted(float(v) for v in losses)
    return result
