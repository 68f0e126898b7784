"""Every private Keras / TensorFlow name that compat_layers touches, in one place.

TF1 layer semantics need three things Keras 3 keeps private:

* `Layer._track_variable`: registers a variable that `add_weight` did not create
  itself (ours come from `tf.compat.v1.get_variable`), so Keras tracks, saves and
  trains it.
* `Layer._open_name_scope`: the hook Keras uses to open a layer's name scope. TF1
  layers put their ops under the name scope their variable scope opened on the
  first call (`conv2d_transpose/Relu`, then `conv2d_transpose/Relu_1`), not under
  a fresh `tf.name_scope(layer.name)`.
* `Layer._get_regularization_losses`: Keras 3 only regularizes trainable weights;
  TF1 also reported the losses of frozen (`trainable=False`) layers.
* The backend-independent Keras name scope, which keeps Keras's variable paths
  right without opening a TensorFlow name scope.

`check()` runs at import time and fails loudly (naming the versions) when a new
Keras or TensorFlow release moves any of them; `tests/test_private_api.py` runs it
in CI for every supported version.
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf
from keras.src.backend.common import name_scope as _keras_name_scope_module

# Keras 3 releases this module was checked against (inclusive lower bound).
MIN_KERAS = (3, 0)

LAYER_HOOKS = ("_track_variable", "_open_name_scope", "_get_regularization_losses")

keras_path_scope = getattr(_keras_name_scope_module, "name_scope", None)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check() -> None:
    """Raises ImportError when a private name compat_layers relies on moved."""
    found = _version_tuple(keras.__version__)
    if found < MIN_KERAS:
        raise ImportError(
            f"compat_layers needs Keras 3 (found keras {keras.__version__}). "
            "Install TensorFlow >= 2.16, which brings Keras 3."
        )
    missing = [hook for hook in LAYER_HOOKS if not hasattr(keras.layers.Layer, hook)]
    if keras_path_scope is None:
        missing.append("keras.src.backend.common.name_scope.name_scope")
    if missing:
        raise ImportError(
            "compat_layers relies on Keras internals that keras "
            f"{keras.__version__} no longer has: {', '.join(missing)}. "
            "Please report this at the compat_layers issue tracker together "
            "with your TensorFlow and Keras versions."
        )


def track_variable(layer: keras.layers.Layer, variable: keras.Variable) -> None:
    """Registers `variable` with `layer`'s Keras tracker (weights, saving)."""
    layer._track_variable(variable)


def keras_variable(variable: tf.Variable, autocast: bool = True) -> keras.Variable:
    """Wraps a `tf.Variable` in a `keras.Variable` whose `path` is its TF1 name.

    Keras 3 forbids "/" in a variable's name, so the TF1 scope goes into the
    Keras path (`gen/conv2d_transpose/kernel`) through an absolute Keras name
    scope; the wrapped `tf.Variable` keeps its TF1 name (`...:0`).
    """
    path = variable.name.rsplit(":", 1)[0]
    parent, _, leaf = path.rpartition("/")
    grandparent, _, last = parent.rpartition("/")
    scope = (
        keras_path_scope(last, override_parent=grandparent)
        if last
        else contextlib.nullcontext()
    )
    with scope:
        return keras.Variable(
            initializer=variable,
            dtype=variable.dtype.base_dtype.name,
            trainable=variable.trainable,
            autocast=autocast,
            name=leaf,
        )
