"""Private replies to a slash command or a button: a short message, or an apology instead of a traceback.

Both cogs reply this way, so Discord's 2,000-character limit, the no-pings rule and
"a failure shows the user one kind line, the log gets the traceback" live in one place.
"""

from __future__ import annotations

import contextlib
import logging

import discord

from .render import CONTENT_LIMIT, NO_MENTIONS, clip

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again."


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short private (ephemeral) message, as the response or, after a defer, as a follow-up."""
    text = clip(text, CONTENT_LIMIT)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def apologise(interaction: discord.Interaction, error: Exception) -> None:
    """A command failed: log the traceback for developers, tell the user only that it failed."""
    log.exception("command failed", exc_info=error)
    with contextlib.suppress(discord.HTTPException):
        await tell(interaction, SORRY)
