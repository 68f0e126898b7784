"""What Keras 3's `tf.keras` no longer has, as tables the scanner reads.

The name tables are generated: `python -m compat_layers_cli._keras3_tables`
(TensorFlow, Keras 3 and tf_keras installed) compares every public name of
tf_keras's TF1 and TF2 API trees (`tf_keras.api._v1.keras`,
`tf_keras.api._v2.keras`: what `tf.compat.v1.keras` and `tf.keras` were up
to TF 2.15) with `keras._tf_keras.keras` (what both are from TF 2.16 on) and
prints this module's tables; `--check` exits 1 when the file is out of date.
Names are relative to `keras`; a module name (`estimator`) stands for
everything under it. This module is data only at import time: the scanner
must not import TensorFlow.
"""

from __future__ import annotations

from collections.abc import Callable

# tf.compat.v1.keras names that TF 2.16+'s tf.compat.v1.keras lacks.
DROPPED_V1: frozenset[str] = frozenset({
    "applications.RegNetX002",
    "applications.RegNetX004",
    "applications.RegNetX006",
    "applications.RegNetX008",
    "applications.RegNetX016",
    "applications.RegNetX032",
    "applications.RegNetX040",
    "applications.RegNetX064",
    "applications.RegNetX080",
    "applications.RegNetX120",
    "applications.RegNetX160",
    "applications.RegNetX320",
    "applications.RegNetY002",
    "applications.RegNetY004",
    "applications.RegNetY006",
    "applications.RegNetY008",
    "applications.RegNetY016",
    "applications.RegNetY032",
    "applications.RegNetY040",
    "applications.RegNetY064",
    "applications.RegNetY080",
    "applications.RegNetY120",
    "applications.RegNetY160",
    "applications.RegNetY320",
    "applications.ResNetRS101",
    "applications.ResNetRS152",
    "applications.ResNetRS200",
    "applications.ResNetRS270",
    "applications.ResNetRS350",
    "applications.ResNetRS420",
    "applications.ResNetRS50",
    "applications.regnet",
    "applications.resnet_rs",
    "backend.function",
    "backend.get_session",
    "backend.in_test_phase",
    "backend.in_train_phase",
    "backend.learning_phase",
    "backend.learning_phase_scope",
    "backend.local_conv1d",
    "backend.local_conv2d",
    "backend.manual_variable_initialization",
    "backend.normalize_batch_in_training",
    "backend.placeholder",
    "backend.print_tensor",
    "backend.random_binomial",
    "backend.reset_uids",
    "backend.set_learning_phase",
    "backend.set_session",
    "callbacks.BaseLogger",
    "callbacks.SidecarEvaluatorModelExport",
    "callbacks.experimental",
    "constraints.RadialConstraint",
    "constraints.radial_constraint",
    "estimator",
    "experimental",
    "initializers.normal",
    "initializers.uniform",
    "layers.AbstractRNNCell",
    "layers.CuDNNGRU",
    "layers.CuDNNLSTM",
    "layers.DenseFeatures",
    "layers.LocallyConnected1D",
    "layers.LocallyConnected2D",
    "layers.disable_v2_dtype_behavior",
    "layers.enable_v2_dtype_behavior",
    "layers.experimental",
    "losses.cosine",
    "losses.cosine_proximity",
    "losses.kl_divergence",
    "losses.log_cosh",
    "losses.mean_absolute_error",
    "losses.mean_absolute_percentage_error",
    "losses.mean_squared_error",
    "losses.mean_squared_logarithmic_error",
    "metrics.MeanRelativeError",
    "metrics.MeanTensor",
    "metrics.cosine",
    "metrics.cosine_proximity",
    "metrics.kl_divergence",
    "metrics.log_cosh",
    "metrics.mean_absolute_error",
    "metrics.mean_absolute_percentage_error",
    "metrics.mean_squared_error",
    "metrics.mean_squared_logarithmic_error",
    "models.LinearModel",
    "models.WideDeepModel",
    "models.model_from_config",
    "models.model_from_yaml",
    "optimizers.legacy.Adadelta",
    "optimizers.legacy.Adagrad",
    "optimizers.legacy.Adam",
    "optimizers.legacy.Adamax",
    "optimizers.legacy.Ftrl",
    "optimizers.legacy.Nadam",
    "optimizers.legacy.Optimizer",
    "optimizers.legacy.RMSprop",
    "optimizers.legacy.SGD",
    "saving",
    "utils.DeterministicRandomTestTool",
    "utils.GeneratorEnqueuer",
    "utils.OrderedEnqueuer",
    "utils.SequenceEnqueuer",
    "utils.StepsPerExecutionTuner",
    "utils.get_or_create_layer",
    "utils.to_ordinal",
    "utils.track_tf1_style_variables",
    "utils.warmstart_embedding_matrix",
})

