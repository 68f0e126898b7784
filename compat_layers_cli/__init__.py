"""The `compat-layers` command line and its codemod, free of TensorFlow.

    compat-layers scan src/             # or: python -m compat_layers_cli scan src/
    compat-layers migrate --write src/

A package of its own, next to `compat_layers`, because importing
`compat_layers` imports TensorFlow (and checks its version): a lint job or a
pre-commit hook must be able to scan and rewrite source text without
TensorFlow installed, and `--version` must start as fast as Python and
libcst do. Nothing here imports `tensorflow`, `keras` or `compat_layers`
(`tests/test_cli.py` runs the command line with them unimportable).

Importing this package itself imports nothing: `compat_layers.install`
reads `rules.KERAS_UTILS_NAMES` from here.
"""
