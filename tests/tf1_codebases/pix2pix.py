"""An image-to-image GAN in TF 1.x style (pix2pix, shrunk): an encoder-decoder
generator with skip connections, a PatchGAN discriminator, batch
normalization's UPDATE_OPS and two Adam optimizers. Prints the losses and a
few generated pixels as JSON."""
import json

import numpy as np
import tensorflow as tf

NGF = 4
NDF = 4


def generator(x, training):
    with tf.variable_scope("generator"):
        e1 = tf.layers.conv2d(x, NGF, 4, strides=2, padding="same",
                              kernel_initializer=tf.random_normal_initializer(0, 0.02))
        e2 = tf.layers.conv2d(tf.nn.leaky_relu(e1, 0.2), NGF * 2, 4, strides=2,
                              padding="same", use_bias=False)
        e2 = tf.layers.batch_normalization(e2, training=training,
                                           momentum=0.9)
        d1 = tf.layers.conv2d_transpose(tf.nn.relu(e2), NGF, 4, strides=2,
                                        padding="same")
        d1 = tf.concat([d1, e1], axis=3)
        out = tf.layers.conv2d_transpose(tf.nn.relu(d1), 3, 4, strides=2,
                                         padding="same")
        return tf.tanh(out)


def discriminator(inputs, targets, training, reuse):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.concat([inputs, targets], axis=3)
        h = tf.nn.leaky_relu(tf.layers.conv2d(h, NDF, 4, strides=2,
                                              padding="same"), 0.2)
        h = tf.layers.batch_normalization(tf.layers.conv2d(h, NDF * 2, 4, strides=2,
                                                           padding="same"),
                                          training=training)
        return tf.layers.conv2d(tf.nn.leaky_relu(h, 0.2), 1, 4,
                                padding="same")


def main():
    tf.set_random_seed(3)
    rng = np.random.RandomState(1)
    inputs = tf.placeholder(tf.float32, [2, 16, 16, 3])
    targets = tf.placeholder(tf.float32, [2, 16, 16, 3])
    fake = generator(inputs, training=True)
    real_logits = discriminator(inputs, targets, True, reuse=False)
    fake_logits = discriminator(inputs, fake, True, reuse=True)
    eps = 1e-12
    d_loss = tf.reduce_mean(-(tf.log(tf.sigmoid(real_logits) + eps)
                              + tf.log(1 - tf.sigmoid(fake_logits) + eps)))
    g_loss = tf.reduce_mean(-tf.log(tf.sigmoid(fake_logits) + eps)) + \
        100 * tf.reduce_mean(tf.abs(targets - fake))
    d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator")]
    g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        d_train = tf.train.AdamOptimizer(2e-4, 0.5).minimize(d_loss, var_list=d_vars)
        g_train = tf.train.AdamOptimizer(2e-4, 0.5).minimize(g_loss, var_list=g_vars)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            feed = {inputs: rng.uniform(-1, 1, (2, 16, 16, 3)),
                    targets: rng.uniform(-1, 1, (2, 16, 16, 3))}
            losses.append([float(v) for v in sess.run([d_loss, g_loss, d_train, g_train],
                                                      feed_dict=feed)[:2]])
        pixels = sess.run(fake, feed_dict=feed)[0, :2, :2].ravel().tolist()
    print(json.dumps({"losses": losses, "values": pixels}))


if __name__ == "__main__":
    main()
