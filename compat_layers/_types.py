"""Type aliases for the TF1 layer signatures, shared by every layer family."""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["Activation", "Constraint", "Initializer", "Regularizer"]

# TF1 took initializer objects, classes, Keras identifiers or callables alike.
Initializer = Any
Regularizer = Callable[[Any], Any] | None
Constraint = Callable[[Any], Any] | None
Activation = Callable[[Any], Any] | str | None
