"""DDPG actor-critic, written as reinforcement-learning tutorials did.

`Actor/eval` and `Critic/eval` are trained; `Actor/target` and `Critic/target`
are built with `trainable=False` and follow them by soft replacement:
`tf.assign(t, (1 - TAU) * t + TAU * e)` over parameter lists taken from
`tf.get_collection(GLOBAL_VARIABLES, scope=...)` and zipped in collection
order. The critic mixes `tf.get_variable` with `tf.layers.dense`; the target
networks are first hard-copied through a name filter on `tf.global_variables()`.
The actor is trained by `apply_gradients` of `tf.gradients(..., grad_ys=...)`.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

LR_A = 0.001
LR_C = 0.002
GAMMA = 0.9
TAU = 0.01
BATCH_SIZE = 8
STEPS = 4


class DDPG(object):
    def __init__(self, a_dim, s_dim, a_bound):
        self.a_dim, self.s_dim, self.a_bound = a_dim, s_dim, a_bound
        self.S = tf.placeholder(tf.float32, [None, s_dim], "s")
        self.S_ = tf.placeholder(tf.float32, [None, s_dim], "s_")
        self.R = tf.placeholder(tf.float32, [None, 1], "r")

        with tf.variable_scope("Actor"):
            self.a = self._build_a(self.S, scope="eval", trainable=True, seed=1)
            a_ = self._build_a(self.S_, scope="target", trainable=False, seed=11)
        with tf.variable_scope("Critic"):
            q = self._build_c(self.S, self.a, scope="eval", trainable=True, seed=2)
            q_ = self._build_c(self.S_, a_, scope="target", trainable=False, seed=12)

        self.ae_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/eval")
        self.at_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Actor/target")
        self.ce_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/eval")
        self.ct_params = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="Critic/target")

        self.soft_replace = [tf.assign(t, (1 - TAU) * t + TAU * e)
                             for t, e in zip(self.at_params + self.ct_params,
                                             self.ae_params + self.ce_params)]

        q_target = self.R + GAMMA * q_
        self.td_error = tf.losses.mean_squared_error(labels=q_target, predictions=q)
        self.ctrain = tf.train.RMSPropOptimizer(LR_C).minimize(self.td_error,
                                                               var_list=self.ce_params)

        self.a_grads = tf.gradients(q, self.a)[0]
        self.policy_grads = tf.gradients(ys=self.a, xs=self.ae_params, grad_ys=self.a_grads)
        # Gradient ascent on Q. Plain gradient steps: Adam would turn the last-bit
        # noise of a near-zero gradient (TF1 ref-variable reads race with the
        # updates) into full-size steps, and runs would not repeat.
        opt = tf.train.GradientDescentOptimizer(-LR_A * 10)
        self.atrain = opt.apply_gradients(zip(self.policy_grads, self.ae_params))
        self.q = q

    def _build_a(self, s, scope, trainable, seed):
        init_w = tf.random_normal_initializer(0., 0.3, seed=seed)
        init_b = tf.constant_initializer(0.1)
        with tf.variable_scope(scope):
            net = tf.layers.dense(s, 16, activation=tf.nn.relu, kernel_initializer=init_w,
                                  bias_initializer=init_b, name="l1", trainable=trainable)
            a = tf.layers.dense(net, self.a_dim, activation=tf.nn.tanh,
                                kernel_initializer=init_w, bias_initializer=init_b,
                                name="a", trainable=trainable)
            return tf.multiply(a, self.a_bound, name="scaled_a")

    def _build_c(self, s, a, scope, trainable, seed):
        init_w = tf.random_normal_initializer(0., 0.1, seed=seed)
        init_b = tf.constant_initializer(0.1)
        with tf.variable_scope(scope):
            n_l1 = 16
            w1_s = tf.get_variable("w1_s", [self.s_dim, n_l1], initializer=init_w,
                                   trainable=trainable)
            w1_a = tf.get_variable("w1_a", [self.a_dim, n_l1], initializer=init_w,
                                   trainable=trainable)
            b1 = tf.get_variable("b1", [1, n_l1], initializer=init_b, trainable=trainable)
            net = tf.nn.relu(tf.matmul(s, w1_s) + tf.matmul(a, w1_a) + b1)
            return tf.layers.dense(net, 1, kernel_initializer=init_w, bias_initializer=init_b,
                                   trainable=trainable, name="q")


def main():
    tf.set_random_seed(1)
    rng = np.random.RandomState(3)
    s_dim, a_dim = 3, 1
    ddpg = DDPG(a_dim, s_dim, a_bound=2.0)

    target_vars = [v for v in tf.global_variables() if "target" in v.name]
    eval_vars = [v for v in tf.global_variables()
                 if "eval" in v.name and "RMSProp" not in v.name and "Adam" not in v.name]
    hard_replace = [tf.assign(t, e) for t, e in zip(target_vars, eval_vars)]

    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(hard_replace)
        for _ in range(STEPS):
            bs = rng.normal(size=(BATCH_SIZE, s_dim)).astype(np.float32)
            bs_ = rng.normal(size=(BATCH_SIZE, s_dim)).astype(np.float32)
            br = rng.normal(size=(BATCH_SIZE, 1)).astype(np.float32)
            q_before = sess.run(ddpg.q, {ddpg.S: bs})
            sess.run(ddpg.atrain, {ddpg.S: bs})
            feed = {ddpg.S: bs, ddpg.a: sess.run(ddpg.a, {ddpg.S: bs}), ddpg.R: br,
                    ddpg.S_: bs_}
            td = sess.run(ddpg.td_error, feed)
            sess.run(ddpg.ctrain, feed)
            sess.run(ddpg.soft_replace)
            steps.append({"q": q_before, "td_error": td,
                          "target_sum": [float(np.sum(v)) for v in sess.run(ddpg.at_params)]})
        tf1_report.print_report(sess, steps, extra={
            "actor_eval": [v.name for v in ddpg.ae_params],
            "actor_target": [v.name for v in ddpg.at_params],
            "critic_eval": [v.name for v in ddpg.ce_params],
            "critic_target": [v.name for v in ddpg.ct_params],
            "target_vars": [v.name for v in target_vars],
            "eval_vars": [v.name for v in eval_vars],
            "target_trainable": [v.trainable for v in target_vars],
            "soft_replace_ops": [op.op.type for op in ddpg.soft_replace],
        })


if __name__ == "__main__":
    main()
