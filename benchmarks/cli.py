"""`python -m benchmarks.cli`: how fast `compat-layers` starts and scans.

    python -m benchmarks.cli                 # 3,000-file tree, 3 rounds
    python -m benchmarks.cli --quick         # what CI runs: 300 files, 1 round
    python -m benchmarks.cli --baseline DIR  # also time another checkout's CLI

Start-up: `compat-layers --version` in a fresh process against a bare
`python -c "import libcst"` (the floor: the CLI parses with libcst), medians
of `--starts` runs each. Scan: `compat-layers scan --format json` of a
generated tree shaped like the one of issue 15 (3,302 files, 301 with
`tf.layers` uses): one file in ten is TF1 model code with uses, one in five
imports TensorFlow without them, the rest is plain Python; notebooks too. The
scan is timed with one worker (`--jobs 1`) and with the automatic pool.
`--baseline DIR` times `python -m compat_layers.cli` of another checkout
(the code before this benchmark's change imports TensorFlow: see
RESULTS.md). Against libcst: in one process pinned to one core, libcst's bare
parse (`libcst.parse_module`) of a tree of TF 1.x files (`--tf1-files`, half
TF1 model code on `tf.compat.v1`, half TF 1.x scripts on
`import tensorflow as tf` that migrate switches) against `scan_source` and
`migrate_source` of the same files; the limits are 2x for scan and 3x for
migrate. Standard library only; the CLI runs in subprocesses.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

_TF1_MODEL = textwrap.dedent(
    '''\
    """Model {index}: a TF1 graph-mode network."""
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()


    def block_{index}(x, filters, training):
        h = tf.layers.conv2d(x, filters, 3, padding="same", name="conv")
        h = tf.layers.batch_normalization(h, training=training)
        h = tf.nn.relu(h)
        return tf.layers.max_pooling2d(h, 2, 2)


    def head_{index}(h, classes):
        h = tf.layers.flatten(h)
        h = tf.layers.dropout(h, 0.5)
        return tf.layers.dense(h, classes)
    '''
)
_TF2_CODE = textwrap.dedent(
    '''\
    """Input pipeline {index}: TensorFlow, no TF1 API."""
    import tensorflow as tf


    def dataset_{index}(files, batch):
        data = tf.data.TFRecordDataset(files).map(tf.io.parse_tensor)
        return data.shuffle(1024).batch(batch).prefetch(tf.data.AUTOTUNE)


    def loss_{index}(labels, logits):
        return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels, logits))
    '''
)
_PLAIN = textwrap.dedent(
    '''\
    """Utility module {index}."""
    from __future__ import annotations

    import dataclasses
    import json
    from pathlib import Path


    @dataclasses.dataclass
    class Config{index}:
        name: str
        size: int = {index}
        tags: tuple[str, ...] = ()

        def save(self, path: Path) -> None:
            path.write_text(json.dumps(dataclasses.asdict(self), indent=2))

        @classmethod
        def load(cls, path: Path) -> "Config{index}":
            return cls(**json.loads(path.read_text()))


    def merge_{index}(left: dict, right: dict) -> dict:
        merged = dict(left)
        for key, value in right.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = merge_{index}(merged[key], value)
            else:
                merged[key] = value
        return merged
    '''
)


def _notebook(index: int) -> str:
    cells = [
        ["import tensorflow.compat.v1 as tf\n", "%matplotlib inline"],
        ["x = tf.placeholder(tf.float32, [None, 8])\n", f"y = tf.layers.dense(x, {index % 7 + 1})"],
    ]
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": source} for source in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }, indent=1) + "\n"


_TF1_SCRIPT = textwrap.dedent(
    '''\
    """Agent {index}: TF 1.x code on `import tensorflow as tf`."""
    import numpy as np
    import tensorflow as tf


    class Agent{index}(object):

        def __init__(self, n_obs, n_actions, lr=1e-3):
            tf.set_random_seed({index})
            self.obs = tf.placeholder(tf.float32, [None, n_obs], name="obs")
            self.actions = tf.placeholder(tf.int32, [None], name="actions")
            with tf.variable_scope("q_{index}"):
                h = tf.layers.dense(self.obs, 64, activation=tf.nn.relu,
                                    name="fc1")
                self.q = tf.layers.dense(h, n_actions,
                                         name="q")
            chosen = tf.reduce_sum(self.q * tf.one_hot(self.actions, n_actions), axis=1)
            self.loss = tf.reduce_mean(tf.square(chosen - tf.to_float(self.actions)))
            self.train_op = tf.train.AdamOptimizer(lr).minimize(self.loss)

        def act(self, sess, obs):
            return np.argmax(sess.run(self.q, feed_dict={{self.obs: obs}}), axis=1)


    def main():
        agent = Agent{index}(4, 2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(agent.act(sess, np.zeros((1, 4), np.float32)))
    '''
)

# Runs in its own process, pinned to one core: seconds for libcst's parse,
# scan_source and migrate_source of every file under argv[1], the three
# interleaved file by file so that a busy machine slows each alike; the best
# of argv[2] rounds.
_AGAINST_LIBCST = textwrap.dedent(
    '''\
    import json, os, sys, time
    from pathlib import Path
    import libcst
    from compat_layers_cli import codemod
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sources = [path.read_bytes() for path in sorted(Path(sys.argv[1]).rglob("*.py"))]
    functions = {
        "libcst.parse_module": libcst.parse_module,
        "scan": lambda source: codemod.scan_source(source, not_covered=True),
        "migrate": codemod.migrate_source,
    }
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(int(sys.argv[2])):
        total = dict.fromkeys(functions, 0.0)
        for source in sources:
            for name, function in functions.items():
                start = time.perf_counter()
                function(source)
                total[name] += time.perf_counter() - start
        best = {name: min(best[name], total[name]) for name in functions}
    print(json.dumps(best))
    '''
)
LIMITS = {"scan": 2.0, "migrate": 3.0}


def generate_tf1_tree(root: Path, files: int) -> None:
    """`files` TF 1.x files: TF1 model code and TF 1.x scripts, alternately."""
    for index in range(files):
        package = root / f"pkg{index // 50:03d}"
        package.mkdir(parents=True, exist_ok=True)
        template = _TF1_MODEL if index % 2 else _TF1_SCRIPT
        (package / f"module_{index}.py").write_text(template.format(index=index))


def generate_tree(root: Path, files: int, seed: int = 0) -> dict[str, int]:
    """Writes `files` files under `root` (packages of 50); returns what it wrote.

    One in ten is TF1 model code with 6 uses (one in a hundred of those a
    notebook with 1), one in five imports TensorFlow without uses, the rest
    is plain Python. The counts: "files", "with_uses", "uses".
    """
    rng = random.Random(seed)
    counts = {"files": files, "with_uses": 0, "uses": 0}
    for index in range(files):
        package = root / f"pkg{index // 50:03d}" / f"sub{index % 5}"
        package.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < 0.1:
            counts["with_uses"] += 1
            if index % 100 == 7:
                (package / f"explore_{index}.ipynb").write_text(_notebook(index))
                counts["uses"] += 1
                continue
            text, counts["uses"] = _TF1_MODEL.format(index=index), counts["uses"] + 6
        elif roll < 0.3:
            text = _TF2_CODE.format(index=index)
        else:
            text = _PLAIN.format(index=index)
        (package / f"module_{index}.py").write_text(text)
    return counts


def _time(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO_ROOT)
    return time.perf_counter() - start, result


def _environment(path: Path) -> dict[str, str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(path), env.get("PYTHONPATH")) if p)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 files, 1 round, 3 starts (CI)")
    parser.add_argument("--files", type=int, help="tree size (default 3000)")
    parser.add_argument("--rounds", type=int, help="scans per variant (default 3)")
    parser.add_argument("--starts", type=int, help="start-up samples (default 9)")
    parser.add_argument("--baseline", metavar="DIR", type=Path,
                        help="also time `python -m compat_layers.cli` of this checkout")
    parser.add_argument("--tf1-files", type=int, help="TF 1.x tree against libcst (default 300)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    args = parser.parse_args(argv)
    files = args.files or (300 if args.quick else 3000)
    rounds = args.rounds or (1 if args.quick else 3)
    starts = args.starts or (3 if args.quick else 9)
    python, env = sys.executable, _environment(REPO_ROOT)
    cli = [python, "-m", "compat_layers_cli"]
    report: dict = {"files": files, "rounds": rounds, "cpus": os.cpu_count()}

    floor = [_time([python, "-c", "import libcst"], env)[0] for _ in range(starts)]
    version = [_time([*cli, "--version"], env)[0] for _ in range(starts)]
    report["startup_s"] = {"import libcst": statistics.median(floor),
                           "compat-layers --version": statistics.median(version)}

    with tempfile.TemporaryDirectory() as directory:
        tree = Path(directory) / "tree"
        report["tree"] = generate_tree(tree, files)
        variants = {"jobs=1": [*cli, "scan", "--format", "json", "--jobs", "1", str(tree)],
                    "jobs=auto": [*cli, "scan", "--format", "json", str(tree)]}
        if args.baseline:
            variants["baseline"] = [python, "-m", "compat_layers.cli", "scan", "--format", "json",
                                    str(tree)]
        report["scan_s"] = {}
        for name, command in variants.items():
            samples = []
            for _ in range(rounds):
                seconds, result = _time(command, _environment(args.baseline) if name == "baseline"
                                        else env)
                if result.returncode != 1:
                    print(f"{name}: exit {result.returncode}\n{result.stderr[-2000:]}", file=sys.stderr)
                    return 1
                uses = len(json.loads(result.stdout)["uses"])
                if uses != report["tree"]["uses"]:
                    print(f"{name}: {uses} uses, expected {report['tree']['uses']}", file=sys.stderr)
                    return 1
                samples.append(seconds)
            report["scan_s"][name] = statistics.median(samples)

        tf1_tree = Path(directory) / "tf1"
        report["tf1_files"] = args.tf1_files or (60 if args.quick else 300)
        generate_tf1_tree(tf1_tree, report["tf1_files"])
        seconds, result = _time([python, "-c", _AGAINST_LIBCST, str(tf1_tree), str(rounds)], env)
        if result.returncode:
            print(f"against libcst: exit {result.returncode}\n{result.stderr[-2000:]}", file=sys.stderr)
            return 1
        report["against_libcst_s"] = json.loads(result.stdout)

    print(f"| compat-layers CLI, {files} files ({report['tree']['with_uses']} with uses), "
          f"{report['cpus']} CPUs | median s |")
    print("|---|---:|")
    for name, seconds in report["startup_s"].items():
        print(f"| start: {name} | {seconds:.3f} |")
    for name, seconds in report["scan_s"].items():
        print(f"| scan: {name} | {seconds:.2f} |")
    against = report["against_libcst_s"]
    parse = against["libcst.parse_module"]
    print(f"\n| {report['tf1_files']} TF 1.x files, one core | best s | x libcst parse | limit |")
    print("|---|---:|---:|---:|")
    print(f"| libcst.parse_module | {parse:.2f} | 1.00 | |")
    for name, limit in LIMITS.items():
        print(f"| {name} | {against[name]:.2f} | {against[name] / parse:.2f} | {limit:.0f}x |")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
