"""compat_layers exports everything `tf.compat.v1.layers` exported in TF 2.15.1
(the list recorded then, `tests/goldens/tf-2.15.1/namespace.json`), each class
is a thin subclass of its Keras 3 counterpart, and each name is exercised by
at least one parity case."""

from __future__ import annotations

import functools
import inspect
import json
import re
import sys
import warnings
from pathlib import Path

import keras
import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from compat_layers import base
from tests.parity import registry

RECORDED = json.loads(
    (Path(__file__).resolve().parent / "goldens" / "tf-2.15.1" / "namespace.json").read_text()
)
NAMES = RECORDED["tf.compat.v1.layers"]
# Case modules name layers as `L.Conv2D(...)` or, in generated cases, as the
# string `"Conv2D"` looked up with getattr(L, kind).
CASE_SOURCES = "\n".join(
    inspect.getsource(module)
    for module in {inspect.getmodule(case.program) for case in registry.CASES}
)


class NamespaceTest(parameterized.TestCase):
    def test_recorded_from_tf_2_15_1(self):
        self.assertEqual(RECORDED["tensorflow"], "2.15.1")
        self.assertLen(NAMES, 37)

    @parameterized.parameters((name,) for name in NAMES)
    def test_exported(self, name):
        self.assertIn(name, dir(compat_layers))
        self.assertIn(name, compat_layers.__all__)

    def test_experimental(self):
        for name in RECORDED["tf.compat.v1.layers.experimental"]:
            self.assertTrue(callable(getattr(compat_layers.experimental, name)), name)

    @parameterized.parameters((name,) for name in NAMES if name[0].isupper() and name not in ("Layer", "InputSpec"))
    def test_classes_are_thin_subclasses_of_keras_3(self, name):
        cls = getattr(compat_layers, name)
        self.assertTrue(issubclass(cls, base.Layer), name)
        self.assertTrue(issubclass(cls, getattr(keras.layers, name)), name)

    @parameterized.parameters((name,) for name in NAMES)
    def test_every_name_has_a_parity_case(self, name):
        used = re.search(rf"(\bL\.|[\"']){name}\b", CASE_SOURCES) or name in _names_used_by_programs()
        self.assertTrue(used, f"no parity case uses L.{name}")


# TF 2.15's `tf.compat.v1.nn.rnn_cell` (docs: /work/shared/docs/tf1-rnn-cells.md §2).
RNN_CELL_NAMES = ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
                  "LSTMStateTuple", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper")


class RnnCellNamespaceTest(parameterized.TestCase):
    def test_module_is_an_attribute_of_the_package(self):
        self.assertIs(compat_layers.rnn_cell, sys.modules["compat_layers.rnn_cell"])
        self.assertIn("rnn_cell", compat_layers.__all__)

    @parameterized.parameters((name,) for name in RNN_CELL_NAMES)
    def test_exported(self, name):
        self.assertIn(name, compat_layers.rnn_cell.__all__)

    @parameterized.parameters((name,) for name in RNN_CELL_NAMES if name != "LSTMStateTuple")
    def test_cells_are_tf1_layers(self, name):
        self.assertTrue(issubclass(getattr(compat_layers.rnn_cell, name), base.Layer), name)

    @parameterized.parameters((name,) for name in RNN_CELL_NAMES)
    def test_every_name_has_a_parity_case(self, name):
        # The rnn group reaches the module as `rnn = rnn_cell(L)` or `L.rnn_cell`.
        self.assertRegex(CASE_SOURCES, rf"\b(?:rnn_cell|rnn)\.{name}\b",
                         f"no parity case uses rnn_cell.{name}")


class _Recording:
    """The layers module, noting which names a program looks up."""

    def __init__(self, used: set[str]):
        self._used = used

    def __getattr__(self, name: str):
        self._used.add(name)
        return getattr(compat_layers, name)


@functools.lru_cache(maxsize=None)
def _names_used_by_programs() -> frozenset[str]:
    """Runs every program once in a TF1 graph (names built at run time,
    e.g. `getattr(L, f"{kind}_pooling{rank}d")`)."""
    used: set[str] = set()
    for case in registry.CASES:
        with tf.Graph().as_default(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = tf.compat.v1.placeholder(case.dtype, case.placeholder_shape or case.input_shape)
            try:
                case.program(_Recording(used), x)
            except Exception:  # error cases still name their layers first
                pass
    return frozenset(used)


if __name__ == "__main__":
    absltest.main()
