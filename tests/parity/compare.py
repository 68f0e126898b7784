"""Asserts that two parity results (see runner.py) describe the same behaviour."""

from __future__ import annotations

import re
from typing import Any

import numpy as np


# Keras 2's own deprecation notice, raised when tf_keras's legacy base reads
# `self.updates` inside tf.function. Keras 3 has no `updates` property, and the
# notice is about Keras 2 internals, not anything the TF1 program did.
KERAS2_INTERNAL_WARNINGS = ("`layer.updates` will be removed in a future version.",)


def _user_facing(warnings: list[str]) -> list[str]:
    return [w for w in warnings if not w.startswith(KERAS2_INTERNAL_WARNINGS)]


def tolerance(dtype: str) -> dict[str, float]:
    """Relative error <= 1e-5 (float32/64).

    float16 has an 11-bit mantissa: kernel gradients sum a few hundred float16
    products, and TF 2.15's kernels accumulate in another order than 2.21's
    (measured: up to 0.8% on 2 of 108 elements), hence 1e-2.
    """
    if dtype == "float16":
        return {"rtol": 1e-2, "atol": 1e-2}
    return {"rtol": 1e-5, "atol": 1e-6}


def assert_same_behaviour(ours: dict, theirs: dict, case: Any, oracle: str) -> None:
    where = f"[{case.name} vs {oracle}]"
    if theirs["error"] or ours["error"]:
        _assert_same_error(ours["error"], theirs["error"], case, where)
    else:
        for key in ("layers", "output_static_shape", "output_dtype"):
            assert ours[key] == theirs[key], f"{where} {key}: ours {ours[key]} != TF1 {theirs[key]}"
        _assert_same_numbers(ours, theirs, case, where)
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


def assert_tracked_matches_graph(ours: dict, graph: dict, case: Any, oracle: str) -> None:
    """A `track_tf1_style_variables` run (tracked.py) against TF1 graph mode."""
    where = f"[{case.name} tracked vs {oracle} graph]"
    if case.tracked_error is not None:
        assert ours["error"] and ours["error"]["type"] == "ValueError", f"{where} {ours['error']}"
        assert re.search(case.tracked_error, ours["error"]["message"]), f"{where} {ours['error']}"
        return
    if graph["error"] or ours["error"]:
        _assert_same_error(ours["error"], graph["error"], case, where)
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
    _assert_same_numbers(ours, graph, case, where)
    np.testing.assert_allclose(
        ours["function_output"], ours["output"], err_msg=f"{where} tf.function call", **tolerance(case.dtype)
    )


def _assert_same_numbers(ours: dict, theirs: dict, case: Any, where: str) -> None:
    tol = tolerance(case.dtype)
    np.testing.assert_allclose(ours["output"], theirs["output"], err_msg=f"{where} output", **tol)
    assert sorted(ours["gradients"]) == sorted(theirs["gradients"]), where
    for name, expected in theirs["gradients"].items():
        actual = ours["gradients"][name]
        assert (actual is None) == (expected is None), f"{where} gradient of {name}"
        if expected is not None:
            np.testing.assert_allclose(actual, expected, err_msg=f"{where} gradient of {name}", **tol)
    np.testing.assert_allclose(
        ours["regularization_losses"],
        theirs["regularization_losses"],
        err_msg=f"{where} regularization losses",
        **tol,
    )


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
