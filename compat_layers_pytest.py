"""pytest plugin: `compat_layers.install()` for a whole test session.

Registered through the `pytest11` entry point, so it is loaded in every
pytest session of an environment that has compat_layers, but does nothing
until asked, with the command-line flag or the ini option:

    pytest --compat-layers

    # pytest.ini / setup.cfg [tool:pytest] / pyproject.toml [tool.pytest.ini_options]
    compat_layers = true

A migration test suite that compares a TF1 model (unchanged code using
`tf.compat.v1.layers`) with its TF2 port then runs on current TensorFlow.
`uninstall()` runs when the session ends.

This module sits outside the `compat_layers` package because importing that
package imports TensorFlow: every pytest session of the environment loads the
plugin, and one that does not ask for it must not pay for TensorFlow.
"""

from __future__ import annotations

import sys

import pytest

# Whether this plugin installed compat_layers (then it also uninstalls it).
_INSTALLED_HERE = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("compat-layers").addoption(
        "--compat-layers",
        action="store_true",
        dest="compat_layers",
        help="run the session with compat_layers.install(): unchanged TF1 code "
        "gets compat_layers for tf.compat.v1.layers",
    )
    parser.addini(
        "compat_layers",
        type="bool",
        default=False,
        help="run every session with compat_layers.install() (as --compat-layers)",
    )


def _is_installed() -> bool:
    # Only an imported compat_layers can be installed; asking it would
    # otherwise import TensorFlow.
    if "compat_layers.install" not in sys.modules:
        return False
    return sys.modules["compat_layers.install"].is_installed()


def pytest_configure(config: pytest.Config) -> None:
    requested = config.getoption("compat_layers") or config.getini("compat_layers")
    # Installed already (COMPAT_LAYERS_INSTALL=1): the process keeps it.
    if requested and not _is_installed():
        import compat_layers

        config.stash[_INSTALLED_HERE] = compat_layers.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_INSTALLED_HERE, False):
        import compat_layers

        compat_layers.uninstall()


def pytest_report_header(config: pytest.Config) -> str | None:
    if _is_installed():
        return "compat_layers: installed (tf.compat.v1.layers -> compat_layers)"
    return None
