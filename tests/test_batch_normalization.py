"""BatchNormalization trained for several steps, against tf_keras's legacy layer.

The parity registry compares single calls that give the same result however
often they run. What only shows from step to step is compared here: momentum
averaging of the moving statistics, batch renormalization (its corrections
come from the renorm averages of earlier steps), a frozen layer (whose renorm
averages TF1 moved eagerly but not in graphs), virtual batches with a
`training` tensor (whole-batch statistics in a TF1 graph only), and a tensor
momentum.

Each scenario trains one `BatchNormalization` for `STEPS` SGD steps on
different batches, then runs it in inference mode, in every mode:

* graph / graph_v1 (eager disabled, subprocess): the TF1 idiom,
  `with tf.control_dependencies(get_collection(UPDATE_OPS)):
  train_op = GradientDescentOptimizer(...).minimize(loss)`, one
  `session.run` per step, variables read from the session after each;
* eager, and function (each step a `tf.function`): GradientTape and SGD;
* tracked: the layer's functional form inside a Keras layer whose `call` is
  decorated with `track_tf1_style_variables` (ours; tf_keras's for the oracle).

After every step each variable (by TF1 name) and the step's output are
compared with the live oracle (tf_keras legacy layers in a subprocess with
`TF_USE_LEGACY_KERAS=1`), in the same mode; then the inference output.

    python -m tests.test_batch_normalization --impl legacy --out FILE
        [--disable-eager] [--modes graph,eager,...]

runs the scenarios for one implementation and pickles the results to FILE.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import keras
import numpy as np
import tensorflow as tf
from absl.testing import absltest, parameterized

import compat_layers
from compat_layers import utils
from tests.parity import compare, runner
from tests.parity.cases.normalization import RAMPS

REPO_ROOT = Path(__file__).resolve().parents[1]
STEPS = 3
LEARNING_RATE = 0.1
MODES = ("graph", "eager", "function", "tracked")
ALL_MODES = MODES + ("graph_v1",)


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    # BatchNormalization arguments besides the initializers; a function, so
    # tensors are made in the graph (or eager context) that uses them.
    config: Callable[[], dict] = dict
    input_shape: tuple = (4, 3, 3, 2)
    dtype: str = "float32"
    # `training` as a bool tensor (fed in a graph) instead of a Python bool.
    training_tensor: bool = False


def _scalar(value: float) -> tf.Tensor:
    # Made outside any tf.function's graph: layers outlive their traces.
    with tf.init_scope():
        return tf.constant(value)


SCENARIOS = (
    Scenario("fused", lambda: dict(momentum=0.9)),
    Scenario("not_fused", lambda: dict(momentum=0.9, fused=False)),
    Scenario("fused_training_tensor", lambda: dict(momentum=0.8), training_tensor=True),
    Scenario("not_fused_training_tensor", lambda: dict(momentum=0.8, fused=False),
             training_tensor=True),
    Scenario("channels_first", lambda: dict(axis=1, momentum=0.7), input_shape=(4, 2, 3, 3)),
    Scenario("axis_list", lambda: dict(axis=[1, 3], momentum=0.7)),
    Scenario("rank_2", lambda: dict(momentum=0.9), input_shape=(6, 3)),
    Scenario("renorm", lambda: dict(
        renorm=True, renorm_clipping={"rmax": 1.5, "rmin": 0.5, "dmax": 0.3},
        renorm_momentum=0.8, momentum=0.9)),
    Scenario("renorm_training_tensor", lambda: dict(renorm=True, renorm_momentum=0.5),
             training_tensor=True),
    Scenario("renorm_clipping_tensors", lambda: dict(
        renorm=True, renorm_clipping={"rmax": _scalar(1.1), "dmax": _scalar(0.05)})),
    Scenario("renorm_float16", lambda: dict(renorm=True, renorm_momentum=0.7), dtype="float16"),
    Scenario("virtual_batch", lambda: dict(virtual_batch_size=2, momentum=0.6)),
    Scenario("virtual_batch_training_tensor", lambda: dict(virtual_batch_size=2, momentum=0.6),
             training_tensor=True),
    Scenario("adjustment", lambda: dict(
        adjustment=lambda shape: (tf.ones(shape[-1:]) * 1.1, tf.ones(shape[-1:]) * 0.1))),
    Scenario("frozen", lambda: dict(trainable=False)),
    Scenario("frozen_renorm", lambda: dict(trainable=False, renorm=True)),
    Scenario("float16", lambda: dict(momentum=0.9), dtype="float16"),
    Scenario("float64", lambda: dict(momentum=0.9), dtype="float64"),
    Scenario("momentum_tensor", lambda: dict(momentum=_scalar(0.75))),
    Scenario("momentum_tensor_not_fused", lambda: dict(momentum=_scalar(0.75), fused=False)),
)
SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


# ----------------------------------------------------------------- programs
def _batches(scenario: Scenario) -> list[np.ndarray]:
    """`STEPS` training batches, then the inference batch."""
    return [
        runner.deterministic_array(
            f"bn_steps/{scenario.name}/{i}", scenario.input_shape, scenario.dtype
        )
        for i in range(STEPS + 1)
    ]


def _layer_arguments(scenario: Scenario) -> dict:
    return {**RAMPS, **scenario.config()}


def _training_argument(scenario: Scenario, value: bool) -> Any:
    return tf.compat.v1.placeholder_with_default(value, []) if scenario.training_tensor else value


def _sgd_step(step_output: Callable[[], tf.Tensor], recorder: runner.VariableRecorder) -> tf.Tensor:
    with tf.GradientTape() as tape:
        output = step_output()
        loss = runner.weighted_sum(output)
    trainable = [v for v in recorder.variables if v.trainable]
    for variable, gradient in zip(trainable, tape.gradient(loss, trainable)):
        if gradient is not None:
            variable.assign_sub(LEARNING_RATE * gradient)
    return output


def _values(variables: list) -> dict[str, np.ndarray]:
    return {v.name: np.asarray(v.numpy()) for v in variables}


def _run_graph(layers: Any, scenario: Scenario) -> dict:
    batches = _batches(scenario)
    recorder = runner.VariableRecorder(override_initializers=False)
    result: dict[str, Any] = {"outputs": [], "variables": []}
    graph = tf.Graph()
    with graph.as_default(), runner.recording(recorder):
        x = tf.compat.v1.placeholder(scenario.dtype, scenario.input_shape)
        layer = layers.BatchNormalization(**_layer_arguments(scenario))
        if scenario.training_tensor:
            is_training = tf.compat.v1.placeholder_with_default(True, [])
            train_output = inference_output = layer(x, training=is_training)
            inference_feed = {is_training: False}
        else:
            train_output = layer(x, training=True)
            inference_output = layer(x, training=False)
            inference_feed = {}
        update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        result["update_ops"] = len(update_ops)
        with tf.control_dependencies(update_ops):
            if tf.compat.v1.trainable_variables():
                optimizer = tf.compat.v1.train.GradientDescentOptimizer(LEARNING_RATE)
                train_op = optimizer.minimize(runner.weighted_sum(train_output))
            else:
                train_op = tf.no_op()
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            for batch in batches[:STEPS]:
                output, _ = session.run([train_output, train_op], {x: batch})
                result["outputs"].append(output)
                values = session.run(recorder.variables)
                result["variables"].append(
                    {v.name: value for v, value in zip(recorder.variables, values)}
                )
            result["inference"] = session.run(
                inference_output, {x: batches[STEPS], **inference_feed}
            )
    return result


def _run_eager(layers: Any, scenario: Scenario, function: bool) -> dict:
    tf.compat.v1.reset_default_graph()
    batches = _batches(scenario)
    recorder = runner.VariableRecorder(override_initializers=False)
    result: dict[str, Any] = {"outputs": [], "variables": []}
    with runner.recording(recorder):
        layer = layers.BatchNormalization(**_layer_arguments(scenario))

        def train(x):
            training = _training_argument(scenario, True)
            return _sgd_step(lambda: layer(x, training=training), recorder)

        def infer(x):
            return layer(x, training=_training_argument(scenario, False))

        if function:
            train, infer = tf.function(train), tf.function(infer)
        for batch in batches[:STEPS]:
            result["outputs"].append(train(tf.constant(batch)).numpy())
            result["variables"].append(_values(recorder.variables))
        result["inference"] = infer(tf.constant(batches[STEPS])).numpy()
    return result


def _run_tracked(layers: Any, scenario: Scenario, keras_layer: type, track: Callable) -> dict:
    tf.compat.v1.reset_default_graph()
    batches = _batches(scenario)
    recorder = runner.VariableRecorder(override_initializers=False)

    class Program(keras_layer):
        @track
        def call(self, x, training):
            # Layer objects made in a tracked call are rebuilt on every call:
            # only a named layer finds its variables again.
            return layers.batch_normalization(
                x, training=_training_argument(scenario, training), name="bn",
                **_layer_arguments(scenario),
            )

    # autocast=False: Keras would cast float16/float64 inputs to float32.
    program = Program(autocast=False)
    result: dict[str, Any] = {"outputs": [], "variables": []}
    with runner.recording(recorder):
        for batch in batches[:STEPS]:
            x = tf.constant(batch)
            result["outputs"].append(_sgd_step(lambda: program(x, training=True), recorder).numpy())
            result["variables"].append(_values(recorder.variables))
        result["inference"] = program(tf.constant(batches[STEPS]), training=False).numpy()
    return result


def _implementation(impl: str) -> tuple:
    """(layers module, Keras layer base, track_tf1_style_variables)."""
    if impl == "legacy":
        return (
            tf.compat.v1.layers,
            tf.keras.layers.Layer,
            tf.compat.v1.keras.utils.track_tf1_style_variables,
        )
    return compat_layers, keras.layers.Layer, utils.track_tf1_style_variables


def run_scenario(impl: str, scenario: Scenario, mode: str) -> dict:
    """What one implementation computes for `scenario` in `mode`, or its error."""
    layers, keras_layer, track = _implementation(impl)
    try:
        if mode in ("graph", "graph_v1"):
            return _run_graph(layers, scenario)
        if mode == "tracked":
            return _run_tracked(layers, scenario, keras_layer, track)
        return _run_eager(layers, scenario, function=(mode == "function"))
    except Exception as error:  # compared like any other observation
        return {"error": runner.error_info(error)}


# ------------------------------------------------------------------- oracle
@functools.lru_cache(maxsize=None)
def _subprocess_results(impl: str, disable_eager: bool) -> dict:
    """{(scenario, mode): result} from `python -m tests.test_batch_normalization`."""
    modes = ("graph_v1",) if disable_eager else MODES
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if impl == "legacy":
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        env.pop("TF_USE_LEGACY_KERAS", None)
    with tempfile.TemporaryDirectory() as directory:
        out = os.path.join(directory, "results.pickle")
        command = [sys.executable, "-m", "tests.test_batch_normalization", "--impl", impl,
                   "--out", out, "--modes", ",".join(modes)]
        if disable_eager:
            command.append("--disable-eager")
        finished = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if finished.returncode:
            raise RuntimeError(f"{' '.join(command[2:])} failed:\n{finished.stderr[-4000:]}")
        with open(out, "rb") as results:
            return pickle.load(results)


def _ours(scenario: Scenario, mode: str) -> dict:
    if mode == "graph_v1":
        return _subprocess_results("compat", True)[scenario.name, mode]
    return run_scenario("compat", scenario, mode)


def _assert_same_training(ours: dict, theirs: dict, scenario: Scenario, mode: str) -> None:
    where = f"[{scenario.name} {mode}]"
    assert theirs.get("error") is None, f"{where} the oracle failed: {theirs['error']}"
    assert ours.get("error") is None, f"{where} compat_layers raised {ours['error']}"
    assert ours.get("update_ops") == theirs.get("update_ops"), f"{where} UPDATE_OPS"
    tol = compare.tolerance(scenario.dtype)
    for step, (ours_output, their_output) in enumerate(zip(ours["outputs"], theirs["outputs"])):
        np.testing.assert_allclose(
            ours_output, their_output, err_msg=f"{where} step {step} output", **tol
        )
    for step, (ours_values, their_values) in enumerate(zip(ours["variables"], theirs["variables"])):
        assert sorted(ours_values) == sorted(their_values), f"{where} variables"
        for name, expected in their_values.items():
            np.testing.assert_allclose(
                ours_values[name], expected, err_msg=f"{where} {name} after step {step}", **tol
            )
    assert len(ours["outputs"]) == len(theirs["outputs"]) == STEPS, where
    np.testing.assert_allclose(
        ours["inference"], theirs["inference"], err_msg=f"{where} inference", **tol
    )


class BatchNormalizationTrainingTest(parameterized.TestCase):
    @parameterized.named_parameters(
        {"testcase_name": f"_{scenario.name}_{mode}", "scenario_name": scenario.name, "mode": mode}
        for scenario in SCENARIOS
        for mode in ALL_MODES
    )
    def test_steps_match_tf_keras_legacy(self, scenario_name, mode):
        scenario = SCENARIOS_BY_NAME[scenario_name]
        theirs = _subprocess_results("legacy", mode == "graph_v1")[scenario_name, mode]
        _assert_same_training(_ours(scenario, mode), theirs, scenario, mode)


class KerasModelTest(parameterized.TestCase):
    """The TF1 layer as a Keras 3 layer: `fit` trains it, `.keras` keeps it."""

    def _model(self, **arguments):
        inputs = keras.Input((4, 4, 3))
        outputs = compat_layers.BatchNormalization(**arguments)(inputs)
        return keras.Model(inputs, outputs)

    def test_fit_trains_and_moves_the_moving_statistics(self):
        model = self._model(momentum=0.5)
        rng = np.random.RandomState(0)
        x, y = rng.rand(8, 4, 4, 3).astype("float32"), rng.rand(8, 4, 4, 3).astype("float32")
        before = [w.numpy().copy() for w in model.weights]
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
        for weight, old in zip(model.weights, before):
            self.assertFalse(np.array_equal(weight.numpy(), old), weight.path)

    def test_keras_file_round_trip_keeps_tf1_arguments(self):
        model = self._model(axis=[1, 3], virtual_batch_size=2, renorm=True, fused=False)
        path = self.create_tempdir().full_path + "/model.keras"
        model.save(path)
        loaded = keras.models.load_model(path)
        layer = loaded.layers[1]
        self.assertIsInstance(layer, compat_layers.BatchNormalization)
        self.assertEqual(
            (layer.get_config()["axis"], layer.virtual_batch_size, layer.renorm), ([1, 3], 2, True)
        )
        x = np.random.RandomState(1).rand(4, 4, 4, 3).astype("float32")
        np.testing.assert_array_equal(loaded(x), model(x))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=("legacy", "compat"), required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--disable-eager", action="store_true")
    args = parser.parse_args()
    if args.disable_eager:
        tf.compat.v1.disable_eager_execution()
    results = {
        (scenario.name, mode): run_scenario(args.impl, scenario, mode)
        for scenario in SCENARIOS
        for mode in args.modes.split(",")
    }
    with open(args.out, "wb") as out:
        pickle.dump(results, out)


if __name__ == "__main__":
    if "--impl" in sys.argv:
        main()
    else:
        absltest.main()
