"""Property-based parity: random valid configurations of every layer family.

Each example is a configuration (tests/parity/fuzz.py) drawn by Hypothesis:
constructor arguments (activations, regularizers, `trainable` and `name`
included), input shape and which of its axes the graph leaves unknown, dtype
(float32, float64, float16), an enclosing variable scope, whether the class or
its functional wrapper is called, and the execution mode (TF1 graph + Session,
eager, tf.function). It runs under compat_layers here and under the
live TF1 oracle (tf_keras's legacy layers in a worker subprocess), and
`compare.assert_same_behaviour` checks what the registry cases check: output
shape, dtype and values, gradients with respect to the input and every
variable, variable names, shapes and collections, warnings, and, where TF1
raised, the same error.

Settings profiles are in tests/conftest.py: the default ("ci") is derandomized;
each test runs its share (`_share`) of the profile's examples per test, over
500 in all; `pytest --hypothesis-profile=long` runs ten times more, randomized.

Not drawn: `channels_first` for the layers whose TF1 kernels were NCHW-only on
CPU (Conv1D/2D/3D, separable convolutions, Conv3DTranspose, 2D pooling): TF1
failed there and compat_layers deliberately runs them (README, "Known
differences"), so there is no TF1 behaviour to compare with. Configurations
where TF1 fails inside a TensorFlow op on CPU (unequal separable strides, 3D
pooling in float16/float64) are not drawn either; configurations TF1 rejects
itself (dilation with strides, an unknown channel axis, a fused batch norm it
cannot fuse) are, and must fail the same way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import compat_layers
from hypothesis import given, settings, strategies as st

from tests.parity import compare, fuzz, oracle, runner

MODES = st.sampled_from(runner.MODES)
DTYPES = st.sampled_from(("float32", "float64", "float16"))
ACTIVATIONS = st.sampled_from(("relu", "tanh", "sigmoid", "elu", None))
REGULARIZERS = st.sampled_from(tuple(fuzz.REGULARIZERS))
# TF1 lower-cased `padding`, so any spelling is valid.
PADDINGS = st.sampled_from(("valid", "same", "VALID", "Same"))
BATCH = st.integers(1, 2)
CHANNELS = st.integers(1, 3)


def check(config: dict[str, Any], mode: str) -> None:
    """Runs `config` in `mode` under compat_layers and under TF1, and compares."""
    case = fuzz.case_from_config(config)
    # The oracle computes its side in its own process meanwhile.
    future = oracle.get_worker("legacy").submit_config(config, mode)
    ours = runner.run_case(compat_layers, case, mode)
    theirs = future.result()
    if theirs["error"] and "layers" not in theirs:
        # The layer call raised (not the Session run that follows it). The
        # program makes that one call: what TF1 left in the graph after it,
        # compat_layers must not leave (see Case.tf1_leaves_variables).
        left = (theirs.get("collections") or {}).get("global_variables", [])
        case = dataclasses.replace(case, tf1_leaves_variables=tuple(left))
    compare.assert_same_behaviour(ours, theirs, case, "tf_keras legacy")


def _per_dim(draw, values: st.SearchStrategy, rank: int) -> list[int]:
    return [draw(values) for _ in range(rank)]


def _as_argument(draw, values: list[int]) -> Any:
    """An int where all dimensions agree (sometimes), else the list, as TF1 accepted both."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return values[0]
    return values


def _image(draw, data_format: str, spatial: list[int], channels: int) -> list[int]:
    batch = draw(BATCH)
    if data_format == "channels_first":
        return [batch, channels, *spatial]
    return [batch, *spatial, channels]


def _spatial(draw, padding: str, minimum: list[int]) -> list[int]:
    """Input sizes: at least the (dilated) window for "valid", anything for "same"."""
    if padding.lower() == "valid":
        return [m + draw(st.integers(0, 3)) for m in minimum]
    return [draw(st.integers(1, 5)) for _ in minimum]


def _regularized(draw, *arguments: str) -> dict[str, str | None]:
    return {argument: draw(REGULARIZERS) for argument in arguments}


def _common(
    draw, layer: str, kwargs: dict, input_shape: list[int], known_axis: int | None = None, **extra
) -> dict[str, Any]:
    """The configuration, with what every layer takes drawn here.

    Axes of the input other than `known_axis` (the channel axis, which TF1
    layers need to know) may be unknown to the graph; `known_axis` too, rarely,
    to compare TF1's error. `extra` adds keys or overrides drawn ones (e.g.
    `dtype`).
    """
    if "dtype" not in extra:
        extra["dtype"] = draw(DTYPES)
    rarely = draw(st.integers(0, 7)) == 0
    known = set() if known_axis is None or rarely else {known_axis % len(input_shape)}
    unknown = draw(st.sets(st.sampled_from([a for a in range(len(input_shape)) if a not in known])))
    if draw(st.booleans()):
        kwargs = dict(kwargs, name=draw(st.sampled_from(("layer", "fuzzed_1"))))
    return {
        "layer": layer,
        "functional": draw(st.booleans()),
        "kwargs": kwargs,
        "scope": draw(st.sampled_from((None, "tower", "net/block"))),
        "input_shape": input_shape,
        "unknown_axes": sorted(unknown),
        **extra,
    }


