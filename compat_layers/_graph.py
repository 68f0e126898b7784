"""TF1 graph helpers: conditions decided as TF1 decided them, and collections.

Shared by the v1 base (`base.py`) and the layer families; no layer logic.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable

import keras
import numpy as np
import tensorflow as tf

__all__ = [
    "CALL_COLLECTIONS", "add_to_collection", "eager_enterable",
    "in_tf1_graph", "smart_cond", "static_value",
]

# The graph collections a layer call adds to.
CALL_COLLECTIONS = (
    tf.compat.v1.GraphKeys.GLOBAL_VARIABLES,
    tf.compat.v1.GraphKeys.LOCAL_VARIABLES,
    tf.compat.v1.GraphKeys.TRAINABLE_VARIABLES,
    tf.compat.v1.GraphKeys.MODEL_VARIABLES,
    tf.compat.v1.GraphKeys.REGULARIZATION_LOSSES,
    tf.compat.v1.GraphKeys.UPDATE_OPS,
)


def in_tf1_graph() -> bool:
    """True while building a TF1 graph (collections exist), not a tf.function."""
    return not tf.compat.v1.executing_eagerly_outside_functions()


def eager_enterable(scope: tf.compat.v1.VariableScope) -> tf.compat.v1.VariableScope:
    """`scope`, without the caching device eager scopes refuse, when eager.

    `dynamic_rnn` gives its graph scopes one (`set_caching_device`), also in
    a `tf.function`; a layer whose scope was fixed there and that is called
    eagerly afterwards re-enters it where a caching device means nothing.
    """
    if scope.caching_device is None or not tf.executing_eagerly():
        return scope
    return tf.compat.v1.VariableScope(
        scope.reuse,
        name=scope.name,
        initializer=scope.initializer,
        regularizer=scope.regularizer,
        caching_device=None,
        partitioner=scope.partitioner,
        custom_getter=scope.custom_getter,
        name_scope=scope.original_name_scope,
        dtype=scope.dtype,
        use_resource=scope.use_resource,
        constraint=scope.constraint,
    )


def add_to_collection(key: str, elements: Iterable[Any]) -> None:
    """Adds `elements` to the graph collection `key`, each object once."""
    collection = tf.compat.v1.get_collection_ref(key)
    present = {id(element) for element in collection}
    collection.extend(e for e in elements if id(e) not in present)


def _is_python_condition(pred: Any) -> bool:
    """Whether TF1 took `pred` as a condition: a tensor, a bool, 1 or 0.

    Anything else (`training="yes"`, `training=0.5`) raised `TypeError` there.
    """
    if pred is None or tf.is_tensor(pred) or isinstance(
        pred, (tf.Variable, np.ndarray, keras.Variable, keras.KerasTensor)
    ):
        return True
    return isinstance(pred, (bool, np.bool_)) or (
        isinstance(pred, numbers.Number) and pred in (0, 1)
    )


def static_value(pred: Any) -> bool | None:
    """TF1's `constant_value`: `pred`'s truth value if known now, else `None`.

    A `tf.Variable` is never known: it may change between `session.run`s.

    Raises:
      TypeError: `pred` is not a tensor, a bool, 1 or 0 (TF1's message).
    """
    if not _is_python_condition(pred):
        raise TypeError(
            f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Received: {type(pred)}"
        )
    value = None if isinstance(pred, tf.Variable) else tf.get_static_value(pred)
    return None if value is None else bool(value)


def smart_cond(
    pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]
) -> Any:
    """TF1's `smart_cond`: a Python branch when `pred` is known, else `tf.cond`.

    So `training=True` builds no conditional, and a bool placeholder (or a
    `tf.Variable`) is decided on every `session.run`.

    Raises:
      TypeError: `pred` is not a tensor, a bool, 1 or 0 (TF1's message).
    """
    if not _is_python_condition(pred):
        raise TypeError(
            "Argument `pred` must be a Tensor, or a Python bool, or 1 or 0. "
            f"Received: pred={pred} of type {type(pred).__name__}"
        )
    value = static_value(pred)
    if value is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()
