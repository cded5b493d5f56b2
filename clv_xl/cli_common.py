"""What every command of the ``clv-xl`` command line shares: its language, its help, its numbers.

Language
    The command line speaks the user's language: ``--lang`` when it is on the command
    line, else ``CLV_XL_LANG`` or the system locale (:func:`cli_language`). That covers
    click's own words too ("Usage:", "Error:", "Try ... for help", "Missing option"...):
    click asks :mod:`gettext` for each of them, and :func:`_install_click_texts` answers
    those calls from :data:`CLICK_ITALIAN` while a command of this command line runs.

Help
    A command is declared with :func:`command` (or ``@group.command``) and its options
    with :func:`option`, each with its help as a :class:`~clv_xl.i18n.Text`::

        @cli.command("check", help=Text("Check a file.", "Controlla un file."))
        @option("--cac", type=AMOUNT, help=Text("Acquisition cost, €.", "Costo di acquisizione, €."))
        @LANGUAGE_OPTION
        def check_command(cac: float | None, language: str | None) -> None: ...

    The help is shown in the language of the command line; a test walks every command
    and fails on English help in Italian.

Numbers
    :class:`Number` reads an option's value as ``clv-xl calc`` reads its arguments
    (:func:`parse_number`): ``0.35``, ``0,35``, ``35%``, ``1.234,56 €``. :data:`AMOUNT`,
    :data:`RATE`, :data:`DISCOUNT_RATE` and :data:`CHURN` add the ranges clv_xl's
    options take, with errors in words in the user's language.
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import click
import numpy as np

from clv_xl.data.values import read_amounts
from clv_xl.i18n import LANGUAGES, Language, Text, current_language, message

__all__ = [
    "AMOUNT",
    "CHURN",
    "CLICK_ITALIAN",
    "DISCOUNT_RATE",
    "LANGUAGE_OPTION",
    "RATE",
    "LocalizedArgument",
    "LocalizedCommand",
    "LocalizedGroup",
    "LocalizedOption",
    "Number",
    "argument",
    "cli_language",
    "command",
    "group",
    "option",
    "parse_number",
    "resolve_language",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The language of the command line being run (None outside a run: click speaks English).
_RUNNING: ContextVar[Language | None] = ContextVar("clv_xl_cli_language", default=None)


def cli_language() -> Language:
    """The language the command line speaks: of the run in progress, else the user's."""
    return _RUNNING.get() or current_language()


def resolve_language(chosen: str | None) -> Language:
    """The language chosen with ``--lang``, else the user's (``CLV_XL_LANG`` or the system locale)."""
    return chosen if chosen in LANGUAGES else current_language()


def _language_of(arguments: Sequence[str]) -> Language:
    """``--lang it`` or ``--lang=it`` among the command-line arguments, else the user's language."""
    for index, token in enumerate(arguments):
        value = None
        if token == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif token.startswith("--lang="):
            value = token.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return current_language()


# --- click's own words -------------------------------------------------------------------------

