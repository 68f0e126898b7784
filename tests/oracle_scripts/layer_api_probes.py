"""Probes of the TF1 `Layer` API beyond what a registry case records.

    python tests/oracle_scripts/layer_api_probes.py {tf1|eager} {legacy|compat}

`tf1` runs after `tf.compat.v1.disable_v2_behavior()`, `eager` in TF2's
default mode. `legacy` is tf_keras's TF1 layers (the caller sets
`TF_USE_LEGACY_KERAS=1`), `compat` is compat_layers. Prints one JSON object:
probe name -> what TF1 code sees (a value, or the exception type and
message). tests/test_tf1_layer_api.py compares the two implementations.
"""

import copy
import json
import re
import sys

import numpy as np
import tensorflow as tf

MODE, IMPL = sys.argv[1], sys.argv[2]
if MODE == "tf1":
    tf.compat.v1.disable_v2_behavior()
v1 = tf.compat.v1
if IMPL == "legacy":
    L = v1.layers
else:
    import compat_layers as L

RESULTS = {}


def probe(function):
    try:
        value = function()
    except Exception as error:  # what TF1 code would have hit
        value = _error(error)
    RESULTS[function.__name__] = value
    return function


def _error(error):
    return {"error": type(error).__name__, "message": (str(error).splitlines() or [""])[0][:200]}


def _outcome(read):
    """`[type, str]` of what `read()` returns, or the error it raises."""
    try:
        value = read()
    except Exception as error:  # what TF1 code would have hit
        return _error(error)
    return [type(value).__name__, str(value)]


def shape(s):
    return None if s is None else str(tf.TensorShape(s))


@probe
def compute_output_shape_takes_and_gives_tensor_shapes():
    cases = [
        (L.Dense(3), [None, 4]),
        (L.Conv2D(3, 3), [None, None, 8, 2]),
        (L.Conv2DTranspose(3, 3, strides=2), [None, 5, None, 2]),
        (L.MaxPooling2D(2, 2), [None, 6, None, 2]),
        (L.AveragePooling1D(2, 2), [None, 7, 3]),
        (L.Flatten(), [None, 2, 3]),
        (L.BatchNormalization(), [None, 5]),
        (L.SeparableConv2D(2, 3), [None, 9, 9, 3]),
    ]
    return [
        [type(out).__name__, str(out)]
        for out in (layer.compute_output_shape(tf.TensorShape(s)) for layer, s in cases)
    ]


@probe
def bare_layer_returns_its_input():
    x = tf.ones([2, 3])
    layer = L.Layer(name="identity")
    return [layer(x) is x, layer.built]


@probe
def dtype_from_numpy_and_python_inputs():
    out = []
    for value in (np.ones((1, 2), "float64"), np.float16(1.0), 2.0, np.ones((2,), "int32")):
        layer = L.Flatten() if np.ndim(value) else L.Dropout(0.5)
        layer(value)
        out.append(layer.dtype)
    return out


@probe
def flatten_of_large_static_dims():
    if MODE != "tf1":
        return "graph only"
    x = v1.placeholder(tf.float32, [None, 65536, 65536, 9])
    return shape(L.flatten(x).shape)


@probe
def losses_and_updates_of_every_call():
    if MODE != "tf1":
        return "graph only"

    class WithLosses(L.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", [int(input_shape[-1]), 2],
                                     regularizer=lambda w: tf.reduce_sum(w))
            self.add_loss(tf.constant(1.0))

        def call(self, inputs):
            self.add_loss(tf.reduce_sum(inputs), inputs=True)
            return tf.matmul(inputs, self.w)

    a = v1.placeholder(tf.float32, [None, 3])
    b = v1.placeholder(tf.float32, [None, 3])
    layer = WithLosses(name="wl")
    layer(a)
    layer(b)
    bn = L.BatchNormalization(name="bn")
    bn(a, training=True)
    bn(b, training=True)
    dense = L.Dense(2, activity_regularizer=lambda y: tf.reduce_sum(y), name="fc")
    dense(a)
    dense(b)
    return {
        "losses": len(layer.losses),
        "unconditional": len(layer.get_losses_for(None)),
        "for_a": len(layer.get_losses_for(a)),
        "for_b": len(layer.get_losses_for(b)),
        "bn_updates": len(bn.updates),
        "bn_updates_for_a": len(bn.get_updates_for(a)),
        "bn_unconditional_updates": len(bn.get_updates_for(None)),
        "activity_losses": len(dense.losses),
        "activity_for_b": len(dense.get_losses_for(b)),
        "activity_loss_names": sorted(t.op.name for t in dense.losses),
    }


