"""How the questions the bot was asked since it started turned out, for /kb stats.

In memory only, a running tally (so not frozen): the question log keeps the history.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..engine.answer import Answer


@dataclass
class Counters:
    started: float = field(default_factory=time.time)
    answered: int = 0
    clarified: int = 0
    declined: int = 0

    def record(self, answer: Answer) -> None:
        if answer.status == "answered":
            self.answered += 1
        elif answer.status == "clarify":
            self.clarified += 1
        else:
            self.declined += 1
