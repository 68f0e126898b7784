"""compat_layers.install(): unchanged TF1 code (every spelling of the v1 layers,
the keras.utils migration tools, tf_slim) runs on compat_layers; uninstall()
puts back exactly what was there; COMPAT_LAYERS_INSTALL=1 through the .pth
file in a fresh interpreter; the pytest plugin."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import threading
import uuid
import warnings
from pathlib import Path
from unittest import mock

import keras
import numpy as np
import tensorflow as tf
import tf_slim  # noqa: F401  (imported before install(): its modules are patched in place)
from absl.testing import absltest, parameterized

import _compat_layers_autoinstall as autoinstall
import compat_layers
from compat_layers import _private

# `compat_layers.install` is the function; the module holds the helpers.
install_module = sys.modules["compat_layers.install"]

pytest_plugins = ["pytester"]

REPO_ROOT = Path(__file__).resolve().parents[1]
ORACLE_SCRIPTS = REPO_ROOT / "tests" / "oracle_scripts"

TF1_PRIVATE_NAMES = {
    "base": ("Layer", "InputSpec", "keras_style_scope", "set_keras_style"),
    "core": ("Dense", "dense", "Dropout", "dropout", "Flatten", "flatten",
             "FullyConnected", "fully_connected"),
    "convolutional": ("Conv2D", "conv2d", "Convolution2D", "convolution2d",
                      "Conv2DTranspose", "Deconvolution2D", "deconv2d",
                      "SeparableConvolution2D", "Convolution3DTranspose"),
    "normalization": ("BatchNormalization", "batch_normalization", "BatchNorm", "batch_norm"),
    "pooling": ("MaxPooling2D", "MaxPool2D", "max_pool2d", "AvgPool2D", "avg_pool2d",
                "average_pooling3d"),
    "layers": ("Layer", "Dense", "Conv2D", "Convolution2D", "BatchNormalization", "max_pooling1d"),
}
TF1_ALIAS_TARGETS = {"FullyConnected": "Dense", "fully_connected": "dense",
                     "Convolution2D": "Conv2D", "convolution2d": "conv2d",
                     "Deconvolution2D": "Conv2DTranspose", "deconv2d": "conv2d_transpose",
                     "SeparableConvolution2D": "SeparableConv2D",
                     "Convolution3DTranspose": "Conv3DTranspose", "BatchNorm": "BatchNormalization",
                     "batch_norm": "batch_normalization", "MaxPool2D": "MaxPooling2D",
                     "max_pool2d": "max_pooling2d", "AvgPool2D": "AveragePooling2D",
                     "avg_pool2d": "average_pooling2d"}
UTILS_NAMES = ("track_tf1_style_variables", "get_or_create_layer", "DeterministicRandomTestTool")


RNN_CELL_NAMES = ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
                  "LSTMStateTuple", "DropoutWrapper", "ResidualWrapper", "DeviceWrapper")


def tf1_layers_names() -> list[str]:
    excluded = {"__version__", "install", "rnn_cell", "uninstall"}
    return [name for name in compat_layers.__all__ if name not in excluded]


def run_tf1_code(code: str) -> dict:
    """Runs unchanged TF1 code (a string) and returns its namespace."""
    namespace: dict = {"__name__": "tf1_code"}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"`tf\.layers\..*` is deprecated")
        exec(compile(textwrap.dedent(code), "tf1_code", "exec"), namespace)
    return namespace


def global_state() -> dict:
    """What install() may touch, by identity: sys.modules and every namespace."""
    package = _private.tf1_layers_package()
    state = {"sys.modules": dict(sys.modules), "tensorflow.python.layers": dict(vars(package))}
    for name in ("base", "core", "convolutional", "normalization", "pooling", "layers"):
        module = sys.modules.get(f"{package.__name__}.{name}")
        if module is not None:
            state[module.__name__] = dict(vars(module))
    for module in install_module._compat_v1_namespaces():
        for number, namespace in enumerate(_private.module_namespaces(module)):
            state[f"{module.__name__}#{number}"] = dict(namespace)
        for number, namespace in enumerate(_private.module_namespaces(module.nn)):
            state[f"{module.__name__}.nn#{number}"] = dict(namespace)
    state["keras.utils"] = dict(vars(keras.utils))
    return state


def run_threads(target, count: int) -> None:
    errors = []

    def guarded():
        try:
            target()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=guarded) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


class InstalledTestCase(parameterized.TestCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(compat_layers.install())
        self.addCleanup(compat_layers.uninstall)


class InstallTest(InstalledTestCase):
    def test_every_tf1_spelling_gives_compat_layers(self):
        names = run_tf1_code(
            """
            import tensorflow as tf2
            import tensorflow.compat.v1 as tf
            import tensorflow.compat.v1.layers as layers_module
            from tensorflow.compat.v1 import layers
            from tensorflow.compat.v1.layers import conv2d, Layer, InputSpec
            from tensorflow.compat.v1.layers.experimental import keras_style_scope
            spellings = [tf.layers, tf.compat.v1.layers, tf2.compat.v1.layers,
                         tf2.compat.v2.compat.v1.layers, layers_module, layers]
            """
        )
        for spelling in names["spellings"]:
            for name in tf1_layers_names():
                self.assertIs(getattr(spelling, name), getattr(compat_layers, name), name)
        self.assertIs(names["conv2d"], compat_layers.conv2d)
        self.assertIs(names["Layer"], compat_layers.Layer)
        self.assertIs(names["InputSpec"], compat_layers.InputSpec)
        self.assertIs(names["keras_style_scope"], compat_layers.experimental.keras_style_scope)
        self.assertNotIn("install", dir(names["layers"]))

    def test_unchanged_tf1_graph_code_runs(self):
        names = run_tf1_code(
            """
            import tensorflow.compat.v1 as tf
            with tf.Graph().as_default():
                z = tf.placeholder(tf.float32, [None, 4, 4, 16])
                with tf.variable_scope("generator"):
                    h = tf.layers.conv2d_transpose(z, 8, 5, strides=2, padding="same", name="deconv")
                    logits = tf.layers.dense(tf.layers.flatten(h), 3)
                variables = [v.name for v in tf.global_variables()]
            """
        )
        self.assertEqual(
            names["variables"],
            ["generator/deconv/kernel:0", "generator/deconv/bias:0",
             "generator/dense/kernel:0", "generator/dense/bias:0"],
        )
        self.assertEqual(names["logits"].shape.as_list(), [None, 3])

    def test_every_tf1_spelling_of_rnn_cell_gives_compat_layers(self):
        names = run_tf1_code(
            """
            import tensorflow as tf2
            import tensorflow.compat.v1 as tf
            spellings = [tf.nn.rnn_cell, tf2.compat.v1.nn.rnn_cell,
                         tf2.compat.v1.compat.v1.nn.rnn_cell, tf2.compat.v2.compat.v1.nn.rnn_cell]
            """
        )
        for spelling in names["spellings"]:
            for name in RNN_CELL_NAMES:
                self.assertIs(getattr(spelling, name), getattr(compat_layers.rnn_cell, name), name)
            self.assertFalse(hasattr(spelling, "to_keras_cell"))

    def test_unchanged_tf1_rnn_code_runs(self):
        names = run_tf1_code(
            """
            import tensorflow.compat.v1 as tf
            from tensorflow.python.ops import rnn_cell_impl
            with tf.Graph().as_default():
                x = tf.placeholder(tf.float32, [None, 5, 3])
                keep = tf.placeholder_with_default(1.0, [])
                cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4),
                                                       output_keep_prob=keep),
                         tf.nn.rnn_cell.GRUCell(2)]
                cell = tf.nn.rnn_cell.MultiRNNCell(cells)
                rnn_cell_impl.assert_like_rnncell("cell", cell)
                outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
                variables = [v.name for v in tf.global_variables()]
            """
        )
        self.assertEqual(
            names["variables"],
            ["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
             "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
             "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
             "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
             "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
             "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0"],
        )
        self.assertEqual(names["outputs"].shape.as_list(), [None, 5, 2])
        self.assertIsInstance(names["state"][0], compat_layers.rnn_cell.LSTMStateTuple)

    def test_keras_utils_migration_tools_come_back(self):
        names = run_tf1_code(
            """
            import tensorflow as tf
            import tensorflow.compat.v1 as v1
            from tensorflow.compat.v1 import keras
            spellings = [tf.compat.v1.keras.utils, v1.keras.utils, keras.utils]
            """
        )
        for spelling in names["spellings"]:
            for name in UTILS_NAMES:
                self.assertIs(getattr(spelling, name), getattr(compat_layers.utils, name))
            # Everything else is still Keras 3's.
            self.assertIs(spelling.to_categorical, keras.utils.to_categorical)
        self.assertIs(tf.compat.v1.keras.layers.Dense, keras.layers.Dense)
        self.assertIn("track_tf1_style_variables", dir(tf.compat.v1.keras.utils))

    def test_keras_3_is_untouched(self):
        self.assertFalse(any(hasattr(keras.utils, name) for name in UTILS_NAMES))
        self.assertIs(tf.keras.layers.Dense, keras.layers.Dense)
        self.assertTrue(tf.keras.__version__.startswith("3."))
        layer = keras.layers.Dense(2)
        self.assertEqual(layer(tf.ones((1, 3))).shape, (1, 2))
        self.assertNotIsInstance(layer, compat_layers.Layer)

    @parameterized.parameters(*TF1_PRIVATE_NAMES)
    def test_tf1_private_modules_give_ours(self, module_name):
        module = importlib.import_module(f"tensorflow.python.layers.{module_name}")
        for name in TF1_PRIVATE_NAMES[module_name]:
            ours = getattr(compat_layers.experimental, name, None) or getattr(
                compat_layers, TF1_ALIAS_TARGETS.get(name, name)
            )
            self.assertIs(getattr(module, name), ours, name)

    def test_idempotent(self):
        layers = tf.compat.v1.layers
        self.assertTrue(compat_layers.install())
        self.assertIs(tf.compat.v1.layers, layers)
        self.assertTrue(install_module.is_installed())


class UninstallTest(parameterized.TestCase):
    def setUp(self):
        super().setUp()
        # The first install() imports what it needs; that stays imported.
        compat_layers.install()
        compat_layers.uninstall()

    def assertSameState(self, after: dict, before: dict) -> None:
        self.assertEqual(after.keys(), before.keys())
        for key in before:
            self.assertEqual(after[key].keys(), before[key].keys(), key)
            for name, value in before[key].items():
                self.assertIs(after[key][name], value, f"{key}: {name}")

    def test_restores_exactly_what_was_there(self):
        before = global_state()
        compat_layers.install()
        import tensorflow.compat.v1.layers  # noqa: F401  (registered while installed)

        self.assertIsNot(tf.compat.v1.layers, before[f"{tf.compat.v1.__name__}#0"]["layers"])
        compat_layers.uninstall()
        self.assertSameState(global_state(), before)
        with self.assertRaisesRegex(AttributeError, "not available with Keras 3"):
            tf.compat.v1.layers.Dense  # noqa: B018
        with self.assertRaisesRegex(AttributeError, "not available with Keras 3"):
            tf.compat.v1.nn.rnn_cell.BasicLSTMCell  # noqa: B018

    def test_uninstall_without_install_does_nothing(self):
        before = global_state()
        compat_layers.uninstall()
        self.assertSameState(global_state(), before)
        self.assertFalse(install_module.is_installed())

    def test_concurrent_installs_patch_once(self):
        before = global_state()
        seen = []
        barrier = threading.Barrier(8)

        def install():
            barrier.wait()
            compat_layers.install()
            seen.append(tf.compat.v1.layers)

        run_threads(install, 8)
        self.assertLen(seen, 8)
        self.assertTrue(all(layers is seen[0] for layers in seen))
        compat_layers.uninstall()
        self.assertSameState(global_state(), before)

    def test_concurrent_install_and_uninstall_leave_no_trace(self):
        before = global_state()
        barrier = threading.Barrier(8)

        def churn():
            barrier.wait()
            for _ in range(20):
                compat_layers.install()
                compat_layers.uninstall()

        run_threads(churn, 8)
        self.assertSameState(global_state(), before)

    def test_legacy_keras_mode_installs_nothing_and_says_so_once(self):
        before = global_state()
        with mock.patch.dict(os.environ, {"TF_USE_LEGACY_KERAS": "1"}), \
                mock.patch.object(install_module, "_legacy_keras_warned", False):
            with self.assertWarnsRegex(RuntimeWarning, "TF_USE_LEGACY_KERAS=1"):
                self.assertFalse(compat_layers.install())
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                self.assertFalse(compat_layers.install())
        self.assertSameState(global_state(), before)


class TfSlimTest(absltest.TestCase):
    """tf_slim, unchanged, on compat_layers vs on the TF1 layers (TF_USE_LEGACY_KERAS=1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run(
            [sys.executable, str(ORACLE_SCRIPTS / "tf_slim_tf1.py")],
            env=env, capture_output=True, text=True, check=True, timeout=300,
        )
        cls.tf1 = json.loads(out.stdout.strip().splitlines()[-1])
        compat_layers.install()
        try:
            spec = importlib.util.spec_from_file_location("tf_slim_model", ORACLE_SCRIPTS / "tf_slim_tf1.py")
            script = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(script)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=r"`tf\.layers\..*` is deprecated")
                cls.ours = script.run()
        finally:
            compat_layers.uninstall()

    def assert_same_variables(self, scope):
        names = [name for name in self.tf1["global_variables"] if name.startswith(scope + "/")]
        self.assertNotEqual(names, [])
        self.assertEqual(
            [name for name in self.ours["global_variables"] if name.startswith(scope + "/")], names
        )
        for name in names:
            np.testing.assert_allclose(self.ours["values"][name], self.tf1["values"][name],
                                       rtol=1e-5, atol=1e-6, err_msg=name)

    def test_conv2d(self):
        self.assert_same_variables("conv1")

    def test_batch_norm_and_its_update_ops(self):
        self.assert_same_variables("conv2")  # weights, BatchNorm beta, moving mean / variance
        self.assertEqual(self.ours["update_ops"], self.tf1["update_ops"])
        self.assertGreater(self.tf1["update_ops"], 0)

    def test_fully_connected_and_its_regularizer(self):
        self.assert_same_variables("fc")
        self.assertEqual(self.ours["regularization_losses"], self.tf1["regularization_losses"])

    def test_collections_and_training(self):
        for key in ("global_variables", "trainable_variables", "model_variables", "output_shape"):
            self.assertEqual(self.ours[key], self.tf1[key], key)
        np.testing.assert_allclose(self.ours["losses"], self.tf1["losses"], rtol=1e-5)