@st.composite
def convolutions(draw) -> dict[str, Any]:
    """Conv1D/2D/3D and SeparableConv1D/2D."""
    layer = draw(st.sampled_from(("Conv1D", "Conv2D", "Conv3D", "SeparableConv1D", "SeparableConv2D")))
    rank = int(layer[-2])
    kernel = _per_dim(draw, st.integers(1, 3), rank)
    # TensorFlow's depthwise convolution (SeparableConv2D) runs only equal
    # strides along rows and columns; TF1 failed in the op otherwise.
    equal = layer == "SeparableConv2D"
    strides = [draw(st.integers(1, 3))] * rank if equal else _per_dim(draw, st.integers(1, 3), rank)
    # TF1 rejects dilation > 1 together with strides > 1: drawn rarely, to
    # compare the error without spending many examples on it.
    dilated = max(strides) == 1 or draw(st.integers(0, 7)) == 0
    dilation = _per_dim(draw, st.integers(1, 2), rank) if dilated else [1] * rank
    padding = draw(PADDINGS)
    kwargs = {
        "filters": draw(st.integers(1, 3)),
        "kernel_size": _as_argument(draw, kernel),
        "strides": _as_argument(draw, strides),
        "dilation_rate": _as_argument(draw, dilation),
        "padding": padding,
        "activation": draw(ACTIVATIONS),
        "use_bias": draw(st.booleans()),
        "trainable": draw(st.booleans()),
    }
    if layer.startswith("Separable"):
        kwargs["depth_multiplier"] = draw(st.integers(1, 2))
        kwargs.update(_regularized(draw, "depthwise_regularizer", "pointwise_regularizer"))
    else:
        kwargs.update(_regularized(draw, "kernel_regularizer"))
    kwargs.update(_regularized(draw, "bias_regularizer", "activity_regularizer"))
    window = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    shape = _image(draw, "channels_last", _spatial(draw, padding, window), draw(CHANNELS))
    return _common(draw, layer, kwargs, shape, known_axis=-1)


@st.composite
def transposed_convolutions(draw) -> dict[str, Any]:
    """Conv2DTranspose (both data formats) and Conv3DTranspose (channels_last)."""
    layer = draw(st.sampled_from(("Conv2DTranspose", "Conv3DTranspose")))
    rank = 2 if layer == "Conv2DTranspose" else 3
    data_format = draw(st.sampled_from(("channels_last", "channels_first"))) if rank == 2 else "channels_last"
    kernel = _per_dim(draw, st.integers(1, 3), rank)
    padding = draw(PADDINGS)
    kwargs = {
        "filters": draw(st.integers(1, 3)),
        "kernel_size": _as_argument(draw, kernel),
        "strides": _as_argument(draw, _per_dim(draw, st.integers(1, 3), rank)),
        "padding": padding,
        "data_format": data_format,
        "activation": draw(ACTIVATIONS),
        "use_bias": draw(st.booleans()),
        "trainable": draw(st.booleans()),
        **_regularized(draw, "kernel_regularizer", "bias_regularizer", "activity_regularizer"),
    }
    spatial = _per_dim(draw, st.integers(1, 4 if rank == 2 else 3), rank)
    shape = _image(draw, data_format, spatial, draw(CHANNELS))
    return _common(draw, layer, kwargs, shape, known_axis=1 if data_format == "channels_first" else -1)


@st.composite
def poolings(draw) -> dict[str, Any]:
    """Max/AveragePooling1D/2D/3D; channels_first only where TF1 transposed (1D, 3D)."""
    kind = draw(st.sampled_from(("Max", "Average")))
    rank = draw(st.integers(1, 3))
    formats = ("channels_last",) if rank == 2 else ("channels_last", "channels_first")
    data_format = draw(st.sampled_from(formats))
    pool = _per_dim(draw, st.integers(1, 3), rank)
    padding = draw(PADDINGS)
    # TF1 rejects `strides=None` (Keras's default): drawn rarely, to compare the error.
    strides = None if draw(st.integers(0, 15)) == 0 else _per_dim(draw, st.integers(1, 3), rank)
    kwargs = {
        "pool_size": _as_argument(draw, pool),
        "strides": strides and _as_argument(draw, strides),
        "padding": padding,
        "data_format": data_format,
    }
    shape = _image(draw, data_format, _spatial(draw, padding, pool), draw(CHANNELS))
    # TensorFlow has no CPU kernels for 3D pooling in float16 or float64: TF1
    # and compat_layers fail alike, but the graph-mode runner cannot record
    # an op error raised while the session extends the graph.
    dtype = "float32" if rank == 3 else draw(DTYPES)
    return _common(draw, f"{kind}Pooling{rank}D", kwargs, shape, dtype=dtype)