@probe
def op_name_scopes_follow_the_variable_scope():
    if MODE != "tf1":
        return "graph only"
    x = v1.placeholder(tf.float32, [None, 4])
    with v1.variable_scope("outer"):
        with tf.name_scope("ns"):
            y = L.dense(x, 2, activation=tf.nn.relu, name="fc")
        d = L.Dense(2)
        z, z2 = d(x), d(x)
    return [y.name, z.name, z2.name]


@probe
def dict_inputs_and_outputs():
    class DictLayer(L.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", [3, 2], initializer=v1.ones_initializer())

        def call(self, inputs):
            return {"out": tf.matmul(inputs["a"], self.w) + tf.matmul(inputs["b"], self.w)}

    layer = DictLayer(name="dl")
    out = layer({"a": tf.ones([1, 3]), "b": tf.ones([1, 3])})
    return [sorted(out), shape(out["out"].shape), [w.name for w in layer.weights]]


@probe
def training_flags_of_every_kind():
    if MODE != "tf1":
        return "graph only"
    x = tf.ones([4, 3])
    flags = {
        "shapeless_placeholder": v1.placeholder(tf.bool),
        "placeholder_with_default": v1.placeholder_with_default(False, []),
        "bool_variable": v1.Variable(True),
    }
    outputs = {}
    for name, flag in flags.items():
        outputs[name] = [
            L.batch_normalization(x, training=flag, name=f"bn_{name}"),
            L.dropout(x, rate=0.0, training=flag),
        ]
    feed = {flags["shapeless_placeholder"]: True}
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        values = session.run(outputs, feed)
    return {name: [float(np.sum(v)) for v in pair] for name, pair in values.items()}


@probe
def unknown_rank_inputs():
    if MODE != "tf1":
        return "graph only"
    x = v1.placeholder(tf.float32)
    out = {}
    for name, build in [("max_pooling2d", lambda: L.max_pooling2d(x, 2, 2)),
                        ("flatten", lambda: L.flatten(x)),
                        ("dense", lambda: L.dense(x, 2)),
                        ("batch_normalization", lambda: L.batch_normalization(x)),
                        ("conv2d", lambda: L.conv2d(x, 2, 3))]:
        try:
            out[name] = shape(build().shape)
        except Exception as error:
            out[name] = type(error).__name__
    return out


@probe
def variables_made_while_building_a_function():
    # A layer object built once, then called inside a function being built
    # (TF1's `Defun`-style code, and `tf.function` inside a TF1 graph).
    layer = L.Dense(2, kernel_initializer=v1.ones_initializer(), name="lifted")

    @tf.function
    def f(x):
        return layer(x)

    if MODE == "tf1":
        out = f(tf.ones([1, 3]))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            value = session.run(out)
        names = [v.name for v in v1.global_variables() if "lifted" in v.name]
    else:
        value = f(tf.ones([1, 3])).numpy()
        names = [w.name for w in layer.weights]
    return {"names": names, "value": np.asarray(value).tolist()}


@probe
def variable_names_eagerly():
    if MODE == "tf1":
        return "eager only"
    layer = L.Dense(2, name="fc")
    with v1.variable_scope("net"):
        layer(tf.ones([1, 3]))
    return [layer.kernel.name, layer.bias.name, [w.name for w in layer.trainable_weights]]


if IMPL == "legacy":
    track_tf1_style_variables = v1.keras.utils.track_tf1_style_variables
else:
    from compat_layers.utils import track_tf1_style_variables


class DecoratedModel(tf.keras.layers.Layer):
    """TF1 model code in a decorated Keras layer (the migration's middle stage)."""

    @track_tf1_style_variables
    def call(self, x):
        with v1.variable_scope("model"):
            h = L.dense(x, 3, activation=tf.nn.relu, kernel_initializer=v1.ones_initializer(),
                        kernel_regularizer=lambda w: 0.5 * tf.reduce_sum(w), name="hidden")
            h = L.batch_normalization(h, training=True, name="bn")
            return L.dense(h, 1, kernel_initializer=v1.constant_initializer(0.5), name="out")


@probe
def decorated_model_in_both_worlds():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    model = DecoratedModel(name="decorated")
    if MODE == "tf1":
        a = v1.placeholder(tf.float32, [None, 3])
        y1, y2 = model(a), model(a)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            outputs = session.run([y1, y2], {a: x})
        names = [v.name for v in v1.global_variables()]
        losses = len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES))
    else:
        outputs = [model(x), model(x)]
        names = [w.name for w in model.weights]
        losses = len(model.losses)
    return {"names": sorted(names), "outputs": [np.asarray(o).round(5).tolist() for o in outputs],
            "regularization_losses": losses}