#: click's messages (as click writes them, the gettext message ids) in Italian.
CLICK_ITALIAN: dict[str, str] = {
    "Usage:": "Uso:",
    "Options": "Opzioni",
    "Commands": "Comandi",
    "Positional arguments": "Argomenti",
    "Show this message and exit.": "Mostra questo aiuto ed esce.",
    "Show the version and exit.": "Mostra la versione ed esce.",
    "%(prog)s, version %(version)s": "%(prog)s, versione %(version)s",
    "Error: {message}": "Errore: {message}",
    "Try '{command} {option}' for help.": "Per l'aiuto: '{command} {option}'.",
    "Invalid value: {message}": "Valore non valido: {message}",
    "Invalid value for {param_hint}: {message}": "Valore non valido per {param_hint}: {message}",
    "Missing argument": "Manca l'argomento",
    "Missing option": "Manca l'opzione",
    "Missing parameter": "Manca il parametro",
    "Missing {param_type}": "Manca {param_type}",
    "Missing parameter: {param_name}": "Manca il parametro: {param_name}",
    "Missing command.": "Manca il comando.",
    "No such option {name!r}.": "L'opzione {name!r} non esiste.",
    "No such command {name!r}.": "Il comando {name!r} non esiste.",
    "Did you mean {possibility}?": "Forse intendevi {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Forse intendevi una di queste: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Argomento in più, non previsto ({args})",
    "Got unexpected extra arguments ({args})": "Argomenti in più, non previsti ({args})",
    "Option {name!r} requires an argument.": "L'opzione {name!r} richiede un valore.",
    "Option {name!r} requires {nargs} arguments.": "L'opzione {name!r} richiede {nargs} valori.",
    "Option {name!r} does not take a value.": "L'opzione {name!r} non accetta valori.",
    "Argument {name!r} takes {nargs} values.": "L'argomento {name!r} richiede {nargs} valori.",
    "{value!r} is not {choice}.": "{value!r} non è {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} non è tra i valori ammessi: {choices}.",
    "Choose from:\n\t{choices}": "Scegli tra:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} non è un {number_type} valido.",
    "{value} is not in the range {range}.": "{value} non è nell'intervallo {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} non esiste.",
    "{name} {filename!r} is a file.": "{name} {filename!r} è un file.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} è una cartella.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} non si può leggere.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non si può scrivere.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} non si può eseguire.",
    "Could not open file {filename!r}: {message}": "Impossibile aprire il file {filename!r}: {message}",
    "unknown error": "errore sconosciuto",
    "Aborted!": "Interrotto.",
    "default: {default}": "predefinito: {default}",
    "required": "obbligatoria",
    "env var: {var}": "variabile d'ambiente: {var}",
    "(dynamic)": "(dinamico)",
    "deprecated": "deprecato",
    "Value must be an iterable.": "Il valore deve essere un elenco.",
    "Takes {nargs} values but 1 was given.": "Richiede {nargs} valori, ne è stato dato 1.",
    "Takes {nargs} values but {len} were given.": "Richiede {nargs} valori, ne sono stati dati {len}.",
    # metavars and usage pieces (not gettext messages in click: translated by the classes below)
    "[OPTIONS]": "[OPZIONI]",
    "COMMAND [ARGS]...": "COMANDO [ARGOMENTI]...",
    "FILE": "FILE",
    "DIRECTORY": "CARTELLA",
    "PATH": "PERCORSO",
    "TEXT": "TESTO",
    "INTEGER": "INTERO",
    "NUMBER": "NUMERO",
}


def _click_text(text: str) -> str:
    """One of click's texts in the language of the run (unchanged outside a run, or in English)."""
    if _RUNNING.get() == "it":
        return CLICK_ITALIAN.get(text, text)
    return text


def _gettext(text: str) -> str:
    return _click_text(gettext.gettext(text))


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _click_text(gettext.ngettext(singular, plural, count))


def _install_click_texts() -> None:
    """Answer click's gettext calls (its modules' ``_`` and ``ngettext``) in the language of the run.

    Outside a run of this command line the answers are gettext's own, as before.
    """
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is gettext.gettext:
                module._ = _gettext  # type: ignore[attr-defined]
            if getattr(module, "ngettext", None) is gettext.ngettext:
                module.ngettext = _ngettext  # type: ignore[attr-defined]


_install_click_texts()


# --- help in both languages --------------------------------------------------------------------


def _text(value: Text | str | None, language: Language) -> str | None:
    """A help text in ``language``: a :class:`Text` picks it; click's own English is translated."""
    if isinstance(value, Text):
        return value(language)
    return _click_text(value) if value else value


@contextmanager
def _speaking(item: Any, attributes: dict[str, Text | str | None]) -> Iterator[None]:
    """``item``'s help attributes in the language of the command line, for the time of a rendering."""
    language = cli_language()
    saved = {name: getattr(item, name) for name in attributes}
    try:
        for name, value in attributes.items():
            setattr(item, name, _text(value, language))
        yield
    finally:
        for name, value in saved.items():
            setattr(item, name, value)


