"""`tf.compat.v1.layers` for TensorFlow 2.16+ and Keras 3.

    import compat_layers as layers          # instead of tf.compat.v1.layers
    y = layers.conv2d_transpose(x, 64, 5, strides=2, padding="same")

Importing this package changes nothing TensorFlow or Keras code sees: `tf.keras`
stays Keras 3, no environment variable is set, and nothing is patched into
TensorFlow (`install()` does that, on request). The layers only register with
Keras's serialization, as `compat_layers>Conv2DTranspose` and so on.
"""

try:
    import tensorflow as _tf
except ModuleNotFoundError as _error:
    # `pip install compat-layers` alone installs only the command line.
    if _error.name != "tensorflow":
        raise
    raise ModuleNotFoundError(
        "compat_layers needs TensorFlow 2.16 or newer, which is not installed: "
        'pip install "compat-layers[tensorflow]" (or, to keep another TensorFlow build, '
        'install it and then pip install "compat-layers[keras]")',
        name="tensorflow",
    ) from None

from compat_layers import _private, _tf_version

_tf_version.check(_tf.__version__)
_private.check()

from keras.layers import InputSpec  # noqa: E402  (TF1's InputSpec has the same arguments)

from compat_layers import (  # noqa: E402
    convolutional, core, experimental, normalization, pooling, rnn_cell, utils,
)
from compat_layers._version import __version__  # noqa: E402
from compat_layers.base import Layer  # noqa: E402
from compat_layers.convolutional import *  # noqa: E402,F401,F403
from compat_layers.core import *  # noqa: E402,F401,F403
from compat_layers.install import install, uninstall  # noqa: E402
from compat_layers.normalization import *  # noqa: E402,F401,F403
from compat_layers.pooling import *  # noqa: E402,F401,F403

__all__ = [
    "InputSpec",
    "Layer",
    "__version__",
    "experimental",
    "install",
    "rnn_cell",
    "uninstall",
    *convolutional.__all__,
    *core.__all__,
    *normalization.__all__,
    *pooling.__all__,
]
