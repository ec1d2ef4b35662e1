"""Warnings about aliases that are valid but will likely misfire.

Every variant in a question is replaced by its canonical term, in Latin script as a whole word. A
short part of a name ("Trung" for Le Hoai Trung) is therefore dangerous when it is
also an everyday word in a language people ask in ("trung ương", central) or a word
of another term's alias ("thương mại", trade): every such question then speaks of
the person. These are warnings, not errors: only the moderator knows whether the
short form is worth it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from .normalize import fold
from .yamlfile import YamlProblem, read_yaml

COMMON_WORD_ZIPF = 4.0  # "trung" is 6.3 in Vietnamese, "Cường" 5.2; rare surnames are near 0
LANGUAGES = {"en": "English", "vi": "Vietnamese", "tr": "Turkish", "fr": "French", "ru": "Russian"}


@dataclass(frozen=True)
class AliasWarning:
    """One doubtful alias, at its line, and the other place involved if there is one."""

    path: str
    line: int
    term: str
    message: str

    def __str__(self) -> str:
        return f"warning: {self.path}:{self.line}: {self.term}: {self.message}"


@dataclass(frozen=True)
class _Variant:
    term: str
    text: str
    folded: str
    line: int


def alias_warnings(aliases_path: Path) -> list[AliasWarning]:
    """Short name parts that are common words or words of another term's alias."""
    try:
        document = read_yaml(aliases_path)
    except (OSError, YamlProblem):
        return []  # validation reports a broken or missing file
    aliases = document.data.get("aliases") if isinstance(document.data, dict) else None
    if not isinstance(aliases, dict):
        return []
    variants = [
        _Variant(str(term), str(text), fold(str(text)), document.line_of(("aliases", term, number)))
        for term, texts in aliases.items()
        if isinstance(texts, list)
        for number, text in enumerate(texts)
    ]
    warnings = []
    for variant in variants:
        if not _is_name_part(variant):
            continue
        warnings += _common_word(variant, str(aliases_path))
        warnings += [
            AliasWarning(
                str(aliases_path), variant.line, variant.term,
                f"{variant.text!r} is a short part of a name and also a word of {other.text!r} ({other.term}, "
                f"line {other.line}): that word in any other phrase of a question will mean {variant.term}",
            )
            for other in variants
            if other.term != variant.term and variant.folded in other.folded.split() and " " in other.folded
        ]
    return warnings


def _is_name_part(variant: _Variant) -> bool:
    """A one-word alias of a name of several words (capitalized, like "To Lam"); not an acronym
    such as "EU", which is meant to stand for the whole."""
    one_word = len(variant.folded.split()) == 1 and not variant.text.isupper()
    return one_word and variant.term[:1].isupper() and len(variant.term.split()) > 1


def _common_word(variant: _Variant, path: str) -> list[AliasWarning]:
    for code, language in LANGUAGES.items():
        if zipf_frequency(variant.text, code) >= COMMON_WORD_ZIPF:
            message = (
                f"{variant.text!r} is a short part of a name and a common word in {language}: every "
                f"{variant.folded!r} in a question will mean {variant.term}; prefer the full name"
            )
            return [AliasWarning(path, variant.line, variant.term, message)]
    return []
