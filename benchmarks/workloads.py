"""The measured code of every contender. Imported only inside a worker or probe
subprocess, whose environment already selects Keras 3 or tf_keras."""

from __future__ import annotations

import collections
import concurrent.futures
import gc
import time
import tracemalloc
from typing import Any, Callable

import numpy as np
import tensorflow as tf

from benchmarks import config

v1 = tf.compat.v1


# ------------------------------------------------------------------ contenders
class Contender:
    """One way of writing a Conv2DTranspose: a layer object and a TF1 builder."""

    name = ""

    def make_layer(self, filters: int, kernel: int, strides: int) -> Any:
        """A callable `layer(x)`; variables exist after the first call."""
        raise NotImplementedError

    def variables(self, layer: Any) -> list:
        """The layer's (kernel, bias), as objects GradientTape can watch."""
        return list(layer.trainable_weights)

    def graph_layer(self, x, filters, kernel, strides, activation, name, kernel_initializer=None):
        """One layer in the current TF1 graph, as TF1-style code writes it."""
        raise NotImplementedError


    def family_layer(self, name: str, kwargs: dict) -> Any:
        """A layer object of `name` (`"Dense"`, ...), unbuilt."""
        raise NotImplementedError

    def net(self, net: str) -> Any:
        """A callable running `config.MODEL_NETS[net]` on its input."""
        raise NotImplementedError

    def rnn_cell(self, cell: str) -> Any:
        """A new `tf.compat.v1.nn.rnn_cell.<cell>` of `config.RNN["units"]`."""
        raise NotImplementedError

    def multi_rnn_cell(self, cells: list) -> Any:
        """`tf.compat.v1.nn.rnn_cell.MultiRNNCell(cells)`."""
        raise NotImplementedError

    def rnn(self, cell: str) -> Any:
        """A new `cell` run over a (batch, steps, depth) input: `model(x)`
        returns the outputs and the final state; `model.cell` is the cell,
        whose variables exist after the first call."""
        return DynamicRnn(self.rnn_cell(cell))

    def rnn_stack(self, x: tf.Tensor) -> Any:
        """`config.RNN_STACK` stacked LSTM cells run over `x`, as TF1 code
        writes it."""
        cells = [self.rnn_cell("LSTMCell") for _ in range(config.RNN_STACK)]
        return v1.nn.dynamic_rnn(self.multi_rnn_cell(cells), x, dtype=x.dtype)

    def rnn_assignments(self, cell: str, model: Any, values: dict) -> list:
        """(tf.Variable, value) for each variable of a built `rnn(cell)`;
        `values` are in TF1's layout, by TF1 variable name (`gates/kernel`)."""
        return _tf1_assignments(model.cell.weights, values)


def _tf1_assignments(weights: list, values: dict) -> list:
    """(tf.Variable, value) for each of a TF1 cell's `weights`, from `values`
    by TF1 variable name (`gates/kernel`)."""
    pairs = []
    for variable in map(_tf_variable, weights):
        name = variable.name.split(":")[0]
        (key,) = [k for k in values if name.endswith("/" + k)]
        pairs.append((variable, values[key]))
    return pairs


class DynamicRnn:
    """`tf.compat.v1.nn.dynamic_rnn(cell, x)`, as TF1 code runs a cell."""

    def __init__(self, cell: Any):
        self.cell = cell

    def __call__(self, x):
        return v1.nn.dynamic_rnn(self.cell, x, dtype=x.dtype)


def _tf_variable(variable: Any) -> tf.Variable:
    """The `tf.Variable` itself (a `keras.Variable` holds one as `value`)."""
    return variable if isinstance(variable, tf.Variable) else variable.value