class SubLayerSetInCall(tf.keras.layers.Layer):
    """TF1-style code that keeps a layer object on the first call."""

    @track_tf1_style_variables
    def call(self, x):
        if not hasattr(self, "head"):
            self.head = L.Dense(2, kernel_initializer=v1.ones_initializer(), name="head")
        return self.head(x)


@probe
def sub_layers_set_in_call():
    if MODE == "tf1":
        return "eager only"
    model = SubLayerSetInCall(name="owner")
    outputs = [model(np.ones((1, 3), "float32")).numpy().tolist() for _ in range(2)]
    # Sorted: tf_keras's owner listed its store's variables by name.
    return {"outputs": outputs, "trainable": sorted(w.name for w in model.trainable_weights)}


if IMPL == "legacy":
    get_or_create_layer = v1.keras.utils.get_or_create_layer
else:
    from compat_layers.utils import get_or_create_layer


def _run_twice(make_model, x):
    """Two calls of a decorated model, eagerly or in a fresh TF1 graph + Session."""
    if MODE == "tf1":
        with tf.Graph().as_default():
            model = make_model()
            a = v1.placeholder(tf.float32, x.shape)
            outputs = [model(a), model(a)]
            with v1.Session() as session:
                # An initializer computed from the input needs it fed, in TF1 too.
                session.run(v1.global_variables_initializer(), {a: x})
                values = session.run(outputs, {a: x})
            names = [v.name for v in v1.global_variables()]
    else:
        model = make_model()
        values = [model(x), model(x)]
        names = [w.name for w in model.weights]
    return {"names": sorted(names), "outputs": [np.asarray(v).round(5).tolist() for v in values]}


class TensorInitializers(tf.keras.layers.Layer):
    """`get_variable(initializer=<tensor>)`: constants, and values of the inputs."""

    @track_tf1_style_variables
    def call(self, x):
        w = v1.get_variable("w", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0]]))
        scale = v1.get_variable("scale", initializer=tf.reduce_mean(x, axis=0))
        return tf.matmul(x, w) * scale


@probe
def tensor_initializers_in_decorated_calls():
    return _run_twice(lambda: TensorInitializers(name="init_owner"), np.array([[1.0, 3.0]], "float32"))


class TemplateOwner(tf.keras.layers.Layer):
    """A `make_template` made once and called twice in every call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.net = v1.make_template(
            "template_net", lambda x: L.dense(x, 2, kernel_initializer=v1.ones_initializer(), name="d"))

    @track_tf1_style_variables
    def call(self, x):
        return self.net(x) + self.net(2.0 * x)


@probe
def make_template_in_decorated_calls():
    return _run_twice(lambda: TemplateOwner(name="template_owner"), np.ones((1, 3), "float32"))


class KerasLayersInCall(tf.keras.layers.Layer):
    """Native Keras layers: one owned from `__init__`, one made in a variable scope."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.early = tf.keras.layers.Dense(2, kernel_initializer="ones", name="early")

    @track_tf1_style_variables
    def call(self, x):
        with v1.variable_scope("block"):
            inner = get_or_create_layer(
                "inner", lambda: tf.keras.layers.Dense(3, kernel_initializer="ones", name="inner"))
            h = inner(self.early(x))
        return L.dense(h, 1, kernel_initializer=v1.ones_initializer(), name="out")