# tf.keras names that TF 2.16+'s tf.keras lacks.
DROPPED_V2: frozenset[str] = frozenset({
    "applications.RegNetX002",
    "applications.RegNetX004",
    "applications.RegNetX006",
    "applications.RegNetX008",
    "applications.RegNetX016",
    "applications.RegNetX032",
    "applications.RegNetX040",
    "applications.RegNetX064",
    "applications.RegNetX080",
    "applications.RegNetX120",
    "applications.RegNetX160",
    "applications.RegNetX320",
    "applications.RegNetY002",
    "applications.RegNetY004",
    "applications.RegNetY006",
    "applications.RegNetY008",
    "applications.RegNetY016",
    "applications.RegNetY032",
    "applications.RegNetY040",
    "applications.RegNetY064",
    "applications.RegNetY080",
    "applications.RegNetY120",
    "applications.RegNetY160",
    "applications.RegNetY320",
    "applications.ResNetRS101",
    "applications.ResNetRS152",
    "applications.ResNetRS200",
    "applications.ResNetRS270",
    "applications.ResNetRS350",
    "applications.ResNetRS420",
    "applications.ResNetRS50",
    "applications.regnet",
    "applications.resnet_rs",
    "backend.experimental",
    "backend.function",
    "backend.in_test_phase",
    "backend.in_train_phase",
    "backend.learning_phase",
    "backend.learning_phase_scope",
    "backend.local_conv1d",
    "backend.local_conv2d",
    "backend.manual_variable_initialization",
    "backend.normalize_batch_in_training",
    "backend.placeholder",
    "backend.print_tensor",
    "backend.random_binomial",
    "backend.reset_uids",
    "backend.set_learning_phase",
    "callbacks.BaseLogger",
    "callbacks.SidecarEvaluatorModelExport",
    "callbacks.experimental",
    "constraints.RadialConstraint",
    "constraints.radial_constraint",
    "dtensor",
    "estimator",
    "experimental",
    "layers.AbstractRNNCell",
    "layers.DenseFeatures",
    "layers.LocallyConnected1D",
    "layers.LocallyConnected2D",
    "layers.experimental",
    "losses.kl_divergence",
    "losses.log_cosh",
    "losses.mean_absolute_error",
    "losses.mean_absolute_percentage_error",
    "losses.mean_squared_error",
    "losses.mean_squared_logarithmic_error",
    "metrics.MeanRelativeError",
    "metrics.MeanTensor",
    "metrics.experimental",
    "metrics.kl_divergence",
    "metrics.log_cosh",
    "metrics.mean_absolute_error",
    "metrics.mean_absolute_percentage_error",
    "metrics.mean_squared_error",
    "metrics.mean_squared_logarithmic_error",
    "models.experimental",
    "models.model_from_config",
    "models.model_from_yaml",
    "optimizers.experimental",
    "optimizers.legacy.Adadelta",
    "optimizers.legacy.Adagrad",
    "optimizers.legacy.Adam",
    "optimizers.legacy.Adamax",
    "optimizers.legacy.Ftrl",
    "optimizers.legacy.Nadam",
    "optimizers.legacy.Optimizer",
    "optimizers.legacy.RMSprop",
    "optimizers.legacy.SGD",
    "saving",
    "utils.GeneratorEnqueuer",
    "utils.OrderedEnqueuer",
    "utils.SequenceEnqueuer",
    "utils.SidecarEvaluator",
    "utils.StepsPerExecutionTuner",
    "utils.TimedThread",
    "utils.experimental",
    "utils.to_ordinal",
    "utils.warmstart_embedding_matrix",
})

