"""Kept for tools that still call `python setup.py`; all metadata is in setup.cfg.

The one thing setup.cfg cannot say: `compat_layers.pth` (the
`COMPAT_LAYERS_INSTALL=1` hook) must land at the top of site-packages, where
Python reads `.pth` files, in wheels and in editable installs alike.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH_FILE = "compat_layers.pth"


class BuildPyWithPth(build_py):
    """`build_py` that also ships `compat_layers.pth` at the wheel's root."""

    def run(self) -> None:
        super().run()
        # An editable wheel is assembled from the install directory, not from
        # build_lib (setuptools' editable_wheel sets install_lib to it).
        root = (
            self.get_finalized_command("install").install_lib
            if self.editable_mode
            else self.build_lib
        )
        self.copy_file(PTH_FILE, os.path.join(root, PTH_FILE), preserve_mode=False)


setup(cmdclass={"build_py": BuildPyWithPth})
