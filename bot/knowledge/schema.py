"""The knowledge-base schema, defined once.

Moderators edit YAML by hand, so the schema is the user interface: the same
pydantic models validate the files, produce the friendly error messages, and
generate the JSON Schema that editors use for completion (`knowledge/schema/`).
Every model is frozen so that a loaded knowledge base cannot be changed behind
the engine's back.
"""

import copyreg
import datetime
import json
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.dataclasses import dataclass

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_ANSWER_CHARS = 500
MAX_QUESTION_CHARS = 200
MAX_QUOTE_CHARS = 1000
MIN_QUESTIONS = 3

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=64),
    Field(description="Lowercase words joined by hyphens, e.g. `turkiye-embassy-2017`."),
]


def text(max_length: int, description: str) -> type[str]:
    """A non-blank string of bounded length (blank fields are a common slip)."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        Field(description=description),
    ]


# Frozen, slotted dataclasses validated by pydantic: unknown keys are errors, and a
# loaded fact costs a few hundred bytes rather than a few KB (100k facts must fit).
record = dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))


@record
class Source:
    """One article kept verbatim in the seeds directory."""

    id: Slug
    title: text(200, "The article's headline, or a plain descriptive title if it has none.")
    publisher: text(200, "Who published the article, as the article itself shows it.")
    file: text(300, "Path of the article's text, relative to the seeds directory.")
    authors: tuple[text(200, "One author as the byline gives it."), ...] = Field(
        default=(), description="The byline, only as the article shows it."
    )
    published: datetime.date | None = Field(
        default=None, description="Publication date (YYYY-MM-DD), only if the article shows it."
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")] | None = Field(
        default=None, description="Language of the text, as a BCP 47 tag such as `en`."
    )
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)] | None = Field(
        default=None, description="Address of the original, only if known; never invented."
    )
    notes: text(1000, "Anything a moderator should know about this source.") | None = None


@record
class Citation:
    """A verbatim excerpt of a source; whitespace differences are tolerated."""

    source: Slug = Field(description="The id of a source in `sources.yaml`.")
    quote: text(MAX_QUOTE_CHARS, "Words copied exactly from the source's text.")


@record
class Fact:
    """One answerable fact: how people ask for it, the answer, and where it comes from."""

    id: Slug
    questions: tuple[text(MAX_QUESTION_CHARS, "One way a user would ask."), ...] = Field(
        min_length=MIN_QUESTIONS,
        description=f"At least {MIN_QUESTIONS} different phrasings, the way people type.",
    )
    not_questions: tuple[text(MAX_QUESTION_CHARS, "A question this fact must not answer."), ...] = Field(
        default=(),
        description="Near misses this fact must never answer (another entity, year or role), "
        "often taught from the question log: a question closer to one of these than to the "
        "fact's own phrasings gets no answer from this fact.",
    )
    answer: text(MAX_ANSWER_CHARS, "One to three self-contained sentences, in our own words.")
    citations: tuple[Citation, ...] = Field(min_length=1, description="At least one verbatim quote backing the answer.")
    tags: tuple[text(40, "A topic word."), ...] = ()
    related: tuple[Slug, ...] = Field(default=(), description="Ids of related facts.")


@record
class SourcesFile:
    """`knowledge/sources.yaml`."""

    sources: tuple[Source, ...] = Field(min_length=1)


@record
class FactsFile:
    """Any `knowledge/facts/*.yaml`."""

    facts: tuple[Fact, ...] = Field(min_length=1)


AliasTerm = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ContrastWord = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\S+$", max_length=40)]


@record
class AliasesFile:
    """`knowledge/aliases.yaml`: canonical term -> other spellings, names and translations."""

    aliases: dict[AliasTerm, tuple[AliasTerm, ...]] = Field(
        description="Each key is the canonical term; its list holds the other ways to say it."
    )


@record
class EntitiesFile:
    """`knowledge/entities.yaml`: the named things premise checks tell apart.

    A question naming Vietnam must not be answered by a fact about Türkiye, and an
    embassy "in Ankara" is not the one "in Vientiane". Each name is written as in
    `aliases.yaml` (its canonical term), whose spellings then count as the entity too.
    """

    countries: tuple[AliasTerm, ...] = Field(default=(), description="Countries, by their canonical name.")
    capitals: dict[AliasTerm, AliasTerm] = Field(
        default_factory=dict,
        description="Capital -> its country. After in/at/to a capital is a place; otherwise it "
        'stands for its country\'s government ("Ankara says").',
    )
    people: tuple[AliasTerm, ...] = Field(
        default=(), description="People named in the articles, and others people ask about (leaders)."
    )
    organisations: tuple[AliasTerm, ...] = Field(default=(), description="Organisations and agencies.")
    offices: tuple[AliasTerm, ...] = Field(
        default=(), description="Offices and titles (an answer naming one names a person)."
    )
    contrasts: tuple[Annotated[tuple[ContrastWord, ...], Field(min_length=2)], ...] = Field(
        default=(),
        description='Groups of words that exclude each other, such as ["full", "sectoral"]: a question '
        "saying one gets no answer from a fact that says another of its group and not it. Checked on "
        "the words as written, so an alias can never make one stand for another.",
    )


def _restored(kind: type, values: tuple) -> object:
    record = object.__new__(kind)
    for name, value in zip(kind.__slots__, values, strict=True):
        object.__setattr__(record, name, value)
    return record


def _pickled_quickly(kind: type) -> None:
    """The load cache pickles 100,000 facts; the dataclass default looks up every object's
    fields one by one, which was two thirds of the time it took."""
    names = tuple(kind.__slots__)
    copyreg.pickle(kind, lambda record: (_restored, (type(record), tuple(getattr(record, n) for n in names))))


for _kind in (Source, Citation, Fact):
    _pickled_quickly(_kind)


FILE_MODELS: dict[str, type] = {
    "sources": SourcesFile,
    "facts": FactsFile,
    "aliases": AliasesFile,
    "entities": EntitiesFile,
}


def json_schemas() -> dict[str, str]:
    """The editor schemas, as file name -> JSON text (committed under knowledge/schema/)."""
    return {
        f"{kind}.schema.json": json.dumps(TypeAdapter(model).json_schema(), indent=2, ensure_ascii=False) + "\n"
        for kind, model in FILE_MODELS.items()
    }


def write_json_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in json_schemas().items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
