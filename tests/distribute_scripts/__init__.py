"""Programs the distribution tests run in processes of their own (see tests/test_distribute.py)."""
