"""Every reload a running bot makes (/kb reload, /kb teach, a saved file) goes through here.

Reloading reads and checks files, so it runs off the event loop; each outcome is logged
with what triggered it, and the last failure is remembered for /kb stats.
"""

from __future__ import annotations

import asyncio
import logging

from .live import LiveKnowledge, ReloadResult

log = logging.getLogger(__name__)


class Reloader:
    def __init__(self, live: LiveKnowledge) -> None:
        self.live = live
        self.last_problems: tuple[str, ...] = ()  # of the last reload: empty once one succeeds again

    async def reload(self, trigger: str) -> ReloadResult:
        result = await asyncio.to_thread(self.live.reload)
        self.last_problems = tuple(str(p) for p in result.problems)
        if result.ok:
            log.info("knowledge reloaded (%s): %d facts in %.2f s", trigger, result.facts, result.seconds)
        else:
            log.error(
                "knowledge reload failed (%s); still serving %d facts:\n%s",
                trigger,
                result.facts,
                "\n".join(self.last_problems),
            )
        return result
