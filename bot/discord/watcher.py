"""Reload whenever a knowledge or article file is saved (the same keep-the-old rule as /kb reload).

Nothing ends it but cancelling: a failed reload is logged and the next save is watched
as before, and if watching itself fails it starts again.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from .reloader import Reloader

log = logging.getLogger(__name__)

WATCH_RETRY_SECONDS = 5.0


def watched_paths(kb_dir: Path, seeds_dir: Path | None) -> list[Path]:
    """The knowledge and its articles (beside it unless set), those that exist: awatch refuses missing paths."""
    return [path for path in (kb_dir, seeds_dir or kb_dir / ".." / "seeds") if path.exists()]


async def reload_on_save(reloader: Reloader) -> None:
    from watchfiles import awatch  # imported only when watching starts: KB_WATCH=0 never loads it

    while True:
        paths = watched_paths(reloader.live.kb_dir, reloader.live.seeds_dir)  # again each time: one may appear
        try:
            async for _changes in awatch(*paths, recursive=True):
                await reloader.reload("file change")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("file watcher failed; watching again in %.0f s", WATCH_RETRY_SECONDS)
        await asyncio.sleep(WATCH_RETRY_SECONDS)
