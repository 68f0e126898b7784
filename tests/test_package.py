"""Packaging promises: importing changes nothing global, any import order works,
the TensorFlow version is checked, private APIs are watched, tf_keras is never
imported by the package."""

from __future__ import annotations

import configparser
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from unittest import mock

import keras
import tensorflow as tf
from absl.testing import absltest, parameterized

from compat_layers import _private, _tf_version

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env},
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"subprocess failed:\n{result.stderr[-3000:]}")
    return result.stdout


class ImportTest(parameterized.TestCase):
    def test_import_changes_nothing_global(self):
        out = run_python(
            """
            import os, sys
            before = dict(os.environ)
            import tensorflow as tf
            import compat_layers
            assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())
            assert tf.keras.__version__.startswith("3."), tf.keras.__version__
            assert "tf_keras" not in sys.modules
            try:
                tf.compat.v1.layers.Conv2DTranspose
            except AttributeError as error:
                assert "not available with Keras 3" in str(error), error
            else:
                raise AssertionError("compat_layers patched tf.compat.v1.layers on import")
            print("clean")
            """
        )
        self.assertIn("clean", out)

    @parameterized.parameters(
        ("tensorflow", "keras", "compat_layers"),
        ("keras", "compat_layers", "tensorflow"),
        ("compat_layers", "tensorflow", "keras"),
    )
    def test_any_import_order(self, *order):
        out = run_python(
            "".join(f"import {name}\n" for name in order)
            + """
import tensorflow as tf
y = compat_layers.conv2d_transpose(tf.zeros((1, 4, 4, 3)), 2, 3, strides=2, padding="same")
print(tuple(y.shape), keras.__version__.split(".")[0])
"""
        )
        self.assertIn("(1, 8, 8, 2) 3", out)

    def test_package_never_imports_tf_keras_even_when_installed(self):
        out = run_python(
            """
            import sys, compat_layers, tensorflow as tf
            compat_layers.Conv2DTranspose(2, 3)(tf.zeros((1, 4, 4, 3)))
            print(sorted(m for m in sys.modules if m.split(".")[0] == "tf_keras"))
            """
        )
        self.assertIn("[]", out)


class VersionCheckTest(parameterized.TestCase):
    def test_too_old_tensorflow_is_refused_with_advice(self):
        with self.assertRaisesRegex(ImportError, r"TensorFlow >= 2\.16 \(found 2\.15\.1\)"):
            _tf_version.check("2.15.1")

    def test_untested_newer_tensorflow_warns(self):
        with self.assertWarnsRegex(RuntimeWarning, "tested up to TensorFlow 2.21"):
            _tf_version.check("2.22.0")

    @parameterized.parameters(
        ("3.15.1", (3, 15, 1)),
        ("2.21.0", (2, 21, 0)),
        ("2.21.0rc1", (2, 21, 0)),
        ("2.21.0-rc1", (2, 21, 0)),
        ("2.16.0.dev20240101", (2, 16, 0)),
        ("2.22", (2, 22, 0)),
    )
    def test_one_parser_reads_tensorflow_and_keras_versions(self, version, expected):
        self.assertEqual(_tf_version.parse(version), expected)

    def test_unparsable_version_is_refused(self):
        with self.assertRaisesRegex(ValueError, "Not a version number: 'nightly'"):
            _tf_version.parse("nightly")

    @parameterized.parameters("2.16.1", "2.18.0", "2.21.0", "2.21.0rc1", "2.21.0-rc1")
    def test_supported_versions_pass_silently(self, version):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _tf_version.check(version)


class PrivateApiTest(absltest.TestCase):
    """Fails loudly when Keras moves a private name compat_layers relies on."""

    def test_keras_and_tensorflow_still_have_every_listed_member(self):
        _private.check()  # signatures: tests/test_private_members.py
        gone = _private.PrivateMember("keras.layers.Layer", "_gone", "calls", ("self",), "A probe.")
        with mock.patch.object(_private, "PRIVATE_MEMBERS", (*_private.PRIVATE_MEMBERS, gone)):
            with self.assertRaisesRegex(ImportError, r"no longer have: keras\.layers\.Layer\._gone\."):
                _private.check()

    def test_keras_path_scope_still_sets_variable_paths(self):
        with _private.keras_path_scope("layer", override_parent="outer/scope"):
            variable = keras.Variable(1.0, name="kernel")
        self.assertEqual(variable.path, "outer/scope/layer/kernel")

    def test_keras_variable_still_keeps_its_tf_variable_in_value(self):
        # TF1NamedVariable reads the TF1 name from Keras's private `_value`.
        inner = tf.Variable(tf.zeros([2]), name="scope/kernel")
        wrapper = _private.keras_variable(inner)
        self.assertIs(wrapper._value, inner)
        self.assertEqual(wrapper.name, "scope/kernel:0")
        self.assertEqual(wrapper.path, "scope/kernel")
        self.assertIs(_private.keras_variable(inner), wrapper)  # one wrapper a variable

    def test_tf2_behavior_switch_is_still_readable(self):
        self.assertIs(_private.tf2_behavior_enabled(), True)

    def test_tf1_layers_package_still_exists(self):
        package = _private.tf1_layers_package()
        self.assertEqual(package.__name__, "tensorflow.python.layers")
        self.assertTrue(hasattr(package, "__path__"), "no longer a package")

    def test_partitioned_variables_still_give_parts_and_slices(self):
        with tf.Graph().as_default():
            variable = tf.compat.v1.get_variable(
                "w", (4, 3), partitioner=tf.compat.v1.fixed_size_partitioner(2)
            )
            self.assertIsInstance(variable, _private.PartitionedVariable)
            parts = _private.variable_parts(variable)
            self.assertEqual([part.name for part in parts], ["w/part_0:0", "w/part_1:0"])
            info = _private.save_slice_info(parts[1])
            self.assertEqual(
                (info.full_name, list(info.full_shape), list(info.var_offset), list(info.var_shape)),
                ("w", [4, 3], [2, 0], [2, 3]),
            )

    def test_forgotten_variables_leave_the_variable_store(self):
        with tf.Graph().as_default():
            created = tf.compat.v1.get_variable("v", (2,))
            _private.forget_variables([created])
            with self.assertRaisesRegex(ValueError, "does not exist"):
                with tf.compat.v1.variable_scope("", reuse=True):
                    tf.compat.v1.get_variable("v", (2,))

    def test_tf_module_wrapper_still_writes_through(self):
        namespaces = _private.module_namespaces(tf.compat.v1)
        self.assertLen(namespaces, 2)
        probe = object()
        tf.compat.v1.compat_layers_probe = probe
        try:
            for namespace in namespaces:
                self.assertIs(namespace["compat_layers_probe"], probe)
        finally:
            del tf.compat.v1.compat_layers_probe
        for namespace in namespaces:
            self.assertNotIn("compat_layers_probe", namespace)


class MetadataTest(absltest.TestCase):
    def setUp(self):
        super().setUp()
        self.config = configparser.ConfigParser()
        self.config.read(REPO_ROOT / "setup.cfg")

    def test_install_does_not_pull_a_tensorflow_distribution(self):
        requires = self.config["options"]["install_requires"]
        self.assertNotIn("tensorflow", requires)

    def test_extras(self):
        extras = self.config["options.extras_require"]
        self.assertIn("tensorflow>=2.16", extras["tensorflow"])
        self.assertIn("tf-keras", extras["test"])


if __name__ == "__main__":
    absltest.main()
