"""The articles clv_xl is built on, named as a reader can find them: title and publisher.

Every text that says where a formula or a figure comes from (the templates' Read-me
sheets and notes, the function reference, ``clv-xl demo``) cites the articles through
:func:`cite`, so a user reads the article's title and who published it, never an
internal number. The keys (``"000"`` ... ``"004"``) are the numbers the code and the
tests use for the articles (:attr:`clv_xl.examples.Example.document`).
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.i18n import Language, Text

__all__ = ["SOURCES", "Source", "cite", "source"]


@dataclass(frozen=True)
class Source:
    """One article: its title as published (Italian), its publisher and what clv_xl takes from it.

    ``short`` is a name of a few words for narrow places (a table column).
    """

    key: str
    title: str
    publisher: Text
    short: Text
    contributes: Text

    def citation(self, language: Language) -> str:
        """``«Title» (publisher)`` in Italian, ``"Title" (publisher)`` in English."""
        quoted = f"«{self.title}»" if language == "it" else f'"{self.title}"'
        return f"{quoted} ({self.publisher(language)})"


SOURCES: tuple[Source, ...] = (
    Source(
        "000",
        "Strategie per un Customer Lifetime Value efficace nel B2B",
        Text("blog of the author of “Sveglia, PMI!”", "blog dell'autore di «Sveglia, PMI!»"),
        Text("B2B article", "articolo B2B"),
        Text(
            "CLV = (APV × ACL) − CAC and its two worked examples (29000 € and 38000 €); small changes in a "
            "component change CLV a lot; segment customers by value.",
            "CLV = (APV × ACL) − CAC e i suoi due esempi (29000 € e 38000 €); piccole variazioni di un "
            "componente cambiano molto il CLV; segmentare i clienti per valore.",
        ),
    ),
    Source(
        "001",
        "Cos'è il customer lifetime value e perché è cruciale per le microimprese",
        Text("article for micro-businesses, publisher not stated", "articolo per microimprese, editore non indicato"),
        Text("micro-business article", "articolo microimprese"),
        Text(
            "The prospect lifetime value: the spend on prospects that stayed leads counts too.",
            "Il valore del potenziale cliente (prospect lifetime value): conta anche la spesa sui contatti "
            "che non sono diventati clienti.",
        ),
    ),
    Source(
        "002",
        "Qual è il Customer Lifetime Value (CLV) della mia azienda?",
        Text("Responsify", "Responsify"),
        Text("Responsify", "Responsify"),
        Text(
            "The step-by-step method: APV, purchases per customer, customer value, lifespan, CLV minus the "
            "acquisition cost; per segment, then weighted.",
            "Il metodo passo passo: valore medio di acquisto, acquisti per cliente, valore del cliente, durata, "
            "CLV meno il costo di acquisizione; per segmento, poi ponderato.",
        ),
    ),
    Source(
        "003",
        "Customer Lifetime Value: cos'è e cosa devi conoscere",
        Text("blog on digitalisation", "blog sulla digitalizzazione"),
        Text("digitalisation blog", "blog digitalizzazione"),
        Text(
            "CLV from the profit, after the cost of the product (the margin); a forecast must account for "
            "purchase frequency.",
            "Il CLV dal profitto, dopo il costo del prodotto (il margine); una previsione deve tenere conto "
            "della frequenza di acquisto.",
        ),
    ),
    Source(
        "004",
        "Come incrementare il valore dei clienti",
        Text(
            "Parise Advisory, after M. Schrage, Harvard Business Review 2017",
            "Parise Advisory, da M. Schrage, Harvard Business Review 2017",
        ),
        Text("Parise Advisory", "Parise Advisory"),
        Text(
            "Customer value is more than purchases (ideas, referrals, data shared); no formula.",
            "Il valore del cliente va oltre gli acquisti (idee, passaparola, dati condivisi); nessuna formula.",
        ),
    ),
)


def source(key: str) -> Source:
    """The article ``key`` (``"000"`` ... ``"004"``)."""
    for candidate in SOURCES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def cite(*keys: str, notes: tuple[Text, ...] = ()) -> Text:
    """The citations of the articles ``keys`` in both languages, separated by semicolons.

    ``notes`` (one per key, optional) says what is taken from each article:
    ``«Title» (publisher): what``.
    """

    def one(language: Language) -> str:
        parts = []
        for index, key in enumerate(keys):
            citation = source(key).citation(language)
            note = notes[index](language) if index < len(notes) else ""
            parts.append(f"{citation}: {note}" if note else citation)
        return "; ".join(parts)

    return Text(one("en"), one("it"))
