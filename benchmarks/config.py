"""What is measured, on what, and how often. Standard library only: the
orchestrator imports this without importing TensorFlow."""

from __future__ import annotations

# Every contender runs in its own subprocess; `tf_keras` under
# TF_USE_LEGACY_KERAS=1 (the official TF1-layers route on TF 2.16+).
CONTENDERS = ("compat_layers", "keras3", "tf_keras", "raw_ops")
REFERENCE = "keras3"
DESCRIPTIONS = {
    "compat_layers": "compat_layers.Conv2DTranspose / conv2d_transpose; "
    "compat_layers.rnn_cell cells in dynamic_rnn",
    "keras3": "keras.layers.Conv2DTranspose (Keras 3, channels_last, same weights); "
    "keras.layers.RNN of the equivalent Keras 3 cell (converted weights)",
    "tf_keras": "tf.compat.v1.layers and tf.compat.v1.nn.rnn_cell under "
    "TF_USE_LEGACY_KERAS=1 (tf_keras legacy)",
    "raw_ops": "tf.compat.v1.nn.conv2d_transpose + tf.nn.bias_add on tf.Variables "
    "(graphs: get_variable in variable scopes); a hand-written cell step "
    "(tf.matmul, element-wise ops) in dynamic_rnn",
}

# Per-call layer shapes: (batch, height, width, channels) in, `filters` out,
# pix2pix's up-sampling block (kernel 4, stride 2, "same").
SHAPES = {
    "small": {"input": (1, 4, 4, 8), "filters": 8, "kernel": 4, "strides": 2},
    "large": {"input": (8, 64, 64, 64), "filters": 64, "kernel": 4, "strides": 2},
}

# TF1 graph + Session: a 12-layer pix2pix-style decoder (kernel 4, ReLU, tanh
# out), stride 2 on even layers: (1, 4, 4, 64) -> (1, 256, 256, 3).
DECODER_INPUT = (1, 4, 4, 64)
DECODER_FILTERS = (64, 64, 64, 64, 32, 32, 32, 32, 16, 16, 8, 3)
# Graph build: 100 layers (16 filters, kernel 3, stride 1, ReLU) on a
# (None, 8, 8, 16) placeholder, inside variable_scope("decoder").
BUILD_LAYERS = 100
BUILD_INPUT = (None, 8, 8, 16)
BUILD_FILTERS = 16

# name -> label, unit, how a sample is taken ("kind"), which plan entry sets
# its iteration counts. "import": a fresh process per sample; "memory": once
# per worker, while it is fresh (tracemalloc peak, and VmHWM - VmRSS).
METRICS = {
    "eager_fwd_small": ("eager forward, (1,4,4,8)", "us", "per_call", "small"),
    "eager_fwd_large": ("eager forward, (8,64,64,64)", "ms", "per_call", "large"),
    "eager_fwdbwd_small": ("eager fwd+bwd, (1,4,4,8)", "us", "per_call", "small"),
    "eager_fwdbwd_large": ("eager fwd+bwd, (8,64,64,64)", "ms", "per_call", "large"),
    "function_fwd_small": ("tf.function forward, (1,4,4,8)", "us", "per_call", "small"),
    "function_fwd_large": ("tf.function forward, (8,64,64,64)", "ms", "per_call", "large"),
    "function_fwdbwd_small": ("tf.function fwd+bwd, (1,4,4,8)", "us", "per_call", "small"),
    "function_fwdbwd_large": ("tf.function fwd+bwd, (8,64,64,64)", "ms", "per_call", "large"),
    "first_call": ("first call (variable creation), eager", "ms", "first_call", "first_call"),
    "session_run_decoder": ("TF1 sess.run, 12-layer decoder", "ms", "session", "session"),
    "graph_build_100": ("TF1 build, 100-layer graph", "ms", "build", "build"),
    "graph_build_peak_python": ("peak Python memory, 100-layer build", "MiB", "memory", None),
    "graph_build_peak_rss": ("peak RSS growth, 100-layer build", "MiB", "memory", None),
    "import_time": ("import on top of `import tensorflow`", "ms", "import", None),
}
# TF1 model code in a `track_tf1_style_variables` Keras layer (compat_layers,
# and tf_keras's shim in its own process) against the same net written with
# native Keras 3 layers; eagerly (the migration's middle stage: debugging,
# small-batch inference, RL loops) and in tf.function.
MODEL_NETS = {
    # 10 x dense(64, relu) on (8, 64)
    "dense": {"input": (8, 64), "layers": 10, "units": 64},
    # 10 x conv2d(16, 3, "same", relu) on (1, 16, 16, 16)
    "conv": {"input": (1, 16, 16, 16), "layers": 10, "units": 16},
}
for _net in MODEL_NETS:
    for _mode, _label in (("eager", "eager"), ("function", "tf.function")):
        METRICS[f"decorated_{_net}_{_mode}"] = (
            f"decorated 10-layer {_net} net, {_label}", "ms", "per_call", "model"
        )
