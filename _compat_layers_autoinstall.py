"""`COMPAT_LAYERS_INSTALL=1`: `compat_layers.install()` without code changes.

`compat_layers.pth`, which pip puts in site-packages with compat_layers, makes
every Python interpreter of the environment call `enable()` at start-up when
the variable is set. `enable()` does not import TensorFlow: it waits for the
program to import it (and Keras, which imports TensorFlow while it is itself
half-imported), then calls `compat_layers.install()`. A process that never
imports TensorFlow (pip, a linter, ...) pays nothing.

This module sits outside the `compat_layers` package because importing that
package imports TensorFlow.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import threading
import types
import warnings
from typing import Callable, Mapping, Sequence

ENV_VAR = "COMPAT_LAYERS_INSTALL"
_OFF = ("", "0", "false", "no", "off")
# Installing needs both fully imported; importing Keras imports TensorFlow.
_TRIGGERS = ("tensorflow", "keras")


def requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether `COMPAT_LAYERS_INSTALL` asks for the shim (`1`, `true`, ...)."""
    return environ.get(ENV_VAR, "").strip().lower() not in _OFF


def enable(environ: Mapping[str, str] = os.environ) -> None:
    """Calls `compat_layers.install()` once TensorFlow is imported, if requested."""
    if not requested(environ):
        return
    if "tensorflow" in sys.modules:
        _install()
    elif not any(isinstance(finder, InstallAfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, InstallAfterImport(_TRIGGERS, _install))


class InstallAfterImport(importlib.abc.MetaPathFinder):
    """Runs `action` once the first of `triggers` has been imported and none
    of them is still being imported, then leaves `sys.meta_path`."""

    def __init__(self, triggers: Sequence[str], action: Callable[[], None]) -> None:
        self._triggers = frozenset(triggers)
        self._required = triggers[0]
        self._action = action
        self._importing: set[str] = set()
        self._lock = threading.Lock()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self._triggers:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _NotifyingLoader(spec.loader, self)
                return spec
        return None

    def started(self, name: str) -> None:
        with self._lock:
            self._importing.add(name)

    def finished(self, name: str, succeeded: bool) -> None:
        with self._lock:
            self._importing.discard(name)
            ready = (
                succeeded
                and not self._importing
                and self._required in sys.modules
                and self in sys.meta_path
            )
            if ready:
                sys.meta_path.remove(self)
        if ready:
            self._action()


class _NotifyingLoader(importlib.abc.Loader):
    """Runs the real loader, telling the finder when a trigger module is done.

    Only in place while the module executes: afterwards its `__loader__` and
    `__spec__.loader` are the real loader again.
    """

    def __init__(self, loader: importlib.abc.Loader, finder: InstallAfterImport) -> None:
        self._loader = loader
        self._finder = finder

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self._finder.started(module.__name__)
        succeeded = False
        try:
            self._loader.exec_module(module)
            succeeded = True
        finally:
            module.__loader__ = self._loader
            if module.__spec__ is not None:
                module.__spec__.loader = self._loader
            self._finder.finished(module.__name__, succeeded)

    def __getattr__(self, name: str) -> object:
        return getattr(self._loader, name)


def _install() -> None:
    # A failure here must not break the program's `import tensorflow`.
    try:
        import compat_layers

        compat_layers.install()
    except Exception as error:  # reported, never raised
        warnings.warn(
            f"{ENV_VAR} is set, but compat_layers could not be installed: "
            f"{type(error).__name__}: {error}",
            RuntimeWarning,
            stacklevel=2,
        )
