"""Parity cases for inputs of unknown rank (`tf.compat.v1.placeholder(tf.float32)`).

TF1 ran pooling, `flatten` and `dropout` on them; the layers that build
variables from the input shape failed, with the error type each family's
code hit. Where TF1's message said nothing useful (`'NoneType' object is not
subscriptable`), ours names the layer and says what to do (`our_message`).
Inside `track_tf1_style_variables` the decorated Keras 3 layer itself
refuses such inputs (`tracked_error`). See `tests/parity/registry.py` for what
a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case

_CLEARER = r'Input 0 of layer "\w+" has unknown rank: \w+ needs the input\'s rank .* static shape'
# A Keras 3 layer (the decorated owner in tracked mode) cannot be called with
# an input of unknown rank at all: Keras reads its static shape first.
_KERAS3_OWNER = r"as_list\(\) is not defined on an unknown TensorShape"


def _call(function: str, *args, **kwargs):
    def program(L, x):
        return getattr(L, function)(x, *args, **kwargs), []

    return program


def _dropout_with_flag(L, x):
    training = tf.compat.v1.placeholder_with_default(True, [])
    return L.dropout(x, rate=0.0, training=training), []


CASES = (
    Case("unknown_rank_max_pooling2d", _call("max_pooling2d", 2, 2), input_shape=(2, 6, 6, 3),
         unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_average_pooling1d", _call("average_pooling1d", 2, 1), input_shape=(2, 7, 3),
         unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_flatten", _call("flatten"), input_shape=(2, 3, 4), unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_dropout", _dropout_with_flag, input_shape=(2, 5), unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_dense", _call("dense", 2), input_shape=(2, 5), unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_batch_normalization", _call("batch_normalization"), input_shape=(2, 5),
         unknown_rank=True, tracked_error=_KERAS3_OWNER),
    Case("unknown_rank_conv2d", _call("conv2d", 2, 3), input_shape=(2, 5, 5, 3),
         unknown_rank=True, tracked_error=_KERAS3_OWNER, our_message=_CLEARER),
    Case("unknown_rank_separable_conv2d", _call("separable_conv2d", 2, 3), input_shape=(2, 5, 5, 3),
         unknown_rank=True, tracked_error=_KERAS3_OWNER, our_message=_CLEARER),
    Case("unknown_rank_conv2d_transpose", _call("conv2d_transpose", 2, 3), input_shape=(2, 5, 5, 3),
         unknown_rank=True, tracked_error=_KERAS3_OWNER, our_message=_CLEARER),
)
