"""`install()`: unchanged TF1 code finds compat_layers where it looks for the v1 layers.

After `compat_layers.install()`, every way TF1 code reaches the v1 layers
gives compat_layers' implementations:

    import tensorflow.compat.v1 as tf
    tf.layers.conv2d_transpose(...)                     # and tf.compat.v1.layers.X
    from tensorflow.compat.v1 import layers
    from tensorflow.compat.v1.layers import conv2d
    tf.compat.v1.keras.utils.track_tf1_style_variables  # and the other migration tools
    tf.nn.rnn_cell.BasicLSTMCell(...)                   # and tf.compat.v1.nn.rnn_cell.X
    from tensorflow.python.layers import normalization  # TF1-era libraries (tf_slim)

Nothing else changes: `tf.keras`, `keras` and `keras.utils` stay Keras 3, so
Keras 3 code in the same process is untouched. `uninstall()` puts back exactly
what was there (attributes and `sys.modules` entries). Code that took a
reference while installed (`layers = tf.layers`, a library imported meanwhile)
keeps compat_layers' objects.

Under `TF_USE_LEGACY_KERAS=1` (with tf_keras installed) TensorFlow routes
`tf.compat.v1.layers` to tf_keras's legacy layers, the TF1 layers themselves;
`install()` then changes nothing and says so once.

`COMPAT_LAYERS_INSTALL=1` calls `install()` in every Python process that
imports TensorFlow, without code changes (see `_compat_layers_autoinstall`).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
import threading
import types
import warnings
from typing import Any, Callable

import tensorflow as tf

from compat_layers import _private

__all__ = ["KERAS_UTILS_NAMES", "install", "is_installed", "uninstall"]

# The `tf.compat.v1.keras.utils` migration tools Keras 3 dropped
# (`compat_layers.utils` has them); defined with the TF-free codemod's rules.
from compat_layers_cli.rules import KERAS_UTILS_NAMES  # noqa: E402

# Names in `compat_layers.__all__` that TF1's `tf.layers` did not have.
_NOT_TF1_LAYERS = frozenset({"__version__", "install", "rnn_cell", "uninstall"})
# Part of TF1's `tf.layers` when compat_layers has them (also outside `__all__`).
_TF1_LAYERS_EXTRAS = ("Layer", "InputSpec", "experimental")
# TF1's other names for the same layers (TF 1.15's tensorflow/python/layers/*.py).
_TF1_ALIASES = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "SeparableConvolution2D": "SeparableConv2D",
    "Convolution2DTranspose": "Conv2DTranspose",
    "Deconvolution2D": "Conv2DTranspose",
    "Deconv2D": "Conv2DTranspose",
    "Convolution3DTranspose": "Conv3DTranspose",
    "Deconvolution3D": "Conv3DTranspose",
    "Deconv3D": "Conv3DTranspose",
    "convolution1d": "conv1d",
    "convolution2d": "conv2d",
    "convolution3d": "conv3d",
    "separable_convolution2d": "separable_conv2d",
    "convolution2d_transpose": "conv2d_transpose",
    "deconvolution2d": "conv2d_transpose",
    "deconv2d": "conv2d_transpose",
    "convolution3d_transpose": "conv3d_transpose",
    "deconvolution3d": "conv3d_transpose",
    "deconv3d": "conv3d_transpose",
    "FullyConnected": "Dense",
    "fully_connected": "dense",
    "BatchNorm": "BatchNormalization",
    "batch_norm": "batch_normalization",
    "AvgPool2D": "AveragePooling2D",
    "MaxPool2D": "MaxPooling2D",
    "avg_pool2d": "average_pooling2d",
    "max_pool2d": "max_pooling2d",
}
# tensorflow.python.layers.<module>: the compat_layers module of the same layer
# family (TF1's modules were named like ours).
_TF1_FAMILY_MODULES = ("convolutional", "core", "normalization", "pooling")
_TF1_BASE_NAMES = ("Layer", "InputSpec")
_TF1_STYLE_NAMES = ("keras_style_scope", "set_keras_style")
# What `import tensorflow.compat.v1 as tf` (or `.v2`) imports.
_TF_COMPAT_MODULES = ("tensorflow.compat.v1", "tensorflow.compat.v2")

_MISSING = object()
_lock = threading.Lock()
_installation: _Changes | None = None
_legacy_keras_warned = False


class _Changes:
    """Attribute and `sys.modules` changes, each recorded so it can be undone."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def set_attribute(self, target: types.ModuleType, name: str, value: Any) -> None:
        saved = [(namespace, namespace.get(name, _MISSING))
                 for namespace in _private.module_namespaces(target)]
        setattr(target, name, value)
        self._undo.append(functools.partial(_restore_attribute, target, name, saved))

    def set_module(self, name: str, module: types.ModuleType) -> None:
        saved = sys.modules.get(name, _MISSING)
        sys.modules[name] = module
        self._undo.append(functools.partial(_restore_item, sys.modules, name, saved))

    def undo(self) -> None:
        while self._undo:
            self._undo.pop()()