@probe
def native_keras_layers_in_decorated_calls():
    if MODE == "tf1":
        return "eager only"  # Keras 3 layers do not build in TF1 graphs
    return _run_twice(lambda: KerasLayersInCall(name="keras_owner"), np.ones((1, 3), "float32"))


class EagerOnlyBody(tf.keras.layers.Layer):
    """A body that reads values (`.numpy()`), initializes a variable, counts
    its runs and catches an error: all of it needs one eager run per call."""

    runs = []

    @track_tf1_style_variables
    def call(self, x):
        self.runs.append("eager" if tf.executing_eagerly() else "graph")
        w = v1.get_variable("w", [3, 2], initializer=v1.ones_initializer())
        initializer = v1.variables_initializer([w])
        try:
            tf.debugging.assert_equal(x, 0.0, message="not zero")
            caught = None
        except tf.errors.InvalidArgumentError as error:
            caught = type(error).__name__
        y = tf.matmul(x, w)
        if MODE == "tf1":
            return y, initializer, caught
        return y, y.numpy().tolist(), caught


@probe
def decorated_body_runs_once_per_call():
    model = EagerOnlyBody(name="eager_body")
    EagerOnlyBody.runs = []
    x = np.ones((1, 3), "float32")
    if MODE == "tf1":
        with tf.Graph().as_default():
            first, second = model(tf.constant(x)), model(tf.constant(x))
            with v1.Session() as session:
                session.run(first[1])
                values = session.run([first[0], second[0]])
        outputs = [[np.asarray(v).tolist(), out[2]] for v, out in zip(values, (first, second))]
    else:
        outputs = [model(x)[1:] for _ in range(2)]
        outputs = [[values, caught] for values, caught in outputs]
    return {"runs": EagerOnlyBody.runs, "outputs": outputs}


class RegularizedInner(tf.keras.layers.Layer):
    @track_tf1_style_variables
    def call(self, x):
        return L.dense(x, 10, kernel_initializer=v1.ones_initializer(),
                       kernel_regularizer=tf.keras.regularizers.L2(1.0), name="dense")


class NestedRegularized(tf.keras.layers.Layer):
    """Decorated layers made on the first call of a decorated layer."""

    def __init__(self, depth, **kwargs):
        super().__init__(**kwargs)
        self.depth = depth

    @track_tf1_style_variables
    def call(self, x):
        for i in range(self.depth):
            if not hasattr(self, f"inner{i}"):
                setattr(self, f"inner{i}", RegularizedInner(name=f"inner{i}"))
            x = getattr(self, f"inner{i}")(x)
        return x


@probe
def losses_of_decorated_layers_made_in_a_call():
    if MODE == "tf1":
        return "eager only"
    totals = []
    for depth in (1, 2):
        model = NestedRegularized(depth, name=f"nest{depth}")
        model(np.ones((1, 3), "float32"))
        totals.append(float(tf.add_n(model.losses)))
    return totals


class PlainVariables(tf.Module):
    """`tf.Variable`s made in a decorated call, at the root and in a scope."""

    @track_tf1_style_variables
    def __call__(self, x):
        names = [tf.Variable(1.0, name="one_name").name]
        with v1.variable_scope("scope"):
            names.append(tf.Variable(2.0, name="two_name").name)
        return names


@probe
def plain_variables_in_decorated_calls():
    if MODE == "tf1":
        with tf.Graph().as_default():
            return PlainVariables()(1.0)
    return PlainVariables()(1.0)


class KeepsAPlainVariable(tf.keras.layers.Layer):
    """TF1-era Keras code: a `tf.Variable` kept on the first call."""

    @track_tf1_style_variables
    def call(self, x):
        if not hasattr(self, "scale"):
            self.scale = tf.Variable(2.0, name="scale")
        return x * self.scale


@probe
def plain_variable_kept_by_a_decorated_layer():
    if MODE == "tf1":
        return "eager only"
    model = KeepsAPlainVariable(name="keeper")
    outputs = [model(np.ones((1, 2), "float32")).numpy().tolist() for _ in range(2)]
    return {"outputs": outputs, "weights": [w.name for w in model.weights],
            "trainable": [w.name for w in model.trainable_weights]}


