"""`tf.compat.v1.layers.experimental`: switch layers to plain Keras behaviour."""

from compat_layers.base import keras_style_scope, set_keras_style

__all__ = ["keras_style_scope", "set_keras_style"]