def tf1_model(layers: Any, decorate: Callable, base: type, net: str) -> Any:
    """TF1 model code, unchanged, in a decorated Keras layer (the TF2 migration
    guide's middle stage): `layers` is a `tf.compat.v1.layers` module."""
    spec = config.MODEL_NETS[net]

    class Tf1Net(base):
        @decorate
        def call(self, x):
            with v1.variable_scope("net"):
                for i in range(spec["layers"]):
                    if net == "dense":
                        x = layers.dense(x, spec["units"], activation=tf.nn.relu, name=f"fc{i}")
                    else:
                        x = layers.conv2d(x, spec["units"], 3, padding="same",
                                          activation=tf.nn.relu, name=f"conv{i}")
                return x

    return Tf1Net()


class CompatLayers(Contender):
    name = "compat_layers"

    def __init__(self):
        import compat_layers

        self.module = compat_layers

    def family_layer(self, name, kwargs):
        return getattr(self.module, name)(**kwargs)

    def net(self, net):
        import keras

        return tf1_model(self.module, self.module.utils.track_tf1_style_variables,
                         keras.layers.Layer, net)

    def make_layer(self, filters, kernel, strides):
        return self.module.Conv2DTranspose(filters, kernel, strides=strides, padding="same")

    def rnn_cell(self, cell):
        from compat_layers import rnn_cell

        return getattr(rnn_cell, cell)(config.RNN["units"])

    def multi_rnn_cell(self, cells):
        from compat_layers import rnn_cell

        return rnn_cell.MultiRNNCell(cells)

    def graph_layer(self, x, filters, kernel, strides, activation, name, kernel_initializer=None):
        return self.module.conv2d_transpose(
            x, filters, kernel, strides=strides, padding="same", activation=activation,
            kernel_initializer=kernel_initializer, name=name,
        )


class Keras3(Contender):
    name = "keras3"

    def __init__(self):
        import keras

        assert keras.__version__.startswith("3."), keras.__version__
        self.keras = keras

    def make_layer(self, filters, kernel, strides):
        return self.keras.layers.Conv2DTranspose(
            filters, kernel, strides=strides, padding="same", data_format="channels_last"
        )

    def family_layer(self, name, kwargs):
        return getattr(self.keras.layers, name)(**kwargs)

    def net(self, net):
        """The same net written with native Keras 3 layers."""
        spec, layers = config.MODEL_NETS[net], self.keras.layers
        if net == "dense":
            stack = [layers.Dense(spec["units"], activation="relu") for _ in range(spec["layers"])]
        else:
            stack = [layers.Conv2D(spec["units"], 3, padding="same", activation="relu")
                     for _ in range(spec["layers"])]
        return self.keras.Sequential(stack)

    def _keras_cell(self, cell: str) -> Any:
        """The Keras 3 cell computing TF1's `cell` (with converted weights)."""
        units, layers = config.RNN["units"], self.keras.layers
        if cell == "BasicRNNCell":
            return layers.SimpleRNNCell(units)
        if cell == "GRUCell":  # TF1 resets the state before the candidate matmul
            return layers.GRUCell(units, reset_after=False)
        # TF1 adds forget_bias at run time; the converted bias holds it.
        return layers.LSTMCell(units, unit_forget_bias=False)

    def rnn(self, cell):
        return self.keras.layers.RNN(
            self._keras_cell(cell), return_sequences=True, return_state=True
        )

    def rnn_stack(self, x):
        cells = [self._keras_cell("LSTMCell") for _ in range(config.RNN_STACK)]
        return self.keras.layers.RNN(cells, return_sequences=True, return_state=True)(x)

    def rnn_assignments(self, cell, model, values):
        # The package's own conversion, run eagerly in a thread of its own:
        # a thread starts outside the TF1 graph a session row builds in.
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            converted = thread.submit(_keras_cell_weights, cell, values).result()
        return list(zip(map(_tf_variable, model.cell.weights), converted))

    def graph_layer(self, x, filters, kernel, strides, activation, name, kernel_initializer=None):
        layer = self.keras.layers.Conv2DTranspose(
            filters, kernel, strides=strides, padding="same", activation=activation,
            data_format="channels_last", name=name,
            kernel_initializer=kernel_initializer or "glorot_uniform",
        )
        return layer(x)


