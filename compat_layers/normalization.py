"""`BatchNormalization` of `tf.compat.v1.layers`, thin over Keras 3, with TF1 graph-mode updates."""

from __future__ import annotations

__all__: list[str] = []
