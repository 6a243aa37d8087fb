"""Every word the tool writes for people to read in its documents (the report, the methods
appendix, the review document, the coding copy, results.xlsx and the figures), per language.

    tx = Texts(study.config.study.language)
    tx("report.title", title="...")      # "Resultaten: ..." for nl, "Results: ..." for en
    tx.of_n(8, 13)                        # "8 van n=13" / "8 of n=13"

Dutch and English are written out; any other language falls back to English (a test keeps the
two tables' keys and placeholders identical). Vocabulary values (channels, interview modes,
attribute values) have their labels in the study's config (`StudyConfig.label`), not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tasks.core.texts.en import ENGLISH
from tasks.core.texts.nl import DUTCH

TEXTS: dict[str, dict[str, str]] = {"en": ENGLISH, "nl": DUTCH}
# The language tag Word marks text with (w:lang), so that it spell-checks in the study's language.
LOCALES = {"en": "en-GB", "nl": "nl-NL", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT"}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
DECIMAL_COMMA = frozenset({"nl", "de", "fr", "es", "it"})


@dataclass(frozen=True)
class Texts:
    """The texts of one language; `language` as the study configures it ("nl", "en", "de", "en-US")."""

    language: str

    @property
    def code(self) -> str:
        """The primary language subtag: "en-US" -> "en"."""
        return self.language.split("-")[0].split("_")[0].lower()

    @property
    def written(self) -> str:
        """The language the texts are written in: the study's, or English as the fallback."""
        return self.code if self.code in TEXTS else "en"

    @property
    def locale(self) -> str:
        """The tag for Word's w:lang: the study's language (its content: quotes, transcripts, codes)."""
        if "-" in self.language:
            return self.language
        return LOCALES.get(self.code, self.code or "en-GB")

    def __call__(self, key: str, **values: object) -> str:
        template = TEXTS[self.written].get(key)
        if template is None:
            template = ENGLISH[key]
        return template.format(**values) if values else template

    def get(self, key: str, default: str) -> str:
        """The text for `key` if there is one (e.g. a column's label), else `default`."""
        return self(key) if key in ENGLISH else default

    def number(self, value: float, digits: int = 2) -> str:
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if self.code in DECIMAL_COMMA else text

    def percent(self, share: float, digits: int = 1) -> str:
        return f"{self.number(100 * share, digits)}%"

    def of_n(self, count: int, n: int) -> str:
        """The thesis's "N of n": "8 of n=13" / "8 van n=13"."""
        return self("of_n", count=count, n=n)

    def date(self, day: dt.date | str) -> str:
        """A long date in the study's language ("3 april 2024"); ISO where no month names are known."""
        day = dt.date.fromisoformat(day) if isinstance(day, str) else day
        months = MONTHS.get(self.code)
        return f"{day.day} {months.split()[day.month - 1]} {day.year}" if months else day.isoformat()

    def listing(self, items: list[str]) -> str:
        """Items joined with commas; "none" when there are none."""
        return ", ".join(items) or self("none")


def readable(label: str, value: str) -> str:
    """A vocabulary value's label as shown: a value without a declared label reads without its
    underscores ("in_person" -> "in person")."""
    return value.replace("_", " ") if label == value else label
