"""Core layers of `tf.compat.v1.layers` (`Dense`, `Dropout`, `Flatten`), thin over Keras 3."""

from __future__ import annotations

__all__: list[str] = []