class FunctionalInCall(tf.keras.layers.Layer):
    """Functional models made in the call: kept as an attribute, and through
    `get_or_create_layer` in a variable scope."""

    @track_tf1_style_variables
    def call(self, x):
        if not hasattr(self, "kept"):
            inputs = tf.keras.Input(shape=(3,))
            self.kept = tf.keras.Model(inputs, tf.keras.layers.Dense(2, name="kept_dense")(inputs))

        def build():
            inputs = tf.keras.Input(shape=(2,))
            return tf.keras.Model(inputs, tf.keras.layers.Dense(1, name="made_dense")(inputs))

        with v1.variable_scope("test_scope"):
            return get_or_create_layer("made", build)(self.kept(x))


@probe
def functional_models_in_decorated_calls():
    if MODE == "tf1":
        return "eager only"  # Keras 3 layers do not build in TF1 graphs
    model = FunctionalInCall(name="wrapped")
    model(np.ones((1, 3), "float32"))
    return sorted(w.name for w in model.weights)


class ReuseFlags(tf.keras.layers.Layer):
    """The same variable asked for again with `reuse` None, False, and a layer
    name used twice; `reuse=True` for a missing variable last."""

    @track_tf1_style_variables
    def call(self, x):
        same = []
        for reuse in (None, False):
            with v1.variable_scope("s", reuse=reuse):
                same.append(v1.get_variable("w", [1]))
        a = L.dense(x, 2, name="twice")
        b = L.dense(x, 2, name="twice")
        with v1.variable_scope("missing", reuse=True):
            v1.get_variable("v", [1])
        return a + b + same[0] + same[1]


@probe
def reuse_flags_in_decorated_calls():
    model = ReuseFlags(name="flags")
    x = np.ones((1, 3), "float32")
    try:
        if MODE == "tf1":
            with tf.Graph().as_default():
                model(tf.constant(x))
                return {"names": sorted(v.name for v in v1.global_variables())}
        model(x)
        return {"names": sorted(w.name for w in model.weights)}
    except ValueError as error:  # Keras 3 adds lines around it: only TF1's sentence
        return {"error": re.search(r"Variable \S+ does not exist", str(error)).group(0)}


def _in_graph(graph, model, x, errors):
    try:
        with graph.as_default():
            model(x)
    except Exception as error:  # reported with the probe's result
        errors.append(f"{type(error).__name__}: {error}".splitlines()[0][:200])



@probe
def threads_building_in_one_tf1_graph():
    """Another thread's `get_variable` while a decorated call runs in the same graph."""
    if MODE != "tf1":
        return "tf1 only"
    import threading

    entered, release = threading.Event(), threading.Event()

    class Slow(tf.keras.layers.Layer):
        @track_tf1_style_variables
        def call(self, x):
            entered.set()
            release.wait(30)
            return L.dense(x, 2, name="slow")

    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [1, 3])
        model, other = Slow(name="slow_owner"), []

    def build_other():
        with graph.as_default(), v1.variable_scope("other"):
            other.append(v1.get_variable("v", [1]).name)

    errors = []
    first = threading.Thread(target=_in_graph, args=(graph, model, x, errors))
    first.start()
    entered.wait(30)
    second = threading.Thread(target=build_other)
    second.start()
    second.join(10)
    finished_while_the_call_ran = not second.is_alive()
    release.set()
    first.join(30)
    second.join(30)
    with graph.as_default():
        variables = sorted(v.name for v in v1.global_variables())
    return {"other_finished_first": finished_while_the_call_ran, "other": other, "variables": variables,
            "errors": errors}


