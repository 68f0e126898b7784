"""Every public function and class of `tf.compat.v1.layers` has the signature
it had in TF 2.15.1 (recorded by `tests/parity/record_signatures.py` in
`tests/goldens/tf-2.15.1/signatures.json`): the same parameters, in the same
order, of the same kinds, with the same defaults. And the functional wrappers
behave as TF1's did around the layer they build."""

from __future__ import annotations

import dataclasses
import json
import pydoc
import warnings

import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from compat_layers import _arguments
from tests.parity.record_signatures import SIGNATURES_PATH, describe

RECORDED = json.loads(SIGNATURES_PATH.read_text())
MODULES = {
    "tf.compat.v1.layers": compat_layers,
    "tf.compat.v1.layers.experimental": compat_layers.experimental,
}


@dataclasses.dataclass(frozen=True)
class Difference:
    """Parameters ours has and TF1's had not; the rest must match exactly."""

    added: tuple[str, ...]
    reason: str


DIFFERENCES = {
    "InputSpec": Difference(
        added=("optional=False",),
        reason="Keras 3's own InputSpec (TF1's took the same arguments); "
        "`optional` is Keras 3's addition",
    ),
}


def _recorded_names():
    for path, names in RECORDED["signatures"].items():
        for name in names:
            yield {"testcase_name": f"{path}.{name}", "path": path, "name": name}


class SignatureTest(parameterized.TestCase):
    def test_recorded_from_tf_2_15_1(self):
        self.assertEqual(RECORDED["metadata"]["tensorflow"], "2.15.1")
        self.assertLen(RECORDED["signatures"]["tf.compat.v1.layers"], 36)

    @parameterized.named_parameters(_recorded_names())
    def test_matches_tf_2_15_1(self, path, name):
        expected = RECORDED["signatures"][path][name]
        ours = describe(getattr(MODULES[path], name))
        difference = DIFFERENCES.get(name) if path == "tf.compat.v1.layers" else None
        if difference is not None:
            for parameter in difference.added:
                self.assertIn(parameter, ours, f"{name}: allowed difference gone, drop it")
            ours = [parameter for parameter in ours if parameter not in difference.added]
        self.assertEqual(ours, expected, name)

    def test_differences_name_recorded_names(self):
        self.assertContainsSubset(DIFFERENCES, RECORDED["signatures"]["tf.compat.v1.layers"])


class FunctionalInterfaceTest(tf.test.TestCase):
    def setUp(self):
        super().setUp()
        self.inputs = tf.ones([2, 6, 6, 3])

    def test_deprecation_warning_points_at_the_caller(self):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            compat_layers.max_pooling2d(self.inputs, 2, 2)
        (warning,) = [w for w in caught if "is deprecated" in str(w.message)]
        self.assertEqual(warning.filename, __file__)
        self.assertEqual(
            str(warning.message),
            "`tf.layers.max_pooling2d` is deprecated and will be removed in a future "
            "version. Please use `tf.keras.layers.MaxPooling2D` instead.",
        )

    def test_unknown_keyword_names_the_nearest(self):
        with self.assertRaisesRegex(
            TypeError,
            r"^conv2d\(\) got an unexpected keyword argument 'kernal_size'\. "
            r"Did you mean 'kernel_size'\?$",
        ):
            compat_layers.conv2d(self.inputs, 4, kernal_size=3)

    def test_missing_argument_is_pythons_error(self):
        with self.assertRaisesRegex(
            TypeError, r"^max_pooling2d\(\) missing 1 required positional argument: 'strides'$"
        ):
            compat_layers.max_pooling2d(self.inputs, 2)

    def test_call_arguments_reach_the_call(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dropped = compat_layers.dropout(self.inputs, 0.5, training=True, seed=1)
            kept = compat_layers.dropout(self.inputs, 0.5, seed=1)
        self.assertIn(0.0, dropped.numpy())
        self.assertAllEqual(kept, self.inputs)

    def test_help_shows_the_tf1_docstring(self):
        text = pydoc.render_doc(compat_layers.conv2d, renderer=pydoc.plaintext)
        self.assertIn("conv2d(inputs: 'tf.Tensor', filters: 'int', kernel_size:", text)
        self.assertIn("Functional interface for the 2D convolution layer.", text)

    def test_parameter_the_layer_does_not_take_is_refused(self):
        def dense(inputs, units, kernel_size=3, name=None):
            """Not TF1's."""

        with self.assertRaisesRegex(TypeError, r"\['kernel_size'\]"):
            _arguments.functional_interface(compat_layers.Dense)(dense)


if __name__ == "__main__":
    absltest.main()
