"""Texts of clv_xl in English and Italian, and the choice of language.

All user-facing messages live here as data, keyed by a short identifier; the rest of
the package asks for a message by key. Placeholders use :py:meth:`str.format` syntax.
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Any, Literal, get_args

__all__ = ["LANGUAGES", "Language", "Text", "current_language", "message", "normalise_language"]

Language = Literal["en", "it"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


@dataclass(frozen=True)
class Text:
    """A user-facing text in both languages."""

    en: str
    it: str

    def __call__(self, language: Language) -> str:
        """The text in ``language`` (English for anything but Italian)."""
        return self.it if language == "it" else self.en


#: Environment variable that sets the language of messages and help texts.
LANGUAGE_VARIABLE = "CLV_XL_LANG"

MESSAGES: dict[str, dict[Language, str]] = {
    # values that are not numbers
    "not_a_number": {
        "en": '{argument}: "{value}" is not a number',
        "it": '{argument}: "{value}" non è un numero',
    },
    "empty": {
        "en": "{argument} is empty",
        "it": "{argument} è vuoto",
    },
    "boolean": {
        "en": "{argument}: {value} is a logical value, not a number",
        "it": "{argument}: {value} è un valore logico, non un numero",
    },
    "date": {
        "en": "{argument}: a date is not a number here",
        "it": "{argument}: una data non è un numero qui",
    },
    "nan": {
        "en": "{argument} is not a number (NaN)",
        "it": "{argument} non è un numero (NaN)",
    },
    "infinite": {
        "en": "{argument} is infinite",
        "it": "{argument} è infinito",
    },
    "cell_error": {
        "en": "{argument}: the cell holds the error {value}",
        "it": "{argument}: la cella contiene l'errore {value}",
    },
    "shapes": {
        "en": "the ranges have different sizes: {shapes}",
        "it": "gli intervalli hanno dimensioni diverse: {shapes}",
    },
    "empty_range": {
        "en": "{argument} is an empty range",
        "it": "{argument} è un intervallo vuoto",
    },
    # domain errors
    "zero_divisor": {
        "en": "{argument} = 0",
        "it": "{argument} = 0",
    },
    "negative": {
        "en": "{argument} must not be negative (got {value:g})",
        "it": "{argument} non può essere negativo (valore {value:g})",
    },
    "not_positive": {
        "en": "{argument} must be greater than 0 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 (valore {value:g})",
    },
    "rate_range": {
        "en": "{argument} must be between 0 and 1 (got {value:g})",
        "it": "{argument} deve essere tra 0 e 1 (valore {value:g})",
    },
    "churn_range": {
        "en": "{argument} must be greater than 0 and at most 1 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 e al massimo 1 (valore {value:g})",
    },
    "retention_vs_discount": {
        "en": "retention ({value:g}) must be lower than 1 + discount_rate ({limit:g})",
        "it": "retention ({value:g}) deve essere minore di 1 + discount_rate ({limit:g})",
    },
    "never_pays_back": {
        "en": "{argument} is negative ({value:g}): the CAC is never paid back",
        "it": "{argument} è negativo ({value:g}): il CAC non viene mai recuperato",
    },
    "unknown_function": {
        "en": "unknown function {value!r}; known: {known}",
        "it": "funzione sconosciuta {value!r}; disponibili: {known}",
    },
    "argument_count": {
        "en": "{function} takes {expected} arguments, got {given}",
        "it": "{function} richiede {expected} argomenti, ricevuti {given}",
    },
    "unexpected": {
        "en": "unexpected error in {function}: {value}",
        "it": "errore imprevisto in {function}: {value}",
    },
    # predictive models (BG/NBD, Gamma-Gamma): customer summaries, fits, parameter ranges
    "model_whole_number": {
        "en": "{argument} must be a whole number of repeat purchases, 0 or more (got {value:g})",
        "it": "{argument} deve essere un numero intero di acquisti ripetuti, 0 o più (valore {value:g})",
    },
    "model_whole_number_row": {
        "en": "{argument}, row {row:.0f}: must be a whole number of repeat purchases, 0 or more (got {value:g})",
        "it": (
            "{argument}, riga {row:.0f}: deve essere un numero intero di acquisti ripetuti, 0 o più (valore {value:g})"
        ),
    },
    "model_negative": {
        "en": "{argument} must not be negative (got {value:g})",
        "it": "{argument} non può essere negativo (valore {value:g})",
    },
    "model_negative_row": {
        "en": "{argument}, row {row:.0f}: must not be negative (got {value:g})",
        "it": "{argument}, riga {row:.0f}: non può essere negativo (valore {value:g})",
    },
    "model_not_positive": {
        "en": "{argument} must be greater than 0 (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 (valore {value:g})",
    },
    "model_not_positive_row": {
        "en": "{argument}, row {row:.0f}: must be greater than 0 (got {value:g})",
        "it": "{argument}, riga {row:.0f}: deve essere maggiore di 0 (valore {value:g})",
    },
    "model_recency_after_T": {
        "en": "recency ({value:g}) must not be greater than T ({limit:g})",
        "it": "recency ({value:g}) non può essere maggiore di T ({limit:g})",
    },
    "model_recency_after_T_row": {
        "en": "recency, row {row:.0f}: recency ({value:g}) must not be greater than T ({limit:g})",
        "it": "recency, riga {row:.0f}: recency ({value:g}) non può essere maggiore di T ({limit:g})",
    },
    "model_recency_without_repeat": {
        "en": "recency must be 0 when frequency is 0 (got {value:g})",
        "it": "recency deve essere 0 quando frequency è 0 (valore {value:g})",
    },
    "model_recency_without_repeat_row": {
        "en": "recency, row {row:.0f}: must be 0 when frequency is 0 (got {value:g})",
        "it": "recency, riga {row:.0f}: deve essere 0 quando frequency è 0 (valore {value:g})",
    },
    "model_spend_not_positive": {
        "en": "{argument} must be greater than 0 for a customer with repeat purchases (got {value:g})",
        "it": "{argument} deve essere maggiore di 0 per un cliente con acquisti ripetuti (valore {value:g})",
    },
    "model_spend_not_positive_row": {
        "en": "{argument}, row {row:.0f}: must be greater than 0 for a customer with repeat purchases (got {value:g})",
        "it": (
            "{argument}, riga {row:.0f}: deve essere maggiore di 0 per un cliente con acquisti ripetuti "
            "(valore {value:g})"
        ),
    },
    "model_too_few_customers": {
        "en": "{model} needs at least {minimum} customers, got {count}",
        "it": "{model} richiede almeno {minimum} clienti, ricevuti {count}",
    },
    "model_too_few_repeat_customers": {
        "en": "{model} needs at least {minimum} customers with repeat purchases (frequency > 0), got {count}",
        "it": "{model} richiede almeno {minimum} clienti con acquisti ripetuti (frequency > 0), ricevuti {count}",
    },
    "model_no_repeat_purchases": {
        "en": "{model} cannot be fitted: no customer made a repeat purchase (every frequency is 0)",
        "it": "{model} non può essere stimato: nessun cliente ha fatto acquisti ripetuti (frequency sempre 0)",
    },
    "model_not_converged": {
        "en": "{model}: the fit did not converge ({reason}); try a penalizer such as 0.01",
        "it": "{model}: la stima non converge ({reason}); provare un penalizer come 0,01",
    },
    "model_parameter": {
        "en": "{model} parameter {argument} must be a number greater than 0 (got {value:g})",
        "it": "il parametro {argument} di {model} deve essere un numero maggiore di 0 (valore {value:g})",
    },
    "model_parameters_range": {
        "en": "{argument}: expected the parameters {names} as spilled by {function}, got {found}",
        "it": "{argument}: attesi i parametri {names} come restituiti da {function}, trovati {found}",
    },
    "model_infinite_spend": {
        "en": "Gamma-Gamma q = {value:g} is not greater than 1: the expected spend is infinite",
        "it": "Gamma-Gamma q = {value:g} non è maggiore di 1: la spesa attesa è infinita",
    },
    "model_prediction_undefined": {
        "en": "{model}: the prediction is not a finite number for these values",
        "it": "{model}: la previsione non è un numero finito per questi valori",
    },
    "model_cell_row": {
        "en": "{text} (row {row})",
        "it": "{text} (riga {row})",
    },
    "model_customer_ranges": {
        "en": "the customer ranges must have the same number of cells: {sizes}",
        "it": "gli intervalli dei clienti devono avere lo stesso numero di celle: {sizes}",
    },
    # Windows delivery: installing the add-in and its ribbon buttons
    "not_windows": {
        "en": "'clv-xl excel {command}' works only on Windows with desktop Excel. "
        "On this system you can build the add-in file with 'clv-xl excel build-addin'.",
        "it": "'clv-xl excel {command}' funziona solo su Windows con Excel desktop. "
        "Su questo sistema puoi creare il file del componente aggiuntivo con 'clv-xl excel build-addin'.",
    },
    "no_excel": {
        "en": "Desktop Excel was not found on this PC (no Excel.Application in the registry). "
        "Install Microsoft Excel for Windows (Microsoft 365, 2016 or later), then run install.ps1 again.",
        "it": "Excel desktop non è installato su questo PC (Excel.Application non è nel registro). "
        "Installa Microsoft Excel per Windows (Microsoft 365, 2016 o successivo), poi esegui di nuovo install.ps1.",
    },
    "excel_running": {
        "en": "Excel is running. Save your work, close every Excel window (check the Task Manager for "
        "EXCEL.EXE), then run the command again.",
        "it": "Excel è aperto. Salva il lavoro, chiudi tutte le finestre di Excel (controlla EXCEL.EXE "
        "in Gestione attività), poi esegui di nuovo il comando.",
    },
    "vba_trust_off": {
        "en": 'Excel does not let programs change the VBA of a workbook: the option "Trust access to the VBA '
        'project object model" is off. Importing the CLV functions into the add-in needs it. Either run '
        "install.ps1 -EnableVbaTrust (it turns the option on for your user only: registry value {registry}), or turn "
        "it on yourself in Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings, then "
        "run install.ps1 again. You may turn it off again after the installation.",
        "it": "Excel non permette ai programmi di modificare il VBA di una cartella: l'opzione \"Considera "
        "attendibile l'accesso al modello a oggetti dei progetti VBA\" è disattivata, e serve per importare le "
        "funzioni CLV nel componente aggiuntivo. Esegui install.ps1 -EnableVbaTrust (attiva l'opzione solo per "
        "il tuo utente: valore di registro {registry}), oppure attivala in Excel: File > Opzioni > Centro protezione > "
        "Impostazioni Centro protezione > Impostazioni macro, poi esegui di nuovo install.ps1. Dopo "
        "l'installazione puoi disattivarla di nuovo.",
    },
    "vba_trust_policy": {
        "en": "Your organisation's policy ({registry}) forbids access to the VBA project object model, so the CLV "
        "functions cannot be imported into the add-in. Ask your IT administrator to allow it for the installation.",
        "it": "Un criterio della tua organizzazione ({registry}) vieta l'accesso al modello a oggetti dei "
        "progetti VBA, quindi le funzioni CLV non possono essere importate. Chiedi all'amministratore IT "
        "di consentirlo per l'installazione.",
    },
    "addin_locked": {
        "en": "Cannot write {path}: the file is in use. Close Excel and try again.",
        "it": "Impossibile scrivere {path}: il file è in uso. Chiudi Excel e riprova.",
    },
    "excel_failed": {
        "en": "Excel reported an error while the add-in was being prepared: {value}. Close Excel, check that "
        "it starts normally, then run install.ps1 again.",
        "it": "Excel ha segnalato un errore durante la preparazione del componente aggiuntivo: {value}. Chiudi "
        "Excel, verifica che si avvii normalmente, poi esegui di nuovo install.ps1.",
    },
    "templates_missing": {
        "en": "No template workbooks in {path}. Run install.ps1 again from the clv_xl folder to copy them.",
        "it": "Nessun modello in {path}. Esegui di nuovo install.ps1 dalla cartella di clv_xl per copiarli.",
    },
    "choose_template": {
        "en": "Choose a clv_xl template",
        "it": "Scegli un modello clv_xl",
    },
    "functions_refreshed": {
        "en": "The CLV functions were imported again into {addin} ({count} functions).",
        "it": "Le funzioni CLV sono state importate di nuovo in {addin} ({count} funzioni).",
    },
    "unknown_button": {
        "en": "Unknown ribbon action {value!r}; known: {known}",
        "it": "Azione della barra multifunzione sconosciuta {value!r}; disponibili: {known}",
    },
    # files (clv_xl.files)
    "file_missing": {
        "en": "{path}: the file does not exist",
        "it": "{path}: il file non esiste",
    },
    "file_not_a_file": {
        "en": "{path} is a folder, not a file",
        "it": "{path} è una cartella, non un file",
    },
    "file_old_excel": {
        "en": "{path}: the old .xls format is not supported; save it as .xlsx in Excel (File > Save As)",
        "it": "{path}: il vecchio formato .xls non è supportato; salvalo come .xlsx in Excel (File > Salva con nome)",
    },
    "file_unknown_kind": {
        "en": "{path}: not a workbook or CSV file (expected one of {suffixes})",
        "it": "{path}: non è una cartella di lavoro né un file CSV (previsti {suffixes})",
    },
    "file_not_a_workbook": {
        "en": "{path} is not a valid Excel workbook (it may be damaged or another kind of file)",
        "it": "{path} non è una cartella di lavoro Excel valida (potrebbe essere danneggiata o di altro tipo)",
    },
    "file_zip_bomb": {
        "en": "{path} refused: it would unpack to {size} MB or more (a compressed bomb, not a workbook)",
        "it": "{path} rifiutato: si espanderebbe in {size} MB o più (una bomba compressa, non una cartella di lavoro)",
    },
    "file_xml_bomb": {
        "en": "{path} refused: part {part} declares XML entities (an XML bomb, not what Excel writes)",
        "it": "{path} rifiutato: la parte {part} dichiara entità XML (una bomba XML, non ciò che scrive Excel)",
    },
    "file_exists": {
        "en": "{path} already exists; choose another name or use --force to replace it",
        "it": "{path} esiste già; scegli un altro nome o usa --force per sostituirlo",
    },
    # the report (clv_xl.report)
    "report_same_file": {
        "en": "{path} is the input file: the report never overwrites your data; choose another name",
        "it": "{path} è il file di partenza: il rapporto non sovrascrive mai i tuoi dati; scegli un altro nome",
    },
    "report_not_xlsx": {
        "en": "{path}: the report is an Excel workbook; give it a name ending in .xlsx",
        "it": "{path}: il rapporto è una cartella di lavoro Excel; usa un nome che termina con .xlsx",
    },
    "report_written": {
        "en": "Report written to {path} (customers: {customers}; rows skipped: {skipped}).",
        "it": "Rapporto scritto in {path} (clienti: {customers}; righe saltate: {skipped}).",
    },
    "report_done": {
        "en": "CLV report written to {path}.",
        "it": "Rapporto CLV scritto in {path}.",
    },
    "report_csv_written": {
        "en": "More customers than an Excel sheet holds: all {customers} are in {path}.",
        "it": "Più clienti di quanti ne contenga un foglio Excel: ci sono tutti i {customers} in {path}.",
    },
    "report_too_few_for_models": {
        "en": "too few customers for a forecast ({count}; at least {minimum})",
        "it": "troppo pochi clienti per una previsione ({count}; almeno {minimum})",
    },
    "report_status": {
        "en": "clv_xl: {step}…",
        "it": "clv_xl: {step}…",
    },
    # transactions (clv_xl.data, clv_xl.core.summaries and their Excel functions)
    "tx_empty": {
        "en": "empty",
        "it": "vuoto",
    },
    "tx_not_a_date": {
        "en": '"{value}" is not a date (write 31/01/2024 or 2024-01-31, or use a date cell)',
        "it": '"{value}" non è una data (scrivi 31/01/2024 o 2024-01-31, o usa una cella data)',
    },
    "tx_date_out_of_range": {
        "en": "{value} is not a date from 1900 to 2262 (Excel serial numbers 1 to 132319)",
        "it": "{value} non è una data dal 1900 al 2262 (numeri seriali di Excel da 1 a 132319)",
    },
    "tx_not_an_amount": {
        "en": '"{value}" is not an amount (write e.g. 1.234,56 or 1234.56)',
        "it": '"{value}" non è un importo (scrivi ad es. 1.234,56 o 1234.56)',
    },
    "tx_logical": {
        "en": "{value} is a logical value, not an amount",
        "it": "{value} è un valore logico, non un importo",
    },
    "tx_not_an_id": {
        "en": "{value} is not a customer id",
        "it": "{value} non è un codice cliente",
    },
    "tx_cell_error": {
        "en": "the cell holds the error {value}",
        "it": "la cella contiene l'errore {value}",
    },
    "tx_not_a_parameter": {
        "en": '"{value}" is not a number',
        "it": '"{value}" non è un numero',
    },
    "tx_row_problem": {
        "en": "row {row}, column {column}: {reason}",
        "it": "riga {row}, colonna {column}: {reason}",
    },
    "tx_bad_rows": {
        "en": "{source}: rows that cannot be read: {count} (problems: {bad_cells}); correct them, or skip bad rows",
        "it": "{source}: righe non leggibili: {count} (problemi: {bad_cells}); correggile, o salta le righe errate",
    },
    "tx_more_problems": {
        "en": "... and {count} more",
        "it": "... e altri {count}",
    },
    "tx_no_header": {
        "en": "{source}: no header row with the columns {required} (found: {found})",
        "it": "{source}: nessuna riga di intestazione con le colonne {required} (trovate: {found})",
    },
    "tx_sheet_missing": {
        "en": '{source}: there is no sheet named "{sheet}" (sheets: {sheets})',
        "it": '{source}: non c\'è un foglio di nome "{sheet}" (fogli: {sheets})',
    },
    "tx_table_missing": {
        "en": '{source}: there is no table named "{table}" (tables: {tables})',
        "it": '{source}: non c\'è una tabella di nome "{table}" (tabelle: {tables})',
    },
    "tx_no_rows": {
        "en": "{source}: there are no transactions to read",
        "it": "{source}: non ci sono transazioni da leggere",
    },
    "tx_on_error": {
        "en": 'on_error must be "raise" or "skip", not "{value}"',
        "it": 'on_error deve essere "raise" o "skip", non "{value}"',
    },
    "tx_time_unit": {
        "en": '{argument}: "{value}" is not a time unit (use {units})',
        "it": '{argument}: "{value}" non è un\'unità di tempo (usa {units})',
    },
    "tx_no_customers": {
        "en": "no transactions on or before the observation end {value}",
        "it": "nessuna transazione entro la fine dell'osservazione {value}",
    },
    "tx_bad_range_rows": {
        "en": "rows of the ranges that cannot be read: {count} (problems: {bad_cells})",
        "it": "righe degli intervalli non leggibili: {count} (problemi: {bad_cells})",
    },
    "tx_no_range_rows": {
        "en": "the ranges hold no orders",
        "it": "gli intervalli non contengono ordini",
    },
    "tx_csv_unreadable": {
        "en": "{source}: the CSV file cannot be read ({reason})",
        "it": "{source}: il file CSV non è leggibile ({reason})",
    },
    "tx_xlsx_unreadable": {
        "en": "{source}: the workbook cannot be read ({reason})",
        "it": "{source}: la cartella di lavoro non è leggibile ({reason})",
    },
    "tx_xlsx_password": {
        "en": "{source} is protected by a password: save a copy without it (File > Info > Protect)",
        "it": "{source} è protetto da password: salvane una copia senza (File > Informazioni > Proteggi)",
    },
    "tx_ranges": {
        "en": "the ranges have different numbers of rows: {sizes}",
        "it": "gli intervalli hanno un numero diverso di righe: {sizes}",
    },
}


def normalise_language(language: str | None) -> Language:
    """Map ``"it"``, ``"it_IT.UTF-8"``, ``"Italian"``... to ``"it"``; anything else to ``"en"``."""
    if language and language.strip().lower().startswith("it"):
        return "it"
    return "en"


def current_language() -> Language:
    """The user's language: ``CLV_XL_LANG`` if set, else the system locale, else English."""
    chosen = os.environ.get(LANGUAGE_VARIABLE)
    if chosen:
        return normalise_language(chosen)
    try:
        system = locale.getlocale()[0]
    except ValueError:
        system = None
    return normalise_language(system)


def message(key: str, language: Language = "en", **params: Any) -> str:
    """The message ``key`` in ``language`` with its placeholders filled in."""
    texts = MESSAGES[key]
    return texts.get(language, texts["en"]).format(**params)
