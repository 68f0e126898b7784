"""A recurrent policy-gradient agent, written as TF1 reinforcement-learning code did.

A time-major `tf.nn.dynamic_rnn` of a `BasicRNNCell` over observation
sequences `[time, batch, features]`. Acting runs one step at a time: the
cell's `zero_state` is evaluated once, and each step's final state comes back
through `feed_dict` into the state tensor itself (feeding a non-placeholder
tensor, as A3C / DRQN code did). Training replays the episode from the zero
state with REINFORCE (log-probabilities of the taken actions times the
discounted returns) through `tf.layers.dense` policy and value heads and
RMSProp, passing the variables to train as `var_list=` from the layer
objects and the cell.
"""

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

import numpy as np  # noqa: E402

import tf1_report  # noqa: E402

OBS_SIZE = 4
NUM_ACTIONS = 3
HIDDEN_SIZE = 6
EPISODE_LENGTH = 5
NUM_ENVS = 2
GAMMA = 0.9
EPISODES = 3


class Agent(object):
    def __init__(self):
        self.observations = tf.placeholder(tf.float32, [None, None, OBS_SIZE], name="obs")
        self.actions = tf.placeholder(tf.int32, [None, None], name="actions")
        self.returns = tf.placeholder(tf.float32, [None, None], name="returns")
        init = tf.random_normal_initializer(0.0, 0.3, seed=9)

        with tf.variable_scope("agent", initializer=init):
            self.cell = tf.nn.rnn_cell.BasicRNNCell(HIDDEN_SIZE, activation=tf.nn.tanh)
            batch_size = tf.shape(self.observations)[1]
            self.state_in = self.cell.zero_state(batch_size, tf.float32)
            outputs, self.state_out = tf.nn.dynamic_rnn(
                self.cell, self.observations, initial_state=self.state_in, time_major=True)
            self.policy_layer = tf.layers.Dense(NUM_ACTIONS, kernel_initializer=init,
                                                name="policy")
            self.value_layer = tf.layers.Dense(1, kernel_initializer=init, name="value")
            self.logits = self.policy_layer(outputs)
            self.value = tf.squeeze(self.value_layer(outputs), -1)

        log_probs = tf.nn.log_softmax(self.logits)
        taken = tf.reduce_sum(log_probs * tf.one_hot(self.actions, NUM_ACTIONS), -1)
        advantage = self.returns - tf.stop_gradient(self.value)
        self.policy_loss = -tf.reduce_mean(taken * advantage)
        self.value_loss = tf.reduce_mean(tf.square(self.returns - self.value))
        self.var_list = (self.cell.trainable_weights + self.policy_layer.trainable_weights
                         + self.value_layer.trainable_weights)
        self.train_op = tf.train.RMSPropOptimizer(0.01).minimize(
            self.policy_loss + 0.5 * self.value_loss, var_list=self.var_list)


def discounted(rewards):
    out = np.zeros_like(rewards)
    running = np.zeros(rewards.shape[1], rewards.dtype)
    for t in reversed(range(rewards.shape[0])):
        running = rewards[t] + GAMMA * running
        out[t] = running
    return out


def main():
    tf.set_random_seed(5)
    rng = np.random.RandomState(6)
    agent = Agent()
    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(EPISODES):
            observation = rng.normal(size=(1, NUM_ENVS, OBS_SIZE)).astype(np.float32)
            state = sess.run(agent.state_in, {agent.observations: observation})
            observations, actions, rewards = [], [], []
            for _ in range(EPISODE_LENGTH):
                logits, state = sess.run([agent.logits, agent.state_out],
                                         {agent.observations: observation,
                                          agent.state_in: state})
                # Greedy actions: the episode depends on the policy, not on sampling.
                action = np.argmax(logits[0], axis=-1)
                observations.append(observation[0])
                actions.append(action)
                rewards.append((action == 1).astype(np.float32) - 0.1 * observation[0, :, 0])
                observation = rng.normal(size=(1, NUM_ENVS, OBS_SIZE)).astype(np.float32)
            feed = {agent.observations: np.stack(observations), agent.actions: np.stack(actions),
                    agent.returns: discounted(np.stack(rewards))}
            policy_loss, value_loss, _ = sess.run(
                [agent.policy_loss, agent.value_loss, agent.train_op], feed)
            steps.append({"actions": np.stack(actions), "final_state": state,
                          "policy_loss": policy_loss, "value_loss": value_loss})
        tf1_report.print_report(sess, steps, extra={
            "var_list": [v.name for v in agent.var_list],
            "state_in": agent.state_in.name,
            "state_out": agent.state_out.name,
            "cell": [agent.cell.name, agent.cell.state_size, agent.cell.output_size],
        })


if __name__ == "__main__":
    main()