# One eager call of each family's layer object on a small input, built.
FAMILY_LAYERS = {
    "Conv2D": ({"filters": 16, "kernel_size": 3}, (1, 16, 16, 8)),
    "Conv2DTranspose": ({"filters": 8, "kernel_size": 3}, (1, 8, 8, 8)),
    "SeparableConv2D": ({"filters": 8, "kernel_size": 3}, (1, 8, 8, 8)),
    "Dense": ({"units": 32}, (4, 32)),
    "BatchNormalization": ({}, (4, 16)),
    "MaxPooling2D": ({"pool_size": 2, "strides": 2}, (1, 16, 16, 8)),
    "AveragePooling2D": ({"pool_size": 2, "strides": 2}, (1, 16, 16, 8)),
    "Dropout": ({"rate": 0.5}, (4, 16)),
    "Flatten": ({}, (4, 4, 4)),
}
for _layer, (_, _shape) in FAMILY_LAYERS.items():
    METRICS[f"family_{_layer}"] = (
        f"eager call, {_layer} ({','.join(map(str, _shape))})", "us", "per_call", "small"
    )

# TF1 recurrent cells (`tf.compat.v1.nn.rnn_cell`) run by
# `tf.compat.v1.nn.dynamic_rnn` over a (batch, steps, depth) input: eagerly,
# in one tf.function, and in a TF1 graph fed through a placeholder by
# `Session.run`; the same weights for every contender. Keras 3 runs
# `keras.layers.RNN` of the equivalent Keras 3 cell (converted weights).
RNN_CELLS = ("BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell")
RNN = {"batch": 8, "steps": 50, "depth": 32, "units": 64}
# Graph build: `dynamic_rnn` of a `MultiRNNCell` of this many `LSTMCell`s
# (same sizes) on a (None, steps, depth) placeholder, from `tf.Graph()` on.
RNN_STACK = 4
for _cell in RNN_CELLS:
    for _mode, _label, _kind, _plan in (
        ("eager", "eager", "per_call", "rnn"),
        ("function", "tf.function", "per_call", "rnn"),
        ("session", "TF1 sess.run", "session", "rnn_session"),
    ):
        METRICS[f"rnn_{_mode}_{_cell}"] = (
            f"dynamic_rnn {_cell}, {RNN['steps']} steps, {_label}", "ms", _kind, _plan
        )
METRICS["rnn_build_multi"] = (
    f"TF1 build, dynamic_rnn of {RNN_STACK}-layer MultiRNNCell(LSTMCell)", "ms", "build",
    "rnn_build",
)


def applies(metric: str, contender: str) -> bool:
    """Raw TensorFlow ops have no layer object or TF1 model code to time."""
    return not (contender == "raw_ops" and metric.startswith(("decorated_", "family_")))

# No ratio to Keras 3: it comes with TensorFlow (~0 ms); the target is absolute.
NO_RATIO = {"import_time"}


def worker_group(metric: str) -> str:
    """The worker subprocess a metric runs in: "eager" (eager and tf.function)
    or "graph" (TF1 graphs, and the memory of their build)."""
    kind = METRICS[metric][2]
    return "graph" if kind in ("session", "build", "memory") else "eager"


UNIT_SCALE = {"us": 1e6, "ms": 1e3, "MiB": 1.0}

