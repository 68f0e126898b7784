"""`tf.compat.v1.layers` for TensorFlow 2.16+ and Keras 3.

    import compat_layers as layers          # instead of tf.compat.v1.layers
    y = layers.conv2d_transpose(x, 64, 5, strides=2, padding="same")

Importing this package changes nothing global: `tf.keras` stays Keras 3, no
environment variable is set, and nothing is patched into TensorFlow.
"""

import tensorflow as _tf

from compat_layers import _private, _tf_version

_tf_version.check(_tf.__version__)
_private.check()

from compat_layers._version import __version__  # noqa: E402
from compat_layers.base import Layer  # noqa: E402
from compat_layers.convolutional import Conv2DTranspose, conv2d_transpose  # noqa: E402

__all__ = ["Conv2DTranspose", "Layer", "conv2d_transpose", "__version__"]
