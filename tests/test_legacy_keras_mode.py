"""compat_layers in a process that runs under `TF_USE_LEGACY_KERAS=1`.

There `tf.keras` and `tf.compat.v1.layers` are tf_keras's (Keras 2), while
`import keras` still gives Keras 3, which compat_layers is built on. Such a
process (a code base half migrated, or a library that sets the variable) must
still import compat_layers, get the TF1 layers' results from it, and be left
alone by `install()` (a no-op that warns once, see `compat_layers/install.py`).

Why a test file and not a CI leg running the suite with the variable set: most
of the suite reads `tf.keras` as Keras 3 (on purpose: it checks that
compat_layers leaves Keras 3 alone), so under the variable it would fail for
reasons that say nothing about compat_layers. One child process with the
variable set runs a few whole-model and per-layer parity cases in the graph,
eager and tf.function modes through `tests/parity/runner.py`, and this process
compares them with the live oracle (tf_keras's legacy layers), so the check
runs in the normal suite.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from absl.testing import absltest, parameterized

from tests.parity import compare, registry, runner
from tests.parity.oracle import get_worker

REPO_ROOT = Path(__file__).resolve().parents[1]

# A few per-layer cases and a whole model: unnamed layers in scopes,
# regularizers, batch-normalization updates, pooling and dropout.
CASES = (
    "stride2_same",
    "conv1d_unnamed_in_scope",
    "dense_regularizers",
    "bn_training_update_ops_collection",
    "model_cnn_classifier",
)

# Runs in the child, under TF_USE_LEGACY_KERAS=1; pickles what it saw to argv[1].
CHILD = """
import pickle, sys, warnings

import keras
import tensorflow as tf
import compat_layers
from tests.parity import registry, runner

layers_before = tf.compat.v1.layers
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    installed = [compat_layers.install(), compat_layers.install()]
report = {
    "tf.keras": tf.keras.__name__,
    "keras": keras.__version__,
    "ours_are_keras_3": issubclass(compat_layers.Conv2DTranspose, keras.layers.Conv2DTranspose),
    "ours_are_tf_keras": issubclass(compat_layers.Conv2DTranspose, tf.keras.layers.Conv2DTranspose),
    "v1_layers_module": tf.compat.v1.layers.Conv2DTranspose.__module__,
    "install": installed,
    "install_warnings": [str(w.message) for w in caught if w.category is RuntimeWarning],
    "v1_layers_untouched": tf.compat.v1.layers is layers_before,
    "results": {
        (name, mode): runner.run_case(compat_layers, registry.CASES_BY_NAME[name], mode)
        for name in sys.argv[2].split(",")
        for mode in runner.MODES
    },
}
with open(sys.argv[1], "wb") as out:
    pickle.dump(report, out)
"""


class LegacyKerasModeTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        oracle = get_worker("legacy")
        oracle.expect([(name, mode) for name in CASES for mode in runner.MODES])
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
        with tempfile.TemporaryDirectory() as workdir:
            path = os.path.join(workdir, "report.pickle")
            child = subprocess.run(
                [sys.executable, "-c", textwrap.dedent(CHILD), path, ",".join(CASES)],
                cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
            )
            if child.returncode != 0:
                raise AssertionError(f"child under TF_USE_LEGACY_KERAS=1 failed:\n{child.stderr[-4000:]}")
            with open(path, "rb") as report:
                cls.report = pickle.load(report)

    def test_imports_next_to_tf_keras(self):
        self.assertStartsWith(self.report["tf.keras"], "tf_keras.")
        self.assertStartsWith(self.report["keras"], "3.")
        # Built on Keras 3 even where tf.keras is Keras 2.
        self.assertTrue(self.report["ours_are_keras_3"])
        self.assertFalse(self.report["ours_are_tf_keras"])
        self.assertStartsWith(self.report["v1_layers_module"], "tf_keras.")

    def test_install_does_nothing_and_warns_once(self):
        self.assertEqual(self.report["install"], [False, False])
        self.assertLen(self.report["install_warnings"], 1)
        self.assertIn("TF_USE_LEGACY_KERAS=1", self.report["install_warnings"][0])
        self.assertTrue(self.report["v1_layers_untouched"])

    @parameterized.named_parameters(
        (f"_{name}_{mode}", name, mode) for name in CASES for mode in runner.MODES
    )
    def test_matches_tf_keras_legacy_layer(self, case_name, mode):
        theirs = get_worker("legacy").run(case_name, mode)
        compare.assert_same_behaviour(
            self.report["results"][(case_name, mode)], theirs,
            registry.CASES_BY_NAME[case_name], "tf_keras legacy",
        )


if __name__ == "__main__":
    absltest.main()
