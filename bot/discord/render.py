"""Answers as Discord embeds and buttons, always inside Discord's limits.

Only translation happens here: what to say is decided by the engine. User
text echoed back is markdown-escaped, and nothing here can ping anyone (every
send also passes AllowedMentions.none()).
"""

from __future__ import annotations

import discord

from ..console.render import citations_by_source, fact_title, source_byline
from ..engine.answer import Answer, Suggestion
from ..knowledge.loader import KnowledgeBase
from ..knowledge.schema import Fact

# https://discord.com/developers/docs/resources/message#embed-object-embed-limits
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
FIELD_COUNT_LIMIT = 25
CONTENT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80
CHOICE_LIMIT = 100
QUESTION_ECHO_LIMIT = 300

ANSWER_COLOUR = discord.Colour.from_rgb(206, 17, 38)  # the red of Laos' flag
UNSURE_COLOUR = discord.Colour.gold()
DECLINE_COLOUR = discord.Colour.light_grey()
NO_MENTIONS = discord.AllowedMentions.none()
FACT_BUTTON_PREFIX = "qa:fact:"

GREETING = "Ask me a question about Laos' foreign relations: I answer from the articles below and quote them."

def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis, keeping the start."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def echo(user_text: str, limit: int = QUESTION_ECHO_LIMIT) -> str:
    """A user's words shown back: one line, shortened, markdown and mentions defused."""
    flat = " ".join(user_text.split())
    return discord.utils.escape_mentions(discord.utils.escape_markdown(clip(flat, limit)))


def answer_embed(answer: Answer, kb: KnowledgeBase) -> discord.Embed:
    if answer.status == "answered" and answer.facts:
        ids = " + ".join(fact.id for fact in answer.facts)
        footer = f"fact {ids} · confidence {answer.confidence:.0%}"
        if len(answer.facts) == 1 and not answer.corrects_claim:
            return fact_embed(answer.facts[0], kb, footer)
        return _cited_embed(clip(echo(answer.question), TITLE_LIMIT), answer.text, answer.facts, kb, footer)
    if answer.status == "clarify":
        embed = discord.Embed(
            title="Did you mean…",
            description=f"I'm not sure which of these you mean by “{echo(answer.question)}”. Pick one below.",
            colour=UNSURE_COLOUR,
        )
        return _with_suggestion_list(embed, answer.suggestions)
    return decline_embed(answer, kb)


def decline_embed(answer: Answer, kb: KnowledgeBase) -> discord.Embed:
    asked = f"“{echo(answer.question)}”" if answer.question.strip() else "that"
    embed = discord.Embed(
        title="Sorry, I don't know that",
        description=f"The articles I have don't answer {asked}.",
        colour=DECLINE_COLOUR,
    )
    if answer.nothing_asked:
        embed = discord.Embed(title="Hi!", description=GREETING, colour=UNSURE_COLOUR)
    if answer.suggestions:
        _with_suggestion_list(embed, answer.suggestions, heading="Maybe one of these helps")
    topics = "\n".join(f"• {source.title}" for source in kb.sources)
    about = clip(f"Laos' foreign relations, from:\n{topics}", FIELD_VALUE_LIMIT)
    embed.add_field(name="What I know about", value=about, inline=False)
    return fit(embed)


def fact_embed(fact: Fact, kb: KnowledgeBase, footer: str) -> discord.Embed:
    """A fact as users see it: the question, our answer, then each quote with its source."""
    return _cited_embed(clip(fact_title(fact), TITLE_LIMIT), fact.answer, (fact,), kb, footer)


