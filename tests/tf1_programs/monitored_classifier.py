"""A classifier trained with MonitoredTrainingSession, then restored, exported and frozen.

The production-pipeline idiom: a `tf.train.MonitoredTrainingSession` with a
`checkpoint_dir` and a `StopAtStepHook` trains an MLP; a fresh inference
graph is restored from the latest checkpoint with `tf.train.Saver`, exported
with `tf.saved_model.simple_save`, frozen with
`tf.graph_util.convert_variables_to_constants`; the frozen graph is imported
(`tf.import_graph_def`) and the SavedModel loaded (`tf.saved_model.loader.load`),
and both give the restored graph's outputs.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

NUM_FEATURES = 5
NUM_CLASSES = 3
BATCH_SIZE = 8
LAST_STEP = 4


def inference(features):
    with tf.variable_scope("mlp"):
        hidden = tf.layers.dense(features, 16, activation=tf.nn.relu,
                                 kernel_initializer=tf.glorot_uniform_initializer(seed=1),
                                 name="hidden")
        return tf.layers.dense(hidden, NUM_CLASSES,
                               kernel_initializer=tf.glorot_uniform_initializer(seed=2),
                               name="logits")


def make_data(rng, n):
    x = rng.normal(size=(n, NUM_FEATURES)).astype(np.float32)
    y = (np.argmax(x[:, :NUM_CLASSES], axis=1)).astype(np.int64)
    return x, y


def train(checkpoint_dir, train_x, train_y):
    steps = []
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        features = tf.placeholder(tf.float32, [None, NUM_FEATURES], name="features")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        logits = inference(features)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        global_step = tf.train.get_or_create_global_step()
        optimizer = tf.train.MomentumOptimizer(learning_rate=0.1, momentum=0.9)
        train_op = optimizer.minimize(loss, global_step=global_step)
        variables = tf1_report.describe(tf.global_variables())
        hooks = [tf.train.StopAtStepHook(last_step=LAST_STEP)]
        with tf.train.MonitoredTrainingSession(checkpoint_dir=checkpoint_dir, hooks=hooks,
                                               save_summaries_steps=None,
                                               save_summaries_secs=None,
                                               log_step_count_steps=None) as mon_sess:
            while not mon_sess.should_stop():
                step = len(steps)
                batch = slice(step * BATCH_SIZE, (step + 1) * BATCH_SIZE)
                _, loss_value, step_value = mon_sess.run(
                    [train_op, loss, global_step],
                    feed_dict={features: train_x[batch], labels: train_y[batch]})
                steps.append({"loss": loss_value, "global_step": step_value})
    return steps, variables


def main():
    rng = np.random.RandomState(0)
    train_x, train_y = make_data(rng, LAST_STEP * BATCH_SIZE)
    test_x, _ = make_data(rng, 6)
    workdir = tempfile.mkdtemp(prefix="tf1_monitored_")
    try:
        checkpoint_dir = os.path.join(workdir, "train")
        export_dir = os.path.join(workdir, "export")
        steps, train_variables = train(checkpoint_dir, train_x, train_y)
        checkpoint = tf.train.latest_checkpoint(checkpoint_dir)

        with tf.Graph().as_default() as graph:
            features = tf.placeholder(tf.float32, [None, NUM_FEATURES], name="input")
            logits = inference(features)
            probs = tf.nn.softmax(logits, name="probs")
            saver = tf.train.Saver()
            with tf.Session(graph=graph) as sess:
                saver.restore(sess, checkpoint)
                restored_probs = sess.run(probs, {features: test_x})
                tf.saved_model.simple_save(sess, export_dir, inputs={"x": features},
                                           outputs={"probs": probs})
                frozen = tf.graph_util.convert_variables_to_constants(
                    sess, graph.as_graph_def(), ["probs"])

                with tf.Graph().as_default() as frozen_graph:
                    tf.import_graph_def(frozen, name="frozen")
                    with tf.Session(graph=frozen_graph) as frozen_sess:
                        frozen_probs = frozen_sess.run("frozen/probs:0",
                                                       {"frozen/input:0": test_x})

                with tf.Graph().as_default() as served_graph:
                    with tf.Session(graph=served_graph) as served_sess:
                        meta_graph = tf.saved_model.loader.load(
                            served_sess, [tf.saved_model.tag_constants.SERVING], export_dir)
                        signature = meta_graph.signature_def["serving_default"]
                        served_probs = served_sess.run(
                            signature.outputs["probs"].name,
                            {signature.inputs["x"].name: test_x})
                        served_variables = [v.name for v in tf.global_variables()]

                tf1_report.print_report(sess, steps, extra={
                    "train_variables": train_variables,
                    "checkpoint": tf.train.list_variables(checkpoint),
                    "restored_probs": restored_probs,
                    "frozen_probs": frozen_probs,
                    "served_probs": served_probs,
                    "frozen_equal": bool(np.array_equal(frozen_probs, restored_probs)),
                    "served_equal": bool(np.array_equal(served_probs, restored_probs)),
                    "frozen_variable_ops": sorted(
                        node.name for node in frozen.node
                        if node.op in ("VariableV2", "VarHandleOp")),
                    "frozen_consts": sorted(node.name for node in frozen.node
                                            if node.op == "Const" and "kernel" in node.name),
                    "served_variables": served_variables,
                })
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
