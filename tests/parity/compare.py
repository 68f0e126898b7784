"""Asserts that two parity results (see runner.py) describe the same behaviour."""

from __future__ import annotations

import contextlib
import re
import zlib
from typing import Any, Callable

import numpy as np
import tensorflow as tf

from tests.parity import runner


# Keras 2's own deprecation notice, raised when tf_keras's legacy base reads
# `self.updates` inside tf.function. Keras 3 has no `updates` property, and the
# notice is about Keras 2 internals, not anything the TF1 program did.
KERAS2_INTERNAL_WARNINGS = ("`layer.updates` will be removed in a future version.",)


def _user_facing(warnings: list[str]) -> list[str]:
    return [w for w in warnings if not w.startswith(KERAS2_INTERNAL_WARNINGS)]


def tolerance(dtype: str) -> dict[str, float]:
    """The tight tolerance: relative error <= 1e-5 (float32/64).

    It holds where both sides ran the same kernels on the same CPU (the live
    oracle); golden and cross-version comparisons add `RoundingNoise` to it
    (see `assert_close`).

    float16 has an 11-bit mantissa: kernel gradients sum a few hundred float16
    products, and TF 2.15's kernels accumulate in another order than 2.21's
    (measured: up to 0.8% on 2 of 108 elements), hence 1e-2.
    """
    if dtype == "float16":
        return {"rtol": 1e-2, "atol": 1e-2}
    return {"rtol": 1e-5, "atol": 1e-6}


# `RoundingNoise`: how many reruns sample the noise, and how many times the
# largest deviation they show a golden may differ by (see `assert_close`).
NOISE_SAMPLES = 6
NOISE_FACTOR = 8.0


class RoundingNoise:
    """How much float rounding alone moves each number of one of our results.

    `rerun` runs our side again in this process (the same case, mode or
    tracked layer, checkpoint) and returns its result. `scale(key, ours)` reruns
    it `NOISE_SAMPLES` times, each time with the input, every name-derived
    weight (`runner.deterministic_array`) and the cotangent
    (`runner.weighted_sum`) moved by one ULP up or down at random, and
    returns, per element, the largest deviation from `ours`. The cotangent
    too: a linear layer's input gradient depends only on its weights (from a
    checkpoint, maybe) and the cotangent. The reruns happen once, and only
    when a comparison needs them.
    """

    def __init__(self, rerun: Callable[[], dict]):
        self._rerun = rerun
        self._samples: list[dict[str, np.ndarray]] | None = None

    def scale(self, key: str, ours: np.ndarray) -> np.ndarray:
        if self._samples is None:
            self._samples = []
            for sample in range(NOISE_SAMPLES):
                with _one_ulp_off(sample):
                    result = self._rerun()
                assert not result["error"], f"a rerun one ULP off raised {result['error']}"
                self._samples.append(_numbers(result))
        ours = np.asarray(ours, dtype=np.float64)
        deviations = [np.abs(np.asarray(s[key], dtype=np.float64) - ours) for s in self._samples]
        return np.nan_to_num(np.max(deviations, axis=0), nan=0.0)


@contextlib.contextmanager
def _one_ulp_off(sample: int):
    """`runner.deterministic_array` and `runner.weighted_sum`'s cotangent with
    every float element one ULP up or down."""
    exact, exact_sum = runner.deterministic_array, runner.weighted_sum

    def one_ulp_off(key: str, shape: Any, dtype: Any) -> np.ndarray:
        value = exact(key, shape, dtype)
        if not np.issubdtype(value.dtype, np.floating):
            return value
        rng = np.random.RandomState(zlib.crc32(f"{key}/rounding noise/{sample}".encode("utf-8")))
        direction = np.where(rng.randint(0, 2, size=value.shape) == 1, np.inf, -np.inf)
        return np.nextafter(value, direction.astype(value.dtype))

    def weighted_sum_one_ulp_off(output: tf.Tensor) -> tf.Tensor:
        if not output.dtype.is_floating:
            return exact_sum(output)
        # sum(output * (1 +- eps) * cotangent): the program's backward pass
        # starts from the cotangent one ULP off.
        uniform = tf.random.stateless_uniform(tf.shape(output), seed=(3, sample), minval=-1.0, maxval=1.0)
        sign = tf.sign(uniform)
        eps = tf.constant(np.finfo(output.dtype.as_numpy_dtype).eps, output.dtype)
        return exact_sum(output * (1 + eps * tf.cast(sign, output.dtype)))

    runner.deterministic_array, runner.weighted_sum = one_ulp_off, weighted_sum_one_ulp_off
    try:
        yield
    finally:
        runner.deterministic_array, runner.weighted_sum = exact, exact_sum


