"""Parity cases for the pooling layers (`MaxPooling1D` ... `average_pooling3d`).

See `tests/parity/registry.py` for what a case is and how it is run.
"""

from __future__ import annotations

import tensorflow as tf

from tests.parity.case import Case, vs as _vs

_SHAPES = {1: (2, 9, 3), 2: (2, 7, 6, 3), 3: (2, 5, 6, 4, 3)}
_CHANNELS_FIRST_SHAPES = {1: (2, 3, 9), 2: (2, 3, 7, 6), 3: (2, 3, 5, 6, 4)}


def _functional(kind: str, rank: int, **kwargs):
    def program(L, x):
        return getattr(L, f"{kind}_pooling{rank}d")(x, **kwargs), []

    return program


def _layer(kind: str, rank: int, **kwargs):
    def program(L, x):
        layer = getattr(L, f"{kind.capitalize()}Pooling{rank}D")(**kwargs)
        return layer(x), [layer]

    return program


def _rank_cases(kind: str, rank: int) -> tuple[Case, ...]:
    prefix = f"{kind}_pooling{rank}d"
    shape, first = _SHAPES[rank], _CHANNELS_FIRST_SHAPES[rank]
    unknown = (None,) * (rank + 1) + (3,)
    cases = [
        Case(f"{prefix}_functional", _functional(kind, rank, pool_size=2, strides=2),
             input_shape=shape),
        Case(f"{prefix}_class_same_upper_stride1", _layer(kind, rank, pool_size=3, strides=1,
             padding="SAME"), input_shape=shape),
        Case(f"{prefix}_overlapping_valid", _layer(kind, rank, pool_size=3, strides=2),
             input_shape=shape),
        Case(f"{prefix}_unknown_batch_and_spatial", _layer(kind, rank, pool_size=2, strides=2,
             padding="same"), input_shape=shape, placeholder_shape=unknown),
        Case(f"{prefix}_error_wrong_rank", _functional(kind, rank, pool_size=2, strides=2),
             input_shape=_SHAPES[rank % 3 + 1]),
    ]
    # TF1 ran 2D pooling in NCHW, which TensorFlow's CPU kernels refuse
    # ("Default MaxPoolingOp only supports NHWC on device type CPU"); it
    # transposed 1D and 3D inputs, so only those have TF1 numbers on CPU.
    if rank != 2:
        cases += [
            Case(f"{prefix}_channels_first", _layer(kind, rank, pool_size=2, strides=2,
                 data_format="channels_first"), input_shape=first),
            Case(f"{prefix}_channels_first_same", _functional(kind, rank, pool_size=3,
                 strides=2, padding="Same", data_format="channels_first"), input_shape=first),
        ]
    # TensorFlow has no CPU kernels for 3D pooling in float16 or float64.
    if rank != 3:
        cases += [
            Case(f"{prefix}_float16", _layer(kind, rank, pool_size=2, strides=1,
                 padding="same"), input_shape=shape, dtype="float16"),
            Case(f"{prefix}_float64", _functional(kind, rank, pool_size=2, strides=2),
                 input_shape=shape, dtype="float64"),
        ]
    return tuple(cases)


def _rect_2d(L, x):
    layer = L.MaxPooling2D(pool_size=(3, 2), strides=(1, 2), padding="valid")
    return layer(x), [layer]


def _rect_3d_list(L, x):
    return L.average_pooling3d(x, pool_size=[1, 2, 3], strides=[2, 1, 1], padding="same"), []


def _named_and_unnamed_in_scope(L, x):
    with _vs("features"):
        first = L.MaxPooling2D(2, 1)
        y = first(x)
        y = L.average_pooling2d(y, 2, 1, name="smooth")
        second = L.MaxPooling2D(2, 1, name="pool")
        y = second(y)
    outside = L.AveragePooling2D(2, 1)
    return outside(y), [first, second, outside]


