"""Benchmark entry point: `python -m benchmarks [--quick] [--json PATH] [--png PATH]`.

Each contender (compat_layers, native Keras 3, tf_keras legacy under
TF_USE_LEGACY_KERAS=1, raw tf.nn ops) runs in worker subprocesses of its own:
one for eager and tf.function metrics, one for TF1 graphs. Rounds ask every
worker in turn (order rotated per round and metric) for a few samples of one
metric after untimed warm-up calls, so slow drifts of a shared machine hit
every contender alike. Import time is taken in a fresh process per sample;
graph-build memory once per graph worker, while it is fresh.

The table (Markdown) shows medians over all samples, a spread (half the
inter-quartile range, in % of the median) and the ratio to native Keras 3;
the targets table adds the median of per-round ratios and the ratio of
minima. The exit status is 1 when any contender failed a metric.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import config

REPO_ROOT = Path(__file__).resolve().parents[1]
_START = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _START:6.1f}s] {message}", file=sys.stderr, flush=True)


def _environment(contender: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p
    )
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONWARNINGS"] = "ignore"
    if contender == "tf_keras":
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        env.pop("TF_USE_LEGACY_KERAS", None)
    return env


class WorkerError(RuntimeError):
    pass


class Worker:
    """One contender's `benchmarks.worker` subprocess."""

    def __init__(self, contender: str, python: str, memory: bool = False):
        self.contender = contender
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [python, "-m", "benchmarks.worker", "--contender", contender]
            + (["--memory"] if memory else []),
            cwd=REPO_ROOT,
            env=_environment(contender),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.versions: dict = {}
        self.memory: dict = {}

    def wait_ready(self) -> None:
        hello = self._read()
        self.versions = hello.get("versions", {})
        self.memory = hello.get("memory", {})

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=60)
            self.stderr.seek(0)
            tail = self.stderr.read().decode("utf-8", "replace")[-3000:]
            raise WorkerError(
                f"{self.contender} worker died (exit {self.process.returncode}):\n{tail}"
            )
        message = json.loads(line)
        if "error" in message:
            raise WorkerError(f"{self.contender}: {message['error']}")
        return message

    def measure(self, metric: str, samples: int, inner: int, warmup: int) -> list[float]:
        request = {"metric": metric, "samples": samples, "inner": inner, "warmup": warmup}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read()["samples"]

    def close(self, wait: bool = True) -> None:
        if self.process.poll() is None and not self.process.stdin.closed:
            self.process.stdin.close()  # the worker exits at end of input
        if wait:
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_probe(contender: str, python: str) -> dict:
    result = subprocess.run(
        [python, "-m", "benchmarks.probe", "--contender", contender],
        cwd=REPO_ROOT,
        env=_environment(contender),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise WorkerError(f"{contender} probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _last_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"error: {lines[-1] if lines else type(error).__name__}"


def _rotated(items: tuple[str, ...], shift: int) -> list[str]:
    shift %= len(items)
    return list(items[shift:] + items[:shift])


# ------------------------------------------------------------------ measuring
def collect(args) -> tuple[dict, dict, dict, dict]:
    """samples[metric][contender] (a list per round), errors, extras, versions."""
    plan = config.PLANS["quick" if args.quick else "full"]
    probe_rounds = args.rounds or plan["import_rounds"]
    contenders = tuple(args.contenders)
    timed = [m for m in args.metrics if config.METRICS[m][2] not in ("import", "memory")]
    memory = [m for m in args.metrics if config.METRICS[m][2] == "memory"]
    samples: dict = {m: {c: [] for c in contenders} for m in args.metrics}
    errors: dict = {m: {} for m in args.metrics}
    extra: dict = {"import_tensorflow": {c: [] for c in contenders}}

    if "import_time" in args.metrics:
        # Byte-compile first, as an installed package is: a source file edited
        # since the last import would otherwise be compiled inside the timing.
        subprocess.run(
            [args.python, "-m", "compileall", "-q", str(REPO_ROOT / "compat_layers")],
            cwd=REPO_ROOT,
            capture_output=True,
            check=False,
        )
        # A fresh process per sample, one at a time, before the workers start.
        for r in range(probe_rounds):
            for c in _rotated(contenders, r):
                if c == "raw_ops":
                    continue  # nothing to import beyond TensorFlow
                log(f"import round {r + 1}/{probe_rounds}: {c}")
                try:
                    result = run_probe(c, args.python)
                except (WorkerError, subprocess.TimeoutExpired) as error:
                    errors["import_time"][c] = _last_line(error)
                    continue
                extra["import_tensorflow"][c].append(result["import_tensorflow"])
                samples["import_time"][c].append([result["import_time"]])

    # Two workers per contender: one for eager / tf.function metrics, one for
    # TF1 graphs. tf_keras forbids mixing them in one process (a layer made
    # in a tf.Graph invalidates every layer made eagerly before it), and the
    # split keeps the contenders alike.
    groups = {m: config.worker_group(m) for m in timed + memory}
    needed = sorted(set(groups.values()))
    workers: dict[tuple[str, str], Worker] = {}
    if needed:
        log(f"starting {len(needed)} worker(s) per contender ({', '.join(needed)}): "
            + ", ".join(contenders)
            + ("; graph workers first measure graph-build memory" if memory else ""))
        for c in contenders:
            for group in needed:
                workers[c, group] = Worker(c, args.python, memory=bool(memory) and group == "graph")
        for (c, group), worker in list(workers.items()):
            try:
                worker.wait_ready()
            except WorkerError as error:
                log(str(error))
                for m, g in groups.items():
                    if g == group:
                        errors[m][c] = _last_line(error)
                workers.pop((c, group)).close()
                continue
            for m in memory:
                if group == "graph" and worker.memory.get(m) is not None:
                    samples[m][c].append([worker.memory[m]])

    def rounds_of(metric: str) -> int:
        return args.rounds or plan[config.METRICS[metric][3]]["rounds"]

    rounds = max((rounds_of(m) for m in timed), default=0)
    try:
        for r in range(rounds):
            for mi, m in enumerate(timed):
                if r >= rounds_of(m):
                    continue
                counts = plan[config.METRICS[m][3]]
                for c in _rotated(contenders, r + mi):
                    worker = workers.get((c, groups[m]))
                    if worker is None or c in errors[m] or not config.applies(m, c):
                        continue
                    log(f"round {r + 1}/{rounds_of(m)}: {m} / {c}")
                    try:
                        samples[m][c].append(
                            worker.measure(m, counts["samples"], counts["inner"], counts["warmup"])
                        )
                    except WorkerError as error:
                        log(str(error))
                        errors[m][c] = _last_line(error)
    finally:
        versions = {c: w.versions for (c, group), w in workers.items() if group == needed[0]}
        for w in workers.values():
            w.close(wait=False)
        for w in workers.values():
            w.close()
    return samples, errors, extra, versions


# ----------------------------------------------------------------- reporting
def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples: dict, errors: dict, contenders: tuple[str, ...]) -> dict:
    metrics = {}
    for m, per_contender in samples.items():
        label, unit, _, _ = config.METRICS[m]
        scale = config.UNIT_SCALE[unit]
        results = {}
        for c in contenders:
            rounds = [[v * scale for v in r] for r in per_contender.get(c, []) if r]
            values = [v for r in rounds for v in r]
            error = errors.get(m, {}).get(c)
            if error or not values:
                # A failure in any round voids the metric: partial data would
                # hide it.
                results[c] = {"median": None, "na": error or _not_applicable(m, c)}
                continue
            median = statistics.median(values)
            p25, p75 = _quantile(values, 0.25), _quantile(values, 0.75)
            results[c] = {
                "median": median,
                "p25": p25,
                "p75": p75,
                "min": min(values),
                "max": max(values),
                "spread_pct": 100.0 * (p75 - p25) / 2 / median if median else 0.0,
                "n": len(values),
                "round_medians": [statistics.median(r) for r in rounds],
                "na": None,
            }
        reference = results.get(config.REFERENCE, {})
        for c, result in results.items():
            usable = (
                result["median"] is not None
                and reference.get("median")
                and m not in config.NO_RATIO
            )
            result["ratio_to_keras3"] = result["median"] / reference["median"] if usable else None
            # The same ratio taken round by round (each round's contenders ran
            # back to back), then the median: less sensitive to slow drifts.
            result["paired_ratio_to_keras3"] = (
                _paired_ratio(result, reference) if usable else None
            )
        metrics[m] = {"label": label, "unit": unit, "results": results}
    return metrics


def _not_applicable(metric: str, contender: str) -> str:
    if metric == "import_time" and contender == "raw_ops":
        return "N/A: nothing to import beyond TensorFlow"
    if not config.applies(metric, contender):
        return "N/A: no layer object or TF1 model code"
    return "N/A: not measured"


def _paired_ratio(mine: dict, theirs: dict) -> float | None:
    """Median over rounds of the ratio of the two round medians."""
    ratios = [
        a / b
        for a, b in zip(mine.get("round_medians", []), theirs.get("round_medians", []))
        if b
    ]
    return statistics.median(ratios) if ratios else None


def evaluate_targets(metrics: dict) -> list[dict]:
    """Each target of the issue, judged on the ratio of medians of this run."""
    targets = []
    for m, contender, against, limit in config.TARGETS:
        results = metrics.get(m, {}).get("results", {})
        if contender not in results or (against is not None and against not in results):
            continue
        mine = results[contender]
        paired = min_ratio = None
        if against is None:
            measured = mine["median"]
            what = f"{contender}: {metrics[m]['label']} <= {limit:g} ms"
        else:
            theirs = results[against]
            measured = (
                mine["median"] / theirs["median"]
                if mine["median"] is not None and theirs["median"]
                else None
            )
            if measured is not None:
                paired = _paired_ratio(mine, theirs)
                min_ratio = mine["min"] / theirs["min"] if theirs["min"] else None
            what = f"{metrics[m]['label']}: {contender} / {against} <= {limit:.2f}x"
        targets.append(
            {
                "metric": m,
                "contender": contender,
                "against": against,
                "limit": limit,
                "value": measured,
                "paired_ratio": paired,
                "min_ratio": min_ratio,
                "met": None if measured is None else measured <= limit,
                "description": what,
            }
        )
    return targets


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def markdown_table(report: dict) -> str:
    contenders = report["contenders"]
    lines = [
        "| metric | unit | " + " | ".join(contenders) + " |",
        "|---|---|" + "---:|" * len(contenders),
    ]
    for m, entry in report["metrics"].items():
        cells = []
        for c in contenders:
            result = entry["results"][c]
            if result["median"] is None:
                cells.append("N/A" if result["na"].startswith("N/A") else "error")
                continue
            cell = f"{_fmt(result['median'])} ±{result['spread_pct']:.0f}%"
            if result["ratio_to_keras3"] is not None:
                cell += f" ({result['ratio_to_keras3']:.2f}x)"
            cells.append(cell)
        lines.append(f"| {entry['label']} | {entry['unit']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets_table(targets: list[dict]) -> str:
    lines = [
        "| target | ratio of medians | per-round ratio | ratio of minima | met |",
        "|---|---:|---:|---:|:---:|",
    ]
    for t in targets:
        if t["value"] is None:
            cells = ["N/A", "", "", "?"]
        elif t["against"] is None:
            cells = [f"{t['value']:.1f} ms", "", "", "yes" if t["met"] else "NO"]
        else:
            cells = [
                f"{t['value']:.3f}x",
                "" if t["paired_ratio"] is None else f"{t['paired_ratio']:.3f}x",
                "" if t["min_ratio"] is None else f"{t['min_ratio']:.3f}x",
                "yes" if t["met"] else "NO",
            ]
        lines.append(f"| {t['description']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine_info() -> dict:
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    if hasattr(os, "getloadavg"):
        info["loadavg_start"] = list(os.getloadavg())
    return info


def compat_layers_version() -> str:
    namespace: dict = {}
    exec((REPO_ROOT / "compat_layers" / "_version.py").read_text(), namespace)
    return namespace.get("__version__", "?")


COLORS = {
    "compat_layers": "tab:blue",
    "keras3": "tab:orange",
    "tf_keras": "tab:green",
    "raw_ops": "tab:gray",
}


def write_png(report: dict, path: str) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log(
            f"PNG skipped ({path}): matplotlib is not installed; "
            "install it with `pip install 'compat-layers[bench]'` (or `pip install matplotlib`)."
        )
        return False
    contenders = report["contenders"]
    ratio_metrics = [m for m in report["metrics"] if m not in config.NO_RATIO]
    fig, (ax, ax_import) = plt.subplots(
        1, 2, figsize=(13, 0.18 * len(ratio_metrics) * len(contenders) + 2),
        gridspec_kw={"width_ratios": [4, 1]},
    )
    height = 0.8 / len(contenders)
    for i, c in enumerate(contenders):
        positions, ratios, low, high = [], [], [], []
        for j, m in enumerate(ratio_metrics):
            result = report["metrics"][m]["results"][c]
            reference = report["metrics"][m]["results"][config.REFERENCE]["median"]
            if result["ratio_to_keras3"] is None:
                continue
            positions.append(j + i * height)
            ratios.append(result["ratio_to_keras3"])
            low.append(result["ratio_to_keras3"] - result["p25"] / reference)
            high.append(result["p75"] / reference - result["ratio_to_keras3"])
        ax.barh(
            positions, ratios, height=height, label=c, color=COLORS.get(c),
            xerr=[low, high], error_kw={"elinewidth": 0.6, "capsize": 1.5, "alpha": 0.6},
        )
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_yticks([j + 0.4 - height / 2 for j in range(len(ratio_metrics))])
    ax.set_yticklabels([report["metrics"][m]["label"] for m in ratio_metrics], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(
        "median time (or memory) / native Keras 3, bars: inter-quartile range  (lower is better)"
    )
    ax.legend(fontsize=8, loc="lower right")
    if "import_time" in report["metrics"]:
        results = report["metrics"]["import_time"]["results"]
        names = [c for c in contenders if results[c]["median"] is not None]
        ax_import.bar(
            names, [results[c]["median"] for c in names], color=[COLORS.get(c) for c in names]
        )
        ax_import.axhline(100, color="black", linestyle="--", linewidth=0.8)
        ax_import.text(0, 101, "target", fontsize=7, va="bottom")
        ax_import.set_ylabel("ms on top of `import tensorflow`")
        ax_import.tick_params(axis="x", labelrotation=45, labelsize=8)
        ax_import.set_title("import", fontsize=9)
    else:
        ax_import.axis("off")
    fig.suptitle(
        f"compat_layers benchmarks ({report['mode']}), {report['machine']['cpu_count']} CPUs, "
        f"TF {report['versions'].get('tensorflow', '?')}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def parse_args(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few iterations (CI)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON")
    parser.add_argument("--png", metavar="PATH", help="write a bar chart (needs matplotlib)")
    parser.add_argument("--rounds", type=int, help="override the plan's number of rounds")
    parser.add_argument(
        "--contenders",
        nargs="+",
        default=list(config.CONTENDERS),
        choices=config.CONTENDERS,
        help="default: %(default)s; native Keras 3 is always included (the reference)",
    )
    parser.add_argument(
        "--metrics", nargs="+", default=list(config.METRICS), choices=list(config.METRICS)
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter of the subprocesses"
    )
    args = parser.parse_args(argv)
    if config.REFERENCE not in args.contenders:
        args.contenders.insert(0, config.REFERENCE)
    args.contenders = [c for c in config.CONTENDERS if c in args.contenders]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    machine = machine_info()
    samples, errors, extra, versions = collect(args)
    metrics = summarize(samples, errors, tuple(args.contenders))
    reference_versions = dict(versions.get(config.REFERENCE, {}))
    reference_versions["compat_layers"] = compat_layers_version()
    if "tf_keras" in versions:
        reference_versions["tf.keras (legacy worker)"] = versions["tf_keras"].get("tf.keras")
    if hasattr(os, "getloadavg"):
        machine["loadavg_end"] = list(os.getloadavg())
    report = {
        "schema": 1,
        "mode": "quick" if args.quick else "full",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 1),
        "machine": machine,
        "versions": reference_versions,
        "worker_versions": versions,
        "contenders": list(args.contenders),
        "descriptions": {c: config.DESCRIPTIONS[c] for c in args.contenders},
        "reference": config.REFERENCE,
        "shapes": config.SHAPES,
        "plan": config.PLANS["quick" if args.quick else "full"],
        "metrics": metrics,
        "import_tensorflow_ms": {
            c: statistics.median(v) * 1e3 for c, v in extra["import_tensorflow"].items() if v
        },
        "raw_samples": samples,
    }
    report["targets"] = evaluate_targets(metrics)

    print(
        f"compat_layers benchmarks ({report['mode']}): {machine['cpu_count']} CPUs "
        f"({machine['cpu']}), Python {machine['python']}, "
        + ", ".join(f"{k} {v}" for k, v in reference_versions.items() if v)
    )
    print("Cells: median ±half-IQR (ratio to native Keras 3).\n")
    print(markdown_table(report))
    print()
    print(targets_table(report["targets"]))
    print(f"\n({report['duration_s']:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
        log(f"wrote {args.json}")
    if args.png and write_png(report, args.png):
        log(f"wrote {args.png}")
    failed = [
        f"{m} / {c}: {result['na']}"
        for m, entry in metrics.items()
        for c, result in entry["results"].items()
        if result["median"] is None and not result["na"].startswith("N/A")
    ]
    for line in failed:
        log(f"FAILED {line}")
    return 1 if failed else 0