class TfKerasLegacy(Contender):
    name = "tf_keras"

    def __init__(self):
        self.layers = tf.compat.v1.layers  # lazily loads tf_keras's legacy layers
        module = self.layers.Conv2DTranspose.__module__
        assert module.startswith("tf_keras"), module

    def make_layer(self, filters, kernel, strides):
        return self.layers.Conv2DTranspose(filters, kernel, strides=strides, padding="same")

    def family_layer(self, name, kwargs):
        return getattr(self.layers, name)(**kwargs)

    def net(self, net):
        # tf.keras is tf_keras in this process (TF_USE_LEGACY_KERAS=1).
        return tf1_model(self.layers, v1.keras.utils.track_tf1_style_variables,
                         tf.keras.layers.Layer, net)

    def graph_layer(self, x, filters, kernel, strides, activation, name, kernel_initializer=None):
        return self.layers.conv2d_transpose(
            x, filters, kernel, strides=strides, padding="same", activation=activation,
            kernel_initializer=kernel_initializer, name=name,
        )

    def rnn_cell(self, cell):
        return getattr(v1.nn.rnn_cell, cell)(config.RNN["units"])

    def multi_rnn_cell(self, cells):
        return v1.nn.rnn_cell.MultiRNNCell(cells)


def raw_conv2d_transpose(x, kernel, bias, strides, activation=None):
    """The bare op sequence: static output shape where known, NHWC, no Python layer."""
    batch, height, width, _ = x.shape
    if batch is None:
        batch = tf.shape(x)[0]
    output_shape = [batch, height * strides, width * strides, kernel.shape[2]]
    y = v1.nn.conv2d_transpose(
        x, kernel, output_shape, (1, strides, strides, 1), padding="SAME"
    )
    y = tf.nn.bias_add(y, bias)
    return activation(y) if activation is not None else y


class RawLayer:
    """Two tf.Variables, created on the first call like a layer's."""

    def __init__(self, filters, kernel, strides):
        self.filters, self.kernel_size, self.strides = filters, kernel, strides
        self.weights: list = []

    def __call__(self, x):
        if not self.weights:
            shape = (self.kernel_size, self.kernel_size, self.filters, x.shape[-1])
            limit = (6.0 / (self.kernel_size**2 * (self.filters + x.shape[-1]))) ** 0.5
            self.weights = [
                tf.Variable(tf.random.uniform(shape, -limit, limit), name="kernel"),
                tf.Variable(tf.zeros((self.filters,)), name="bias"),
            ]
        kernel, bias = self.weights
        return raw_conv2d_transpose(x, kernel, bias, self.strides)


class RawOps(Contender):
    name = "raw_ops"

    def make_layer(self, filters, kernel, strides):
        return RawLayer(filters, kernel, strides)

    def variables(self, layer):
        return list(layer.weights)

    def graph_layer(self, x, filters, kernel, strides, activation, name, kernel_initializer=None):
        with v1.variable_scope(name):
            kernel_var = v1.get_variable(
                "kernel", (kernel, kernel, filters, x.shape[-1]), x.dtype,
                initializer=kernel_initializer or v1.glorot_uniform_initializer(),
            )
            bias_var = v1.get_variable(
                "bias", (filters,), x.dtype, initializer=v1.zeros_initializer()
            )
            return raw_conv2d_transpose(x, kernel_var, bias_var, strides, activation)

    def rnn_cell(self, cell):
        return RawCell(cell)

    def rnn_stack(self, x):
        # A hand-written cell is made for its input depth, before the loop.
        depths = (config.RNN["depth"], *[config.RNN["units"]] * (config.RNN_STACK - 1))
        cells = RawMultiCell([RawCell("LSTMCell", depth) for depth in depths])
        return v1.nn.dynamic_rnn(cells, x, dtype=x.dtype)


def rnn_shapes(cell: str, depth: int = config.RNN["depth"]) -> dict[str, tuple[int, ...]]:
    """TF1's variables of `cell` on inputs of `depth`: name -> shape."""
    units = config.RNN["units"]
    rows = depth + units
    if cell == "GRUCell":
        return {"gates/kernel": (rows, 2 * units), "gates/bias": (2 * units,),
                "candidate/kernel": (rows, units), "candidate/bias": (units,)}
    width = 4 * units if "LSTM" in cell else units
    return {"kernel": (rows, width), "bias": (width,)}


