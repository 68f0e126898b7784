"""Parity cases for the TF1 `Layer` base itself: subclasses written the TF1
way, `apply` / `scope=`, the private `_scope` / `_reuse` keywords, `dtype=`,
`add_loss`, `InputSpec` and `experimental.keras_style_scope`.

See `tests/parity/registry.py` for what a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, vs


def _tf1_dense_class(L):
    class TF1Dense(L.Layer):
        """A TF1-era custom layer: weights in build, positional add_weight."""

        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.input_spec = L.InputSpec(min_ndim=2)

        def build(self, input_shape):
            self.w = self.add_weight("w", [int(input_shape[-1]), self.units])
            self.b = self.add_variable("b", [self.units], initializer=tf.compat.v1.zeros_initializer())
            super().build(input_shape)

        def call(self, inputs):
            self.add_loss(0.01 * tf.reduce_sum(tf.square(self.w)))
            return tf.nn.relu(tf.tensordot(inputs, self.w, 1) + self.b)

    return TF1Dense


def _subclass(L, x):
    with vs("model"):
        layer = _tf1_dense_class(L)(6)
        y = layer(x)
        y = y + layer.apply(x * 2.0)
    return y, [layer]


def _subclass_unnamed_twice(L, x):
    cls = _tf1_dense_class(L)
    first, second = cls(4), cls(3)
    return second(first(x)), [first, second]


def _call_with_scope(L, x):
    layer = L.Conv2DTranspose(4, 3)
    return layer(x, scope="custom"), [layer]


def _private_scope_and_reuse(L, x):
    first = L.Conv2DTranspose(4, 3, _scope="shared")
    y = first(x)
    second = L.Conv2DTranspose(4, 3, _scope="shared", _reuse=True)
    return y + second(x), [first, second]


def _dtype_argument(L, x):
    layer = L.Conv2DTranspose(4, 3, dtype="float64")
    return layer(tf.cast(x, tf.float64)), [layer]


def _keras_style(L, x):
    # Keras-style variables bypass get_variable (and the harness's name-derived
    # values), so the initializers must be deterministic themselves.
    with L.experimental.keras_style_scope():
        layer = L.Conv2DTranspose(
            4, 3,
            kernel_initializer=tf.compat.v1.constant_initializer(0.1),
            bias_initializer=tf.compat.v1.constant_initializer(0.2),
        )
    with vs("outer"):
        return layer(x), [layer]


def _keras_style_scope_argument(L, x):
    with L.experimental.keras_style_scope():
        layer = L.Conv2DTranspose(4, 3)
    return layer(x, scope="not_allowed"), [layer]


def _keras_style_reuse_argument(L, x):
    with L.experimental.keras_style_scope():
        return L.conv2d_transpose(x, 4, 3, name="a", reuse=True), []


def _input_spec_dtype(L, x):
    class Strict(L.Layer):
        def __init__(self):
            super().__init__()
            self.input_spec = L.InputSpec(dtype="float64", ndim=2)

        def call(self, inputs):
            return inputs

    layer = Strict()
    return layer(x), [layer]


CASES: tuple[Case, ...] = (
    Case("tf1_layer_subclass", _subclass, input_shape=(2, 3)),
    Case("tf1_layer_subclass_unnamed", _subclass_unnamed_twice, input_shape=(2, 5)),
    Case("call_with_scope_argument", _call_with_scope),
    Case("private_scope_and_reuse_keywords", _private_scope_and_reuse),
    Case("dtype_argument", _dtype_argument),
    # Keras-style layers made inside a decorated call would get new Keras
    # variables on every call: the decorator refuses, naming the variable.
    Case("keras_style_scope", _keras_style, keep_initializers=True,
         tracked_error=r"creates the variable 'kernel' again on a later call\. Variables must be created once"),
    Case("error_keras_style_scope_argument", _keras_style_scope_argument),
    Case("error_keras_style_reuse_argument", _keras_style_reuse_argument),
    Case("error_input_spec_dtype", _input_spec_dtype, input_shape=(2, 3)),
)