@probe
def compute_output_shape_of_every_argument_kind():
    """TF1 took a TensorShape, tuple or list and returned a TensorShape (layers
    that keep the shape returned the argument itself); Dense checked the rank."""
    shapes = {"scalar": tf.TensorShape([]), "rank_1": tf.TensorShape([1]), "tuple": (2, 5, 5, 3),
              "list": [2, 5, 5, 3], "rank_2_tuple": (2, 3), "unknown_last": tf.TensorShape([2, None])}
    layers = {
        "Dense": (L.Dense(3), shapes),
        "Conv1D": (L.Conv1D(2, 3), ("tuple", "list", "rank_2_tuple")),
        "Conv2D": (L.Conv2D(2, 3), ("tuple", "list", "rank_2_tuple")),
        "Conv2DTranspose": (L.Conv2DTranspose(2, 3), ("tuple", "list")),
        "MaxPooling2D": (L.MaxPooling2D(2, 2), ("tuple", "list")),
        "Flatten": (L.Flatten(), ("rank_1", "tuple", "list", "rank_2_tuple", "unknown_last")),
        "BatchNormalization": (L.BatchNormalization(), shapes),
        "Dropout": (L.Dropout(0.5), shapes),
    }
    return {
        f"{name}/{kind}": _outcome(lambda: layer.compute_output_shape(shapes[kind]))
        for name, (layer, kinds) in layers.items()
        for kind in kinds
    }


@probe
def weight_has_the_tf_variable_api():
    """What TF1 code calls on `layer.kernel` (a `tf.Variable` in TF1, eagerly too)."""
    # Named: an unnamed eager layer's scope counts the decorated calls of
    # earlier probes differently (docs/differences.md).
    layer = L.Dense(2, kernel_initializer=v1.ones_initializer(), name="weight_api")
    layer(tf.ones([1, 3]))
    kernel = layer.kernel
    out = {name: _outcome(lambda: getattr(kernel, name))
           for name in ("initializer", "op", "constraint", "trainable", "shape", "name")}
    out["get_shape"] = _outcome(kernel.get_shape)
    out["graph"] = _outcome(lambda: kernel.graph is v1.get_default_graph())
    two = np.full([3, 2], 2.0, np.float32)
    if MODE == "tf1":
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            out["eval"] = _outcome(lambda: kernel.eval(session=session).tolist())
            out["load"] = _outcome(lambda: kernel.load(two, session=session))
            out["after_load"] = session.run(kernel).tolist()
            for name in ("read_value", "initialized_value", "value"):
                out[name] = _outcome(lambda: session.run(getattr(kernel, name)()).tolist())
        return out
    out["device"] = _outcome(lambda: kernel.device)
    out["eval"] = _outcome(lambda: kernel.eval().tolist())
    out["load"] = _outcome(lambda: kernel.load(two))
    out["after_load"] = np.asarray(kernel).tolist()
    out["read_value"] = _outcome(lambda: kernel.read_value().numpy().tolist())
    out["initialized_value"] = _outcome(lambda: kernel.initialized_value())
    out["to_proto"] = _outcome(kernel.to_proto)
    out["initial_value"] = _outcome(lambda: kernel.initial_value)
    return out


@probe
def deepcopy_of_layers():
    """TF1 deep-copied the object (Keras 3 serializes it)."""

    class Mine(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._secret = [1, 2]

        def call(self, x):
            return x

    layer = Mine(name="mine")
    mine = copy.deepcopy(layer)
    out = {"unbuilt_subclass": [type(mine).__name__, mine.name, mine._secret,
                                mine._secret is layer._secret, mine._scope is None]}
    dense = L.Dense(2, name="d")
    if MODE == "tf1":
        with tf.Graph().as_default():
            dense(v1.placeholder(tf.float32, [1, 3]))
    else:
        dense(tf.ones([1, 3]))

    def built_dense():
        copied = copy.deepcopy(dense)
        return [copied.name, copied.built, [w.name for w in copied.weights], copied.units,
                copied.kernel is dense.kernel, copied._scope is dense._scope,
                [float(np.sum(w.numpy())) == float(np.sum(v.numpy()))
                 for w, v in zip(copied.weights, dense.weights)]]

    out["built_dense"] = _outcome(built_dense)
    return out


@probe
def weightless_subclass_on_an_input_of_unknown_rank():
    class Twice(L.Layer):
        def call(self, x):
            return 2 * x

    with tf.Graph().as_default():
        layer = Twice()
        y = layer(v1.placeholder(tf.float32))
        return [y.name, str(y.shape), layer.built]


@probe
def bare_layer_activity_regularizer():
    layer = L.Layer(activity_regularizer=tf.reduce_sum, name="bare")
    if MODE == "tf1":
        with tf.Graph().as_default():
            layer(tf.ones([2, 2]))
            with v1.Session() as session:
                return [[t.name for t in layer.losses], [float(v) for v in session.run(layer.losses)],
                        len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES))]
    layer(tf.ones([2, 2]))
    return [len(layer.losses), [float(v) for v in layer.losses]]


