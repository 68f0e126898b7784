"""`python -m compat_layers_cli`: the `compat-layers` command line."""

import sys

from compat_layers_cli.cli import main

sys.exit(main())