def _cited_embed(title: str, text: str, facts: tuple[Fact, ...], kb: KnowledgeBase, footer: str) -> discord.Embed:
    """The answer, then each quote of every fact it rests on, grouped under its source."""
    embed = discord.Embed(title=title, description=clip(text, DESCRIPTION_LIMIT), colour=ANSWER_COLOUR)
    groups = [group for fact in facts for group in citations_by_source(fact)]
    for source_id, quotes in groups[: FIELD_COUNT_LIMIT - 1]:
        source = kb.source(source_id)
        credit = "— " + source_byline(source_id, kb)
        quoted = "\n".join("> " + discord.utils.escape_markdown(q) for q in quotes)
        value = clip(quoted, FIELD_VALUE_LIMIT - len(credit) - 1) + "\n" + clip(credit, FIELD_VALUE_LIMIT // 2)
        name = clip(source.title if source else source_id, FIELD_NAME_LIMIT)
        embed.add_field(name=name, value=clip(value, FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=clip(footer, FOOTER_LIMIT))
    return fit(embed)


def _with_suggestion_list(
    embed: discord.Embed, suggestions: tuple[Suggestion, ...], heading: str = "Candidates"
) -> discord.Embed:
    lines = "\n".join(f"{n}. {s.question}" for n, s in enumerate(suggestions, 1))
    embed.add_field(name=heading, value=clip(discord.utils.escape_markdown(lines), FIELD_VALUE_LIMIT), inline=False)
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Enforce the 6,000-character total by shortening the longest parts first."""
    while len(embed) > EMBED_TOTAL_LIMIT:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        longest = max(range(len(embed.fields)), key=lambda i: len(embed.fields[i].value), default=None)
        description = embed.description or ""
        if longest is not None and len(embed.fields[longest].value) >= len(description):
            field = embed.fields[longest]
            value = clip(field.value, max(1, len(field.value) - excess - 1))
            embed.set_field_at(longest, name=field.name, value=value, inline=field.inline)
        else:
            embed.description = clip(description, max(1, len(description) - excess - 1))
    return embed


def button_label(text: str) -> str:
    return clip(" ".join(text.split()), BUTTON_LABEL_LIMIT)


class FactButton(discord.ui.DynamicItem[discord.ui.Button], template=r"qa:fact:(?P<fact_id>[a-z0-9-]{1,64})"):
    """A button that shows one fact; it works after restarts since the id is in custom_id."""

    def __init__(self, fact_id: str, label: str = "Show") -> None:
        super().__init__(
            discord.ui.Button(
                label=button_label(label), style=discord.ButtonStyle.secondary, custom_id=FACT_BUTTON_PREFIX + fact_id
            )
        )
        self.fact_id = fact_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: object
    ) -> FactButton:
        return cls(match["fact_id"], item.label or "Show")  # type: ignore[index]

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("Knowledge")  # type: ignore[attr-defined]
        if cog is not None:
            await cog.show_fact(interaction, self.fact_id)


VOTE_TEMPLATE = r"qa:vote:(?P<vote>up|down):(?P<question>[0-9]{1,18})"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_TEMPLATE):
    """👍 or 👎 under an answer, tied to the logged question (not to who asked it)."""

    def __init__(self, question_id: int, up: bool) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if up else "👎",
                style=discord.ButtonStyle.secondary,
                row=1,
                custom_id=f"qa:vote:{'up' if up else 'down'}:{question_id}",
            )
        )
        self.question_id = question_id
        self.up = up

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: object
    ) -> VoteButton:
        return cls(int(match["question"]), match["vote"] == "up")  # type: ignore[index]

    async def callback(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("Knowledge")  # type: ignore[attr-defined]
        if cog is not None:
            await cog.record_vote(interaction, self.question_id, self.up)


def answer_view(answer: Answer, question_id: int | None = None) -> discord.ui.View | None:
    """Buttons: related facts under an answer (and 👍/👎 when the question was logged),
    candidates or suggestions otherwise; at most 5 a row."""
    if answer.status == "answered":
        targets = [(fact.id, fact_title(fact)) for fact in answer.related]
    else:
        targets = [(s.fact_id, s.question) for s in answer.suggestions]
    votes = answer.status == "answered" and question_id is not None
    if not targets and not votes:
        return None
    view = discord.ui.View(timeout=None)
    for fact_id, label in targets[:5]:
        view.add_item(FactButton(fact_id, label))
    if votes:
        view.add_item(VoteButton(question_id, up=True))
        view.add_item(VoteButton(question_id, up=False))
    return view
