"""Rewrite tests/golden/clv_xl_udfs.bas after a deliberate change of the Excel functions.

Run from the project root: ``python tests/regenerate_golden.py``; review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import conftest  # noqa: E402,F401  (installs the Windows stand-ins)
from test_udfs import GOLDEN_VBA, generated_vba  # noqa: E402

if __name__ == "__main__":
    GOLDEN_VBA.write_text(generated_vba(), encoding="utf-8")
    print(f"wrote {GOLDEN_VBA}")
