"""Checkpoints never lose data.

A TF1 `Saver` checkpoint written by TF 2.15.1's own v1 layers
(tests/goldens/tf-2.15.1/roundtrip/, recorded by
tests/oracle_scripts/record_roundtrip_checkpoint.py) goes through
compat_layers in a TF1 graph, a Keras 3 layer under
`track_tf1_style_variables`, `tf.train.Checkpoint` and a `.keras` file, and
back to a TF1-named `Saver` checkpoint that tf_keras's legacy layers (the live
TF1 oracle) restore. Every variable is bit-identical to the recorded value at
every hop, and so is the output wherever it is computed on this TensorFlow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping

import keras
import numpy as np
import pytest
import tensorflow as tf

import compat_layers
from compat_layers import utils
from tests.oracle_scripts import record_roundtrip_checkpoint as roundtrip
from tests.parity import compare

REPO_ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings(r"ignore:`tf\.layers\..*` is deprecated:UserWarning")

GOLDEN = dict(np.load(roundtrip.GOLDEN_DIR / "values.npz"))
GOLDEN_VARIABLES = json.loads((roundtrip.GOLDEN_DIR / "variables.json").read_text())["variables"]
NAMES = [v["name"] for v in GOLDEN_VARIABLES]
TRAINABLE = [v["name"] for v in GOLDEN_VARIABLES if v["trainable"]]
X = GOLDEN["input"]
# The variable the partial checkpoint leaves out: non-trainable, so only a
# Saver over all global variables (not only trainable ones) would notice.
MISSING = "model/encoder/bn/moving_variance"


class Tf1Model(keras.layers.Layer):
    """The round-trip TF1 program, unchanged, inside a Keras 3 layer."""

    @utils.track_tf1_style_variables
    def call(self, x):
        return roundtrip.model(compat_layers, x)


def _assert_golden_values(values: Mapping[str, np.ndarray], where: str) -> None:
    assert sorted(values) == sorted(NAMES), where
    for variable in GOLDEN_VARIABLES:
        name, value = variable["name"], np.asarray(values[variable["name"]])
        assert (list(value.shape), str(value.dtype)) == (variable["shape"], variable["dtype"]), f"{where}: {name}"
        np.testing.assert_array_equal(value, GOLDEN[name], err_msg=f"{where}: {name}")


def _assert_golden_weights(layer: keras.layers.Layer, where: str) -> None:
    assert [w.path for w in layer.trainable_weights] == TRAINABLE, where
    _assert_golden_values({w.path: w.numpy() for w in layer.weights}, where)


def _assert_golden_checkpoint(prefix: str, where: str) -> None:
    reader = tf.train.load_checkpoint(prefix)
    _assert_golden_values({name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}, where)


def _restore_golden_in_tf1_graph(save_to: str | None = None) -> np.ndarray:
    """Hop 2: compat_layers in a TF1 graph restores the golden checkpoint."""
    arrays, trainable = roundtrip.run_tf1_graph(
        compat_layers, restore_from=str(roundtrip.GOLDEN_PREFIX), save_to=save_to
    )
    assert trainable == TRAINABLE
    output = arrays.pop("output")
    np.testing.assert_array_equal(arrays.pop("input"), X)
    assert list(arrays) == NAMES  # GLOBAL_VARIABLES, in TF1's creation order
    _assert_golden_values(arrays, "TF1 graph")
    # The recorded output came from TF 2.15.1's kernels, maybe on another CPU
    # (measured here: TF 2.21's Tanh is 1 ULP off, 2e-6 after the Dense); the
    # live oracle, on this TensorFlow, gives compat_layers' output bit for bit.
    np.testing.assert_allclose(output, GOLDEN["output"], **compare.tolerance("float32"))
    return output


def _tf1_oracle_restore(checkpoint: str, out: Path) -> subprocess.CompletedProcess:
    """tf_keras's legacy v1 layers restore `checkpoint` in a TF1 graph."""
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-m", "tests.oracle_scripts.record_roundtrip_checkpoint", "restore", checkpoint, str(out)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


class _Weights(tf.Module):
    """Some of a layer's variables (the `tf.Variable`s under its weights)."""

    def __init__(self, layer: keras.layers.Layer, skip: str):
        super().__init__()
        self.kept = [w.value for w in layer.weights if w.path != skip]


def test_golden_checkpoint_restores_in_a_tf1_graph():
    """The committed TF 2.15.1 checkpoint keeps loading into compat_layers."""
    _restore_golden_in_tf1_graph()


