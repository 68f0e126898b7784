"""Generated parity cases: a plain-dict configuration becomes a `Case`.

`tests/test_fuzz.py` draws configurations with Hypothesis and runs each one
under compat_layers in the test process and under the live TF1 oracle in a
worker subprocess (`oracle.Worker.submit_config`), so a configuration holds only
picklable plain values:

    {
        "layer": "Conv2D",                  # a class of tf.compat.v1.layers
        "functional": False,                # call its wrapper (`conv2d`) instead
        "kwargs": {"filters": 2, "kernel_size": [3, 1], "activation": "relu"},
        "call": {"training": True},         # keyword arguments of the call
        "scope": "tower",                   # variable scope around it (or None)
        "input_shape": [2, 5, 4, 3],
        "unknown_axes": [0, 2],             # None in the placeholder / signature
        "dtype": "float32",
        # Optional: constant initializers that replace the name-derived weights
        # (BatchNormalization's moving variance must be positive).
        "constant_initializers": {"moving_variance_initializer": 0.7},
    }

Like runner.py, this module imports only TensorFlow, so the worker can build
the same `Case` from the same configuration.
"""

from __future__ import annotations

import json
import re
from typing import Any

import tensorflow as tf

from tests.parity.case import Case

# Functions by name (functions are not picklable across processes): the
# values of `activation` and of the `*_regularizer` arguments.
ACTIVATIONS = {
    None: None,
    "relu": tf.nn.relu,
    "tanh": tf.nn.tanh,
    "sigmoid": tf.nn.sigmoid,
    "elu": tf.nn.elu,
}
REGULARIZERS = {
    None: None,
    "l2_loss": tf.nn.l2_loss,
    "l1": lambda w: 0.01 * tf.reduce_sum(tf.abs(w)),
}


def functional_name(layer: str) -> str:
    """The functional wrapper of a layer class: `Conv2DTranspose` -> `conv2d_transpose`."""
    # A word starts at a capital after a lower-case letter or after "1D"/"2D"/"3D".
    return re.sub(r"(?:(?<=[a-z])|(?<=\dD))(?=[A-Z])", "_", layer).lower()


def case_name(config: dict[str, Any]) -> str:
    """A stable name: it also seeds the case's input values (runner.case_input)."""
    return "fuzz" + json.dumps(config, sort_keys=True)


def case_from_config(config: dict[str, Any]) -> Case:
    """The `Case` that builds `config`'s layer and calls it once on the input."""
    kwargs = dict(config["kwargs"])
    if "activation" in kwargs:
        kwargs["activation"] = ACTIVATIONS[kwargs["activation"]]
    for key in kwargs:
        if key.endswith("_regularizer"):
            kwargs[key] = REGULARIZERS[kwargs[key]]
    constants = config.get("constant_initializers") or {}
    for key, value in constants.items():
        kwargs[key] = tf.compat.v1.constant_initializer(value)
    call = config.get("call") or {}
    layer_name = config["layer"]
    scope = config.get("scope")

    def build_and_call(L, x):
        if config.get("functional"):
            return getattr(L, functional_name(layer_name))(x, **kwargs, **call), []
        layer = getattr(L, layer_name)(**kwargs)
        return layer(x, **call), [layer]

    def program(L, x):
        if scope is None:
            return build_and_call(L, x)
        with tf.compat.v1.variable_scope(scope):
            return build_and_call(L, x)

    input_shape = tuple(config["input_shape"])
    unknown = set(config.get("unknown_axes") or ())
    return Case(
        name=case_name(config),
        program=program,
        input_shape=input_shape,
        dtype=config["dtype"],
        placeholder_shape=tuple(None if axis in unknown else size for axis, size in enumerate(input_shape)),
        keep_initializers=bool(constants),
    )
