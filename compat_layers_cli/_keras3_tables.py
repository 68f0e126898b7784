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
    "optimizers.legacy.Adamax",
    "optimizers.legacy.Nadam",
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
    "optimizers.legacy.Adamax",
    "optimizers.legacy.Nadam",
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


def _dropped(old: object, new: object, path: str = "", depth: int = 0) -> list[str]:
    """Public names under `old` that `new` lacks, recursing into modules both have."""
    import types

    dropped = []
    for name in sorted(dir(old)):
        if name.startswith("_"):
            continue
        here = f"{path}.{name}" if path else name
        if not hasattr(new, name):
            dropped.append(here)
        elif isinstance(getattr(old, name), types.ModuleType) and depth < 4:
            dropped += _dropped(getattr(old, name), getattr(new, name), here, depth + 1)
    return dropped


def _generate() -> str:
    """This module's text with freshly computed tables."""
    import importlib
    import os
    import re
    from pathlib import Path

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    keras3 = importlib.import_module("keras._tf_keras.keras")
    text = Path(__file__).read_text()
    for tree in ("v1", "v2"):
        names = _dropped(importlib.import_module(f"tf_keras.api._{tree}.keras"), keras3)
        table = "".join(f'    "{name}",\n' for name in names)
        text = re.sub(
            rf"(\nDROPPED_{tree.upper()}: frozenset\[str\] = frozenset\(\{{\n).*?(\}}\)\n)",
            lambda match: match.group(1) + table + match.group(2),
            text,
            count=1,
            flags=re.DOTALL,
        )
    return text


if __name__ == "__main__":
    import sys
    from pathlib import Path

    fresh = _generate()
    if "--check" in sys.argv[1:]:
        current = Path(__file__).read_text() == fresh
        print("up to date" if current else f"out of date: run python -m {__spec__.name}")
        sys.exit(0 if current else 1)
    Path(__file__).write_text(fresh)
