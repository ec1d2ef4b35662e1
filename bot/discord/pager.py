"""Long moderator reports as pages of embeds, turned with ◀ ▶ by the moderator who asked."""

from __future__ import annotations

import discord

from .render import DESCRIPTION_LIMIT, NO_MENTIONS, clip

PAGER_TIMEOUT_SECONDS = 600


async def send_pages(interaction: discord.Interaction, title: str, lines: list[str], empty: str, per_page: int) -> None:
    """A long list as embeds of `per_page` lines, with ◀ ▶ buttons when there is more than one."""
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[empty]]
    pages = [
        discord.Embed(title=title, description=clip("\n".join(chunk), DESCRIPTION_LIMIT)).set_footer(
            text=f"page {number} of {len(chunks)}"
        )
        for number, chunk in enumerate(chunks, 1)
    ]
    view = Pager(pages, interaction.user.id) if len(pages) > 1 else discord.utils.MISSING
    await interaction.followup.send(embed=pages[0], view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)


class Pager(discord.ui.View):
    """◀ ▶ through report pages; only for the moderator who asked."""

    def __init__(self, pages: list[discord.Embed], owner_id: int) -> None:
        super().__init__(timeout=PAGER_TIMEOUT_SECONDS)
        self.pages = pages
        self.owner_id = owner_id
        self.current = 0

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.current = (self.current + step) % len(self.pages)
        await interaction.response.edit_message(embed=self.pages[self.current], view=self)

    @discord.ui.button(label="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self._turn(interaction, 1)
