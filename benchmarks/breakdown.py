"""Where an eager compat_layers Conv2DTranspose call spends its time.

    python -m benchmarks.breakdown [--inner 200] [--rounds 15] [--profile]

In one process (Keras 3), interleaved and repeated: the full call of
compat_layers, of native Keras 3 and of the raw ops, eagerly and inside
tf.function; each piece of compat's eager call on its own; and, for a
before/after in one process, compat with its eager call put back on the path
TF1's code takes (`_tf1_style_call`, what compat_layers ran before the eager
fast path of `_ConvTranspose.call`; outputs and gradients are checked
bit-identical first, the exit status is 1 if they are not). It also lists the
ops each tf.function runs after grappler. `--profile` adds a cProfile listing
of compat's eager call. Numbers are microseconds per call: median and minimum
over rounds (the minimum is the least disturbed by a shared machine).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.pop("TF_USE_LEGACY_KERAS", None)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import compat_layers  # noqa: E402
from benchmarks import workloads  # noqa: E402
from compat_layers import base  # noqa: E402
from compat_layers import convolutional as conv  # noqa: E402
from tensorflow.core.protobuf import config_pb2  # noqa: E402
from tensorflow.python.grappler import tf_optimizer  # noqa: E402


def ops_after_grappler(function, *args) -> collections.Counter:
    """The op types a tf.function runs once grappler has optimised it."""
    concrete = function.get_concrete_function(*args)
    meta_graph = tf.compat.v1.train.export_meta_graph(
        graph_def=concrete.graph.as_graph_def(), graph=concrete.graph
    )
    meta_graph.collection_def["train_op"].node_list.value.extend(
        t.op.name for t in concrete.outputs
    )
    optimized = tf_optimizer.OptimizeGraph(config_pb2.ConfigProto(), meta_graph)
    return collections.Counter(
        node.op for node in optimized.node if node.op not in ("Placeholder", "NoOp", "Identity")
    )


def _tf1_style_call(self: conv._ConvTranspose, inputs: tf.Tensor) -> tf.Tensor:
    """`_ConvTranspose.call` as compat_layers ran it eagerly before its fast
    path, and as TF1's code runs it: the batch from `tf.shape(inputs)[0]`,
    the output shape packed by `tf.stack`, the `keras.Variable`s handed to
    the ops. Only for the layer measured here (2-D, channels_last, undilated,
    with bias, no activation)."""
    out_size = [
        conv.deconv_output_length(
            inputs.shape[axis], self.kernel_size[i], self.padding, None, self.strides[i], 1
        )
        for i, axis in enumerate((1, 2))
    ]
    output_shape = tf.stack([tf.shape(inputs)[0], *out_size, self.filters])
    outputs = tf.nn.conv_transpose(
        inputs, self.kernel, output_shape, (1, *self.strides, 1),
        padding=self.padding.upper(), data_format="NHWC",
    )
    return tf.nn.bias_add(outputs, self.bias, data_format="NHWC")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inner", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((1, 4, 4, 8)).astype(np.float32))
    shipped_call = conv._ConvTranspose.call

    def compat_layer():
        layer = compat_layers.Conv2DTranspose(8, 4, strides=2, padding="same")
        layer(x)
        return layer

    now, before = compat_layer(), compat_layer()
    for mine, theirs in zip(before.weights, now.weights):
        mine.assign(theirs)
    native = keras.layers.Conv2DTranspose(
        8, 4, strides=2, padding="same", data_format="channels_last"
    )
    native(x)
    raw = workloads.RawLayer(8, 4, 2)
    raw(x)
    kernel, bias = now.kernel, now.bias  # keras.Variables
    tf_kernel, tf_bias = kernel.value, bias.value  # the tf.Variables inside

    def with_call(layer, call, backward=False):
        def run():
            conv._ConvTranspose.call = call
            try:
                if not backward:
                    return [layer(x)]
                with tf.GradientTape() as tape:
                    y = layer(x)
                    loss = tf.reduce_mean(tf.square(y))
                return [y, *tape.gradient(loss, layer.trainable_weights)]
            finally:
                conv._ConvTranspose.call = shipped_call

        return run

    same = all(
        np.array_equal(a.numpy(), b.numpy())
        for a, b in zip(
            with_call(now, shipped_call, True)(), with_call(before, _tf1_style_call, True)()
        )
    )
    print(f"compat_layers vs its TF1-style call: outputs and gradients bit-identical: {same}")

    def ops(k, b, dynamic_batch):
        def run():
            if dynamic_batch:
                shape = tf.stack([tf.shape(x)[0], 8, 8, 8])
            else:
                shape = [1, 8, 8, 8]
            y = tf.nn.conv_transpose(x, k, shape, (1, 2, 2, 1), padding="SAME")
            return tf.nn.bias_add(y, b)

        return run

    def keras_fwd_bwd():
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(native(x)))
        return tape.gradient(loss, native.trainable_weights)

    def python_output_shape():
        return [
            conv.deconv_output_length(x.shape[axis], 4, "same", None, 2, 1) for axis in (1, 2)
        ]

    def variable_scope():
        with now._enter_variable_scope():
            pass

    def name_scope():
        with now._open_name_scope():
            pass

    def functions(layer, variables):
        return tuple(map(tf.function, workloads.layer_functions(layer, variables)))

    compat_fn, compat_fn_bwd = functions(now, now.trainable_weights)
    keras_fn, keras_fn_bwd = functions(native, native.trainable_weights)
    raw_fn, raw_fn_bwd = functions(raw, raw.weights)
    print("\nops run by each tf.function after grappler (Placeholder/Identity/NoOp left out):")
    for name, function in (
        ("compat_layers fwd", compat_fn), ("keras3 fwd", keras_fn), ("raw ops fwd", raw_fn),
        ("compat_layers fwd+bwd", compat_fn_bwd), ("keras3 fwd+bwd", keras_fn_bwd),
        ("raw ops fwd+bwd", raw_fn_bwd),
    ):
        ops_run = ops_after_grappler(function, x)
        print(f"  {name:22s} {sum(ops_run.values()):2d} ops: {dict(sorted(ops_run.items()))}")

    batch = tf.shape(x)[0]
    cases = {
        "tf.function compat_layers: fwd": lambda: compat_fn(x),
        "tf.function keras3: fwd": lambda: keras_fn(x),
        "tf.function raw ops: fwd": lambda: raw_fn(x),
        "tf.function compat_layers: fwd+bwd": lambda: compat_fn_bwd(x),
        "tf.function keras3: fwd+bwd": lambda: keras_fn_bwd(x),
        "tf.function raw ops: fwd+bwd": lambda: raw_fn_bwd(x),
        "compat_layers: layer(x)": with_call(now, shipped_call),
        "compat_layers, TF1-style call (before): layer(x)": with_call(before, _tf1_style_call),
        "keras3: layer(x)": lambda: native(x),
        "raw ops: tf.Variables, static shape": lambda: raw(x),
        "compat_layers: layer.call(x) only": lambda: now.call(x),
        "keras3: layer.call(x) only": lambda: native.call(x),
        # The pieces of compat's call as it runs now: the TF1 wrapper around
        # Keras 3's __call__, then `call` itself.
        "  base._check_input_spec": lambda: base._check_input_spec(now.input_spec, x, now.name),
        "  Layer._enter_variable_scope (enter+exit)": variable_scope,
        "  Layer._open_name_scope (enter+exit)": name_scope,
        "  output shape in Python (deconv_output_length x2)": python_output_shape,
        "  ops, tf.Variable, static shape (as call runs them)": ops(tf_kernel, tf_bias, False),
        # What the TF1-style call paid on top.
        "  tf.shape(x)[0]": lambda: tf.shape(x)[0],
        "  tf.stack([batch, 8, 8, 8])": lambda: tf.stack([batch, 8, 8, 8]),
        "  ops, keras.Variable, tf.shape+tf.stack (TF1-style)": ops(kernel, bias, True),
        "  ops, keras.Variable, static shape": ops(kernel, bias, False),
        "  ops, tf.Variable, tf.shape+tf.stack": ops(tf_kernel, tf_bias, True),
        "compat_layers: fwd+bwd": with_call(now, shipped_call, True),
        "compat_layers, TF1-style call (before): fwd+bwd": with_call(before, _tf1_style_call, True),
        "keras3: fwd+bwd": lambda: keras_fwd_bwd(),
    }
    names = list(cases)
    for run in cases.values():
        for _ in range(20):
            run()
    results: dict[str, list[float]] = {name: [] for name in names}
    for r in range(args.rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            run = cases[name]
            start = time.perf_counter()
            for _ in range(args.inner):
                run()
            results[name].append((time.perf_counter() - start) / args.inner * 1e6)
    print(f"\n| (1,4,4,8) -> (1,8,8,8), {args.rounds} rounds x {args.inner} calls | median us | min us |")
    print("|---|---:|---:|")
    for name in names:
        label = name.replace("  ", "&nbsp;&nbsp;") if name.startswith("  ") else name
        print(f"| {label} | {statistics.median(results[name]):.0f} | {min(results[name]):.0f} |")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(2000):
            now(x)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(40)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
