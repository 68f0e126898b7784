"""pytest setup shared by all tests."""

import os

# Quiet TensorFlow's C++ start-up logging in the test log (not in the package).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import flags  # noqa: E402

# absltest.main() parses absl's flags; under pytest nobody does, and
# parameterized.TestCase helpers (create_tempdir) read them.
flags.FLAGS.mark_as_parsed()

from hypothesis import HealthCheck, settings  # noqa: E402

# Property-based parity (tests/test_fuzz.py). "ci", the default: a fixed seed
# and no example database, so every run draws the same examples: 86 per test
# on average over its six tests, 516 in all; no deadline, since one example
# runs TensorFlow twice (us and the oracle).
settings.register_profile(
    "ci",
    max_examples=86,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
# `pytest --hypothesis-profile=long`: ten times more, randomized.
settings.register_profile(
    "long", parent=settings.get_profile("ci"), max_examples=860, derandomize=False
)
settings.load_profile("ci")