# The keys of a result compared as they are, their floats (a variable's
# `value_sum` in "layer_view") aside: those go through `assert_close`.
STRUCTURE_KEYS = ("layers", "layer_view", "output_static_shape", "output_dtype")
FLOAT = "<float, compared by assert_close>"


def split_floats(record: Any, path: str = "") -> tuple[Any, dict[str, float]]:
    """`record` with each float replaced by `FLOAT`, and its floats by path.

    Equal structures put the same floats at the same paths, so a float
    computed by a program (a variable's value after the run) is compared by
    the one tolerance rule, never by `==`.
    """
    if isinstance(record, float):
        return FLOAT, {path: record}
    floats: dict[str, float] = {}
    if isinstance(record, dict):
        structure = {}
        for key, value in record.items():
            structure[key], inner = split_floats(value, f"{path}/{key}")
            floats.update(inner)
        return structure, floats
    if isinstance(record, (list, tuple)):
        items = []
        for index, value in enumerate(record):
            item, inner = split_floats(value, f"{path}/{index}")
            items.append(item)
            floats.update(inner)
        return type(record)(items), floats
    return record, floats


def _numbers(result: dict, structure_floats: bool = True) -> dict[str, np.ndarray]:
    """The numbers of a result that are compared, by `assert_close`'s `what`;
    `structure_floats`: also those in `STRUCTURE_KEYS`."""
    numbers = {"output": np.asarray(result["output"])}
    for name, gradient in result["gradients"].items():
        if gradient is not None:
            numbers[f"gradient of {name}"] = np.asarray(gradient)
    numbers["regularization losses"] = np.asarray(result["regularization_losses"])
    for key in STRUCTURE_KEYS if structure_floats else ():
        for path, value in split_floats(result.get(key))[1].items():
            numbers[f"{key}{path}"] = np.asarray(value)
    return numbers


def assert_close(actual: Any, expected: Any, dtype: str, what: str, where: str = "",
                 noise: RoundingNoise | None = None) -> None:
    """The one rule for numbers: ours (`actual`) against TF1's (`expected`).

    Without `noise` (the live oracle: same TensorFlow, same CPU, so the same
    kernels summing in the same order) the tight `tolerance` holds.

    With `noise` (goldens recorded by TF 2.15.1 on another CPU, or any other
    cross-version comparison), elementwise:

        |ours - golden| <= atol + rtol * |golden| + NOISE_FACTOR * noise

    Derivation. A float computation returns exact + e, with, to first order,
    e = sum_k (dq/dv_k) v_k d_k over its intermediate values v_k (every
    product and partial sum), each rounded with |d_k| <= eps/2. Another CPU
    or release sums in another order (oneDNN or Eigen kernels, ISA, thread
    split), so it draws other d_k and returns exact + e', and
    |ours - golden| <= |e| + |e'|. Both are of the size of
    eps * sum_k |dq/dv_k v_k|, the `eps * sum|terms|` of the whole program:
    near zero when the terms are small, up to the terms' size, not the
    result's, when the result cancels (a beta gradient behind a
    training-mode batch norm is exactly zero and float32 returns ~1e-3).
    That size is measured, not guessed: rerun our side with every input,
    weight and cotangent one ULP off (one rounding of the data; its low bits
    then differ all through the program, so the reruns draw new d_k, as
    Monte Carlo arithmetic does) and take `noise`, per element, the largest
    of NOISE_SAMPLES = 6 deviations from ours. Each deviation is e_j - e, a
    difference of two such errors like golden - ours, so a factor of 8 over
    the largest of 6 leaves room for kernels that accumulate less carefully
    than ours (measured with oneDNN on and off, its ISA capped at SSE4.1,
    AVX and AVX2, and 1, 2 and 16 threads: the golden differences beyond the
    tight tolerance needed at most 0.92 of the noise, not 8). The reruns
    only run when the tight check fails. A real error still fails: a 1e-3
    relative one passes only where float rounding itself moves the element
    by more than 1.2e-4 of its value, where no comparison could see it
    (tests/test_tolerance.py mutates a layer and asserts that).
    """
    where = f"{where} {what}".strip()
    actual, expected = np.asarray(actual), np.asarray(expected)
    tol = tolerance(dtype)
    if noise is None:
        np.testing.assert_allclose(actual, expected, err_msg=where, **tol)
        return
    assert actual.shape == expected.shape, f"{where}: shape {actual.shape} != {expected.shape}"
    ours, golden = actual.astype(np.float64), expected.astype(np.float64)
    if np.all(np.isclose(ours, golden, equal_nan=True, **tol)):
        return
    scale = noise.scale(what, ours)
    atol = tol["atol"] + NOISE_FACTOR * scale
    close = np.isclose(ours, golden, rtol=tol["rtol"], atol=atol, equal_nan=True)
    if not np.all(close):
        error = np.abs(ours - golden)
        worst = np.unravel_index(np.argmax(np.where(close, -np.inf, error)), ours.shape)
        raise AssertionError(
            f"{where}: {int(np.sum(~close))} of {ours.size} elements differ by more than float "
            f"rounding allows; worst at {tuple(int(i) for i in worst)}: ours {ours[worst]!r}, "
            f"TF1 {golden[worst]!r}, |difference| {error[worst]:.3g} > allowed "
            f"{atol[worst] + tol['rtol'] * abs(golden[worst]):.3g} (rounding noise there "
            f"{scale[worst]:.3g})\n ours {actual}\n TF1  {expected}"
        )


