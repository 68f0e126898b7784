"""A DQN agent in TF 1.x style: placeholders, variable scopes, a target network
synchronised with tf.assign, and an Adam train op."""
import numpy as np
import tensorflow as tf


class QNetwork(object):

    def __init__(self, n_obs, n_actions, hidden=16, lr=1e-2, gamma=0.9):
        self.obs = tf.placeholder(tf.float32, [None, n_obs], name="obs")
        self.actions = tf.placeholder(tf.int32, [None], name="actions")
        self.rewards = tf.placeholder(tf.float32, [None], name="rewards")
        self.next_obs = tf.placeholder(tf.float32, [None, n_obs], name="next_obs")
        self.done = tf.placeholder(tf.bool, [None], name="done")

        self.q = self._net(self.obs, "online", hidden, n_actions)
        next_q = tf.stop_gradient(self._net(self.next_obs, "target", hidden, n_actions))
        target = self.rewards + gamma * tf.to_float(tf.logical_not(self.done)) * \
            tf.reduce_max(next_q, axis=1)
        chosen = tf.reduce_sum(self.q * tf.one_hot(self.actions, n_actions), axis=1)
        self.loss = tf.reduce_mean(tf.square(chosen - target))
        online = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="online")
        self.train_op = tf.train.AdamOptimizer(lr).minimize(self.loss, var_list=online)
        target_vars = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="target")
        self.sync = tf.group(*[tf.assign(t, o) for o, t in zip(online, target_vars)])

    @staticmethod
    def _net(x, scope, hidden, n_actions):
        with tf.variable_scope(scope):
            h = tf.layers.dense(x, hidden, activation=tf.nn.relu,
                                name="fc1")
            h = tf.layers.dense(h, hidden, activation=tf.nn.relu,
                                name="fc2")
            return tf.layers.dense(h, n_actions,
                                   name="q")


def batch(rng, size, n_obs, n_actions):
    return (rng.normal(size=(size, n_obs)).astype(np.float32),
            rng.randint(n_actions, size=size),
            rng.normal(size=size).astype(np.float32),
            rng.normal(size=(size, n_obs)).astype(np.float32),
            rng.rand(size) < 0.1)