class LocalizedOption(click.Option):
    """An option whose ``help`` is a :class:`Text`, shown in the language of the command line."""

    def __init__(
        self, param_decls: Sequence[str] | None = None, *, help: Text | str | None = None, **kwargs: Any
    ) -> None:
        self.texts = help if isinstance(help, Text) else None
        super().__init__(param_decls, help=help.en if isinstance(help, Text) else help, **kwargs)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """The option's line of the help page, in the language of the command line."""
        with _speaking(self, {"help": self.texts or self.help}):
            return super().get_help_record(ctx)

    def make_metavar(self, ctx: click.Context) -> str:
        """``NUMERO``, ``CARTELLA``... in Italian."""
        return _click_text(super().make_metavar(ctx))


class LocalizedArgument(click.Argument):
    """An argument whose metavar (``DATA``, ``NAME``) is a :class:`Text`, in the language of the command line."""

    def __init__(self, *args: Any, metavar: Text | str | None = None, **kwargs: Any) -> None:
        self.metavar_texts = metavar if isinstance(metavar, Text) else None
        super().__init__(*args, metavar=None if isinstance(metavar, Text) else metavar, **kwargs)

    def make_metavar(self, ctx: click.Context) -> str:
        """The argument as the usage line and the errors name it, in the language of the command line."""
        if self.metavar_texts is None:
            return _click_text(super().make_metavar(ctx))
        shown = self.metavar_texts(cli_language())
        shown = shown if self.required else f"[{shown}]"
        return f"{shown}..." if self.nargs != 1 else shown


class LocalizedCommand(click.Command):
    """A command whose help is a :class:`Text`; usage, options and click's words follow the language."""

    def __init__(self, name: str | None, *, help: Text | str | None = None, **kwargs: Any) -> None:
        self.texts = help if isinstance(help, Text) else None
        super().__init__(name, help=help.en if isinstance(help, Text) else help, **kwargs)

    def _help_attributes(self) -> dict[str, Text | str | None]:
        return {"help": self.texts or self.help, "short_help": self.short_help}

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command's help, in the language of the command line."""
        with _speaking(self, self._help_attributes()):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The command's line in its group's list of commands."""
        with _speaking(self, self._help_attributes()):
            return super().get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """The ``--help`` option, its help kept in click's English and shown in the language of the command line.

        click makes the option once, in the language of that moment; keeping the English
        message lets every later help page translate it.
        """
        made = getattr(self, "_clv_help_option", None)
        option = super().get_help_option(ctx)
        if option is not None and option is not made:
            option.help = "Show this message and exit."
            self._clv_help_option = option
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        """``[OPZIONI] COMANDO [ARGOMENTI]...`` in Italian."""
        return [_click_text(piece) for piece in super().collect_usage_pieces(ctx)]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options, their help in the language of the command line."""
        # click's help and version options are plain options with click's own English help
        plain = [p for p in self.get_params(ctx) if isinstance(p, click.Option) and not isinstance(p, LocalizedOption)]
        with _speaking_all(plain):
            super().format_options(ctx, formatter)


@contextmanager
def _speaking_all(options: Sequence[click.Option]) -> Iterator[None]:
    with _nested([_speaking(item, {"help": item.help}) for item in options]):
        yield


@contextmanager
def _nested(managers: Sequence[Any]) -> Iterator[None]:
    if not managers:
        yield
        return
    with managers[0], _nested(managers[1:]):
        yield


