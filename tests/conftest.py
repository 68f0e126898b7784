"""pytest setup shared by all tests."""

import os

# Quiet TensorFlow's C++ start-up logging in the test log (not in the package).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import flags  # noqa: E402

# absltest.main() parses absl's flags; under pytest nobody does, and
# parameterized.TestCase helpers (create_tempdir) read them.
flags.FLAGS.mark_as_parsed()
