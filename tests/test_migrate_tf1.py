"""`compat-layers migrate` on TF 1.x code: the tf1-api switch to
`tensorflow.compat.v1`, the tf1-rnn-cells rewrite, the Keras names scan
reports, continuation lines kept aligned, and real-world-shaped TF 1.x code
bases (tests/tf1_codebases) that fail on TF 2 before migration and give the
TF1 oracle's numbers after it."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
from absl.testing import absltest, parameterized

from compat_layers_cli import codemod, rules

REPO_ROOT = Path(__file__).resolve().parents[1]
CODEBASES = REPO_ROOT / "tests" / "tf1_codebases"


def migrate(source: str) -> str:
    return codemod.migrate_source(textwrap.dedent(source)).after.decode()


def scan(source: str, not_covered: bool = True) -> list[tuple[str, str]]:
    return [(use.name, use.rule)
            for use in codemod.scan_source(textwrap.dedent(source), not_covered=not_covered)]


class Tf1ApiScanTest(parameterized.TestCase):
    def test_tf1_names_through_tensorflow_are_reported(self):
        self.assertEqual(scan("""\
            import tensorflow as tf
            from tensorflow import placeholder as ph
            tf.set_random_seed(1)
            x = ph(tf.float32)
            y = tf.nn.relu(tf.to_float(x))
            opt = tf.train.AdamOptimizer(0.1)
            """, not_covered=False), [
            ("tf.placeholder", rules.TF1_API),
            ("tf.set_random_seed", rules.TF1_API),
            ("tf.placeholder", rules.TF1_API),
            ("tf.to_float", rules.TF1_API),
            ("tf.train.AdamOptimizer", rules.TF1_API),
        ])
        self.assertTrue(rules.RULES[rules.TF1_API].covered)
        self.assertIn("compat-layers migrate --write", rules.RULES[rules.TF1_API].help)

    @parameterized.parameters(
        "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\n",
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n",
        "import tensorflow as tf\nx = tf.nn.relu(tf.random.normal([3]))\n",
    )
    def test_tf1_names_spelled_compat_v1_and_tf2_names_are_not(self, source):
        self.assertEqual(scan(source), [])


class NameResolutionTest(parameterized.TestCase):
    """Names resolve through imports by Python's scopes, on CPython's ast."""

    @parameterized.named_parameters(
        ("parameter_shadows_the_import",
         "import tensorflow as tf\ndef f(tf):\n    return tf.placeholder\n", []),
        ("local_assignment_shadows_it",
         "import tensorflow as tf\ndef f():\n    tf = object()\n    return tf.placeholder\n", []),
        ("global_reaches_the_module",
         "import tensorflow as tf\ndef f():\n    global tf\n    return tf.placeholder\n",
         [(4, 12, "tf.placeholder")]),
        ("enclosing_function", "def f():\n    import tensorflow as tf\n"
         "    def g():\n        return tf.placeholder\n", [(4, 16, "tf.placeholder")]),
        ("class_body_not_seen_by_its_methods",
         "class A:\n    import tensorflow as tf\n    def f(self):\n        return tf.placeholder\n", []),
        ("comprehension", "import tensorflow as tf\nx = [tf.placeholder for tf in range(3)]\n", []),
        ("decorator_and_fstring", "import tensorflow as tf\n@tf.contrib.framework.deprecated\n"
         "def f():\n    return f'{tf.layers.dense}'\n",
         [(2, 2, "tf.contrib.framework.deprecated"), (4, 15, "tf.compat.v1.layers.dense")]),
    )
    def test_scopes(self, source, expected):
        self.assertEqual([(use.line, use.column, use.name)
                          for use in codemod.scan_source(source, not_covered=True)], expected)

    def test_columns_count_characters(self):
        source = "import tensorflow as tf\nx = 'é'; y = tf.placeholder(x)\n"
        for data in (source, source.encode("utf-8"), source.encode("utf-8-sig")):
            self.assertEqual([(use.line, use.column) for use in codemod.scan_source(data)],
                             [(2, 14)])

    def test_what_cpython_rejects_gets_libcsts_error(self):
        with self.assertRaisesRegex(codemod.CodemodError, "^does not parse: "):
            codemod.scan_source("import tensorflow as tf\nprint tf.placeholder\n")


class Tf1ApiMigrateTest(parameterized.TestCase):
    def test_switches_the_import_and_disables_v2_behaviour_after_the_imports(self):
        after = migrate('''\
            """Agent."""
            import os
            import numpy as np
            import tensorflow as tf
            from agent import Net

            SEED = 1


            def build():
                tf.set_random_seed(SEED)
                tf.random.set_seed(2)
                return tf.placeholder(tf.float32, [None, 3])
            ''')
        self.assertEqual(after, textwrap.dedent('''\
            """Agent."""
            import os
            import numpy as np
            import tensorflow.compat.v1 as tf
            from agent import Net

            tf.disable_v2_behavior()

            SEED = 1


            def build():
                tf.set_random_seed(SEED)
                tf.compat.v2.random.set_seed(2)
                return tf.placeholder(tf.float32, [None, 3])
            '''))
        self.assertEqual(migrate(after), after, "a second run changes nothing")
        self.assertEqual(scan(after), [])

    @parameterized.parameters(
        # TF2 code, and TF1 code that spells tf.compat.v1: valid on TF 2 already.
        "import tensorflow as tf\nx = tf.nn.relu(tf.random.normal([3]))\n",
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n",
        "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32)\n",
        "import numpy as np\nx = np.zeros(3)\n",
    )
    def test_files_that_run_on_tf2_are_left_alone(self, source):
        self.assertEqual(migrate(source), source)

    def test_tf_layers_alone_goes_to_compat_layers_without_a_switch(self):
        self.assertEqual(
            migrate("import tensorflow as tf\nx = tf.zeros([2, 3])\ny = tf.layers.dense(x, 2)\n"),
            "import tensorflow as tf\nimport compat_layers\nx = tf.zeros([2, 3])\n"
            "y = compat_layers.dense(x, 2)\n",
        )

    @parameterized.named_parameters(
        ("import_tensorflow",
         "import tensorflow\nx = tensorflow.placeholder(tensorflow.float32)\n",
         "import tensorflow.compat.v1 as tensorflow\n\ntensorflow.disable_v2_behavior()\n"
         "x = tensorflow.placeholder(tensorflow.float32)\n"),
        ("from_tensorflow",
         "from tensorflow import placeholder, float32\nx = placeholder(float32)\n",
         "from tensorflow.compat.v1 import placeholder, float32\n\nimport tensorflow.compat.v1\n"
         "tensorflow.compat.v1.disable_v2_behavior()\nx = placeholder(float32)\n"),
        ("tf1_eager_code_stays_eager",
         "import tensorflow as tf\ntf.enable_eager_execution()\nx = tf.to_float(1)\n",
         "import tensorflow.compat.v1 as tf\ntf.enable_eager_execution()\nx = tf.to_float(1)\n"),
        ("disables_itself",
         "import tensorflow as tf\ntf.disable_v2_behavior()\nx = tf.placeholder(tf.float32)\n",
         "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
         "x = tf.placeholder(tf.float32)\n"),
        ("imported_in_a_function",
         "def f():\n    import tensorflow as tf\n    return tf.placeholder(tf.float32)\n",
         "def f():\n    import tensorflow.compat.v1 as tf\n    return tf.placeholder(tf.float32)\n"),
        ("tf2_only_names_through_compat_v2",
         "import tensorflow as tf\nx = tf.placeholder(tf.float32)\nopt = tf.optimizers.Adam()\n"
         "l = tf.losses.MeanSquaredError()\n",
         "import tensorflow.compat.v1 as tf\n\ntf.disable_v2_behavior()\n"
         "x = tf.placeholder(tf.float32)\nopt = tf.compat.v2.optimizers.Adam()\n"
         "l = tf.compat.v2.losses.MeanSquaredError()\n"),
    )
    def test_forms(self, source, expected):
        self.assertEqual(migrate(source), expected)
        self.assertEqual(migrate(expected), expected)


class RnnCellsTest(parameterized.TestCase):
    @parameterized.named_parameters(
        ("tf_nn", "import tensorflow.compat.v1 as tf\nc = tf.nn.rnn_cell.LSTMCell(3)\n",
         "import tensorflow.compat.v1 as tf\nimport compat_layers.rnn_cell\n"
         "c = compat_layers.rnn_cell.LSTMCell(3)\n"),
        ("contrib_attribute", "import tensorflow.compat.v1 as tf\nc = tf.contrib.rnn.GRUCell(3)\n",
         "import tensorflow.compat.v1 as tf\nimport compat_layers.rnn_cell\n"
         "c = compat_layers.rnn_cell.GRUCell(3)\n"),
        ("contrib_import", "from tensorflow.contrib.rnn import LSTMCell, MultiRNNCell as M\n",
         "from compat_layers.rnn_cell import LSTMCell, MultiRNNCell as M\n"),
        ("compat_v1_module", "from tensorflow.compat.v1.nn import rnn_cell\n",
         "import compat_layers.rnn_cell as rnn_cell\n"),
    )
    def test_rewrites(self, source, expected):
        self.assertEqual(migrate(source), expected)
        self.assertEqual(scan(expected), [])

    def test_the_ten_classes_are_covered_other_contrib_rnn_names_are_not(self):
        for name in codemod.RNN_CELL_NAMES:
            self.assertEqual(scan(f"import tensorflow as tf\ntf.contrib.rnn.{name}\n"),
                             [(f"tf.contrib.rnn.{name}", rules.TF1_RNN_CELLS)])
        self.assertEqual(scan("import tensorflow as tf\ntf.contrib.rnn.LayerNormBasicLSTMCell\n"),
                         [("tf.contrib.rnn.LayerNormBasicLSTMCell", rules.TF_CONTRIB)])
        self.assertLen(codemod.RNN_CELL_NAMES, 10)


class KerasNamesTest(parameterized.TestCase):
    @parameterized.parameters(
        ("import tensorflow as tf\ntf.keras.backend.get_session()\n",
         "tf.keras.backend.get_session", rules.TF1_KERAS),
        ("from tensorflow.keras import backend as K\nK.set_session(s)\n",
         "tf.keras.backend.set_session", rules.TF1_KERAS),
        ("import tensorflow as tf\ntf.keras.optimizers.legacy.Adam()\n",
         "tf.keras.optimizers.legacy.Adam", rules.KERAS3_DROPPED),
        ("from keras import backend as K\nK.mean(x)\n", "keras.backend.mean", rules.KERAS3_DROPPED),
        ("import keras\nkeras.layers.LocallyConnected2D(3, 3)\n", "keras.layers.LocallyConnected2D",
         rules.KERAS3_DROPPED_LAYER),
        ("from keras.layers import LSTM\nLSTM(3, time_major=True)\n",
         "keras.layers.LSTM(time_major=)", rules.KERAS3_DROPPED_ARGUMENT),
    )
    def test_reported(self, source, name, rule):
        self.assertIn((name, rule), scan(source))

    @parameterized.parameters(
        "import keras\nkeras.layers.Dense(3)\nkeras.ops.mean(x)\nkeras.optimizers.Adam()\n",
        "import tensorflow as tf\ntf.keras.layers.Dense(3)\ntf.keras.backend.clear_session()\n",
    )
    def test_keras3_names_are_not(self, source):
        self.assertEqual(scan(source), [])


@absltest.skipIf(importlib.util.find_spec("pycodestyle") is None, "pycodestyle is not installed")
class FormattingTest(absltest.TestCase):
    """A rewrite that lengthens a call moves the lines aligned with its bracket."""

    def _alignment_errors(self, directory: Path) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-m", "pycodestyle", "--select=E127,E128", "--max-line-length=120",
             str(directory)], capture_output=True, text=True, timeout=300)
        return [line.split(":", 3)[3] + line.split(":", 1)[0].rsplit("/", 1)[-1]
                for line in result.stdout.splitlines()]

    def test_pycodestyle_alignment_errors_do_not_grow(self):
        with tempfile.TemporaryDirectory() as tmp:
            before, after = Path(tmp, "before"), Path(tmp, "after")
            shutil.copytree(CODEBASES, before)
            shutil.copy(REPO_ROOT / "examples" / "tf1_pix2pix_train.py", before)
            shutil.copytree(before, after)
            for path in after.rglob("*.py"):
                migration = codemod.migrate_source(path.read_bytes())
                self.assertTrue(migration.changed, path)
                path.write_bytes(migration.after)
            self.assertEqual(self._alignment_errors(after), self._alignment_errors(before))
            pix2pix = (after / "pix2pix.py").read_text()
        self.assertIn(
            '        e1 = compat_layers.conv2d(x, NGF, 4, strides=2, padding="same",\n'
            '                                  kernel_initializer=', pix2pix)


def _run(script: Path, legacy_keras: bool) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("TF_USE_LEGACY_KERAS", "COMPAT_LAYERS_INSTALL", "PYTHONPATH")}
    env.update(TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(REPO_ROOT))
    if legacy_keras:
        env["TF_USE_LEGACY_KERAS"] = "1"
    return subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=600, cwd=script.parent)


class CodebaseTest(parameterized.TestCase):
    """Each code base as TF 1.x left it: it fails on TF 2; switched to
    tf.compat.v1 by hand (the migration guide's first step) and run with
    TF_USE_LEGACY_KERAS=1 it is the TF1 oracle (tf_keras's legacy layers and
    cells); migrated, it runs on compat_layers and must give the oracle's
    numbers. Both run the same TensorFlow ops with the same seeds on this
    machine; the bound allows float32 rounding carried through a few training
    steps."""

    @parameterized.named_parameters(
        ("dqn", "dqn", "dqn/train.py", "set_random_seed"),
        ("pix2pix", "pix2pix.py", "pix2pix.py", "set_random_seed"),
        ("char_rnn", "char_rnn.py", "char_rnn.py", "set_random_seed"),
    )
    def test_fails_before_and_gives_the_oracle_numbers_after(self, tree, script, missing):
        with tempfile.TemporaryDirectory() as tmp:
            original, by_hand, migrated = (Path(tmp, name) for name in ("original", "by_hand", "migrated"))
            for copy in (original, by_hand, migrated):
                copy.mkdir()
                source = CODEBASES / tree
                if source.is_dir():
                    shutil.copytree(source, copy / tree)
                else:
                    shutil.copy(source, copy)
            broken = _run(original / script, legacy_keras=False)
            self.assertNotEqual(broken.returncode, 0)
            self.assertIn(f"AttributeError: module 'tensorflow' has no attribute '{missing}'",
                          broken.stderr)

            for path in by_hand.rglob("*.py"):
                path.write_text(re.sub(
                    r"^import tensorflow as tf$",
                    "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()",
                    path.read_text(), flags=re.MULTILINE))
            oracle = _run(by_hand / script, legacy_keras=True)
            self.assertEqual(oracle.returncode, 0, oracle.stderr[-3000:])

            cli = subprocess.run(
                [sys.executable, "-m", "compat_layers_cli", "migrate", "--write", str(migrated)],
                capture_output=True, text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)))
            self.assertEqual(cli.returncode, 0, cli.stdout + cli.stderr)
            for path in migrated.rglob("*.py"):
                self.assertEqual(codemod.scan_source(path.read_bytes(), not_covered=True), [], path)
            ours = _run(migrated / script, legacy_keras=False)
            self.assertEqual(ours.returncode, 0, ours.stderr[-3000:])

        expected = json.loads(oracle.stdout.strip().splitlines()[-1])
        actual = json.loads(ours.stdout.strip().splitlines()[-1])
        np.testing.assert_allclose(actual["losses"], expected["losses"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(actual["values"], expected["values"], rtol=1e-5, atol=1e-6)


class Tf1TablesTest(absltest.TestCase):
    def test_table_is_current(self):
        result = subprocess.run(
            [sys.executable, "-m", "compat_layers_cli._tf1_tables", "--check"],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr[-2000:])

    def test_table_holds_what_tf1_code_uses(self):
        from compat_layers_cli._tf1_tables import TF1_ONLY, TF2_ONLY

        for name in ("placeholder", "Session", "set_random_seed", "to_float", "variable_scope",
                     "train.AdamOptimizer", "nn.dynamic_rnn", "layers", "nn.rnn_cell"):
            self.assertIn(name, TF1_ONLY)
        self.assertIn("random.set_seed", TF2_ONLY)
        self.assertNotIn("nn.relu", TF1_ONLY)


if __name__ == "__main__":
    absltest.main()
