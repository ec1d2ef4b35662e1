"""One question per person every few seconds, however they ask (/ask, a mention or a DM).

discord.py's cooldown buckets do the counting (and forget idle people, so memory stays
bounded); they are keyed here by user id because messages carry `.author` while
interactions carry `.user`, and one person must share one bucket across both.
"""

from __future__ import annotations

from discord.ext import commands

COOLDOWN_SECONDS = 3.0


class UserCooldown:
    def __init__(self, seconds: float = COOLDOWN_SECONDS) -> None:
        self._buckets: commands.CooldownMapping[int] = commands.CooldownMapping.from_cooldown(1, seconds, _same_id)

    def retry_after(self, user_id: int, now: float | None = None) -> float | None:
        """None when this person may ask (their wait starts now), else the seconds they have left."""
        return self._buckets.update_rate_limit(user_id, now)


def _same_id(user_id: int) -> int:
    """The bucket key: the user id itself."""
    return user_id
