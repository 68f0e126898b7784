"""Records the signatures of TensorFlow 2.15.1's native `tf.compat.v1.layers`.

Run from the repository root under `tensorflow-cpu==2.15.1` (see
`record_goldens.py`):

    /tmp/tf215/bin/python -m tests.parity.record_signatures

It writes `tests/goldens/tf-2.15.1/signatures.json`: for every public name of
`tf.compat.v1.layers` and `tf.compat.v1.layers.experimental`, the parameters
of the function (of `__init__` for a class), each as `describe` words it.
`tests/test_signatures.py` compares compat_layers' signatures with it.
"""

from __future__ import annotations

import datetime
import inspect
import json
import platform
from pathlib import Path
from typing import Any

SIGNATURES_PATH = Path(__file__).resolve().parents[1] / "goldens" / "tf-2.15.1" / "signatures.json"

# Defaults written as their `repr`: the same in every process.
_PLAIN_DEFAULTS = (type(None), bool, int, float, str, tuple, list)


def public_names(module: Any) -> list[str]:
    """The public names of a `tf.compat.v1.layers`-like module, less submodules."""
    return sorted(
        name
        for name in dir(module)
        if not name.startswith("_") and not inspect.ismodule(getattr(module, name))
    )


def describe(obj: Any) -> list[str]:
    """`obj`'s parameters (its `__init__`'s, less `self`, for a class), one
    string each as Python writes them in a signature, without annotations:
    `strides=(1, 1)`, `**kwargs`, `*` before the first keyword-only one and
    `/` after the last positional-only one.
    A plain default is its `repr`, an object (an initializer) `<module.Type>`,
    the same in every process."""
    function = obj.__init__ if inspect.isclass(obj) else obj
    parameters = list(inspect.signature(function).parameters.values())
    if inspect.isclass(obj):
        parameters = parameters[1:]
    kinds = [parameter.kind for parameter in parameters]
    described = []
    for index, parameter in enumerate(parameters):
        if parameter.kind is parameter.KEYWORD_ONLY and not any(
            text.startswith("*") for text in described
        ):
            described.append("*")
        if parameter.default is not parameter.empty:
            parameter = parameter.replace(default=_Described(parameter.default))
        described.append(str(parameter.replace(annotation=parameter.empty)))
        if parameter.kind is parameter.POSITIONAL_ONLY and (
            parameter.POSITIONAL_ONLY not in kinds[index + 1 :]
        ):
            described.append("/")
    return described


class _Described:
    """A default as `describe` writes it (`repr` gives the text)."""

    def __init__(self, default: Any):
        self._default = default

    def __repr__(self) -> str:
        if isinstance(self._default, _PLAIN_DEFAULTS):
            return repr(self._default)
        return f"<{type(self._default).__module__}.{type(self._default).__qualname__}>"


def main() -> None:
    import keras
    import tensorflow as tf

    if tf.__version__ != "2.15.1":
        raise SystemExit(f"record under tensorflow 2.15.1, not {tf.__version__}")
    modules = {
        "tf.compat.v1.layers": tf.compat.v1.layers,
        "tf.compat.v1.layers.experimental": tf.compat.v1.layers.experimental,
    }
    document = {
        "metadata": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "python": platform.python_version(),
            "recorded": datetime.date.today().isoformat(),
        },
        "signatures": {
            path: {name: describe(getattr(module, name)) for name in public_names(module)}
            for path, module in modules.items()
        },
    }
    SIGNATURES_PATH.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"recorded {sum(map(len, document['signatures'].values()))} signatures")


if __name__ == "__main__":
    main()