# Iteration counts. A "sample" is the mean over `inner` back-to-back calls.
# Each of a metric's `rounds` asks every contender in turn (order rotated per
# round and metric) for `samples` samples after `warmup` untimed calls; cheap
# metrics get more, shorter rounds, so that the load of a shared machine falls
# on every contender alike. Medians are over all samples of all rounds.
# `import_rounds`: fresh processes per contender for the import time.
PLANS = {
    "quick": {
        "import_rounds": 1,
        "small": {"rounds": 2, "samples": 2, "inner": 10, "warmup": 10},
        "large": {"rounds": 1, "samples": 1, "inner": 1, "warmup": 0},
        "first_call": {"rounds": 1, "samples": 3, "inner": 1, "warmup": 1},
        "session": {"rounds": 1, "samples": 2, "inner": 2, "warmup": 1},
        "build": {"rounds": 1, "samples": 1, "inner": 1, "warmup": 0},
        "model": {"rounds": 2, "samples": 2, "inner": 5, "warmup": 5},
        "rnn": {"rounds": 1, "samples": 1, "inner": 1, "warmup": 0},
        "rnn_session": {"rounds": 1, "samples": 1, "inner": 1, "warmup": 0},
        "rnn_build": {"rounds": 1, "samples": 1, "inner": 1, "warmup": 0},
    },
    "full": {
        "import_rounds": 7,
        "small": {"rounds": 24, "samples": 4, "inner": 40, "warmup": 20},
        "large": {"rounds": 12, "samples": 1, "inner": 1, "warmup": 1},
        "first_call": {"rounds": 12, "samples": 4, "inner": 1, "warmup": 1},
        "session": {"rounds": 12, "samples": 2, "inner": 5, "warmup": 2},
        "build": {"rounds": 6, "samples": 1, "inner": 1, "warmup": 0},
        "model": {"rounds": 16, "samples": 3, "inner": 20, "warmup": 10},
        "rnn": {"rounds": 12, "samples": 3, "inner": 5, "warmup": 3},
        "rnn_session": {"rounds": 12, "samples": 3, "inner": 5, "warmup": 3},
        "rnn_build": {"rounds": 6, "samples": 1, "inner": 1, "warmup": 0},
    },
}

# Targets of the issue: (metric, contender, against, limit).
TARGETS = (
    *(
        (m, "compat_layers", "keras3", 1.02)
        for m in ("function_fwd_small", "function_fwd_large",
                  "function_fwdbwd_small", "function_fwdbwd_large")
    ),
    *(
        (m, "compat_layers", "raw_ops", 1.05)
        for m in ("function_fwd_small", "function_fwd_large",
                  "function_fwdbwd_small", "function_fwdbwd_large")
    ),
    *(
        (m, "compat_layers", "keras3", 1.10)
        for m in ("eager_fwd_small", "eager_fwd_large",
                  "eager_fwdbwd_small", "eager_fwdbwd_large")
    ),
    *(
        (m, "compat_layers", "tf_keras", 1.00)
        for m in ("eager_fwd_small", "eager_fwd_large",
                  "eager_fwdbwd_small", "eager_fwdbwd_large")
    ),
    ("graph_build_100", "compat_layers", "tf_keras", 1.00),
    # A migrated model as fast eagerly as its native Keras 3 rewrite.
    *((f"decorated_{net}_eager", "compat_layers", "keras3", 1.30) for net in MODEL_NETS),
    *((f"decorated_{net}_function", "compat_layers", "keras3", 1.02) for net in MODEL_NETS),
    *((f"family_{layer}", "compat_layers", "keras3", 1.00) for layer in FAMILY_LAYERS),
    # TF1 cells under dynamic_rnn: eagerly as fast as tf_keras's cells; in
    # tf.function and TF1 graphs the cost of the hand-written step.
    *((f"rnn_eager_{cell}", "compat_layers", "tf_keras", 1.00) for cell in RNN_CELLS),
    *(
        (f"rnn_{mode}_{cell}", "compat_layers", "raw_ops", 1.02)
        for mode in ("function", "session")
        for cell in RNN_CELLS
    ),
    ("import_time", "compat_layers", None, 100.0),  # ms, absolute
)