def test_round_trip_through_keras_3_and_back_to_tf1_layers(tmp_path):
    """TF1 graph -> tracked Keras 3 layer -> tf.train.Checkpoint -> .keras -> TF1 layers."""
    hop2 = str(tmp_path / "hop2" / "model")
    tf1_output = _restore_golden_in_tf1_graph(save_to=hop2)
    _assert_golden_checkpoint(hop2, "Saver after the TF1 graph")

    # Eager, tracked: the hop-2 checkpoint loads by TF1 name.
    tracked = Tf1Model()
    tracked(X)
    report = utils.load_tf1_checkpoint(tracked, hop2)
    assert report == utils.CheckpointLoadReport(tuple(sorted(NAMES)), (), ())
    _assert_golden_weights(tracked, "load_tf1_checkpoint")
    np.testing.assert_array_equal(tracked(X), tf1_output)
    np.testing.assert_array_equal(tf.function(tracked)(X), tf1_output)

    # Object-based: into a fresh instance, every object and value consumed.
    path = tf.train.Checkpoint(model=tracked).write(str(tmp_path / "hop3" / "ckpt"))
    fresh = Tf1Model()
    fresh(X)
    tf.train.Checkpoint(model=fresh).read(path).assert_consumed()
    _assert_golden_weights(fresh, "tf.train.Checkpoint")
    np.testing.assert_array_equal(fresh(X), tf1_output)

    # A .keras file of a Keras 3 model holding the decorated layer.
    keras_file = str(tmp_path / "hop4.keras")
    keras.Sequential([keras.Input(roundtrip.INPUT_SHAPE[1:]), fresh]).save(keras_file)
    loaded = keras.models.load_model(keras_file, custom_objects={"Tf1Model": Tf1Model})
    _assert_golden_weights(loaded, ".keras")
    np.testing.assert_array_equal(loaded(X), tf1_output)

    # Back to TF1 names, read back by tf_keras's legacy layers in a TF1 graph.
    hop5 = str(tmp_path / "hop5" / "model")
    assert utils.save_tf1_checkpoint(loaded, hop5) == hop5
    assert tf.train.latest_checkpoint(str(tmp_path / "hop5")) == hop5
    assert sorted(p.name for p in (tmp_path / "hop5").iterdir()) == [
        "checkpoint", "model.data-00000-of-00001", "model.index"]  # no temporary left
    _assert_golden_checkpoint(hop5, "save_tf1_checkpoint of the loaded model")

    result = _tf1_oracle_restore(hop5, tmp_path / "oracle.npz")
    assert result.returncode == 0, result.stderr[-3000:]
    oracle = dict(np.load(tmp_path / "oracle.npz"))
    np.testing.assert_array_equal(oracle.pop("output"), tf1_output)
    np.testing.assert_array_equal(oracle.pop("input"), X)
    _assert_golden_values(oracle, "tf_keras legacy layers")


def test_checkpoint_lacking_a_variable(tmp_path):
    """A Saver restore fails as in TF1; load_tf1_checkpoint loads the rest and says what is missing."""
    partial = str(tmp_path / "partial" / "model")
    source = Tf1Model()
    source(X)
    utils.load_tf1_checkpoint(source, str(roundtrip.GOLDEN_PREFIX))
    utils.save_tf1_checkpoint(_Weights(source, skip=MISSING), partial)

    key_error = f"Key {MISSING} not found in checkpoint"
    with pytest.raises(tf.errors.NotFoundError, match=key_error):
        roundtrip.run_tf1_graph(compat_layers, restore_from=partial)
    result = _tf1_oracle_restore(partial, tmp_path / "oracle.npz")
    assert result.returncode != 0
    assert "tensorflow.python.framework.errors_impl.NotFoundError" in result.stderr
    assert key_error in result.stderr

    target = Tf1Model()
    target(X)
    before = {w.path: w.numpy() for w in target.weights}
    report = utils.load_tf1_checkpoint(target, partial)
    assert report.missing_in_checkpoint == (MISSING,)
    assert report.loaded == tuple(sorted(set(NAMES) - {MISSING}))
    assert report.unused_in_checkpoint == ()
    for weight in target.weights:
        expected = before[weight.path] if weight.path == MISSING else GOLDEN[weight.path]
        np.testing.assert_array_equal(weight.numpy(), expected, err_msg=weight.path)
