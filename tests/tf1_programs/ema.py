"""Exponential moving averages of a model's weights, applied over layer objects.

The pattern of TF1 training scripts that evaluate with averaged weights:
`ema = tf.train.ExponentialMovingAverage(decay, num_updates=global_step)`,
`ema.apply(layer.trainable_weights)` after the optimizer step (Adagrad, with
batch norm's `UPDATE_OPS` as control dependencies), `ema.average(v)` read back
in the session, then an evaluation graph restored with
`tf.train.Saver(ema.variables_to_restore())` so it runs on the averages.
Batch norm's `training` is `tf.placeholder_with_default(False, [])`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

STEPS = 5


class Regressor(object):
    def __init__(self):
        init = tf.glorot_normal_initializer
        self.fc1 = tf.layers.Dense(8, activation=tf.nn.relu, kernel_initializer=init(seed=1),
                                   name="fc1")
        self.bn = tf.layers.BatchNormalization(momentum=0.8, name="bn")
        self.fc2 = tf.layers.Dense(1, kernel_initializer=init(seed=2), name="fc2")
        self.layers = [self.fc1, self.bn, self.fc2]

    def __call__(self, x, training):
        return self.fc2(self.bn(self.fc1(x), training=training))

    @property
    def trainable_weights(self):
        return [w for layer in self.layers for w in layer.trainable_weights]


def main():
    tf.set_random_seed(0)
    rng = np.random.RandomState(2)
    data_x = rng.normal(size=(16, 4)).astype(np.float32)
    data_y = (data_x @ rng.normal(size=(4, 1))).astype(np.float32)
    workdir = tempfile.mkdtemp(prefix="tf1_ema_")
    try:
        checkpoint = os.path.join(workdir, "model.ckpt")
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        training = tf.placeholder_with_default(False, [], name="training")
        model = Regressor()
        prediction = model(x, training)
        loss = tf.losses.mean_squared_error(y, prediction)
        global_step = tf.train.get_or_create_global_step()

        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            opt_op = tf.train.AdagradOptimizer(0.1).minimize(loss, global_step=global_step)
        ema = tf.train.ExponentialMovingAverage(decay=0.9, num_updates=global_step)
        with tf.control_dependencies([opt_op]):
            train_op = ema.apply(model.trainable_weights)
        averages = [ema.average(v) for v in model.trainable_weights]

        steps = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(STEPS):
                batch = slice(step * 3, step * 3 + 8)
                _, loss_value = sess.run([train_op, loss], {x: data_x[batch], y: data_y[batch],
                                                            training: True})
                steps.append({"loss": loss_value,
                              "fc1_kernel_average": sess.run(ema.average(model.fc1.kernel))})
            eval_prediction = sess.run(prediction, {x: data_x})
            tf.train.Saver().save(sess, checkpoint)
            extra = {
                "average_names": [ema.average_name(v) for v in model.trainable_weights],
                "averages": [a.name for a in averages],
                "bn_moving_mean": sess.run(model.bn.moving_mean),
                "bn_non_trainable": [w.name for w in model.bn.non_trainable_weights],
                "eval_prediction": eval_prediction,
                "checkpoint": tf.train.list_variables(checkpoint),
            }

            with tf.Graph().as_default() as eval_graph:
                ex = tf.placeholder(tf.float32, [None, 4], name="x")
                eval_model = Regressor()
                averaged_prediction = eval_model(ex, training=False)
                eval_ema = tf.train.ExponentialMovingAverage(decay=0.9)
                to_restore = eval_ema.variables_to_restore()
                with tf.Session(graph=eval_graph) as eval_sess:
                    tf.train.Saver(to_restore).restore(eval_sess, checkpoint)
                    extra["variables_to_restore"] = sorted(
                        [name, v.name] for name, v in to_restore.items())
                    extra["averaged_prediction"] = eval_sess.run(averaged_prediction,
                                                                 {ex: data_x})
                    extra["eval_fc1_kernel"] = eval_sess.run(eval_model.fc1.kernel)
            extra["eval_kernel_is_average"] = bool(np.array_equal(
                extra["eval_fc1_kernel"], sess.run(ema.average(model.fc1.kernel))))
            tf1_report.print_report(sess, steps, extra)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
