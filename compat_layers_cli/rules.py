"""The scan rules: what `compat-layers scan` reports, and where to go for each.

Four rules are *covered*: `migrate` rewrites the use (to compat_layers, or,
for TF 1.x API, the file to `tf.compat.v1`). The others are what TensorFlow 2.16+ removed that compat_layers
does not provide; `scan` reports them, marked "not covered", so that one
report shows the whole migration. Each rule has a section of its own in
docs/scan-rules.md (the heading is the rule id); SARIF output carries the
same help text.
"""

from __future__ import annotations

import dataclasses

# The `tf.compat.v1.keras.utils` migration tools Keras 3 dropped
# (`compat_layers.utils` has them). `compat_layers.install` reads it here, so
# that the codemod needs no TensorFlow.
KERAS_UTILS_NAMES = ("DeterministicRandomTestTool", "get_or_create_layer", "track_tf1_style_variables")

TF1_LAYERS = "tf1-layers"
TF1_KERAS_UTILS = "tf1-keras-utils"
TF1_RNN_CELLS = "tf1-rnn-cells"
TF1_API = "tf1-api"
TF_CONTRIB = "tf-contrib"
TF_ESTIMATOR = "tf-estimator"
TF1_KERAS = "tf1-keras"
KERAS3_DROPPED_LAYER = "keras3-dropped-layer"
KERAS3_DROPPED_ARGUMENT = "keras3-dropped-argument"
KERAS3_DROPPED = "keras3-dropped"


@dataclasses.dataclass(frozen=True)
class Rule:
    """One kind of finding.

    Attributes:
      id: Stable identifier (SARIF `ruleId`, the docs section's heading).
      title: One line: what is found.
      covered: Whether compat_layers provides it (and `migrate` rewrites it).
      help: Where to go from here, a few sentences of plain text.
      fix: For a covered rule, what `migrate` does with a use, as a clause
        with `{it}` for the use or uses (`it`, `them`); empty otherwise.
    """

    id: str
    title: str
    covered: bool
    help: str
    fix: str = ""


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            TF1_LAYERS,
            "tf.compat.v1.layers / tf.layers, which Keras 3 removed",
            True,
            "compat_layers provides it with TF1's behaviour: run `compat-layers migrate "
            "--write` to rewrite the use to compat_layers, or run the code unchanged "
            "with COMPAT_LAYERS_INSTALL=1.",
            fix="provided by compat_layers; `compat-layers migrate` rewrites {it}",
        ),
        Rule(
            TF1_KERAS_UTILS,
            "a tf.compat.v1.keras.utils migration tool Keras 3 removed",
            True,
            "compat_layers.utils provides track_tf1_style_variables, get_or_create_layer "
            "and DeterministicRandomTestTool: run `compat-layers migrate --write`.",
            fix="provided by compat_layers; `compat-layers migrate` rewrites {it}",
        ),
        Rule(
            TF1_RNN_CELLS,
            "tf.nn.rnn_cell / tf.contrib.rnn cells, which Keras 3 removed",
            True,
            "compat_layers.rnn_cell provides the ten TF1 cell classes with TF1's "
            "behaviour (they work in tf.nn.dynamic_rnn): run `compat-layers migrate --write`.",
            fix="provided by compat_layers; `compat-layers migrate` rewrites {it}",
        ),
        Rule(
            TF1_API,
            "TF 1.x API through `import tensorflow as tf`, which TF 2's tf lacks",
            True,
            "tf.compat.v1 has it: run `compat-layers migrate --write`, which makes the "
            "file `import tensorflow.compat.v1 as tf` and calls tf.disable_v2_behavior() "
            "after its imports, as the TF2 migration guide's first step does.",
            # Not compat_layers: TensorFlow's own tf.compat.v1 keeps these names.
            fix="kept by tf.compat.v1; `compat-layers migrate` switches the file to it",
        ),
        Rule(
            TF_CONTRIB,
            "tf.contrib, removed in TensorFlow 2.0",
            False,
            "Not covered by compat_layers. Most of tf.contrib moved: tf.contrib.rnn "
            "cells to compat_layers.rnn_cell (covered), tf.contrib.layers initializers "
            "and regularizers to tf.compat.v1 initializers and keras.regularizers with "
            "other scaling (see the docs for the exact arguments), tf.contrib.slim to "
            "the tf-slim package, tf.contrib.seq2seq and .opt to TensorFlow Addons (archived).",
        ),
        Rule(
            TF_ESTIMATOR,
            "tf.estimator, removed in TensorFlow 2.16",
            False,
            "Not covered by compat_layers. Rewrite the input_fn / model_fn pair as a "
            "Keras model trained with Model.fit or a custom training loop; "
            "tf.distribute replaces the Estimator's distribution.",
        ),
        Rule(
            TF1_KERAS,
            "a tf.compat.v1.keras name Keras 3 removed",
            False,
            "Not covered by compat_layers. tf.compat.v1.keras is Keras 3 from TF 2.16 on; "
            "TF1-only names (backend.get_session, learning_phase, placeholder, ...) have "
            "no Keras 3 equivalent: use the tf_keras package (TF_USE_LEGACY_KERAS=1) or "
            "move the code to Keras 3 APIs.",
        ),
        Rule(
            KERAS3_DROPPED_LAYER,
            "a tf.keras.layers name Keras 3 removed",
            False,
            "Not covered by compat_layers. layers.experimental.preprocessing.* are "
            "keras.layers.* now; SyncBatchNormalization is "
            "BatchNormalization(synchronized=True); LocallyConnected*, DenseFeatures, "
            "CuDNNLSTM/CuDNNGRU (use LSTM/GRU) and AbstractRNNCell have no Keras 3 "
            "version: keep them on tf_keras (TF_USE_LEGACY_KERAS=1).",
        ),
        Rule(
            KERAS3_DROPPED_ARGUMENT,
            "a tf.keras.layers argument Keras 3 rejects",
            False,
            "Not covered by compat_layers. Keras 3 raises 'Unrecognized keyword "
            "arguments' for it: drop fused= and dynamic=, feed batch-major inputs "
            "instead of time_major=True, and see the docs for the others.",
        ),
        Rule(
            KERAS3_DROPPED,
            "a tf.keras or keras name Keras 3 removed",
            False,
            "Not covered by compat_layers. tf.keras and keras are Keras 3 from TF 2.16 "
            "on: tf.keras.estimator, .experimental, .backend's TF1 functions, "
            "optimizers.legacy and others are gone (Keras 3 keeps some names that only "
            "raise); see the docs for each, or keep the code on tf_keras "
            "(TF_USE_LEGACY_KERAS=1).",
        ),
    )
}
