"""Dropout's randomness, against the live TF1 oracle.

The parity registry compares Dropout where its numbers are deterministic. This
file pins what TF1 programs observe of the masks themselves:

* in a TF1 graph, every `session.run` draws a fresh mask (Keras 3's own
  Dropout repeats one mask there);
* with `tf.compat.v1.set_random_seed` and/or `seed`, the masks are exactly
  TF1's, also when only the graph seed is set (TF1 then derives the op seed
  from the number of ops already in the graph), when one layer is called
  twice (TF1 gave each call the next op seed), with `noise_shape`, a `rate`
  tensor, a `training` placeholder, and eagerly / inside `tf.function` after
  `tf.random.set_seed`;
* kept units are scaled by `1 / (1 - rate)`.

Every scenario runs here with compat_layers, and in subprocesses with tf_keras's
legacy layers (`TF_USE_LEGACY_KERAS=1`, the live oracle) and, for the graph
scenarios, in processes that called `disable_eager_execution()`:

    python -m tests.test_dropout --impl legacy|compat [--disable-eager] OUT.pkl
"""

from __future__ import annotations

import argparse
import functools
import os
import pickle
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import tensorflow as tf
from absl.testing import absltest, parameterized

from tests.parity import runner

REPO_ROOT = Path(__file__).resolve().parents[1]
RUNS = 3  # session runs (or eager / tf.function calls) per scenario


def _x(shape=(4, 10)) -> np.ndarray:
    return np.arange(1, np.prod(shape) + 1, dtype=np.float32).reshape(shape)


def _graph_runs(build: Callable[[Any], tuple], feeds: list[dict] | None = None) -> Callable:
    """A scenario that builds `build(L) -> (fetch, {name: tensor to feed})` in a
    fresh graph and returns the fetch of `RUNS` session runs (run i feeds
    `feeds[i]`, a {name: value} dict)."""

    def scenario(L):
        graph = tf.Graph()
        with graph.as_default():
            fetch, inputs = build(L)
            with tf.compat.v1.Session(graph=graph) as session:
                session.run(tf.compat.v1.global_variables_initializer())
                return np.stack([
                    session.run(fetch, {inputs[name]: value for name, value in feed.items()})
                    for feed in feeds or [{}] * RUNS
                ])

    return scenario


def _graph_seed_and_op_seed(L):
    tf.compat.v1.set_random_seed(1)
    layer = L.Dropout(0.5, seed=3)
    x = tf.constant(_x())
    # Two calls of one layer: TF1 gave the second call op seed 4.
    return tf.stack([layer(x, training=True), layer(x, training=True)]), {}


def _graph_seed_only(L):
    tf.compat.v1.set_random_seed(2)
    x = tf.constant(_x())
    return L.dropout(L.dropout(x, 0.3, training=True), 0.6, training=True), {}


def _op_seed_only(L):
    return L.dropout(tf.constant(_x()), 0.5, seed=11, training=True), {}


def _training_placeholder(L):
    tf.compat.v1.set_random_seed(3)
    is_training = tf.compat.v1.placeholder_with_default(False, [], name="is_training")
    return L.Dropout(0.5)(tf.constant(_x()), training=is_training), {"is_training": is_training}


def _noise_shape(L):
    tf.compat.v1.set_random_seed(4)
    x = tf.constant(_x((2, 3, 8)))
    return L.dropout(x, 0.5, noise_shape=[None, 1, None], seed=5, training=True), {}


def _tensor_noise_shape(L):
    tf.compat.v1.set_random_seed(4)
    x = tf.compat.v1.placeholder(tf.float32, [None, 3, 8], name="x")
    noise_shape = [tf.shape(x)[0], np.int64(1), tf.shape(x)[2]]
    return L.dropout(x, 0.5, noise_shape=noise_shape, training=True), {"x": x}


def _rate_tensor(L):
    tf.compat.v1.set_random_seed(5)
    rate = tf.compat.v1.placeholder(tf.float32, [], name="rate")
    return L.dropout(tf.constant(_x()), rate, training=True), {"rate": rate}