class AutoinstallTest(parameterized.TestCase):
    @parameterized.parameters("1", "true", "YES", "on")
    def test_requested(self, value):
        self.assertTrue(autoinstall.requested({autoinstall.ENV_VAR: value}))

    @parameterized.parameters("", "0", "false", "No", "off")
    def test_not_requested(self, value):
        self.assertFalse(autoinstall.requested({autoinstall.ENV_VAR: value}))
        self.assertFalse(autoinstall.requested({}))

    def fake_packages(self) -> tuple[Path, str, str, list]:
        """A fake TensorFlow and a fake Keras that imports it while half-imported."""
        root = Path(self.create_tempdir().full_path)
        tf_name, keras_name = f"fake_tf_{uuid.uuid4().hex}", f"fake_keras_{uuid.uuid4().hex}"
        (root / f"{tf_name}.py").write_text("READY = True\n")
        (root / f"{keras_name}.py").write_text(f"import {tf_name}\nREADY = True\n")
        sys.path.insert(0, str(root))
        self.addCleanup(sys.path.remove, str(root))
        calls = []

        def action():
            calls.append({name: getattr(sys.modules.get(name), "READY", False)
                          for name in (tf_name, keras_name)})

        finder = autoinstall.InstallAfterImport((tf_name, keras_name), action)
        sys.meta_path.insert(0, finder)
        self.addCleanup(lambda: finder in sys.meta_path and sys.meta_path.remove(finder))
        for name in (tf_name, keras_name):
            self.addCleanup(sys.modules.pop, name, None)
        return root, tf_name, keras_name, calls

    def test_waits_for_keras_when_keras_imports_tensorflow(self):
        _, tf_name, keras_name, calls = self.fake_packages()
        module = importlib.import_module(keras_name)
        self.assertEqual(calls, [{tf_name: True, keras_name: True}])
        self.assertFalse(any(isinstance(f, autoinstall.InstallAfterImport) for f in sys.meta_path))
        # The real loader is back once the module is imported.
        self.assertNotIsInstance(module.__loader__, autoinstall._NotifyingLoader)
        self.assertIs(module.__spec__.loader, module.__loader__)

    def test_runs_once_tensorflow_alone_is_imported(self):
        _, tf_name, keras_name, calls = self.fake_packages()
        importlib.import_module(tf_name)
        importlib.import_module(keras_name)
        self.assertEqual(calls, [{tf_name: True, keras_name: False}])

    def test_a_failed_import_installs_nothing(self):
        root, tf_name, _, calls = self.fake_packages()
        (root / f"{tf_name}.py").write_text("raise ImportError('broken')\n")
        with self.assertRaisesRegex(ImportError, "broken"):
            importlib.import_module(tf_name)
        self.assertEqual(calls, [])

    def test_install_failure_is_a_warning_not_an_import_error(self):
        with mock.patch.object(compat_layers, "install", side_effect=RuntimeError("boom")), \
                self.assertWarnsRegex(RuntimeWarning, "could not be installed: RuntimeError: boom"):
            autoinstall._install()

    def test_env_var_through_the_pth_file_in_a_fresh_interpreter(self):
        """`python script.py` with COMPAT_LAYERS_INSTALL=1 where compat_layers is installed.

        A throwaway virtual environment stands for the installed one: its
        site-packages holds compat_layers.pth, plus a path file that makes
        this environment's packages (TensorFlow, tf_slim) and the repository
        importable.
        """
        root = Path(self.create_tempdir().full_path)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
                       check=True, timeout=120)
        python = root / "venv" / "bin" / "python"
        site_packages = Path(subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True).stdout.strip())
        (site_packages / "environment.pth").write_text(
            f"{REPO_ROOT}\n{sysconfig.get_paths()['purelib']}\n")
        (site_packages / "compat_layers.pth").write_bytes((REPO_ROOT / "compat_layers.pth").read_bytes())
        script = root / "tf1_script.py"
        script.write_text(textwrap.dedent(
            """
            import sys
            assert "tensorflow" not in sys.modules  # start-up imported nothing heavy
            import keras  # imports TensorFlow while Keras is half-imported
            import tensorflow.compat.v1 as tf
            from tensorflow.compat.v1.layers import conv2d
            import tf_slim as slim
            import compat_layers

            assert conv2d is compat_layers.conv2d and tf.layers.dense is compat_layers.dense
            assert tf.nn.rnn_cell.GRUCell is compat_layers.rnn_cell.GRUCell
            with tf.Graph().as_default():
                y = tf.layers.dense(tf.ones((2, 3)), 4, name="d")
                z = slim.batch_norm(slim.conv2d(tf.ones((1, 4, 4, 3)), 2, 3), is_training=True)
                print([v.name for v in tf.global_variables()][:2])
            """
        ))
        env = {**os.environ, autoinstall.ENV_VAR: "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
        env.pop("PYTHONPATH", None)
        result = subprocess.run([python, str(script)], env=env, capture_output=True,
                                text=True, timeout=300, cwd=root)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertIn("['d/kernel:0', 'd/bias:0']", result.stdout)

    def test_installed_distribution_ships_the_pth_file(self):
        try:
            distribution = importlib.metadata.distribution("compat-layers")
        except importlib.metadata.PackageNotFoundError:
            self.skipTest("compat-layers is not pip-installed here (the README's "
                          "`pip install -e .` installs it)")
        self.assertIn("compat_layers.pth", [str(file) for file in distribution.files or ()])


# ------------------------------------------------------------- pytest plugin
PLUGIN = ("-p", "compat_layers_pytest")
INNER_TEST = """
import compat_layers
import tensorflow as tf

def test_tf1_code():
    assert tf.compat.v1.layers.dense is compat_layers.dense
    assert tf.compat.v1.nn.rnn_cell.LSTMCell is compat_layers.rnn_cell.LSTMCell
"""


def test_plugin_installs_with_the_flag_and_uninstalls_after(pytester):
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_inprocess(*PLUGIN, "--compat-layers")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["compat_layers: installed*"])
    assert not install_module.is_installed()


