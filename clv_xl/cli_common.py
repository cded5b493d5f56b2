"""Options shared by the commands of the ``clv-xl`` command line."""

from __future__ import annotations

import click

from clv_xl.i18n import LANGUAGES, Language, current_language

__all__ = ["LANGUAGE_OPTION", "resolve_language"]

LANGUAGE_OPTION = click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of labels and messages (it or en); default: CLV_XL_LANG or the system locale.",
)


def resolve_language(chosen: str | None) -> Language:
    """The language chosen with ``--lang``, else the user's (``CLV_XL_LANG`` or the system locale)."""
    return chosen if chosen in LANGUAGES else current_language()