def assert_same_behaviour(ours: dict, theirs: dict, case: Any, oracle: str,
                          rerun: Callable[[], dict] | None = None) -> None:
    """`rerun` (golden and cross-version oracles): reruns our side, so that
    `assert_close` can measure the rounding noise (see `RoundingNoise`)."""
    where = f"[{case.name} vs {oracle}]"
    if theirs["error"] or ours["error"]:
        _assert_same_error(ours["error"], theirs["error"], case, where)
    else:
        # "layer_view": graph modes only (runner.layer_view).
        for key in STRUCTURE_KEYS:
            assert split_floats(ours.get(key))[0] == split_floats(theirs.get(key))[0], (
                f"{where} {key}: ours {ours.get(key)} != TF1 {theirs.get(key)}"
            )
        _assert_same_numbers(ours, theirs, case, where, rerun)
    # Also after an error: no variable or collection entry may differ, so a
    # failing call leaves behind exactly what TF1 left behind.
    assert ours["variables"] == theirs["variables"], (
        f"{where} variables:\n ours {ours['variables']}\n TF1  {theirs['variables']}"
    )
    expected_collections = _without_left_variables(theirs.get("collections"), case, where)
    assert ours.get("collections") == expected_collections, (
        f"{where} collections:\n ours {ours.get('collections')}\n TF1  {theirs.get('collections')}"
    )
    assert ours["warnings"] == _user_facing(theirs["warnings"]), (
        f"{where} warnings:\n ours {ours['warnings']}\n TF1  {theirs['warnings']}"
    )


def _without_left_variables(collections: dict | None, case: Any, where: str) -> dict | None:
    """TF1's graph collections less the variables its failing call left there
    (`case.tf1_leaves_variables`), which compat_layers does not leave."""
    if collections is None or not case.tf1_leaves_variables:
        return collections
    left = set(case.tf1_leaves_variables)
    missing = left - set(collections["global_variables"])
    assert not missing, f"{where} TF1 no longer leaves {sorted(missing)} behind"
    return {
        key: [name for name in value if name not in left] if isinstance(value, list) else value
        for key, value in collections.items()
    }