@probe
def dimension_arguments():
    """Under v1 shapes `x.get_shape()[-1]` is a `Dimension`; TF1 took it as an int."""
    with tf.Graph().as_default():
        x1 = v1.placeholder(tf.float32, [2, 8, 4])
        x2 = v1.placeholder(tf.float32, [2, 8, 8, 4])
        x3 = v1.placeholder(tf.float32, [2, 8, 8, 8, 4])
        D = v1.Dimension
        calls = {
            "dense_units": lambda: L.dense(x1, D(3)),
            "conv1d_filters": lambda: L.conv1d(x1, filters=x1.get_shape()[2], kernel_size=3),
            "conv1d_kernel_size": lambda: L.conv1d(x1, 2, kernel_size=D(3)),
            "conv2d_filters": lambda: L.conv2d(x2, filters=D(2), kernel_size=3),
            "conv2d_kernel_tuple": lambda: L.conv2d(x2, 2, kernel_size=(D(3), D(3))),
            "conv2d_dilation": lambda: L.conv2d(x2, 2, 3, dilation_rate=D(1)),
            "conv3d_filters": lambda: L.conv3d(x3, filters=D(2), kernel_size=3),
            "separable_conv2d_filters": lambda: L.separable_conv2d(x2, filters=D(2), kernel_size=3),
            "separable_conv2d_depth": lambda: L.separable_conv2d(x2, 2, 3, depth_multiplier=D(1)),
            "separable_conv1d_filters": lambda: L.separable_conv1d(x1, filters=D(2), kernel_size=3),
            "conv2d_transpose_filters": lambda: L.conv2d_transpose(x2, filters=D(2), kernel_size=3),
            "conv2d_transpose_strides": lambda: L.conv2d_transpose(x2, 2, 3, strides=D(2)),
            "conv3d_transpose_filters": lambda: L.conv3d_transpose(x3, filters=D(2), kernel_size=3),
            "max_pooling1d_pool": lambda: L.max_pooling1d(x1, pool_size=D(2), strides=2),
            "max_pooling2d_pool_tuple": lambda: L.max_pooling2d(x2, pool_size=(D(2), D(2)), strides=2),
            "average_pooling2d_strides": lambda: L.average_pooling2d(x2, 2, strides=D(2)),
            "batch_norm_axis": lambda: L.batch_normalization(x2, axis=D(3)),
            "dropout_seed": lambda: L.dropout(x2, seed=D(3)),
        }
        return {name: _outcome(lambda: call().shape.as_list()) for name, call in calls.items()}


@probe
def keras_style_weight_names():
    """Outside a call a Keras-style layer's weight took the open name scope
    alone; inside, the layer's name scope."""
    keras_style_scope = v1.layers.experimental.keras_style_scope if IMPL == "legacy" else (
        L.experimental.keras_style_scope)

    class WithWeight(L.Layer):
        def build(self, input_shape):
            self.k = self.add_weight("k", [2, 2], initializer=v1.zeros_initializer())

        def call(self, x):
            return x

    def names():
        with keras_style_scope():
            layer, built = L.Layer(name="my_layer"), WithWeight(name="with_weight")
        with tf.name_scope("bar"):
            variable = layer.add_weight("my_var", [2, 2], initializer=v1.zeros_initializer())
        with tf.name_scope("outer"):
            built(tf.ones([2, 2]))
        return [variable.name, built.k.name, [w.name for w in layer.weights]]

    if MODE == "tf1":
        with tf.Graph().as_default():
            return names()
    return names()


@probe
def bare_layer_activity_loss_on_an_input_of_unknown_rank():
    with tf.Graph().as_default():
        layer = L.Layer(activity_regularizer=tf.reduce_sum)
        x = v1.placeholder("int32")
        return [layer(x) is x, len(layer.losses), layer.built]


print(json.dumps(RESULTS, sort_keys=True))
