"""Shared test set-up.

The Windows stand-ins are installed before any test module imports ``clv_xl.udfs``,
so the Excel functions are registered by xlwings' real ``xlfunc``/``xlarg`` (on Linux
``xw.func`` is a no-op). Messages are in English unless a test asks otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import windows_stand_ins  # noqa: E402

os.environ["CLV_XL_LANG"] = "en"
windows_stand_ins.install()

from hypothesis import settings  # noqa: E402

# no example database in the working tree: tests write only under tmp_path
settings.register_profile("clv_xl", database=None, derandomize=True)
settings.load_profile("clv_xl")
