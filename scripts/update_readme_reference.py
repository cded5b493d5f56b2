"""Rewrite the README's function reference from the catalogue.

Run from the project root after adding or changing an Excel function::

    python scripts/update_readme_reference.py

The block between ``<!-- function-reference:start -->`` and
``<!-- function-reference:end -->`` is replaced by ``clv-xl functions --markdown``;
a test fails while the README and the catalogue disagree.
"""

from __future__ import annotations

import re
from pathlib import Path

from clv_xl.cli import function_reference_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"(<!-- function-reference:start -->\n).*?(<!-- function-reference:end -->)", re.S)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    updated = _BLOCK.sub(lambda m: m.group(1) + function_reference_markdown("en") + m.group(2), text)
    README.write_text(updated, encoding="utf-8")
    print("README function reference:", "updated" if updated != text else "already up to date")


if __name__ == "__main__":
    main()
