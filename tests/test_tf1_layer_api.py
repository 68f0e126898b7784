"""The TF1 `Layer` API beyond the registry's records, against TF1's layers.

`tests/oracle_scripts/layer_api_probes.py` exercises what TF1 code did with
layer objects: `compute_output_shape` with `TensorShape`s, a bare `Layer()`,
dtypes from NumPy and Python inputs, `Flatten` of huge static dims, the losses
and updates of every call split by input, op name scopes, dict inputs and
outputs, every kind of `training` flag, inputs of unknown rank and eager
variable names. It runs in full TF1 mode (`disable_v2_behavior()`) and in
TF2's eager mode, once on tf_keras's TF1 layers (the live oracle) and once on
compat_layers, each in its own process; every probe must give the same.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path

from absl.testing import absltest, parameterized

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "tests" / "oracle_scripts" / "layer_api_probes.py"
MODES = ("tf1", "eager")
TIMEOUT_S = 300


def run_probes(mode: str, impl: str, script: Path = SCRIPT) -> dict:
    """Runs an oracle probe script as `script mode impl`; its JSON result."""
    env = {k: v for k, v in os.environ.items() if k not in ("TF_USE_LEGACY_KERAS", "COMPAT_LAYERS_INSTALL")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    if impl == "legacy":
        env["TF_USE_LEGACY_KERAS"] = "1"
    done = subprocess.run([sys.executable, str(script), mode, impl], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    if done.returncode:
        raise AssertionError(f"{mode}/{impl} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def probe_names(script: Path = SCRIPT) -> list[str]:
    """The names of the `@probe` functions of an oracle probe script."""
    source = script.read_text()
    return [line.split("def ", 1)[1].split("(", 1)[0]
            for line, previous in zip(source.splitlines()[1:], source.splitlines())
            if previous.strip() == "@probe"]


class LayerApiTest(parameterized.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        runs = [(mode, impl) for mode in MODES for impl in ("legacy", "compat")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            cls.results = dict(zip(runs, pool.map(lambda run: run_probes(*run), runs)))

    def test_there_are_probes(self):
        self.assertGreaterEqual(len(probe_names()), 10)

    @parameterized.named_parameters(
        (f"_{mode}_{name}", mode, name) for mode in MODES for name in probe_names()
    )
    def test_probe_matches_tf1(self, mode, name):
        theirs = self.results[mode, "legacy"][name]
        ours = self.results[mode, "compat"][name]
        self.assertEqual(ours, theirs, f"{name} ({mode}): ours {ours} != TF1 {theirs}")


if __name__ == "__main__":
    absltest.main()