def assert_tracked_matches_graph(ours: dict, graph: dict, case: Any, oracle: str,
                                 rerun: Callable[[], dict] | None = None,
                                 eager: dict | None = None) -> None:
    """A `track_tf1_style_variables` run (tracked.py) against TF1 graph mode;
    `rerun` as for `assert_same_behaviour`. `eager`: the eager TF1 result,
    whose error an eager first call must raise (tf_keras's decorator ran the
    first call eagerly)."""
    where = f"[{case.name} tracked vs {oracle} graph]"
    if case.tracked_error is not None:
        assert ours["error"] and ours["error"]["type"] == "ValueError", f"{where} {ours['error']}"
        assert re.search(case.tracked_error, ours["error"]["message"]), f"{where} {ours['error']}"
        return
    if _reuse_error_tf_keras_decorator_skipped(graph["error"], case):
        # tf_keras's decorator reuses (or, eagerly, creates) the variable
        # instead (tests/test_tf1_layer_api.py, reuse_flags_in_decorated_calls),
        # and compat_layers follows it: the call must work, each variable
        # made once, none made by a later call.
        assert ours["error"] is None, f"{where} tf_keras's decorator did not raise: {ours['error']}"
        assert sorted(ours["variables_after_all_calls"]) == sorted(v["name"] for v in ours["variables"]), where
        assert not ours["tracked_twice"], f"{where} variables tracked twice: {ours['tracked_twice']}"
        return
    if graph["error"] or ours["error"]:
        expected = graph["error"]
        if not _first_call_traced(case) and eager is not None and eager["error"]:
            expected = eager["error"]
        _assert_same_error(ours["error"], expected, case, where)
        return
    # Keras lists trainable weights before frozen ones; TF1 graph mode listed
    # variables in creation order.
    by_name = lambda variables: sorted(variables, key=lambda v: v["name"])  # noqa: E731
    assert by_name(ours["variables"]) == by_name(graph["variables"]), (
        f"{where} variables:\n ours {ours['variables']}\n TF1  {graph['variables']}"
    )
    assert sorted(ours["variables_after_all_calls"]) == sorted(v["name"] for v in graph["variables"]), (
        f"{where} later calls created variables: {ours['variables_after_all_calls']}"
    )
    assert not ours.get("checkpoint_missing"), f"{where} not in the TF1 checkpoint: {ours['checkpoint_missing']}"
    assert ours["output_dtype"] == graph["output_dtype"], where
    # A tracked run has no graph `layer_view` to compare.
    _assert_same_numbers(ours, graph, case, where, rerun, structure_floats=False)
    # The same layer on the same TensorFlow: the tight tolerance.
    assert_close(ours["function_output"], ours["output"], case.dtype, "tf.function call", where)
    assert not ours["tracked_twice"], f"{where} variables tracked twice: {ours['tracked_twice']}"
    if "after_sgd_step" in ours:
        _assert_one_sgd_step(ours, case, where)


def _reuse_error_tf_keras_decorator_skipped(error: dict | None, case: Any) -> bool:
    """TF1's reuse error that tf_keras's `track_tf1_style_variables` did not
    raise: "already exists" never (it reused whatever `reuse` said), "does
    not exist" when the first call runs eagerly (eager variable scopes report
    `AUTO_REUSE`)."""
    if error is None or error["type"] != "ValueError":
        return False
    if " already exists, disallowed." in error["message"]:
        return True
    return " does not exist, or was not created with" in error["message"] and not _first_call_traced(case)


def _first_call_traced(case: Any) -> bool:
    """tracked.py makes the first call in a `tf.function` only for cases with
    placeholder shapes; otherwise it runs eagerly."""
    return bool(case.placeholder_shape or case.unknown_rank)


def _assert_one_sgd_step(ours: dict, case: Any, where: str) -> None:
    """Each trainable variable moved by one SGD step of its gradient, once.

    The gradient is the one `_assert_same_numbers` has just compared with
    TF1's; a variable tracked twice (or trained through two wrappers) moves
    twice as far.
    """
    from tests.parity.tracked import SGD_LEARNING_RATE

    assert sorted(ours["after_sgd_step"]) == sorted(ours["before_sgd_step"]), where
    for name, after in ours["after_sgd_step"].items():
        gradient = ours["gradients"].get(name)
        before = ours["before_sgd_step"][name]
        expected = before if gradient is None else before - SGD_LEARNING_RATE * gradient
        assert_close(after, expected, case.dtype, f"{name} after one SGD step", where)


def _assert_same_numbers(ours: dict, theirs: dict, case: Any, where: str,
                         rerun: Callable[[], dict] | None, structure_floats: bool = True) -> None:
    noise = None if rerun is None else RoundingNoise(rerun)
    expected, actual = _numbers(theirs, structure_floats), _numbers(ours, structure_floats)
    assert sorted(ours["gradients"]) == sorted(theirs["gradients"]), where
    for name, gradient in theirs["gradients"].items():
        assert (ours["gradients"][name] is None) == (gradient is None), f"{where} gradient of {name}"
    for what, value in expected.items():
        assert_close(actual[what], value, case.dtype, what, where, noise)


def _assert_same_error(ours: dict | None, theirs: dict | None, case: Any, where: str) -> None:
    assert ours is not None, f"{where} TF1 raised {theirs}, compat_layers did not"
    assert theirs is not None, f"{where} compat_layers raised {ours}, TF1 did not"
    assert ours["type"] == theirs["type"], f"{where} error type: ours {ours} != TF1 {theirs}"
    if case.our_message is not None:
        assert re.search(case.our_message, ours["message"]), (
            f"{where} our clearer message changed: {ours['message']!r}"
        )
    else:
        assert ours["message"] == theirs["message"], (
            f"{where} error message:\n ours {ours['message']!r}\n TF1  {theirs['message']!r}"
        )
