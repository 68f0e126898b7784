"""Pooling layers of `tf.compat.v1.layers`, thin over Keras 3."""

from __future__ import annotations

__all__: list[str] = []