def _between_dense_layers(L):
    # Graph seed only: the dropout's op seed is the op count, so the layers
    # before it must build exactly TF1's ops.
    tf.compat.v1.set_random_seed(6)
    x = tf.compat.v1.placeholder(tf.float32, [None, 10], name="x")
    init = tf.compat.v1.constant_initializer(0.1)
    h = L.dense(x, 16, activation=tf.nn.relu, kernel_initializer=init, name="hidden")
    h = L.dropout(h, 0.5, training=True)
    return L.dense(h, 8, kernel_initializer=init, name="out"), {"x": x}


def _unseeded(L):
    return L.dropout(tf.constant(_x()), 0.5, training=True), {}


GRAPH_SCENARIOS: dict[str, Callable] = {
    "graph_seed_and_op_seed": _graph_runs(_graph_seed_and_op_seed),
    "graph_seed_only": _graph_runs(_graph_seed_only),
    "op_seed_only": _graph_runs(_op_seed_only),
    "training_placeholder": _graph_runs(
        _training_placeholder, [{"is_training": True}, {"is_training": True}, {}]
    ),
    "noise_shape": _graph_runs(_noise_shape),
    "tensor_noise_shape": _graph_runs(_tensor_noise_shape, [{"x": _x((2, 3, 8))}] * RUNS),
    "rate_tensor": _graph_runs(_rate_tensor, [{"rate": 0.25}, {"rate": 0.25}, {"rate": 0.75}]),
    "between_dense_layers": _graph_runs(_between_dense_layers, [{"x": _x()}] * RUNS),
}


def _eager_seeded(L):
    tf.random.set_seed(1)
    layer = L.Dropout(0.5, seed=3)
    return np.stack([layer(tf.constant(_x()), training=True).numpy() for _ in range(RUNS)])


def _eager_global_seed_only(L):
    tf.random.set_seed(2)
    return np.stack([L.dropout(tf.constant(_x()), 0.3, training=True).numpy() for _ in range(RUNS)])


def _function_seeded(L):
    tf.random.set_seed(3)
    layer = L.Dropout(0.5, seed=7)
    call = tf.function(lambda x: layer(x, training=True))
    return np.stack([call(tf.constant(_x())).numpy() for _ in range(RUNS)])


EAGER_SCENARIOS: dict[str, Callable] = {
    "eager_seeded": _eager_seeded,
    "eager_global_seed_only": _eager_global_seed_only,
    "function_seeded": _function_seeded,
}

# Masks that only the program's own randomness decides: compared by property.
UNSEEDED_SCENARIOS: dict[str, Callable] = {"unseeded": _graph_runs(_unseeded)}


def _rate_one_in_training(L):
    graph = tf.Graph()
    with graph.as_default():
        L.dropout(tf.constant(_x()), rate=1.0, training=True)


# TF1's graph-mode error (the parity registry cannot hold it: eagerly, TF1
# wrapped it in Keras 2's call context, which compat_layers does not copy).
ERROR_SCENARIOS: dict[str, Callable] = {"rate_one_in_training": _rate_one_in_training}


def draw(layers: Any, graph_only: bool) -> dict[str, Any]:
    """Runs every scenario with `layers`: {name: array | (error type, message)}."""
    scenarios = {**GRAPH_SCENARIOS, **UNSEEDED_SCENARIOS, **ERROR_SCENARIOS}
    if not graph_only:
        scenarios.update(EAGER_SCENARIOS)
    results: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, scenario in scenarios.items():
            try:
                results[name] = scenario(layers)
            except Exception as error:  # the error is the observation
                info = runner.error_info(error)
                results[name] = (info["type"], info["message"])
    return results


