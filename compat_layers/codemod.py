"""Moved to `compat_layers_cli.codemod`, which needs no TensorFlow; kept so
that `from compat_layers import codemod` still works (it imports TensorFlow,
as importing `compat_layers` always does)."""

import sys

from compat_layers_cli import codemod as _codemod

# The same module object, so that patching `compat_layers.codemod.X` patches the codemod.
sys.modules[__name__] = _codemod
