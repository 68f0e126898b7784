"""The measured code of every contender. Imported only inside a worker or probe
subprocess, whose environment already selects Keras 3 or tf_keras."""

from __future__ import annotations

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


def make_workload(contender: Contender, metric: str) -> Workload:
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
