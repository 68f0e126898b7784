"""Version numbers: the TensorFlow releases compat_layers supports (checked once
at import time), and the one parser of TensorFlow and Keras version strings."""

from __future__ import annotations

import re
import warnings

# Oldest and newest TensorFlow minor releases the test suite runs against.
OLDEST_SUPPORTED = (2, 16)
NEWEST_TESTED = (2, 21)

_RELEASE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse(version: str) -> tuple[int, int, int]:
    """`(major, minor, patch)` of a TensorFlow or Keras version string.

    A pre-release or nightly counts as its release: `'2.21.0rc1'`,
    `'2.21.0-rc1'` and `'2.16.0.dev20240101'` give `(2, 21, 0)` and
    `(2, 16, 0)`; `'3.15.1'` gives `(3, 15, 1)`.

    Raises:
      ValueError: `version` does not start with `major.minor`.
    """
    release = _RELEASE.match(version)
    if release is None:
        raise ValueError(f"Not a version number: {version!r}")
    major, minor, patch = release.groups(default="0")
    return int(major), int(minor), int(patch)


def check(version: str) -> None:
    """Raises ImportError for a TensorFlow too old to need compat_layers.

    A newer, untested TensorFlow only warns: `_private.check()` then still
    refuses it if it moved a private member compat_layers relies on.
    """
    found = parse(version)[:2]
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