def test_plugin_installs_with_the_ini_option(pytester):
    pytester.makepyfile(test_inner=INNER_TEST)
    pytester.makeini("[pytest]\ncompat_layers = true\n")
    pytester.runpytest_inprocess(*PLUGIN).assert_outcomes(passed=1)
    assert not install_module.is_installed()


def test_plugin_is_inactive_until_asked(pytester):
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_inprocess(*PLUGIN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*not available with Keras 3*"])


def test_loading_the_plugin_does_not_import_tensorflow():
    # pytest loads the plugin in every session of an environment that has
    # compat_layers; a session that does not ask for it must stay fast.
    probe = (
        "import sys, pytest\n"
        "pytest.main(['-p', 'compat_layers_pytest', '--collect-only', '-q', '-p', 'no:cacheprovider'])\n"
        "sys.exit(3 if 'tensorflow' in sys.modules else 0)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT / "docs", env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plugin_leaves_an_existing_install_alone(pytester):
    pytester.makepyfile(test_inner=INNER_TEST)
    compat_layers.install()
    try:
        pytester.runpytest_inprocess(*PLUGIN, "--compat-layers").assert_outcomes(passed=1)
        assert install_module.is_installed()
    finally:
        compat_layers.uninstall()


if __name__ == "__main__":
    absltest.main()