class RawCell:
    """A TF1 cell's step written by hand: `tf.matmul` and element-wise ops
    on its `tf.Variable`s, and only what `dynamic_rnn` asks of a cell
    (`state_size`, `output_size`, `zero_state`, a call). Both LSTM cells run
    `BasicLSTMCell`'s step (`LSTMCell` without peepholes or projection
    computes the same); activation tanh, forget bias 1."""

    def __init__(self, cell: str, depth: int = config.RNN["depth"]):
        self.lstm = "LSTM" in cell
        self.gru = cell == "GRUCell"
        self.units = self.output_size = config.RNN["units"]
        self.state_size = (self.units, self.units) if self.lstm else self.units
        with v1.variable_scope(None, default_name="raw_cell"):
            # TF1's initializers: Glorot uniform kernels, zero biases.
            self.weights = [
                v1.get_variable(
                    name, shape, tf.float32,
                    initializer=None if name.endswith("kernel") else v1.zeros_initializer(),
                )
                for name, shape in rnn_shapes(cell, depth).items()
            ]

    def zero_state(self, batch_size, dtype):
        zeros = tf.zeros((batch_size, self.units), dtype)
        return (zeros, zeros) if self.lstm else zeros

    def __call__(self, inputs, state):
        if self.gru:
            gate_kernel, gate_bias, kernel, bias = self.weights
            gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), gate_kernel), gate_bias)
            gates = tf.sigmoid(gates)
            r, u = tf.split(gates, 2, axis=1)
            candidate = tf.nn.bias_add(tf.matmul(tf.concat([inputs, r * state], 1), kernel), bias)
            new_h = u * state + (1 - u) * tf.tanh(candidate)
            return new_h, new_h
        kernel, bias = self.weights
        if not self.lstm:
            new_h = tf.tanh(tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), kernel), bias))
            return new_h, new_h
        c, h = state
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), kernel), bias)
        i, j, f, o = tf.split(gates, 4, axis=1)
        new_c = c * tf.sigmoid(f + 1.0) + tf.sigmoid(i) * tf.tanh(j)
        new_h = tf.tanh(new_c) * tf.sigmoid(o)
        return new_h, (new_c, new_h)


class RawMultiCell:
    """Cells chained by hand, for `dynamic_rnn`."""

    def __init__(self, cells: list[RawCell]):
        self.cells = cells
        self.state_size = tuple(cell.state_size for cell in cells)
        self.output_size = cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        return tuple(cell.zero_state(batch_size, dtype) for cell in self.cells)

    def __call__(self, inputs, state):
        new_state = []
        for cell, cell_state in zip(self.cells, state):
            inputs, cell_state = cell(inputs, cell_state)
            new_state.append(cell_state)
        return inputs, tuple(new_state)


def _keras_cell_weights(cell: str, values: dict) -> list[np.ndarray]:
    """TF1 weights of `cell` (TF1's layout) as its Keras 3 cell's, converted
    by `compat_layers.rnn_cell.to_keras_cell` from an eager TF1 cell."""
    from compat_layers import rnn_cell

    tf1_cell = getattr(rnn_cell, cell)(config.RNN["units"])
    tf1_cell(tf.zeros([1, config.RNN["depth"]]), tf1_cell.zero_state(1, tf.float32))
    for variable, value in _tf1_assignments(tf1_cell.weights, values):
        variable.assign(value)
    return rnn_cell.to_keras_cell(tf1_cell).get_weights()


CONTENDER_CLASSES = {
    c.name: c for c in (CompatLayers, Keras3, TfKerasLegacy, RawOps)
}


def make_contender(name: str) -> Contender:
    return CONTENDER_CLASSES[name]()