@st.composite
def dense(draw) -> dict[str, Any]:
    """Dense on rank 2 to 4 inputs (rank > 2 contracts the last axis)."""
    shape = [draw(BATCH)] + _per_dim(draw, st.integers(1, 3), draw(st.integers(1, 3)))
    kwargs = {
        "units": draw(st.integers(1, 4)),
        "activation": draw(ACTIVATIONS),
        "use_bias": draw(st.booleans()),
        "trainable": draw(st.booleans()),
        **_regularized(draw, "kernel_regularizer", "bias_regularizer", "activity_regularizer"),
    }
    return _common(draw, "Dense", kwargs, shape, known_axis=-1)


@st.composite
def reshaping(draw) -> dict[str, Any]:
    """Flatten (both data formats) and Dropout at inference."""
    shape = [draw(BATCH)] + _per_dim(draw, st.integers(1, 3), draw(st.integers(1, 4)))
    if draw(st.booleans()):
        kwargs = {"data_format": draw(st.sampled_from(("channels_last", "channels_first")))}
        return _common(draw, "Flatten", kwargs, shape)
    kwargs = {"rate": draw(st.sampled_from((0.0, 0.25, 0.5, 0.9))), "seed": draw(st.none() | st.integers(0, 9))}
    # Inference: omitted `training` (TF1's default False) or explicit False.
    call = draw(st.sampled_from(({}, {"training": False})))
    return _common(draw, "Dropout", kwargs, shape, call=call)


@st.composite
def batch_normalizations(draw) -> dict[str, Any]:
    """BatchNormalization in training and inference, with positive moving variance."""
    rank = draw(st.integers(2, 5))
    shape = [draw(BATCH)] + _per_dim(draw, st.integers(1, 3), rank - 1)
    kwargs = {
        "axis": draw(st.sampled_from((-1, 1, rank - 2))),
        "momentum": draw(st.sampled_from((0.0, 0.9, 0.99))),
        "epsilon": draw(st.sampled_from((1e-3, 1e-2, 0.1))),
        "center": draw(st.booleans()),
        "scale": draw(st.booleans()),
        # True: TF1's fused kernel, which only 4D inputs normalized on axis 1
        # or 3 may ask for (else both raise).
        "fused": draw(st.sampled_from((None, False, True))),
        "renorm": draw(st.booleans()),
        # Virtual batches of 1 divide any batch (size 1 or 2).
        "virtual_batch_size": draw(st.sampled_from((None, 1))),
        # Frozen: with training=True, TF1 then did not normalize with the
        # batch statistics.
        "trainable": draw(st.booleans()),
        **_regularized(draw, "beta_regularizer", "gamma_regularizer"),
    }
    constants = {
        "gamma_initializer": draw(st.sampled_from((0.5, 1.0, 1.5))),
        "beta_initializer": draw(st.sampled_from((-0.25, 0.0, 0.5))),
        "moving_mean_initializer": draw(st.sampled_from((-0.5, 0.0, 0.3))),
        "moving_variance_initializer": draw(st.sampled_from((0.5, 1.0, 2.0))),
    }
    call = {"training": draw(st.booleans())}
    return _common(
        draw, "BatchNormalization", kwargs, shape, known_axis=kwargs["axis"], call=call,
        constant_initializers=constants,
    )


def _share(weight: float) -> settings:
    """`weight` times the profile's examples per test.

    The weights sum to the number of tests, so the profile's total holds; the
    cheaper families (pooling, reshaping) get more examples than the costlier.
    """
    return settings(max_examples=round(settings.default.max_examples * weight))


@_share(1.0)
@given(convolutions(), MODES)
def test_convolutions(config, mode):
    check(config, mode)


@_share(0.9)
@given(transposed_convolutions(), MODES)
def test_transposed_convolutions(config, mode):
    check(config, mode)


@_share(1.3)
@given(poolings(), MODES)
def test_poolings(config, mode):
    check(config, mode)


@_share(0.8)
@given(dense(), MODES)
def test_dense(config, mode):
    check(config, mode)


@_share(1.3)
@given(reshaping(), MODES)
def test_flatten_and_dropout(config, mode):
    check(config, mode)


@_share(0.7)
@given(batch_normalizations(), MODES)
def test_batch_normalization(config, mode):
    check(config, mode)
