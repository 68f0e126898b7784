"""The one JSON line each TF1 program ends with: what its graph and session hold.

A sibling module of the programs (they `import tf1_report`, as a script imports
a helper next to it). It reads only the TF1 API: the default graph's variables
in `tf.global_variables()` order, its collections, and the variables' values
through the session. The programs add what they measured per step (`steps`)
and what they read off their layer objects (`extra`).
"""

import json

import numpy as np
import tensorflow.compat.v1 as tf

MARKER = "##### tf1 program report: "


def plain(value):
    """`value` with numpy arrays, numpy scalars, tuples and bytes made JSON-able."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def describe(variables):
    """[name, shape, dtype] of each variable, as TF1 code reads them."""
    return [[v.name, v.get_shape().as_list(), v.dtype.name] for v in variables]


def print_report(sess, steps, extra=None):
    """Prints the report of `sess`'s graph after training: one line, MARKER first."""
    with sess.graph.as_default():
        variables = tf.global_variables()
        report = {
            "layers": tf.layers.Dense.__module__,
            "variables": describe(variables),
            "collections": {
                "global_variables": [v.name for v in variables],
                "trainable_variables": [v.name for v in tf.trainable_variables()],
                "moving_average_variables": [v.name for v in tf.moving_average_variables()],
                "update_ops": len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
                "regularization_losses": len(
                    tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
            },
            "steps": steps,
            "final": [[v.name, value] for v, value in zip(variables, sess.run(variables))],
            "extra": extra or {},
        }
    print(MARKER + json.dumps(plain(report)), flush=True)