def _restore_item(namespace: dict[str, Any], name: str, saved: Any) -> None:
    if saved is _MISSING:
        namespace.pop(name, None)
    else:
        namespace[name] = saved


def _restore_attribute(
    target: types.ModuleType, name: str, saved: list[tuple[dict[str, Any], Any]]
) -> None:
    # Through the module's own `setattr` / `delattr` first, which also refresh
    # TensorFlow's attribute cache; then every namespace exactly as it was.
    if saved[0][1] is _MISSING:
        if name in vars(target):
            delattr(target, name)
    else:
        setattr(target, name, saved[0][1])
    for namespace, value in saved:
        _restore_item(namespace, name, value)


class _Overlay(types.ModuleType):
    """A module that holds `names` and passes every other lookup to `base()`.

    `tf.compat.v1.keras` becomes one over the original, so that only the
    migration tools are added: Keras itself (`keras.utils`) is not touched.
    """

    def __init__(self, name: str, names: dict[str, Any], base: Callable[[], Any]) -> None:
        super().__init__(name)
        vars(self).update(names)
        vars(self)["_compat_layers_base"] = base

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compat_layers_base(), name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._compat_layers_base())))


def install() -> bool:
    """Makes unchanged TF1 code use compat_layers for `tf.compat.v1.layers`.

    Patches `tf.compat.v1.layers` (also as `tf.layers` after
    `import tensorflow.compat.v1 as tf`, and the importable
    `tensorflow.compat.v1.layers`), `tf.compat.v1.nn.rnn_cell` (also as
    `tf.nn.rnn_cell`), `tf.compat.v1.keras.utils`'s migration
    tools, and the private `tensorflow.python.layers.{base, core,
    convolutional, normalization, pooling, layers}` modules TF1-era libraries
    import. Idempotent and thread-safe; `uninstall()` undoes it.

    Returns:
      Whether compat_layers is installed when the call returns: `False` under
      `TF_USE_LEGACY_KERAS=1`, where TensorFlow already gives the TF1 layers
      (a `RuntimeWarning` says so, once per process).

    Example:

    ```python
    import compat_layers
    compat_layers.install()

    import tensorflow.compat.v1 as tf     # the TF1 code, unchanged
    y = tf.layers.dense(tf.ones((2, 3)), 4)
    ```
    """
    global _installation, _legacy_keras_warned
    with _lock:
        if _installation is not None:
            return True
        if _tensorflow_gives_legacy_layers():
            if not _legacy_keras_warned:
                _legacy_keras_warned = True
                warnings.warn(
                    "compat_layers.install() does nothing: TF_USE_LEGACY_KERAS=1 "
                    "routes tf.compat.v1.layers to tf_keras's legacy layers, "
                    "which are the TF1 layers themselves.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            return False
        changes = _Changes()
        try:
            _apply(changes)
        except BaseException:
            changes.undo()
            raise
        _installation = changes
        return True


def uninstall() -> None:
    """Undoes `install()`, restoring every attribute and `sys.modules` entry.

    Does nothing when compat_layers is not installed.
    """
    global _installation
    with _lock:
        if _installation is not None:
            _installation.undo()
            _installation = None


def is_installed() -> bool:
    """Whether `install()` is in effect."""
    return _installation is not None


def _tensorflow_gives_legacy_layers() -> bool:
    # TensorFlow's own test (tensorflow/python/util/lazy_loader.py): without
    # tf_keras it falls back to Keras 3, which has no v1 layers.
    return (
        os.environ.get("TF_USE_LEGACY_KERAS") in ("true", "True", "1")
        and importlib.util.find_spec("tf_keras") is not None
    )


def _apply(changes: _Changes) -> None:
    # Imported here: this module is imported while the package initializes.
    import compat_layers
    from compat_layers import utils

    layers_names = _tf1_layers_names(compat_layers)
    layers = _module("tensorflow.compat.v1.layers", layers_names)
    changes.set_module(layers.__name__, layers)
    for name, value in layers_names.items():
        if isinstance(value, types.ModuleType):
            changes.set_module(f"{layers.__name__}.{name}", value)

    utils_names = {name: getattr(utils, name) for name in KERAS_UTILS_NAMES}
    namespaces = _compat_v1_namespaces()
    # So that `import tensorflow.compat.v1` finds the module patched here
    # instead of running the API module again.
    for name, module in zip(_TF_COMPAT_MODULES, (tf.compat.v1, tf.compat.v2), strict=True):
        if name not in sys.modules:
            changes.set_module(name, module)
    rnn_cell = _module("tensorflow.compat.v1.nn.rnn_cell", _tf1_rnn_cell_names())
    for namespace in namespaces:
        changes.set_attribute(namespace, "layers", layers)
        changes.set_attribute(namespace.nn, "rnn_cell", rnn_cell)
        changes.set_attribute(namespace, "keras", _keras_overlay(namespace.keras, utils_names))

    package = _private.tf1_layers_package()
    for short_name, names in _tf1_private_modules(compat_layers, layers_names).items():
        full_name = f"{package.__name__}.{short_name}"
        existing = sys.modules.get(full_name)
        if existing is not None:
            # Patched in place: libraries that imported it already see ours too.
            for name, value in names.items():
                changes.set_attribute(existing, name, value)
        else:
            module = _module(full_name, names)
            changes.set_module(full_name, module)
            changes.set_attribute(package, short_name, module)


def _tf1_layers_names(package: types.ModuleType) -> dict[str, Any]:
    """TF1's `tf.layers` namespace, from what compat_layers has."""
    names = [name for name in package.__all__ if name not in _NOT_TF1_LAYERS]
    names += [name for name in _TF1_LAYERS_EXTRAS if hasattr(package, name)]
    return {name: getattr(package, name) for name in names}


def _tf1_rnn_cell_names() -> dict[str, Any]:
    """TF1's `tf.nn.rnn_cell` namespace (`to_keras_cell` is compat_layers' own)."""
    from compat_layers import rnn_cell

    return {name: getattr(rnn_cell, name) for name in rnn_cell.__all__ if name != "to_keras_cell"}


def _tf1_private_modules(
    package: types.ModuleType, layers_names: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """The public names of each `tensorflow.python.layers.<module>`, ours."""
    modules: dict[str, dict[str, Any]] = {}
    for family in _TF1_FAMILY_MODULES:
        names = {name: layers_names[name]
                 for name in getattr(package, family).__all__ if name in layers_names}
        names.update({alias: names[target]
                      for alias, target in _TF1_ALIASES.items() if target in names})
        modules[family] = names
    base = {name: layers_names[name] for name in _TF1_BASE_NAMES if name in layers_names}
    experimental = layers_names.get("experimental")
    base.update({name: getattr(experimental, name)
                 for name in _TF1_STYLE_NAMES if hasattr(experimental, name)})
    modules["base"] = base
    # TF1's `tensorflow.python.layers.layers` gathered the families in one module.
    modules["layers"] = {name: value for family in ("base", *_TF1_FAMILY_MODULES)
                         for name, value in modules[family].items()}
    return modules


def _compat_v1_namespaces() -> list[types.ModuleType]:
    """Every module TF1 code reaches as `tf.compat.v1`.

    TensorFlow has one per API tree (`tf.compat.v1`, `tf.compat.v1.compat.v1`,
    `tf.compat.v2.compat.v1`), and the first `import tensorflow.compat.v1` (or
    `.v2`) runs the API module again as a new one.
    """
    roots = [tf.compat.v1, tf.compat.v2, *map(sys.modules.get, _TF_COMPAT_MODULES)]
    unique: dict[int, types.ModuleType] = {}
    for root in filter(None, roots):
        for module in (root, root.compat.v1):
            if "layers" in vars(module):
                unique.setdefault(id(module), module)
    return list(unique.values())


def _keras_overlay(original: Any, utils_names: dict[str, Any]) -> _Overlay:
    """`tf.compat.v1.keras` with the migration tools back in its `utils`."""
    name = "tensorflow.compat.v1.keras"
    utils = _Overlay(f"{name}.utils", utils_names, base=lambda: original.utils)
    return _Overlay(name, {"utils": utils}, base=lambda: original)


def _module(name: str, names: dict[str, Any]) -> types.ModuleType:
    module = types.ModuleType(name, f"compat_layers' stand-in for `{name}`.")
    vars(module).update(names)
    module.__all__ = sorted(names)
    return module
