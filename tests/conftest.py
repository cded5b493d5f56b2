"""Shared test set-up.

The Windows stand-ins are installed before any test module imports ``clv_xl.udfs``,
so the Excel functions are registered by xlwings' real ``xlfunc``/``xlarg`` (on Linux
``xw.func`` is a no-op). On Windows the real pywin32 is used and nothing is stood in
(tests/windows_stand_ins.py). Messages are in English unless a test asks otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import windows_stand_ins  # noqa: E402

os.environ["CLV_XL_LANG"] = "en"
windows_stand_ins.install()

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# no example database in the working tree: tests write only under tmp_path
settings.register_profile("clv_xl", database=None, derandomize=True)
settings.load_profile("clv_xl")


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps files besides its database (a cache of constants, written while the tests are
    collected): they go under pytest's temporary folder, never into the checkout."""
    set_hypothesis_home_dir(pytest.TempPathFactory.from_config(config, _ispytest=True).mktemp("hypothesis"))