# -------------------------------------------------------------------- inputs
def _weights(shape: dict, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    channels = shape["input"][-1]
    kernel_shape = (shape["kernel"], shape["kernel"], shape["filters"], channels)
    limit = np.sqrt(6.0 / (shape["kernel"] ** 2 * (channels + shape["filters"])))
    kernel = rng.uniform(-limit, limit, kernel_shape).astype(np.float32)
    bias = rng.uniform(-0.1, 0.1, (shape["filters"],)).astype(np.float32)
    return kernel, bias


def _input(shape_in, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape_in).astype(np.float32)


def _rnn_weights(cell: str, seed: int = 4) -> dict[str, np.ndarray]:
    """Weights of `cell` in TF1's layout: Glorot-uniform kernels (TF1's
    default), small random biases."""
    rng = np.random.default_rng(seed)
    values = {}
    for name, shape in rnn_shapes(cell).items():
        limit = np.sqrt(6.0 / sum(shape)) if len(shape) == 2 else 0.1
        values[name] = rng.uniform(-limit, limit, shape).astype(np.float32)
    return values


def _rnn_input() -> np.ndarray:
    return _input((config.RNN["batch"], config.RNN["steps"], config.RNN["depth"]), seed=5)


# ------------------------------------------------------------------ workloads
class Workload:
    """Set up once per worker; `sample(inner)` returns seconds per operation."""

    def sample(self, inner: int) -> float:
        start = time.perf_counter()
        for _ in range(inner):
            self.step()
        return (time.perf_counter() - start) / inner

    def step(self) -> None:
        raise NotImplementedError


def layer_functions(layer: Any, variables: list) -> tuple[Callable, Callable]:
    """`layer(x)`, and a loss on it returned with its gradients.

    The loss needs the forward values: inside tf.function, grappler would
    otherwise prune the forward convolution (the gradient of a plain sum does
    not use it).
    """

    def forward(x):
        return layer(x)

    def forward_backward(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(x)))
        return [loss, *tape.gradient(loss, variables)]

    return forward, forward_backward


class PerCall(Workload):
    """`layer(x)` (and its gradient), eagerly or inside one tf.function."""

    def __init__(self, contender: Contender, mode: str, backward: bool, size: str):
        shape = config.SHAPES[size]
        layer = contender.make_layer(shape["filters"], shape["kernel"], shape["strides"])
        self.x = tf.constant(_input(shape["input"]))
        layer(self.x)  # build
        variables = contender.variables(layer)
        for variable, value in zip(variables, _weights(shape)):
            variable.assign(value)

        forward, forward_backward = layer_functions(layer, variables)
        fn = forward_backward if backward else forward
        self.fn = tf.function(fn) if mode == "function" else fn
        out = self.fn(self.x)
        if backward:
            assert all(g is not None for g in out), "missing gradient"

    def step(self):
        self.fn(self.x)


class FirstCall(Workload):
    """A new layer's first call on the small input: build + variable creation."""

    def __init__(self, contender: Contender):
        self.contender = contender
        self.shape = config.SHAPES["small"]
        self.x = tf.constant(_input(self.shape["input"]))

    def sample(self, inner):
        total = 0.0
        for _ in range(inner):
            layer = self.contender.make_layer(
                self.shape["filters"], self.shape["kernel"], self.shape["strides"]
            )
            start = time.perf_counter()
            layer(self.x)
            total += time.perf_counter() - start
        return total / inner


def build_graph(contender: Contender, layers: int = config.BUILD_LAYERS) -> tf.Graph:
    """A `layers`-deep TF1 graph of the contender's layers."""
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, config.BUILD_INPUT, name="z")
        with v1.variable_scope("decoder"):
            for i in range(layers):
                x = contender.graph_layer(
                    x, config.BUILD_FILTERS, 3, 1, tf.nn.relu, f"deconv{i}"
                )
    return graph


class GraphBuild(Workload):
    def __init__(self, contender: Contender):
        self.contender = contender
        build_graph(contender, 3)

    def sample(self, inner):
        total = 0.0
        for _ in range(inner):
            gc.collect()
            start = time.perf_counter()
            graph = build_graph(self.contender)
            total += time.perf_counter() - start
            del graph
        return total / inner


