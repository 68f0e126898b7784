"""Every Python block of docs/migration.md runs, in order, in one namespace."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from absl.testing import absltest

DOC = Path(__file__).resolve().parents[1] / "docs" / "migration.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


class MigrationGuideTest(absltest.TestCase):
    def test_every_snippet_runs(self):
        blocks = python_blocks(DOC.read_text())
        self.assertGreaterEqual(len(blocks), 6)
        namespace: dict = {"__name__": "migration_guide"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for number, block in enumerate(blocks, 1):
                with self.subTest(block=number):
                    exec(compile(block, f"{DOC.name} block {number}", "exec"), namespace)


if __name__ == "__main__":
    absltest.main()
