"""Texts of clv_xl in English and Italian, and the choice of language.

All user-facing messages live here as data, keyed by a short identifier; the rest of
the package asks for a message by key. Placeholders use :py:meth:`str.format` syntax;
a placeholder given a :class:`Text` takes its text in the message's language (a unit
of time, a date written as each language writes it: :func:`date_text`).
"""

from __future__ import annotations

import locale
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, get_args

__all__ = [
    "LANGUAGES",
    "Language",
    "Text",
    "current_language",
    "date_text",
    "italian_date",
    "message",
    "normalise_language",
    "number_text",
]

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


def date_text(day: date) -> Text:
    """A date as each language writes it: 2024-01-31 in English, 31/01/2024 in Italian (:func:`italian_date`)."""
    return Text(day.strftime("%Y-%m-%d"), italian_date(day))


def number_text(value: float, decimals: int = 0) -> Text:
    """A number as each language writes it: 1,788.5 in English, 1.788,5 in Italian."""
    english = f"{value:,.{decimals}f}"
    return Text(english, english.translate(str.maketrans(",.", ".,")))


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
        "it": "{argument}: qui serve un numero, non una data",
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
        "it": (
            "la fidelizzazione (retention, {value:g}) deve essere minore di 1 + il tasso di attualizzazione "
            "(discount_rate), cioè di {limit:g}"
        ),
    },
    "never_pays_back": {
        "en": "{argument} is negative ({value:g}): the CAC is never paid back",
        "it": "{argument} è negativo ({value:g}): il CAC non viene mai recuperato",
    },
    "unknown_function": {
        "en": "unknown function {value!r}; known: {known}",
        "it": "la funzione {value!r} non esiste; funzioni disponibili: {known}",
    },
    "argument_count": {
        "en": "{function} takes {expected} arguments, got {given}",
        "it": "{function} richiede {expected} argomenti, ne sono stati indicati {given}",
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
        "it": "recency deve essere 0 quando frequency è 0, cioè senza acquisti ripetuti (valore {value:g})",
    },
    "model_recency_without_repeat_row": {
        "en": "recency, row {row:.0f}: must be 0 when frequency is 0 (got {value:g})",
        "it": (
            "recency, riga {row:.0f}: deve essere 0 quando frequency è 0, cioè senza acquisti ripetuti "
            "(valore {value:g})"
        ),
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
    "model_too_few_spending_customers": {
        "en": "{model} needs at least {minimum} customers whose repeat purchases average more than 0, got {count}",
        "it": "{model} richiede almeno {minimum} clienti con acquisti ripetuti di valore medio maggiore di 0, "
        "ricevuti {count}",
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
        "it": "{model}: la stima non converge ({reason}); riprova con un penalizer, ad es. 0,01",
    },
    "model_not_converged_plain": {
        "en": "{model}: the fit did not converge ({reason})",
        "it": "{model}: la stima non converge ({reason})",
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
    # lifespan and churn, cohorts, three purchase models, the model choice and the holdout check (issue 12)
    "model_unknown": {
        "en": '{argument}: "{value}" is not a model (use {known})',
        "it": '{argument}: "{value}" non è un modello (usa {known})',
    },
    "model_range_unknown": {
        "en": "{argument}: the range does not say which model it holds ({value}); use the range spilled by a fit",
        "it": "{argument}: l'intervallo non dice quale modello contiene ({value}); usa l'intervallo di una stima",
    },
    "model_none_fitted": {
        "en": "no purchase model could be fitted: {reasons}",
        "it": "nessun modello di acquisto può essere stimato: {reasons}",
    },
    "holdout_periods": {
        "en": "the holdout must be a whole number of {unit} from 1 up (got {value}); the orders span {span} {unit}",
        "it": "il periodo di verifica deve essere un numero intero di {unit} da 1 in su (valore {value}); "
        "gli ordini coprono {span} {unit}",
    },
    "holdout_too_long": {
        "en": "a holdout of {value} {unit} is as long as the orders or longer: they span {span} {unit}, "
        "from {first} to {last}; choose a shorter holdout",
        "it": "un periodo di verifica di {value} {unit} è lungo quanto gli ordini o di più: coprono {span} {unit}, "
        "dal {first} al {last}; scegli un periodo di verifica più breve",
    },
    "holdout_no_calibration": {
        "en": "no order on or before the calibration end {value} (the first order is of {first})",
        "it": "nessun ordine entro la fine del periodo di stima {value} (il primo ordine è del {first})",
    },
    "holdout_end_before_calibration": {
        "en": "the holdout end {value} must be after the calibration end {limit}",
        "it": "la fine del periodo di verifica {value} deve essere successiva alla fine del periodo di stima {limit}",
    },
    "holdout_too_short": {
        "en": "the orders span {span} {unit}: too little for a check with the default holdout (at least {minimum} "
        "{unit} are needed); give a holdout yourself",
        "it": "gli ordini coprono {span} {unit}: troppo poco per la verifica con il periodo standard "
        "(ne servono almeno {minimum}); indica tu la lunghezza del periodo di verifica",
    },
    "choice_given": {
        "en": "{model}: the model you chose",
        "it": "{model}: il modello scelto da te",
    },
    "choice_holdout": {
        "en": "{model}: the smallest mean error per customer over a holdout of {holdout} {unit} at the end of the "
        "orders, which the fit did not see ({errors})",
        "it": "{model}: il minore errore medio per cliente su un periodo di verifica di {holdout} {unit} alla fine "
        "degli ordini, che la stima non ha visto ({errors})",
    },
    "choice_bic": {
        "en": "{model}: the lowest BIC on all the orders (BIC: {errors}); the orders span too little time to hold "
        "some out",
        "it": "{model}: il BIC più basso su tutti gli ordini (BIC: {errors}); gli ordini coprono troppo poco tempo "
        "per escluderne una parte",
    },
    "choice_sample": {
        "en": "{reason}; checked on a fixed sample of {sample} of the {customers} customers, then fitted on all",
        "it": "{reason}; verifica su un campione fisso di {sample} clienti su {customers}, poi stima su tutti",
    },
    "choice_bic_unchecked": {
        "en": "{model}: the lowest BIC on all the orders (BIC: {errors}); no model could be checked on a holdout of "
        "{holdout} {unit} ({problems})",
        "it": "{model}: il BIC più basso su tutti gli ordini (BIC: {errors}); non è stato possibile verificare alcun "
        "modello su un periodo di verifica di {holdout} {unit} ({problems})",
    },
    "choice_only": {
        "en": "{model}: the only model that could be fitted ({errors})",
        "it": "{model}: l'unico modello che è stato possibile stimare ({errors})",
    },
    "cohort_period": {
        "en": '{argument}: "{value}" is not a period (use {known})',
        "it": '{argument}: "{value}" non è un periodo (usa {known})',
    },
    "churn_too_short": {
        "en": "the orders span {months} months (from {first} to {last}): a yearly churn needs at least {minimum}",
        "it": "gli ordini coprono {months} mesi (dal {first} al {last}): l'abbandono annuo ne richiede almeno "
        "{minimum}",
    },
    "churn_too_few": {
        "en": "only {count} customers bought in the 12 months before {date}: a yearly churn needs at least {minimum}",
        "it": "solo {count} clienti hanno acquistato nei 12 mesi prima del {date}: l'abbandono annuo ne richiede "
        "almeno {minimum}",
    },
    "churn_estimate": {
        "en": "{churn} % a year (95 % interval {low} to {high} %): {lost} of the {customers} customers active on "
        "{days} bought nothing in the following 12 months",
        "it": "{churn} % all'anno (intervallo al 95 % da {low} a {high} %): {lost} su {customers} clienti attivi "
        "al {days} non hanno acquistato nulla nei 12 mesi successivi",
    },
    "churn_none_lost": {
        "en": "none of the {count} customers who bought in the 12 months before {date} stopped buying in the next "
        "12: the churn is too low to measure on these orders",
        "it": "nessuno dei {count} clienti che hanno acquistato nei 12 mesi prima del {date} ha smesso di "
        "acquistare nei 12 successivi: l'abbandono è troppo basso per misurarlo su questi ordini",
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
    "excel_store": {
        "en": "The Excel of this PC comes from the Microsoft Store ({path}): that edition cannot start the Python "
        'functions of an add-in (it reports "Could not activate Python COM server"). Uninstall it, install '
        'Microsoft 365 or Office from office.com (the "Install apps" button of your Microsoft account), then run '
        "install.ps1 again.",
        "it": "L'Excel di questo PC è la versione del Microsoft Store ({path}): questa versione non riesce ad avviare "
        'le funzioni Python di un componente aggiuntivo (segnala "Could not activate Python COM server"). '
        'Disinstallala, installa Microsoft 365 o Office da office.com (il pulsante "Installa app" del tuo account '
        "Microsoft), poi esegui di nuovo install.ps1.",
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
    "no_active_workbook": {
        "en": '"{button}" works on the transactions of the active workbook, but no workbook is active. Open the '
        "workbook with the transactions (if Excel shows it in Protected View, click Enable Editing), then press "
        '"{button}" again.',
        "it": 'Il pulsante "{button}" lavora sulle transazioni della cartella di lavoro attiva, ma nessuna cartella è '
        "attiva. Apri la cartella con le transazioni (se Excel la mostra in Visualizzazione protetta, fai clic su "
        'Abilita modifica), poi premi di nuovo "{button}".',
    },
    "no_active_workbook_cell": {
        "en": "no workbook was active while Excel calculated this cell (e.g. one in Protected View had the focus): "
        "press Ctrl+Alt+F9 to calculate again",
        "it": "nessuna cartella di lavoro era attiva mentre Excel calcolava questa cella (ad es. era in primo piano "
        "una cartella in Visualizzazione protetta): premi Ctrl+Alt+F9 per ricalcolare",
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
    "file_unreadable": {
        "en": "{path} cannot be read ({reason}): check that you may open it, or copy it to your documents",
        "it": "impossibile leggere {path} ({reason}): verifica di poterlo aprire, o copialo nei tuoi documenti",
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
        "it": "{path} rifiutato: decompresso occuperebbe {size} MB o più (una «bomba zip», non una cartella di lavoro)",
    },
    "file_xml_bomb": {
        "en": "{path} refused: part {part} declares XML entities (an XML bomb, not what Excel writes)",
        "it": "{path} rifiutato: la parte {part} dichiara entità XML (una bomba XML, non ciò che scrive Excel)",
    },
    "file_exists": {
        "en": "{path} already exists; choose another name or use --force to replace it",
        "it": "{path} esiste già; scegli un altro nome o usa --force per sostituirlo",
    },
    "file_same_as_input": {
        "en": "{path} is the input file {source} (the same file by another path): your data is never "
        "overwritten; choose another name",
        "it": "{path} è il file di partenza {source} (lo stesso file con un altro percorso): i tuoi dati non "
        "vengono mai sovrascritti; scegli un altro nome",
    },
    "file_folder_missing": {
        "en": "{path} cannot be written: the folder {folder} does not exist",
        "it": "impossibile scrivere {path}: la cartella {folder} non esiste",
    },
    "file_through_a_file": {
        "en": "{path} cannot be written: {folder} is a file, not a folder",
        "it": "impossibile scrivere {path}: {folder} è un file, non una cartella",
    },
    "file_no_permission": {
        "en": "{path} cannot be written: the folder {folder} is read-only or you may not write in it, or the "
        "file is open in another program (close it in Excel); choose another folder or close the file",
        "it": "impossibile scrivere {path}: la cartella {folder} è di sola lettura o non hai il permesso di "
        "scriverci, oppure il file è aperto in un altro programma (chiudilo in Excel); scegli un'altra cartella "
        "o chiudi il file",
    },
    "file_disk_full": {
        "en": "{path} was not written: the disk is full (an existing file is left as it was); free some space "
        "and try again",
        "it": "{path} non è stato scritto: il disco è pieno (un file esistente resta com'era); libera spazio e riprova",
    },
    "file_write_failed": {
        "en": "{path} was not written ({reason}); an existing file is left as it was",
        "it": "{path} non è stato scritto ({reason}); un file esistente resta com'era",
    },
    "file_interrupted": {
        "en": "{path} was not written: interrupted (an existing file is left as it was)",
        "it": "{path} non è stato scritto: interrotto (un file esistente resta com'era)",
    },
    # the report (clv_xl.report)
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
        "it": '"{value}" non è una data (scrivi ad es. 31/01/2024, o usa una cella in formato data)',
    },
    "tx_date_out_of_range": {
        "en": "{value} is not a date from 1900-01-01 to 2262-04-10 (Excel serial numbers 1 to 132319): "
        "a wrong year, or 0 from a failed lookup?",
        "it": "{value} non è una data dal 01/01/1900 al 10/04/2262 (numeri seriali di Excel da 1 a 132.319): "
        "un anno sbagliato, o lo 0 di una ricerca fallita?",
    },
    "tx_time_not_a_date": {
        "en": "{value} is a time of day without a date (a date cell holding 0 or a negative number, "
        "as a failed lookup gives)",
        "it": "{value} è un'ora senza data (una cella data che contiene 0 o un numero negativo, "
        "come dà una ricerca fallita)",
    },
    "tx_not_an_amount": {
        "en": '"{value}" is not an amount (write e.g. 1.234,56 or 1234.56)',
        "it": '"{value}" non è un importo (scrivi ad es. 1.234,56)',
    },
    "tx_amount_ambiguous": {
        "en": '"{value}" could be a thousand or a decimal: nothing else in the column tells whether the comma or '
        "the dot is the decimal separator (write e.g. 1500, 1.500,00 or 1,500.00)",
        "it": '"{value}" può essere un migliaio o un decimale: nient\'altro nella colonna dice se il separatore '
        "decimale è la virgola o il punto (scrivi ad es. 1500, 1.500,00 o 1,500.00)",
    },
    "tx_amount_too_large": {
        "en": "{value} is too large for an amount (more than 1e15 in absolute value: a typing error?)",
        "it": "{value} è troppo grande per un importo (oltre 1e15 in valore assoluto: un errore di battitura?)",
    },
    "tx_date_not_an_amount": {
        "en": "{value} is a date, not an amount (Excel turns 1/2 typed into a cell into a date: format the "
        "column as a number and type the amount again)",
        "it": "{value} è una data, non un importo (Excel trasforma 1/2 digitato in una cella in una data: "
        "formatta la colonna come numero e digita di nuovo l'importo)",
    },
    "tx_formula_not_computed": {
        "en": "the formula {value} has no computed value (the file was saved by a program that does not compute "
        "formulas: open it in Excel or LibreOffice and save it again)",
        "it": "la formula {value} non ha un valore calcolato (il file è stato salvato da un programma che non "
        "calcola le formule: aprilo in Excel o LibreOffice e salvalo di nuovo)",
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
        "it": "{source}: righe non leggibili: {count} (problemi: {bad_cells}); correggile o salta le righe errate",
    },
    "tx_more_problems": {
        "en": "... and {count} more",
        "it": "... e altri {count}",
    },
    "tx_no_header": {
        "en": "{source}: no header row with the columns {required} (found: {found})",
        "it": (
            "{source}: nessuna riga di intestazione con le colonne id_cliente, data e importo (vanno bene anche "
            "nomi come cliente, data_ordine, totale, o customer_id, date, amount); intestazioni trovate: {found}"
        ),
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
        "it": "nessuna transazione fino alla fine del periodo osservato ({value})",
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
    "tx_csv_encoding": {
        "en": "{source} is not text in an encoding that is read (it looks like {encoding}): save it from Excel "
        "as CSV UTF-8 (File > Save As)",
        "it": "{source} non è testo in una codifica leggibile (sembra {encoding}): salvalo da Excel come "
        "CSV UTF-8 (File > Salva con nome)",
    },
    "tx_csv_binary": {
        "en": "{source} holds NUL bytes: it is not a text (CSV) file, or its encoding is not read; save it from "
        "Excel as CSV UTF-8 (File > Save As)",
        "it": "{source} contiene byte NUL: non è un file di testo (CSV), o la sua codifica non è leggibile; "
        "salvalo da Excel come CSV UTF-8 (File > Salva con nome)",
    },
    "tx_xlsx_unreadable": {
        "en": "{source}: the workbook cannot be read ({reason})",
        "it": "{source}: la cartella di lavoro non è leggibile ({reason})",
    },
    "tx_xlsx_damaged": {
        "en": "{source} is damaged: a compressed part does not unpack ({reason}); open it in Excel, which may "
        "repair it, and save a copy",
        "it": "{source} è danneggiato: una parte compressa non si decomprime ({reason}); aprilo in Excel, che "
        "può ripararlo, e salvane una copia",
    },
    "tx_xlsx_password": {
        "en": "{source} is protected by a password: save a copy without it (File > Info > Protect)",
        "it": "{source} è protetto da password: salvane una copia senza (File > Informazioni > Proteggi)",
    },
    "tx_ranges": {
        "en": "the ranges have different numbers of rows: {sizes}",
        "it": "gli intervalli hanno un numero diverso di righe: {sizes}",
    },
    # the command line (clv_xl.cli_common: numbers typed as options)
    "cli_not_a_number": {
        "en": '"{value}" is not a number (write e.g. 0.35, 0,35 or 35%)',
        "it": '"{value}" non è un numero (scrivi ad es. 0,35 o 35%)',
    },
    "cli_at_least": {
        "en": "{value:g} is below {minimum:g}: give {minimum:g} or more",
        "it": "{value:g} è minore di {minimum:g}: indica {minimum:g} o più",
    },
    "cli_between": {
        "en": "{value:g} is not between {minimum:g} and {maximum:g} (a fraction or a percentage: 0.35 or 35%)",
        "it": "{value:g} non è compreso tra {minimum:g} e {maximum:g} (una frazione o una percentuale: 0,35 o 35%)",
    },
    "cli_churn_range": {
        "en": "{value:g} is not a yearly churn: give a share above 0 and at most 1 (e.g. 0.2 or 20% for a "
        "fifth of the customers lost each year)",
        "it": "{value:g} non è un tasso di abbandono annuo: indica una quota maggiore di 0 e al massimo 1 (ad es. "
        "0,2 o 20% se ogni anno si perde un cliente su cinque)",
    },
    "cli_churn_zero": {
        "en": "a yearly churn of 0 means that no customer ever leaves, so the lifespan would be endless: give a "
        "churn above 0 (e.g. 0.2 or 20%), or leave --churn out to have it estimated from the orders",
        "it": "un abbandono annuo pari a 0 vuol dire che nessun cliente se ne va mai, e la durata sarebbe "
        "infinita: indica un abbandono maggiore di 0 (ad es. 0,2 o 20%), oppure ometti --churn per stimarlo "
        "dagli ordini",
    },
    # fitted parameters given as a range without their labels (clv_xl.model_ranges.read_parameters)
    "model_parameters_count": {
        "en": "{argument}: expected the {expected} numbers {names} in this order, or the labelled table {function} "
        "spills (labels included); got {count} numbers without labels",
        "it": "{argument}: attesi i {expected} numeri {names} in quest'ordine, o la tabella con le etichette che "
        "restituisce {function} (etichette incluse); trovati {count} numeri senza etichette",
    },
    # a result of a formula beyond the largest number (clv_xl.core.checks.finish)
    "overflow": {
        "en": "{argument} is too large to compute: the result is beyond the largest number (about 1.8e308); "
        "check for a value far too large, or too close to 0",
        "it": "{argument} è troppo grande da calcolare: il risultato supera il numero più grande (circa 1,8e308); "
        "controlla se un valore è troppo grande, o troppo vicino a 0",
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
    """The message ``key`` in ``language`` with its placeholders filled in.

    In Italian, numbers are shown with a decimal comma (``valore 1,5``) and dates day
    first (``31/01/2024``): a date, or a text that is an ISO date (``2024-01-31``),
    unless the placeholder is quoted in the message (``"{value}"``: the user's own text,
    shown as typed).
    """
    texts = MESSAGES[key]
    template = texts.get(language, texts["en"])
    params = {name: value(language) if isinstance(value, Text) else value for name, value in params.items()}
    if language == "it":
        params = {name: _italian(value, quoted=f'"{{{name}}}"' in template) for name, value in params.items()}
    return template.format(**params)


#: Swaps the decimal point and the thousands separator of an English number.
_ITALIAN_SEPARATORS = str.maketrans({".": ",", ",": "."})
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?)?")


class _DecimalComma(float):
    """A float that formats with a decimal comma and ``.`` for thousands (``1.234,5``)."""

    def __format__(self, spec: str) -> str:
        return float(self).__format__(spec).translate(_ITALIAN_SEPARATORS)

    def __str__(self) -> str:
        return format(self, "")


def italian_date(value: date | datetime) -> str:
    """A date as Italians write it, ``31/01/2024`` (with ``10:30`` when it has a time of day)."""
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, datetime) and (value.hour, value.minute) != (0, 0):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def _italian(value: Any, quoted: bool) -> Any:
    """A message parameter as an Italian reader expects it (see :func:`message`)."""
    if isinstance(value, bool) or quoted:
        return value
    if isinstance(value, float):
        return _DecimalComma(value)
    if isinstance(value, date):
        return italian_date(value)
    if isinstance(value, str) and (iso := _ISO_DATE.fullmatch(value.strip())):
        year, month, day, time = iso.groups()
        return f"{day}/{month}/{year}" + (f" {time}" if time and time != "00:00" else "")
    return value
