"""The TensorFlow releases compat_layers supports, checked once at import time."""

from __future__ import annotations

import warnings

# Oldest and newest TensorFlow minor releases the test suite runs against.
OLDEST_SUPPORTED = (2, 16)
NEWEST_TESTED = (2, 21)


def parse(version: str) -> tuple[int, int]:
    """`'2.21.0rc1'` -> `(2, 21)`."""
    major, minor = version.split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def check(version: str) -> None:
    """Raises ImportError for a TensorFlow too old to need compat_layers.

    A newer, untested TensorFlow only warns: the layers are built on public
    Keras 3 APIs and are likely to keep working.
    """
    found = parse(version)
    if found < OLDEST_SUPPORTED:
        raise ImportError(
            f"compat_layers supports TensorFlow >= "
            f"{OLDEST_SUPPORTED[0]}.{OLDEST_SUPPORTED[1]} (found {version}). "
            "TensorFlow releases before 2.16 still ship tf.compat.v1.layers: "
            "use those, or upgrade with `pip install 'tensorflow>=2.16'`."
        )
    if found > NEWEST_TESTED:
        warnings.warn(
            f"compat_layers was tested up to TensorFlow "
            f"{NEWEST_TESTED[0]}.{NEWEST_TESTED[1]}; you run {version}. "
            "Please report anything that breaks.",
            RuntimeWarning,
            stacklevel=3,
        )
