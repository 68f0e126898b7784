"""compat_layers.codemod: finding every TF1 use through any alias, rewriting it
to compat_layers with formatting and comments kept, idempotently; notebooks;
and a migrated TF1 program giving the TF1 oracle's numbers."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
from absl.testing import absltest, parameterized

from compat_layers_cli import codemod

REPO_ROOT = Path(__file__).resolve().parents[1]
TF1_PROGRAM = REPO_ROOT / "tests" / "oracle_scripts" / "tf1_discriminator.py"

# A TF1 model file as found in the wild: aliases, comments, odd layout.
PIX2PIX = textwrap.dedent(
    '''\
    """pix2pix generator (TF1)."""
    from __future__ import print_function

    import numpy as np
    import tensorflow.compat.v1 as tf  # TF1 API
    from tensorflow.compat.v1 import layers as L, keras
    from tensorflow.compat.v1.layers import conv2d as c2d, dense
    from tensorflow.compat.v1.keras.utils import track_tf1_style_variables, to_categorical

    tf.disable_v2_behavior()
    NGF = 64  # generator filters


    def encoder(x, training):
        # Encoder: strided convolutions.
        with tf.variable_scope("encoder"):
            h = tf.layers.conv2d(x, NGF, 4, strides=2,  # downsample
                                 padding="same")
            h = tf.compat.v1.layers.batch_normalization(h, training=training)
            h = L.dropout(h, 0.5, training=training)
            return c2d(h, 3, 1)


    def decoder(h):
        if h is None: from tensorflow.compat.v1 import layers as LL, nn
        tool = keras.utils.DeterministicRandomTestTool  # for tests
        return dense(tf.layers.flatten(h), 10)  # logits
    '''
)


def migrate(source: str) -> str:
    return codemod.migrate_source(source).after.decode()


def names(source: str) -> list[str]:
    return [use.name for use in codemod.scan_source(source)]


class ScanTest(parameterized.TestCase):
    def test_positions_and_names(self):
        uses = codemod.scan_source(PIX2PIX)
        self.assertEqual(
            [(use.line, use.column, use.name) for use in uses],
            [
                (6, 34, "tf.compat.v1.layers"),
                (7, 41, "tf.compat.v1.layers.conv2d"),
                (7, 56, "tf.compat.v1.layers.dense"),
                (8, 46, "tf.compat.v1.keras.utils.track_tf1_style_variables"),
                (17, 13, "tf.compat.v1.layers.conv2d"),
                (19, 13, "tf.compat.v1.layers.batch_normalization"),
                (20, 13, "tf.compat.v1.layers.dropout"),
                (21, 16, "tf.compat.v1.layers.conv2d"),
                (25, 52, "tf.compat.v1.layers"),
                (26, 12, "tf.compat.v1.keras.utils.DeterministicRandomTestTool"),
                (27, 12, "tf.compat.v1.layers.dense"),
                (27, 18, "tf.compat.v1.layers.flatten"),
            ],
        )

    def test_summary_counts_most_used_first(self):
        counts = codemod.summarize(codemod.scan_source(PIX2PIX))
        self.assertEqual(next(iter(counts)), "tf.compat.v1.layers.conv2d")
        self.assertEqual(counts["tf.compat.v1.layers.conv2d"], 3)

    @parameterized.parameters(
        "import tensorflow as tf\ny = tf.keras.layers.Dense(3)\n",
        "import keras\ny = keras.layers.Dense(3)\n",
        "import tensorflow as tf\ny = tf.nn.conv2d\n",
        "import tensorflow.compat.v1 as tf\ny = tf.compat.v1.keras.utils.to_categorical\n",
        "def f(tf):\n    return tf.layers.dense  # `tf` is a parameter here\n",
        "x = 'tf.layers.dense'  # tf.layers.dense in a comment\n",
        "from .layers import dense\nfrom tensorflow.compat.v1 import *\n",
    )
    def test_not_uses(self, source):
        self.assertEqual(codemod.scan_source(source), [])
        self.assertFalse(codemod.migrate_source(source).changed)


class MigrateTest(parameterized.TestCase):
    @parameterized.named_parameters(
        ("tf_layers", "import tensorflow.compat.v1 as tf\ny = tf.layers.dense(x, 3)\n",
         ["y = compat_layers.dense(x, 3)", "import compat_layers\n"]),
        ("tf1_namespace", "import tensorflow as tf\ny = tf.layers.Dense(3)\n",
         ["y = compat_layers.Dense(3)"]),
        ("tf_compat_v1", "import tensorflow as tf\ny = tf.compat.v1.layers.conv2d(x, 1, 1)\n",
         ["y = compat_layers.conv2d(x, 1, 1)"]),
        ("full_name", "import tensorflow\ny = tensorflow.compat.v1.layers.flatten(x)\n",
         ["y = compat_layers.flatten(x)", "import tensorflow\n"]),
        ("from_v1", "from tensorflow.compat import v1\ny = v1.layers.dense(x, 1)\n",
         ["y = compat_layers.dense(x, 1)"]),
        ("module_alias", "from tensorflow.compat.v1 import layers\ny = layers.conv2d(x)\n",
         ["import compat_layers as layers\n", "y = layers.conv2d(x)"]),
        ("tf1_module_alias", "from tensorflow import layers as tl\ny = tl.dense(x)\n",
         ["import compat_layers as tl\n", "y = tl.dense(x)"]),
        ("split", "from tensorflow.compat.v1 import layers as L, keras  # note\n",
         ["from tensorflow.compat.v1 import keras  # note\nimport compat_layers as L\n"]),
        ("names", "from tensorflow.compat.v1.layers import (conv2d as c,  # conv\n    dense)\n",
         ["from compat_layers import (conv2d as c,  # conv\n    dense)\n"]),
        ("import_as", "import tensorflow.compat.v1.layers as tfl\ny = tfl.dense(x, 1)\n",
         ["import compat_layers as tfl\n"]),
        ("import_plain", "import tensorflow.compat.v1.layers\ny = tensorflow.compat.v1.layers.dense(x)\n",
         ["import tensorflow.compat.v1\n", "y = compat_layers.dense(x)"]),
        ("experimental", "from tensorflow.compat.v1.layers.experimental import keras_style_scope\n",
         ["from compat_layers.experimental import keras_style_scope\n"]),
        ("utils_attribute",
         "import tensorflow as tf\nd = tf.compat.v1.keras.utils.track_tf1_style_variables\n",
         ["d = compat_layers.utils.track_tf1_style_variables"]),
        ("utils_names", "from tensorflow.compat.v1.keras.utils import track_tf1_style_variables as t, "
         "get_or_create_layer\n",
         ["from compat_layers.utils import track_tf1_style_variables as t, get_or_create_layer\n"]),
        ("utils_split", "from tensorflow.compat.v1.keras.utils import DeterministicRandomTestTool, "
         "to_categorical\n",
         ["from tensorflow.compat.v1.keras.utils import to_categorical\n"
          "from compat_layers.utils import DeterministicRandomTestTool\n"]),
        ("utils_module", "from tensorflow.compat.v1.keras import utils as U\nt = U.get_or_create_layer\n"
         "c = U.to_categorical\n",
         ["t = compat_layers.utils.get_or_create_layer\n", "c = U.to_categorical\n"]),
        ("local_import", "def f():\n    from tensorflow.compat.v1 import layers, nn  # local\n"
         "    return layers.dense\n",
         ["    from tensorflow.compat.v1 import nn  # local\n    import compat_layers as layers\n"]),
        ("one_line_suite", "if x: from tensorflow.compat.v1 import layers as L, nn\n",
         ["if x: from tensorflow.compat.v1 import nn; import compat_layers as L\n"]),
        ("parenthesized", "import tensorflow.compat.v1 as tf\nf = (tf.layers).dense\n",
         ["f = (compat_layers).dense\n"]),
    )
    def test_rewrites(self, source, expected):
        self.assertNotEqual(names(source), [])
        after = migrate(source)
        for fragment in expected:
            self.assertIn(fragment, after)
        ast.parse(after)
        self.assertEqual(names(after), [])
        self.assertEqual(migrate(after), after)

    def test_import_goes_after_tensorflow_not_before_the_environment_setup(self):
        source = ("import os\n\nos.environ['CUDA_VISIBLE_DEVICES'] = ''\n"
                  "import tensorflow.compat.v1 as tf  # TF1\n\ny = tf.layers.dense(x, 3)\n")
        after = migrate(source)
        self.assertIn("os.environ['CUDA_VISIBLE_DEVICES'] = ''\n"
                      "import tensorflow.compat.v1 as tf  # TF1\nimport compat_layers\n", after)
        self.assertEqual(after.count("import compat_layers"), 1)
        self.assertEqual(migrate(after), after)

    def test_import_without_a_top_level_tensorflow_import(self):
        source = "import os\n\ndef f(x):\n    import tensorflow as tf\n    return tf.layers.dense(x, 3)\n"
        after = migrate(source)
        self.assertTrue(after.startswith("import os\nimport compat_layers\n"), after)
        ast.parse(after)

    def test_real_looking_file(self):
        after = migrate(PIX2PIX)
        ast.parse(after)
        self.assertEqual(names(after), [])
        self.assertEqual(migrate(after), after, "a second run changes nothing")
        self.assertEqual(after.count("import compat_layers\n"), 1)
        # Every comment and every line without a use are kept as they were.
        for line in PIX2PIX.splitlines():
            if "#" in line:
                self.assertIn(line[line.index("#"):], after)
        used_lines = {use.line for use in codemod.scan_source(PIX2PIX)}
        # Line 18 is aligned with the bracket of line 17's rewritten call.
        for number, line in enumerate(PIX2PIX.splitlines(), 1):
            if number not in used_lines | {18}:
                self.assertIn(line, after.splitlines(), number)
        self.assertIn(
            '        h = compat_layers.conv2d(x, NGF, 4, strides=2,  # downsample\n'
            '                                 padding="same")\n',
            after,
        )
        self.assertIn("tool = compat_layers.utils.DeterministicRandomTestTool  # for tests", after)
        self.assertIn("from tensorflow.compat.v1.keras.utils import to_categorical\n", after)

    def test_no_uses_means_no_change(self):
        source = "import tensorflow as tf\n\nx = tf.ones((2,))  # TF2\n"
        migration = codemod.migrate_source(source)
        self.assertFalse(migration.changed)
        self.assertEqual(migration.diff, "")

    def test_unified_diff(self):
        diff = codemod.migrate_source(PIX2PIX, "model.py").diff
        self.assertTrue(diff.startswith("--- a/model.py\n+++ b/model.py\n"))
        self.assertIn("-        h = tf.layers.conv2d(x, NGF, 4, strides=2,  # downsample\n", diff)
        self.assertIn("+        h = compat_layers.conv2d(x, NGF, 4, strides=2,  # downsample\n", diff)

    def test_assignments_are_left_and_reported(self):
        source = "import tensorflow.compat.v1 as tf\ntf.layers = None\ny = tf.layers.dense\n"
        migration = codemod.migrate_source(source)
        self.assertEqual(
            [(use.line, use.name) for use in migration.left_unchanged], [(2, "tf.compat.v1.layers")]
        )
        self.assertIn(b"tf.layers = None\ny = compat_layers.dense\n", migration.after)

    def test_declared_encoding_and_line_endings_are_kept(self):
        source = ("# -*- coding: latin-1 -*-\r\nimport tensorflow as tf\r\n"
                  "name = 'caf\xe9'\r\ny = tf.layers.dense\r\n")
        after = codemod.migrate_source(source.encode("latin-1")).after
        self.assertIn("name = 'caf\xe9'\r\n".encode("latin-1"), after)
        self.assertIn(b"y = compat_layers.dense\r\n", after)

    @parameterized.parameters(
        ("def f(:\n", "does not parse: error at"),
        ('print "python 2"\n', "does not parse"),
        (b"x = '\xff'\n", "cannot be decoded"),
    )
    def test_unreadable_sources(self, source, message):
        for action in (codemod.scan_source, codemod.migrate_source):
            with self.assertRaisesRegex(codemod.CodemodError, message) as raised:
                action(source)
            self.assertNotIn("\n", str(raised.exception))


def notebook(*cells: tuple[str, str], language: str = "python") -> bytes:
    content = {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text.splitlines(keepends=True),
             **({"execution_count": None, "outputs": []} if kind == "code" else {})}
            for kind, text in cells
        ],
        "metadata": {"kernelspec": {"language": language, "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return (json.dumps(content, indent=1, ensure_ascii=False) + "\n").encode()


NOTEBOOK = notebook(
    ("markdown", "# A TF1 notebook: `tf.layers.dense` in markdown is not code"),
    ("code", "%matplotlib inline\nimport tensorflow.compat.v1 as tf\n!pip list\n"),
    ("code", "with tf.Graph().as_default():\n    y = tf.layers.dense(tf.ones((1, 2)), 3)\ntf.layers.dense?"),
    ("code", "%%bash\necho tf.layers.dense"),
    ("code", "%%time\nz = tf.layers.conv2d"),
)


class NotebookTest(parameterized.TestCase):
    def test_scan_code_cells_only(self):
        uses = codemod.scan_notebook(NOTEBOOK)
        self.assertEqual(
            [(use.cell, use.line, use.column, use.name) for use in uses],
            [(3, 2, 9, "tf.compat.v1.layers.dense"), (5, 2, 5, "tf.compat.v1.layers.conv2d")],
        )

    def test_migrate_keeps_magics_other_cells_and_layout(self):
        migration = codemod.migrate_notebook(NOTEBOOK, "nb.ipynb")
        before, after = json.loads(NOTEBOOK), json.loads(migration.after)
        cells = ["".join(cell["source"]) for cell in after["cells"]]
        # The cells share one namespace: the import goes once, beside `tf`'s.
        self.assertEqual(cells[1], "%matplotlib inline\nimport tensorflow.compat.v1 as tf\n"
                                   "import compat_layers\n!pip list\n")
        self.assertEqual(cells[2], "with tf.Graph().as_default():\n"
                                   "    y = compat_layers.dense(tf.ones((1, 2)), 3)\ntf.layers.dense?")
        self.assertEqual(cells[4], "%%time\nz = compat_layers.conv2d")
        for number in (0, 3):
            self.assertEqual(after["cells"][number], before["cells"][number])
        self.assertEqual(after["metadata"], before["metadata"])
        self.assertTrue(migration.after.startswith(b'{\n "cells": [\n  {\n'))
        self.assertIn("+++ b/nb.ipynb#cell3", migration.diff)
        self.assertNotIn("compat-layers-ipython", migration.diff)
        self.assertFalse(codemod.migrate_notebook(migration.after).changed)

    @parameterized.parameters(
        (b'{"cells": [', "is not a valid notebook"),
        (b'{"nbformat": 4}', "no list of cells"),
        (notebook(("code", "x = 1"), language="R"), "is a R notebook"),
        (notebook(("code", "x = 1"), ("code", "def f(:")), "cell 2 does not parse"),
    )
    def test_unreadable_notebooks(self, data, message):
        for action in (codemod.scan_notebook, codemod.migrate_notebook):
            with self.assertRaisesRegex(codemod.CodemodError, message):
                action(data)

    def test_unknown_json_layout_is_not_rewritten(self):
        compact = json.dumps(json.loads(NOTEBOOK)).encode()
        with self.assertRaisesRegex(codemod.CodemodError, "JSON layout"):
            codemod.migrate_notebook(compact)
        self.assertNotEqual(codemod.scan_notebook(compact), [])


class MigratedProgramTest(absltest.TestCase):
    """tests/oracle_scripts/tf1_discriminator.py: the TF1 original under the
    TF1 oracle vs the migrated source on compat_layers (nothing installed)."""

    def test_same_numbers_as_the_tf1_original(self):
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run([sys.executable, str(TF1_PROGRAM)], env=env,
                             capture_output=True, text=True, check=True, timeout=300)
        tf1 = json.loads(out.stdout.strip().splitlines()[-1])

        migration = codemod.migrate_source(TF1_PROGRAM.read_bytes(), TF1_PROGRAM.name)
        self.assertEqual(codemod.scan_source(migration.after), [])
        namespace = {"__name__": "migrated"}
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"`tf\.layers\..*` is deprecated")
            exec(compile(migration.after, TF1_PROGRAM.name, "exec"), namespace)
            ours = namespace["main"]()

        self.assertEqual(list(ours["variables"]), list(tf1["variables"]))
        np.testing.assert_allclose(ours["losses"], tf1["losses"], rtol=1e-5)
        for name, value in tf1["variables"].items():
            np.testing.assert_allclose(ours["variables"][name], value, rtol=1e-5, atol=1e-6,
                                       err_msg=name)



class ScanRulesTest(parameterized.TestCase):
    """What compat_layers does not cover, and the prefilter that spares libcst."""

    @parameterized.parameters(
        ("import tensorflow as tf\nx = tf.contrib.layers.l2_regularizer(0.1)\n",
         "tf.contrib.layers.l2_regularizer", "tf-contrib"),
        ("import tensorflow_estimator as tfe\n", "tensorflow_estimator", "tf-estimator"),
        ("import tensorflow.compat.v1 as tf\ntf.estimator.RunConfig()\n",
         "tf.compat.v1.estimator.RunConfig", "tf-estimator"),
        ("from tensorflow.keras import layers\nlayers.LocallyConnected2D(3, 3)\n",
         "tf.keras.layers.LocallyConnected2D", "keras3-dropped-layer"),
        ("import tensorflow as tf\ntf.keras.layers.BatchNormalization(fused=True)\n",
         "tf.keras.layers.BatchNormalization(fused=)", "keras3-dropped-argument"),
        ("import tensorflow as tf\ntf.keras.backend.learning_phase()\n",
         "tf.keras.backend.learning_phase", "keras3-dropped"),
        ("import tensorflow.compat.v1 as tf\ntf.keras.backend.get_session()\n",
         "tf.compat.v1.keras.backend.get_session", "tf1-keras"),
    )
    def test_not_covered(self, source, name, rule):
        uses = codemod.scan_source(source, not_covered=True)
        self.assertEqual([(use.name, use.rule, use.covered) for use in uses][-1:],
                         [(name, rule, False)])
        self.assertEqual(codemod.scan_source(source), [])
        self.assertFalse(codemod.migrate_source(source).changed)

    def test_python_layers_modules_are_tf1_layers(self):
        source = "from tensorflow.python.layers import core as lc\ny = lc.dense(x, 3)\n"
        self.assertEqual(names(source), ["tf.compat.v1.layers", "tf.compat.v1.layers.dense"])
        self.assertEqual(codemod.migrate_source(source).after.decode(),
                         "import compat_layers.core as lc\ny = lc.dense(x, 3)\n")

    def test_prefiltered_files_still_report_parse_errors(self):
        for source in (b"def f(:\n", b"print 'python 2'\n", b"x = '\xe9'\n"):
            with self.assertRaises(codemod.CodemodError):
                codemod.scan_source(source)
        # What only CPython's compiler rejects, libcst accepts: no error.
        self.assertEqual(codemod.scan_source(b"return 1\n"), [])


@absltest.skipIf(importlib.util.find_spec("tf_keras") is None, "tf_keras is not installed")
class MigrateSelectionTest(absltest.TestCase):
    """`migrate_source` rewrites only what `scan` would report: uses of the
    selected rules that no `# compat-layers: ignore` comment hides."""

    def test_one_rule_of_two(self):
        source = ("import tensorflow.compat.v1 as tf\n"
                  "cell = tf.nn.rnn_cell.GRUCell(3)\n"
                  "y = tf.layers.dense(x, 3)\n")
        after = codemod.migrate_source(source, selected=frozenset({"tf1-rnn-cells"})).after
        self.assertEqual(after.decode(), source.replace(
            "tf\n", "tf\nimport compat_layers.rnn_cell\n", 1).replace(
            "tf.nn.rnn_cell.GRUCell", "compat_layers.rnn_cell.GRUCell"))

    def test_suppressed_imports(self):
        source = textwrap.dedent(
            """\
            from tensorflow.compat.v1.layers import (conv2d,
                                                     dense)  # compat-layers: ignore[tf1-layers]
            from tensorflow.contrib.rnn import GRUCell  # compat-layers: ignore[tf-contrib]
            from tensorflow.compat.v1 import layers  # compat-layers: ignore
            """
        )
        after = codemod.migrate_source(source).after.decode()
        # The first import names a hidden use: it stays whole. The comment on
        # the second hides another rule: it is rewritten.
        self.assertEqual(after, source.replace("from tensorflow.contrib.rnn import GRUCell",
                                               "from compat_layers.rnn_cell import GRUCell"))
        scanned = [(use.line, use.rule) for use in codemod.scan_source(source)]
        self.assertIn((3, "tf1-rnn-cells"), scanned)

    def test_suppressions(self):
        self.assertEqual(codemod.suppressions(b"a  # compat-layers: ignore\r\nb\rc  "
                                              b"#compat-layers:ignore[x, y]\n"),
                         {1: None, 3: frozenset({"x", "y"})})
        self.assertEqual(codemod.suppressions("no comment"), {})


class Keras3TablesTest(absltest.TestCase):
    def test_tables_are_current(self):
        result = subprocess.run(
            [sys.executable, "-m", "compat_layers_cli._keras3_tables", "--check"],
            cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=600,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr[-2000:])


if __name__ == "__main__":
    absltest.main()