# Layer arguments Keras 3 rejects ("Unrecognized keyword arguments") that
# tf_keras accepted, by layer class; "*" is every layer. Not generated: Keras
# 3's layers take **kwargs, so a signature diff cannot tell; each was tried
# against Keras 3.15 (`keras.layers.LSTM(3, time_major=True)` raises).
DROPPED_ARGUMENTS: dict[str, frozenset[str]] = {
    "*": frozenset({"dynamic"}),
    "BatchNormalization": frozenset({"adjustment", "fused", "virtual_batch_size"}),
    "Embedding": frozenset({"sparse"}),
    "GRU": frozenset({"time_major"}),
    "InputLayer": frozenset({"type_spec"}),
    "LSTM": frozenset({"time_major"}),
    "MultiHeadAttention": frozenset({"softmax_robust_masking"}),
    "RNN": frozenset({"time_major"}),
    "SimpleRNN": frozenset({"time_major"}),
    "Softmax": frozenset({"robust_masking"}),
}


def _is_placeholder(value: object) -> bool:
    """Whether `value` is a class whose constructor only raises: Keras 3 keeps
    such stand-ins for names it dropped (`optimizers.legacy.Adam` raises
    ImportError when called), so the name exists and still cannot be used."""
    import ast
    import inspect
    import textwrap

    init = getattr(value, "__init__", None) if isinstance(value, type) else None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return len(body) == 1 and isinstance(body[0], ast.Raise)


def _dropped(old: object, new: object, path: str = "", depth: int = 0,
             skip: tuple[str, ...] = ()) -> list[str]:
    """Public names under `old` that `new` lacks (or has only as a stand-in
    that raises), recursing into modules both have; `skip` names top-level
    names not to compare."""
    import types

    dropped = []
    for name in sorted(dir(old)):
        if name.startswith("_") or (depth == 0 and name in skip):
            continue
        here = f"{path}.{name}" if path else name
        if not hasattr(new, name) or _is_placeholder(getattr(new, name)):
            dropped.append(here)
        elif isinstance(getattr(old, name), types.ModuleType) and depth < 4:
            dropped += _dropped(getattr(old, name), getattr(new, name), here, depth + 1)
    return dropped


def _with_table(text: str, table: str, names: list[str]) -> str:
    """`text` with the frozenset `table` holding `names`."""
    import re

    rows = "".join(f'    "{name}",\n' for name in names)
    return re.sub(
        rf"(\n{table}: frozenset\[str\] = frozenset\(\{{\n).*?(\}}\)\n)",
        lambda match: match.group(1) + rows + match.group(2),
        text,
        count=1,
        flags=re.DOTALL,
    )


def _generate() -> str:
    """This module's text with freshly computed tables."""
    import importlib
    import os
    from pathlib import Path

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras3 = importlib.import_module("keras._tf_keras.keras")
    text = Path(__file__).read_text()
    for tree in ("v1", "v2"):
        names = _dropped(importlib.import_module(f"tf_keras.api._{tree}.keras"), keras3)
        text = _with_table(text, f"DROPPED_{tree.upper()}", names)
    return text


def generator_main(path: str, generate: Callable[[], str], module: str) -> None:
    """Writes `generate()`'s text to `path`, or with `--check` exits 1 when
    `path` differs from it."""
    import sys
    from pathlib import Path

    fresh = generate()
    if "--check" in sys.argv[1:]:
        current = Path(path).read_text() == fresh
        print("up to date" if current else f"out of date: run python -m {module}")
        sys.exit(0 if current else 1)
    Path(path).write_text(fresh)


if __name__ == "__main__":
    generator_main(__file__, _generate, __spec__.name)