class SessionRun(Workload):
    """`sess.run` of a 12-layer decoder; the same weights for every contender."""

    def __init__(self, contender: Contender):
        self.graph = tf.Graph()
        rng = np.random.default_rng(2)
        with self.graph.as_default():
            self.z = v1.placeholder(tf.float32, (None, *config.DECODER_INPUT[1:]), name="z")
            x = self.z
            channels = config.DECODER_INPUT[-1]
            n = len(config.DECODER_FILTERS)
            with v1.variable_scope("generator"):
                for i, filters in enumerate(config.DECODER_FILTERS):
                    limit = np.sqrt(6.0 / (16 * (channels + filters)))
                    kernel = rng.uniform(-limit, limit, (4, 4, filters, channels))
                    x = contender.graph_layer(
                        x, filters, 4, 2 if i % 2 == 0 else 1,
                        tf.nn.tanh if i == n - 1 else tf.nn.relu, f"deconv{i + 1}",
                        kernel_initializer=v1.constant_initializer(kernel.astype(np.float32)),
                    )
                    channels = filters
            self.output = x
            init = v1.global_variables_initializer()
        self.session = v1.Session(graph=self.graph)
        self.session.run(init)
        self.feed = {self.z: _input(config.DECODER_INPUT, seed=3)}
        out = self.session.run(self.output, self.feed)
        assert out.shape == (1, 256, 256, 3), out.shape

    def step(self):
        self.session.run(self.output, self.feed)


class ModelCall(Workload):
    """One call of a whole net (`Contender.net`), eagerly or in a tf.function."""

    def __init__(self, contender: Contender, net: str, mode: str):
        self.x = tf.constant(_input(config.MODEL_NETS[net]["input"]))
        model = contender.net(net)
        model(self.x)  # builds: variables are made on the first call
        self.fn = tf.function(model) if mode == "function" else model
        self.fn(self.x)

    def step(self):
        self.fn(self.x)


class FamilyCall(Workload):
    """An eager call of a built layer object."""

    def __init__(self, contender: Contender, name: str):
        kwargs, shape = config.FAMILY_LAYERS[name]
        self.x = tf.constant(_input(shape))
        self.layer = contender.family_layer(name, kwargs)
        self.layer(self.x)

    def step(self):
        self.layer(self.x)


class RnnCall(Workload):
    """A cell over the sequence (`Contender.rnn`), eagerly or in one tf.function."""

    def __init__(self, contender: Contender, cell: str, mode: str):
        self.x = tf.constant(_rnn_input())
        model = contender.rnn(cell)
        model(self.x[:, :1])  # builds (one step is enough): variables are made on the first call
        for variable, value in contender.rnn_assignments(cell, model, _rnn_weights(cell)):
            variable.assign(value)
        self.fn = model
        if mode == "function":
            self.fn = tf.function(model)
            self.fn(self.x)  # traces

    def step(self):
        self.fn(self.x)


def rnn_last_outputs(contender: Contender) -> dict[str, list]:
    """Each cell's eager output at the last step, from `config.RNN`'s
    weights: tests/test_benchmarks.py checks that every contender computes
    the same function."""
    outputs = {}
    for cell in config.RNN_CELLS:
        workload = RnnCall(contender, cell, "eager")
        outputs[cell] = np.asarray(workload.fn(workload.x)[0])[:, -1].tolist()
    return outputs


def rnn_loop_ops(contender: Contender) -> dict[str, dict[str, int]]:
    """The ops of each cell's `dynamic_rnn` loop body, per step, in
    `tf.function` and in a TF1 graph (`"function/GRUCell"`: op type -> count;
    Identity, NoOp and Const aside): what a graph's run costs per step."""
    found = {}
    for cell in config.RNN_CELLS:
        call = RnnCall(contender, cell, "function")
        graphs = {
            "function": call.fn.get_concrete_function(call.x).graph,
            "session": RnnSession(contender, cell).session.graph,
        }
        for mode, graph in graphs.items():
            bodies = [f for f in graph.as_graph_def().library.function
                      if "while_body" in f.signature.name]
            found[f"{mode}/{cell}"] = dict(collections.Counter(
                node.op for body in bodies for node in body.node_def
                if node.op not in ("Identity", "NoOp", "Const")
            ))
    return found


