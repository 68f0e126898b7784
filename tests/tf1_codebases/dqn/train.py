"""Trains the DQN agent for a few updates on random transitions; prints the
losses and the final Q-values as JSON."""
import json
import os
import sys

import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agent import QNetwork, batch  # noqa: E402


def main():
    tf.set_random_seed(1)
    rng = np.random.RandomState(0)
    net = QNetwork(n_obs=4, n_actions=2)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(net.sync)
        for step in range(6):
            obs, actions, rewards, next_obs, done = batch(rng, 8, 4, 2)
            loss, _ = sess.run([net.loss, net.train_op],
                               feed_dict={net.obs: obs, net.actions: actions,
                                          net.rewards: rewards, net.next_obs: next_obs,
                                          net.done: done})
            losses.append(float(loss))
            if step % 3 == 2:
                sess.run(net.sync)
        q = sess.run(net.q, feed_dict={net.obs: batch(rng, 3, 4, 2)[0]})
    print(json.dumps({"losses": losses, "values": q.ravel().tolist()}))


if __name__ == "__main__":
    main()
