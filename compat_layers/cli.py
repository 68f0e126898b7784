"""Moved to `compat_layers_cli.cli`, which needs no TensorFlow; kept so that
`python -m compat_layers.cli` and `from compat_layers import cli` still work
(both import TensorFlow, as importing `compat_layers` always does)."""

import sys

from compat_layers_cli import cli as _cli

if __name__ == "__main__":
    sys.exit(_cli.main())
# The same module object, so that patching `compat_layers.cli.X` patches the CLI.
sys.modules[__name__] = _cli