class RnnSession(Workload):
    """`sess.run` of a cell over the sequence fed through a placeholder."""

    def __init__(self, contender: Contender, cell: str):
        graph = tf.Graph()
        with graph.as_default():
            x = v1.placeholder(tf.float32, (None, *_rnn_input().shape[1:]), name="x")
            model = contender.rnn(cell)
            self.output = model(x)
            assign = [variable.assign(value) for variable, value
                      in contender.rnn_assignments(cell, model, _rnn_weights(cell))]
            init = v1.global_variables_initializer()
        self.session = v1.Session(graph=graph)
        self.session.run(init)
        self.session.run(assign)
        self.feed = {x: _rnn_input()}
        self.session.run(self.output, self.feed)

    def step(self):
        self.session.run(self.output, self.feed)


class RnnStackBuild(Workload):
    """Building a TF1 graph of `Contender.rnn_stack`."""

    def __init__(self, contender: Contender):
        self.contender = contender
        self.sample(1)  # lazy imports, caches

    def sample(self, inner):
        total = 0.0
        for _ in range(inner):
            gc.collect()
            start = time.perf_counter()
            with tf.Graph().as_default():
                x = v1.placeholder(tf.float32, (None, *_rnn_input().shape[1:]), name="x")
                self.contender.rnn_stack(x)
            total += time.perf_counter() - start
        return total / inner


def make_workload(contender: Contender, metric: str) -> Workload:
    if metric == "rnn_build_multi":
        return RnnStackBuild(contender)
    if metric.startswith("rnn_"):
        _, mode, cell = metric.split("_")
        return RnnSession(contender, cell) if mode == "session" else RnnCall(contender, cell, mode)
    if metric.startswith("decorated_"):
        _, net, mode = metric.split("_")
        return ModelCall(contender, net, mode)
    if metric.startswith("family_"):
        return FamilyCall(contender, metric.split("_", 1)[1])
    if metric.startswith(("eager_", "function_")):
        mode, direction, size = metric.split("_")
        return PerCall(contender, mode, direction == "fwdbwd", size)
    if metric == "first_call":
        return FirstCall(contender)
    if metric == "graph_build_100":
        return GraphBuild(contender)
    if metric == "session_run_decoder":
        return SessionRun(contender)
    raise KeyError(metric)


# ------------------------------------------------------------------- memory
def _proc_status(field: str) -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0  # kB -> MiB
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")  # resets VmHWM (Linux >= 4.0)
        return True
    except OSError:
        return False


def graph_build_memory(contender: Contender) -> dict[str, float | None]:
    """Peak memory of one 100-layer graph build: RSS growth and Python heap."""
    build_graph(contender, 3)  # lazy imports, caches, first-use allocations
    gc.collect()
    peak_rss = None
    if _reset_peak_rss():
        before = _proc_status("VmRSS")
        graph = build_graph(contender)
        after = _proc_status("VmHWM")
        if before is not None and after is not None:
            peak_rss = after - before
        del graph
        gc.collect()
    tracemalloc.start()
    graph = build_graph(contender)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del graph
    return {"graph_build_peak_rss": peak_rss, "graph_build_peak_python": peak / 2**20}


def versions() -> dict[str, str]:
    """Versions as this process sees them (tf.keras is tf_keras under legacy)."""
    import importlib.metadata as metadata

    tf_keras_api = tf.keras  # Keras 3, or tf_keras under TF_USE_LEGACY_KERAS=1
    found = {
        "tensorflow": tf.__version__,
        "tf.keras": getattr(tf_keras_api, "__version__", None)
        or tf_keras_api.__name__.split(".")[0],
    }
    for distribution in ("keras", "tf_keras", "numpy"):
        try:
            found[distribution] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[distribution] = None
    return found