def _called_twice(L, x):
    layer = L.MaxPooling1D(2, 1, padding="same")
    return layer(layer(x)), [layer]


def _conv_net_head(L, x):
    with _vs("net"):
        y = L.max_pooling2d(x, 2, 2, padding="same")
        y = L.flatten(y)
        return L.dense(y, 4, name="logits"), []


def _never_called(L, x):
    unused = L.MaxPooling2D(2, 2, name="spare")
    unnamed = L.AveragePooling2D(2, 2)
    return L.max_pooling2d(x, 2, 2), [unused, unnamed]


def _bad_padding(L, x):
    return L.max_pooling2d(x, 2, 2, padding="full"), []


def _bad_data_format(L, x):
    layer = L.AveragePooling2D(2, 2, data_format="NCHW")
    return layer(x), [layer]


def _strides_none(L, x):
    layer = L.MaxPooling2D(2, None)
    return layer(x), [layer]


def _strides_missing(L, x):
    return L.average_pooling1d(x, 2), []


def _pool_size_of_wrong_length(L, x):
    return L.max_pooling2d(x, (2, 2, 2), 2), []


def _zero_pool_size(L, x):
    layer = L.AveragePooling1D(0, 1)
    return layer(x), [layer]


def _negative_strides(L, x):
    return L.max_pooling3d(x, 2, (1, -1, 1)), []


def _pool_size_of_strings(L, x):
    layer = L.MaxPooling2D(("2", "x"), 1)
    return layer(x), [layer]


def _unknown_keyword(L, x):
    layer = L.MaxPooling3D(2, 2, dilation_rate=2)
    return layer(x), [layer]


def _misspelt_functional_keyword(L, x):
    return L.max_pooling2d(x, pool_size=2, stride=2), []


CASES: tuple[Case, ...] = (
    *(case for rank in (1, 2, 3) for kind in ("max", "average")
      for case in _rank_cases(kind, rank)),
    Case("max_pooling2d_rect_window_and_strides", _rect_2d, input_shape=_SHAPES[2]),
    Case("average_pooling3d_list_window_same", _rect_3d_list, input_shape=_SHAPES[3]),
    Case("pooling_named_and_unnamed_in_scope", _named_and_unnamed_in_scope,
         input_shape=_SHAPES[2]),
    Case("pooling_called_twice", _called_twice, input_shape=_SHAPES[1]),
    Case("pooling_conv_net_head", _conv_net_head, input_shape=_SHAPES[2]),
    Case("pooling_scope_name_before_first_call", _never_called, input_shape=_SHAPES[2]),
    Case("pooling_error_bad_padding", _bad_padding, input_shape=_SHAPES[2]),
    Case("pooling_error_bad_data_format", _bad_data_format, input_shape=_SHAPES[2]),
    Case("pooling_error_strides_none", _strides_none, input_shape=_SHAPES[2]),
    Case("pooling_error_strides_missing", _strides_missing, input_shape=_SHAPES[1]),
    Case("pooling_error_pool_size_of_wrong_length", _pool_size_of_wrong_length,
         input_shape=_SHAPES[2]),
    Case("pooling_error_zero_pool_size", _zero_pool_size, input_shape=_SHAPES[1]),
    Case("pooling_error_negative_strides", _negative_strides, input_shape=_SHAPES[3]),
    Case("pooling_error_pool_size_of_strings", _pool_size_of_strings, input_shape=_SHAPES[2]),
    Case("pooling_error_unknown_keyword", _unknown_keyword, input_shape=_SHAPES[3],
         our_message=r"^Keyword argument not understood: 'dilation_rate'\.$"),
    Case("pooling_error_misspelt_functional_keyword", _misspelt_functional_keyword,
         input_shape=_SHAPES[2],
         our_message=r"^max_pooling2d\(\) got an unexpected keyword argument 'stride'\. "
                     r"Did you mean 'strides'\?$"),
)
