"""Every registry case, in every execution mode, against the real TF1 layer.

Two oracles:
* live: tf_keras's legacy `tf.compat.v1.layers`, in a subprocess under
  `TF_USE_LEGACY_KERAS=1` on the installed TensorFlow;
* historical: golden fixtures recorded under TensorFlow 2.15.1, where the layers
  are native (`tests/parity/record_goldens.py`).

Modes: TF1 graph + Session inside `tf.Graph().as_default()` ("graph"), the same
in a process that called `tf.compat.v1.disable_eager_execution()` ("graph_v1")
and in one that called `tf.compat.v1.disable_v2_behavior()` ("graph_tf1", full
TF1: reference variables, v1 shapes and control flow; the first line of nearly
every TF1 program run on TF2), both in worker subprocesses, eager, and
`tf.function`. In the graph modes the result includes what TF1 code reads from
the layer objects (`runner.layer_view`): their variables, which must be the
graph's own.
"""

from __future__ import annotations

import functools

import compat_layers
import numpy as np
from absl.testing import absltest, parameterized

from tests.parity import compare, goldens, oracle, registry, runner, tracked


# A case with scopes, unnamed and named layers: the Saver round trips use it.
CHECKPOINT_CASE = "unnamed_uniquified_in_scope"


@functools.lru_cache(maxsize=None)
def ours(case_name: str, mode: str) -> dict:
    """compat_layers' result, computed once for both oracles."""
    if mode in runner.PROCESS_MODES:
        return oracle.worker_for_mode("compat", mode).run(case_name, mode)
    return runner.run_case(compat_layers, registry.CASES_BY_NAME[case_name], mode)


def _case_mode_parameters():
    return [
        {"testcase_name": f"_{case.name}_{mode}", "case_name": case.name, "mode": mode}
        for case in registry.CASES
        for mode in runner.ALL_MODES
    ]


class LiveOracleParityTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        names = [case.name for case in registry.CASES]
        oracle.get_worker("legacy").expect([(n, m) for n in names for m in runner.MODES])
        for mode in runner.PROCESS_MODES:
            for impl in ("legacy", "compat"):
                oracle.worker_for_mode(impl, mode).expect([(n, mode) for n in names])

    @parameterized.named_parameters(_case_mode_parameters())
    def test_matches_tf_keras_legacy_layer(self, case_name, mode):
        legacy = oracle.worker_for_mode("legacy", mode)
        theirs = legacy.run(case_name, mode)
        case = registry.CASES_BY_NAME[case_name]
        compare.assert_same_behaviour(ours(case_name, mode), theirs, case, "tf_keras legacy")


class GoldenParityTest(parameterized.TestCase):
    @parameterized.named_parameters(_case_mode_parameters())
    def test_matches_tf_2_15_native_layer(self, case_name, mode):
        # TF 2.15 ran graph mode the same way with or without eager disabled.
        golden = goldens.result(
            registry.GROUP_OF[case_name], case_name, "graph" if mode == "graph_v1" else mode
        )
        self.assertIsNotNone(
            golden,
            f"no TF 2.15.1 golden for {case_name}/{mode}: run tests/parity/record_goldens.py",
        )
        case = registry.CASES_BY_NAME[case_name]
        # Reruns for the rounding noise run in this process (graph for the
        # process modes: the same kernels).
        rerun = functools.partial(
            runner.run_case, compat_layers, case, mode if mode in runner.MODES else "graph"
        )
        compare.assert_same_behaviour(ours(case_name, mode), golden, case, "TF 2.15.1", rerun)

    @parameterized.parameters((group,) for group in registry.GROUPS)
    def test_goldens_come_from_tf_2_15_native_layers(self, group):
        metadata, _ = goldens.load(group)
        self.assertEqual(metadata.get("tensorflow"), "2.15.1", f"no goldens for {group}")
        self.assertTrue(metadata["keras"].startswith("2."))


def _case_parameters():
    return [{"testcase_name": f"_{case.name}", "case_name": case.name} for case in registry.CASES]


def _tracked_parameters():
    return [
        {"testcase_name": f"_{case.name}{'_owned' if owned else ''}", "case_name": case.name,
         "owned": owned}
        for case in registry.CASES
        if not (case.random_in_graphs_only or case.partitioned_in_graphs_only)
        # Cases whose TF1 semantics cannot hold in a decorated call at all
        # (`tracked_error`) are not built once either.
        for owned in ((False,) if case.tracked_error else (False, True))
    ]


class TrackedParityTest(parameterized.TestCase):
    """Every case inside a `track_tf1_style_variables` Keras 3 layer, with its
    variables restored from TF 2.15.1's TF1 checkpoint and called eagerly
    (twice) and in tf.function, must behave as TF1 graph mode did, with no
    variable tracked twice. "owned": the layer objects are built once and
    owned by the decorated layer (`get_or_create_layer`), and one SGD step
    moves each variable by its gradient once."""

    @parameterized.named_parameters(_tracked_parameters())
    def test_restores_tf_2_15_checkpoint_and_matches_graph_mode(self, case_name, owned):
        case = registry.CASES_BY_NAME[case_name]
        graph = goldens.result(registry.GROUP_OF[case_name], case_name, "graph")
        self.assertIsNotNone(graph, f"no TF 2.15.1 golden for {case_name}")
        path = goldens.checkpoint_path(case_name)
        checkpoint = str(path) if path.with_suffix(".index").exists() else None
        if not graph["error"] and graph["variables"]:
            self.assertIsNotNone(checkpoint, f"no TF 2.15.1 checkpoint for {case_name}")
        rerun = functools.partial(tracked.run_tracked, compat_layers, case, checkpoint, owned)
        eager = goldens.result(registry.GROUP_OF[case_name], case_name, "eager")
        compare.assert_tracked_matches_graph(rerun(), graph, case, "TF 2.15.1", rerun, eager)


class CheckpointParityTest(parameterized.TestCase):
    def test_restores_tf1_saver_checkpoint_written_by_tf_2_15(self):
        case = registry.CASES_BY_NAME[CHECKPOINT_CASE]
        checkpoint = {"restore": str(goldens.checkpoint_path(case.name))}
        restored = runner.run_case(compat_layers, case, "graph", checkpoint=checkpoint)
        golden = goldens.result(registry.GROUP_OF[case.name], case.name, "graph")
        # The variables start from their own (random) initializers, so only a
        # restore by TF1 name reproduces TF 2.15's output.
        rerun = functools.partial(runner.run_case, compat_layers, case, "graph", checkpoint=checkpoint)
        compare.assert_close(restored["output"], golden["output"], case.dtype, "output",
                             noise=compare.RoundingNoise(rerun))

    def test_tf1_saver_round_trip(self):
        case = registry.CASES_BY_NAME[CHECKPOINT_CASE]
        path = self.create_tempdir().full_path + "/model"
        saved = runner.run_case(compat_layers, case, "graph", checkpoint={"save": path})
        restored = runner.run_case(compat_layers, case, "graph", checkpoint={"restore": path})
        np.testing.assert_array_equal(restored["output"], saved["output"])

    def test_tf_keras_legacy_restores_our_checkpoint(self):
        case = registry.CASES_BY_NAME[CHECKPOINT_CASE]
        path = self.create_tempdir().full_path + "/model"
        saved = runner.run_case(compat_layers, case, "graph", checkpoint={"save": path})
        legacy = oracle.get_worker("legacy")
        restored = legacy.run(case.name, "graph", checkpoint={"restore": path})
        np.testing.assert_array_equal(restored["output"], saved["output"])


if __name__ == "__main__":
    absltest.main()