@functools.lru_cache(maxsize=None)
def _subprocess_draw(impl: str, disable_eager: bool) -> dict[str, Any]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    if impl == "legacy":
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        env.pop("TF_USE_LEGACY_KERAS", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "draws.pkl"
        command = [sys.executable, "-m", "tests.test_dropout", "--impl", impl, str(out)]
        if disable_eager:
            command.insert(-1, "--disable-eager")
        subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, timeout=600)
        return pickle.loads(out.read_bytes())


@functools.lru_cache(maxsize=None)
def _ours() -> dict[str, Any]:
    import compat_layers

    return draw(compat_layers, graph_only=False)


def _scenario_parameters(names, impls=(("", False),)):
    return [
        {"testcase_name": f"_{name}{suffix}", "name": name, "disable_eager": disable_eager}
        for name in names
        for suffix, disable_eager in impls
    ]


_GRAPH_MODES = (("", False), ("_eager_disabled", True))


class DropoutMatchesTf1Test(parameterized.TestCase):
    def _both(self, name: str, disable_eager: bool) -> tuple[Any, Any]:
        theirs = _subprocess_draw("legacy", disable_eager)[name]
        ours = _subprocess_draw("compat", True)[name] if disable_eager else _ours()[name]
        return ours, theirs

    @parameterized.named_parameters(
        _scenario_parameters(GRAPH_SCENARIOS, _GRAPH_MODES)
        + _scenario_parameters(EAGER_SCENARIOS)
    )
    def test_same_masks_as_tf1(self, name, disable_eager):
        ours, theirs = self._both(name, disable_eager)
        self.assertIsInstance(theirs, np.ndarray, f"TF1 raised {theirs}")
        np.testing.assert_array_equal(ours, theirs)

    @parameterized.named_parameters(
        _scenario_parameters(
            # training_placeholder's last run is inference (its own test).
            [n for n in (*GRAPH_SCENARIOS, *UNSEEDED_SCENARIOS, *EAGER_SCENARIOS)
             if n != "training_placeholder"]
        )
    )
    def test_fresh_mask_on_every_run(self, name, disable_eager):
        for draws in self._both(name, disable_eager):
            for i in range(1, RUNS):
                self.assertFalse(np.array_equal(draws[0], draws[i]), f"run {i} repeated run 0")

    def test_kept_units_scaled_by_keep_probability(self):
        x = _x()
        for draws in self._both("op_seed_only", False):
            kept = draws != 0
            np.testing.assert_allclose(draws[kept], np.broadcast_to(x / 0.5, draws.shape)[kept])
            self.assertBetween(kept.mean(), 0.3, 0.7)
        ours, theirs = self._both("rate_tensor", False)
        for draws in (ours, theirs):
            for run, keep in zip(draws, (0.75, 0.75, 0.25)):
                np.testing.assert_allclose(run[run != 0], (x / keep)[run != 0], rtol=1e-6)

    def test_training_placeholder_decides_per_run(self):
        for draws in self._both("training_placeholder", False):
            self.assertFalse(np.array_equal(draws[0], draws[1]))
            self.assertTrue((draws[:2] == 0).any())
            np.testing.assert_array_equal(draws[2], _x())

    @parameterized.named_parameters(_scenario_parameters(ERROR_SCENARIOS, _GRAPH_MODES))
    def test_same_error_as_tf1(self, name, disable_eager):
        ours, theirs = self._both(name, disable_eager)
        self.assertIsInstance(theirs, tuple, "TF1 did not raise")
        self.assertEqual(ours, theirs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=("legacy", "compat"), required=True)
    parser.add_argument("--disable-eager", action="store_true")
    parser.add_argument("out")
    args = parser.parse_args()
    if args.disable_eager:
        tf.compat.v1.disable_eager_execution()
    if args.impl == "legacy":
        if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
            raise SystemExit("the legacy oracle needs TF_USE_LEGACY_KERAS=1")
        layers = tf.compat.v1.layers
    else:
        import compat_layers as layers
    results = draw(layers, graph_only=args.disable_eager)
    Path(args.out).write_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    if "--impl" in sys.argv:
        main()
    else:
        absltest.main()
