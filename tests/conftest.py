"""pytest setup shared by all tests."""

import os

import pytest

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


# The contributor's loop, the README's test command (`-m "not slow"`), leaves
# out what costs the most per test and changes least often: the parity runs in
# the two process modes ("graph_v1" and "graph_tf1", each a worker process per
# side), the per-part TF1 runs, the multi-process distributed tests, building
# the artifacts and the benchmark run. CI runs them too (`-m slow`, .ci/run),
# so nothing CI checks is dropped.
SLOW_FILES = frozenset({
    "test_benchmarks.py", "test_distribute.py", "test_parameter_server.py",
    "test_distribution.py", "test_tf1_behaviour_parts.py",
})
SLOW_PARITY_SUFFIXES = ("_graph_v1", "_graph_tf1")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: run by CI, left out of the README's quick loop")


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = item.path.name
        if name in SLOW_FILES or (name == "test_parity.py" and item.name.endswith(SLOW_PARITY_SUFFIXES)):
            item.add_marker(pytest.mark.slow)