class LocalizedGroup(LocalizedCommand, click.Group):
    """A group of localized commands: its subcommands and subgroups are localized too.

    Its :meth:`main` runs the command line in the user's language (``--lang`` on the
    command line, else ``CLV_XL_LANG`` or the system locale).
    """

    command_class = LocalizedCommand
    group_class = type  # subgroups are LocalizedGroup as well

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line in the language of ``--lang``, ``CLV_XL_LANG`` or the system locale."""
        arguments = list(sys.argv[1:] if args is None else args)
        token = _RUNNING.set(_language_of(arguments))
        try:
            return super().main(arguments, prog_name, complete_var, standalone_mode, **extra)
        finally:
            _RUNNING.reset(token)


def command(name: str | None = None, **attributes: Any) -> Callable[[F], LocalizedCommand]:
    """``click.command`` making a :class:`LocalizedCommand` (``help=Text(en, it)``)."""
    return click.command(name, cls=LocalizedCommand, **attributes)


def group(name: str | None = None, **attributes: Any) -> Callable[[F], LocalizedGroup]:
    """``click.group`` making a :class:`LocalizedGroup` (``help=Text(en, it)``)."""
    return click.group(name, cls=LocalizedGroup, **attributes)


def option(*declarations: str, help: Text, **attributes: Any) -> Callable[[F], F]:
    """``click.option`` with its help in both languages."""
    return click.option(*declarations, cls=LocalizedOption, help=help, **attributes)


def argument(*declarations: str, metavar: Text | None = None, **attributes: Any) -> Callable[[F], F]:
    """``click.argument`` with its metavar (``DATA`` / ``DATI``) in both languages."""
    return click.argument(*declarations, cls=LocalizedArgument, metavar=metavar, **attributes)


LANGUAGE_OPTION = option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default=None,
    help=Text(
        "Language of labels and messages (it or en); default: CLV_XL_LANG or the system locale.",
        "Lingua di etichette e messaggi (it o en); se omessa: CLV_XL_LANG o la lingua del sistema.",
    ),
)


# --- numbers -----------------------------------------------------------------------------------


def parse_number(text: str) -> float | str | None:
    """A number typed on the command line, read as a parameters sheet reads it.

    ``1000``, ``0.08``, ``0,08``, ``8%`` (a percentage: 0.08), ``1.234,56 €``,
    ``1,234.56``, ``(12,50)`` (negative). An empty text is an empty cell (None); text
    that is not a number is returned unchanged, so that the caller reports it.
    """
    cleaned = text.strip()
    if not cleaned:
        return None
    percent = cleaned.endswith("%")
    amounts, reasons = read_amounts(np.array([cleaned.removesuffix("%").strip()], dtype=object))
    if reasons[0] is not None:
        return text
    number = float(amounts[0])
    return number / 100 if percent else number


class Number(click.ParamType):
    """A number option read as :func:`parse_number` reads it, with an optional range.

    ``minimum``/``maximum`` bound the value (``above_minimum``: strictly above);
    ``range_key`` is the message for a value out of range (``cli_at_least`` or
    ``cli_between`` by default) and ``zero_key`` the message for exactly 0, when 0
    deserves its own words.
    """

    name = "number"

    def __init__(
        self,
        minimum: float | None = None,
        maximum: float | None = None,
        *,
        above_minimum: bool = False,
        range_key: str | None = None,
        zero_key: str | None = None,
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.above_minimum = above_minimum
        self.range_key = range_key or ("cli_at_least" if maximum is None else "cli_between")
        self.zero_key = zero_key

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """The number ``value`` stands for; a usage error in words when it is not one or out of range."""
        language = cli_language()
        number = value if isinstance(value, float | int) and not isinstance(value, bool) else parse_number(str(value))
        if not isinstance(number, float | int):
            self.fail(message("cli_not_a_number", language, value=value), param, ctx)
        number = float(number)
        if number == 0 and self.zero_key is not None:
            self.fail(message(self.zero_key, language), param, ctx)
        low, high = self.minimum, self.maximum
        too_low = low is not None and (number <= low if self.above_minimum else number < low)
        too_high = high is not None and number > high
        if too_low or too_high:
            self.fail(message(self.range_key, language, value=number, minimum=low, maximum=high), param, ctx)
        return number


#: An amount in euro, 0 or more (``--cac``).
AMOUNT = Number(minimum=0.0)
#: A share from 0 to 1, as a fraction or a percentage (``--margin``).
RATE = Number(minimum=0.0, maximum=1.0)
#: A yearly discount rate, 0 or more (``--discount-rate``).
DISCOUNT_RATE = Number(minimum=0.0)
#: A yearly churn above 0 and at most 1, with 0 answered in words (``--churn``).
CHURN = Number(minimum=0.0, maximum=1.0, above_minimum=True, range_key="cli_churn_range", zero_key="cli_churn_zero")
