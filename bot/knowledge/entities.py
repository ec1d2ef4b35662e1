"""Typed entities: which country, capital, person, organisation or office a text names.

Aliases make "Ankara" and "Türkiye" the same word, which is right for matching and
wrong for premises: "Laos's embassy in Ankara" is not "Türkiye's embassy in
Vientiane". So entities are found on the folded text before aliases apply, each
with its type and whether it is named as a place (after "in", "at", "to"...). A
capital after such a word is a place; anywhere else it stands for its country's
government ("Ankara wants...").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .normalize import AliasTable, canonical_token, fold
from .schema import EntitiesFile

COUNTRY, PERSON, ORGANISATION, OFFICE = "country", "person", "organisation", "office"

# Words after which a country or capital is where something happens, in the languages
# people ask in (folded: Vietnamese "ở"/"tại"/"đến", French "à"/"au", Russian "в", Arabic "في"/"إلى").
PLACE_WORDS = frozenset(
    "in at to into inside visit visits visited visiting toward towards tai o den sang au en в во في الى".split()
)
# Languages that write the place word onto the name, or beside it with no space, mark a place
# there instead (folded): Chinese and Thai before it (在万象, ในเวียงจันทน์), Korean at the end of
# the word found (비엔티안에, 앙카라에서; after a Latin name, the next word: "Ankara에"), Japanese
# right after it (ビエンチャンに) unless that is "about", "for", "toward" or "by" (について,
# にとって, に対して, による), Hindi as the next word (में).
_PLACE_MARKS_BEFORE = tuple(fold("在 于 於 ใน").split())
_PLACE_PARTICLES_KOREAN = tuple(fold("에 에서 로 으로").split())
_PLACE_PARTICLES_JAPANESE = tuple(fold("で に へ").split())
_NO_PLACE_JAPANESE = tuple(fold("について にとって に対 によ").split())
_PLACE_WORDS_AFTER = frozenset((*_PLACE_PARTICLES_KOREAN, fold("में")))
# "and" between two countries ("Vietnam and Laos sign"; "&" and "+" fold away): what
# follows is the pair's. English, Vietnamese, French, German, Spanish, Italian/Portuguese,
# Turkish, Russian, Indonesian/Malay.
_PAIRING_WORDS = frozenset(fold("and or và et und y e ve и dan").split())
# "To" after these relates rather than places: "closer to Laos", "key to ASEAN", "according to Hanoi".
_RELATING_BEFORE_TO = frozenset(
    "close closer closest key similar according due next compared relative related important committed "
    "linked tied ties relations attention gateway door entry access bridge partner partners".split()
)


def names_a_place(before: list[str]) -> bool:
    """Whether a country or capital after these words (the text before it, split) is where
    something happens, rather than who acts."""
    if not before or before[-1] not in PLACE_WORDS:
        return False
    return not (before[-1] == "to" and len(before) > 1 and before[-2] in _RELATING_BEFORE_TO)


def placed(folded: str, start: int, end: int) -> bool:
    """Whether the country or capital found at `folded[start:end]` is where something happens:
    after a place word ("in Ankara"), or marked as a place where other languages mark it."""
    before, found, after = folded[:start].rstrip(), folded[start:end], folded[end:].lstrip()
    next_word = after.split(maxsplit=1)[0] if after else ""
    return (
        names_a_place(before.split()[-2:])
        or before.endswith(_PLACE_MARKS_BEFORE)
        or found.endswith(_PLACE_PARTICLES_KOREAN)
        or (after.startswith(_PLACE_PARTICLES_JAPANESE) and not after.startswith(_NO_PLACE_JAPANESE))
        or next_word in _PLACE_WORDS_AFTER
    )


@dataclass(frozen=True)
class Mention:
    entity: str  # the entity's token (a capital: its country's)
    kind: str
    place: bool
    name: str  # the token named (a capital: its own)


@dataclass(frozen=True)
class EntityTable:
    spellings: AliasTable  # every spelling -> the entity's own token
    # Plain dicts (the index is pickled into the load cache); never changed after build.
    kind_of: Mapping[str, str]  # entity token -> kind
    country_of: Mapping[str, str]  # capital token -> its country's token
    contrast_group: Mapping[str, int]  # a contrast word, uninflected -> its group's number

    @classmethod
    def build(cls, entities: EntitiesFile, aliases: Iterable[tuple[str, Iterable[str]]]) -> EntityTable:
        variants = dict(aliases)
        kinds = {name: COUNTRY for name in (*entities.countries, *entities.capitals)}
        kinds |= {name: PERSON for name in entities.people}
        kinds |= {name: ORGANISATION for name in entities.organisations}
        kinds |= {name: OFFICE for name in entities.offices}
        spellings = AliasTable.build([(name, variants.get(name, ())) for name in kinds])
        country_of = {canonical_token(c): canonical_token(k) for c, k in entities.capitals.items()}
        kind_of = {canonical_token(name): kind for name, kind in kinds.items()}
        groups = {_contrast_key(word): number for number, group in enumerate(entities.contrasts) for word in group}
        return cls(spellings, kind_of, country_of, groups)

    def mentions(self, folded: str) -> list[Mention]:
        """The entities named in a folded text, in no particular order."""
        found = []
        spans = list(self.spellings.find(folded))
        paired = self.paired(folded, spans)
        for token, start, end in spans:
            before = folded[:start].split()[-2:]
            place = placed(folded, start, end) and start not in paired
            token = self._compound(before[-1:], token)
            found.append(Mention(self.country_of.get(token) or token, self.kind_of[token], place, token))
        return found

    def paired(self, folded: str, spans: list[tuple[str, int, int]]) -> set[int]:
        """Where a country is named next to another ("Turkey–Laos relations", "lao viet
        trade", "Vietnam and Laos sign"): the pair is what the words around it belong to, neither country alone. The
        starts of both countries of every such pair."""
        countries = [(start, end) for token, start, end in spans if self.kind_of.get(token) == COUNTRY]
        if len(countries) < 2:
            return set()
        countries.sort()
        paired = set()
        for (start, end), (next_start, _) in itertools.pairwise(countries):
            between = folded[end:next_start].split() if end <= next_start else ["-"]
            if not between or (len(between) == 1 and between[0] in _PAIRING_WORDS):
                paired |= {start, next_start}
        return paired

    def _compound(self, before: list[str], token: str) -> str:
        """ "deputy FM" names the deputy foreign minister: a word before a name that makes it
        another listed name ("deputy" + "foreign minister") is part of it, though no alias
        spells the two together."""
        longer = self.spellings.canonical_of.get(f"{before[0]} {token}") if before else None
        return longer if longer in self.kind_of else token

    def contrasts(self, folded: str) -> frozenset[tuple[int, str]]:
        """(group, word) for each word of a contrast group that a folded text says."""
        if not self.contrast_group:
            return frozenset()
        groups = self.contrast_group
        keys = (word if word in groups else _uninflected(word) for word in set(folded.split()))
        return frozenset((groups[key], key) for key in keys if key in groups)


def _contrast_key(word: str) -> str:
    return _uninflected(fold(word))


def _uninflected(word: str) -> str:
    """A contrast word without its inflection ("exports", "exported" -> "export"). Not a full
    stem: Snowball makes "association" and "associate" one word, and they do not contrast."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def entity_problems(entities: EntitiesFile) -> list[tuple[tuple, str]]:
    """(YAML path, message) for each inconsistency: a name under two types, a capital of
    a country that is not listed."""
    problems = []
    seen: dict[str, str] = {}
    groups = {
        "countries": entities.countries,
        "capitals": tuple(entities.capitals),
        "people": entities.people,
        "organisations": entities.organisations,
        "offices": entities.offices,
    }
    for group, names in groups.items():
        for number, name in enumerate(names):
            where = (group, name) if group == "capitals" else (group, number)
            key = canonical_token(name)
            if seen.setdefault(key, group) != group:
                problems.append((where, f"{name!r} is listed under both {seen[key]} and {group}"))
    problems += _contrast_problems(entities.contrasts)
    countries = {canonical_token(name) for name in entities.countries}
    for capital, country in entities.capitals.items():
        if canonical_token(country) not in countries:
            problems.append((("capitals", capital), f"{country!r} is not listed under countries"))
    return problems


def _contrast_problems(groups: tuple[tuple[str, ...], ...]) -> list[tuple[tuple, str]]:
    """A word in two contrast groups (or twice in one) would contradict itself."""
    problems = []
    seen: dict[str, int] = {}
    for number, group in enumerate(groups):
        for place, word in enumerate(group):
            if seen.setdefault(_contrast_key(word), number) != number or group.index(word) != place:
                problems.append((("contrasts", number, place), f"{word!r} is in more than one place in contrasts"))
    return problems
