"""Where a second question starts in one message ("when is To Lam heading to Laos | and who
invited him?"), in the languages people ask in.

Two stages read it: `parts.py` answers each question alone, and `two_facts.py` checks that
a pair of facts answers both halves. They must split a message at the same place.
"""

from __future__ import annotations

import re

# The words a question opens with, as people type them; then the question words of German,
# French, Spanish, Italian, Portuguese, Turkish, Indonesian, Vietnamese and Russian, with and
# without their accents ("Wann besucht To Lam Laos | und wer hat ihn eingeladen?").
_OPENS_A_QUESTION = (
    r"(?:what|whats|wats|wat|wtf|which|who|whom|whose|whos|how|hows|when|whens|where|wheres|why|"
    r"did|does|do|is|are|was|were|has|have|can|could|"
    r"wer|wann|wo|wie|warum|welche[rsnm]?|qui|quand|où|comment|pourquoi|combien|quel(?:le)?s?|"
    r"qui[eé]n|qui[eé]nes|cu[aá]ndo|d[oó]nde|c[oó]mo|cu[aá]nt[oa]s?|chi|quando|dove|perch[eé]|quant[oiae]|quem|onde|"
    r"kim|ne zaman|nerede|neden|siapa|kapan|berapa|mengapa|kenapa|ai|kh[iì] n[aà]o|bao gi[oờ]|t[aạ]i sao|"
    r"кто|когда|где|почему|сколько)\b"
)
# Joining words: and, also, but, plus; und, et, y, e, ve, dan, và, и.
_JOINS = r"(?:and|also|but|plus|&|\+|und|et|y|e|ve|dan|v[aà]|и)"
# Before the question word: "and since when", "and in which year", ", and now when", "and
# separately what", "and secondly who".
_LEAD_IN = (
    r"(?:(?:also|then|so|now|since|in|for|from|by|at|to|with|of|on|separately|additionally|secondly|second|"
    r"besides|finally|lastly|tell me|tell us|give me|explain)\s+)?"
)
# After a question mark, a comma or semicolon, or a joining word, at a word that opens a
# question. "Vietnam and Laos" is one subject.
SECOND_STARTS = re.compile(
    rf"(?:\?+\s*|\s*[,;]\s*(?:{_JOINS}\s+)?|\s+{_JOINS}\s+){_LEAD_IN}(?={_OPENS_A_QUESTION})|"
    # "name the FM who visited | and also the name of the initiative": a second thing asked for
    r"\s+and also\s+(?=(?:the|a|an|his|her|their|its)\s)|"
    # "... recently right? | and now to lam is going to laos when?": a second question ending in one
    rf"\?+\s+(?:(?:and|also|but|so)\s+)?(?=[^?]*\b{_OPENS_A_QUESTION}[^?]*\?)",
    re.IGNORECASE,
)


def two_questions(text: str) -> tuple[str, str] | None:
    """The question before and after where a second one starts, or None. A message opening
    with "and" ("and is he also the first ...") is one follow-up question."""
    split = SECOND_STARTS.search(text)
    if split is None or not text[: split.start()].strip(" ,;?!."):
        return None
    return text[: split.start()], text[split.end() :]
