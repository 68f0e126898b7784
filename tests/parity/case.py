"""What a parity case is (see registry.py), and helpers the case modules share."""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import tensorflow as tf

Program = Callable[[Any, Any], tuple]


@dataclasses.dataclass(frozen=True)
class Case:
    """A small TF1 program: `program(L, x) -> (output, [layer objects])`.

    `L` is an implementation of `tf.compat.v1.layers` (compat_layers, tf_keras's
    legacy layers, or TF 2.15's native ones) and `x` the input (a placeholder,
    an eager tensor, or a tf.function argument). Programs may raise: the error
    (type and message) and the variables left behind are then what is compared.
    """

    name: str
    program: Program
    input_shape: tuple = (2, 5, 5, 3)
    dtype: str = "float32"
    # Static shape of the graph placeholder / tf.function signature (None dims
    # allowed); defaults to `input_shape`.
    placeholder_shape: tuple | None = None
    # The graph placeholder / tf.function signature has unknown rank
    # (`tf.compat.v1.placeholder(tf.float32)`, as TF1 code often wrote).
    unknown_rank: bool = False
    # Keep the program's own initializers instead of name-derived weights (for
    # cases whose initializers are deterministic and are what is tested).
    keep_initializers: bool = False
    # Where compat_layers deliberately words an error better than TF1: a regex
    # our message must match (the exception type must still be TF1's).
    our_message: str | None = None
    # Where TF1 graph semantics cannot hold inside `track_tf1_style_variables`
    # (e.g. Keras-style layers, whose variables bypass variable scopes): the
    # regex of the ValueError a decorated call must raise instead.
    tracked_error: str | None = None
    # A failing call whose variables TF1 kept in the graph (names, e.g.
    # "conv1d/kernel:0"): compat_layers drops them from the collections and
    # the variable store (see tests/test_bad_input.py); the parity comparison
    # expects TF1's collections less exactly these.
    tf1_leaves_variables: tuple[str, ...] = ()
    # Why the case is not run inside `track_tf1_style_variables` (test_parity's
    # TrackedParityTest): TF1 itself computed it otherwise eagerly, in a graph
    # and in a tf.function (ghost batch norm with a `training` tensor), or it
    # draws seeded random numbers in TF1 graphs only, which an eager tracked
    # run cannot draw (cases/rnn.py `_keep`), or its variables are partitioned
    # in TF1 graphs only (TF1's `LSTMCell` shards; a tracked run makes them
    # whole, as TF1's did, so it cannot restore the graph checkpoint's parts).
    not_tracked: str | None = None


def vs(*args, **kwargs):
    return tf.compat.v1.variable_scope(*args, **kwargs)


def l2(scale):
    return lambda w: scale * tf.reduce_sum(tf.square(w))


def rnn_cell(layers):
    """The TF1 RNN cells that go with `layers`: its `rnn_cell` module
    (compat_layers), else TensorFlow's `tf.compat.v1.nn.rnn_cell` (tf_keras's
    legacy cells under `TF_USE_LEGACY_KERAS=1`, TF 2.15's own)."""
    cells = getattr(layers, "rnn_cell", None)
    return tf.compat.v1.nn.rnn_cell if cells is None else cells
