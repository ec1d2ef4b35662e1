"""Discord mentions in a question's text, replaced by what they are, never whose they are.

`<@123…>` in a stored question would keep a user id, `<@&…>` a role and `<#…>` a
channel: the question log promises none of these. The text keeps its shape
("ask @user about it") so the moderators' reports still read naturally.
"""

from __future__ import annotations

import re

_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")
_PLACEHOLDER = {"@": "@user", "@!": "@user", "@&": "@role", "#": "#channel"}


def scrub_mentions(text: str) -> str:
    return _MENTION.sub(lambda match: _PLACEHOLDER[match.group(1)], text)
