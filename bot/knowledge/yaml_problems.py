"""What is wrong with a YAML file, said at the line a moderator has to fix.

PyYAML reports some slips far from their cause (an unclosed quote is noticed
dozens of lines later) and raises plain Python errors for values it cannot
build (a 5,000-digit number, the 31st of February). Both become a YamlProblem
at the right line here, so no traceback ever reaches a moderator.
"""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor

MAX_NUMBER_DIGITS = 1000  # Python refuses to convert more than 4,300; no fact needs more than a few
_INT_TAG = "tag:yaml.org,2002:int"
_BUILT_TAGS = frozenset(("tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", _INT_TAG))


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML data; `line` is 1-based (0 = whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def check_scalar(node: yaml.ScalarNode) -> None:
    """Build numbers and dates one by one, so that a value Python refuses is named at its line."""
    if node.tag not in _BUILT_TAGS:
        return
    line = node.start_mark.line + 1
    digits = sum(character.isdigit() for character in node.value)
    if node.tag == _INT_TAG and digits > MAX_NUMBER_DIGITS:
        raise YamlProblem(line, f"a number of {digits:,} digits is too long (put it in quotes if it is text)")
    try:
        SafeConstructor().construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError) as error:
        kind = node.tag.rsplit(":", 1)[-1]
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        raise YamlProblem(line, f"{shown!r} is not a valid {kind} ({error}); put it in quotes if it is text") from None


def syntax_problem(text: str, error: yaml.MarkedYAMLError) -> YamlProblem:
    """A syntax error at the line that causes it: for an unclosed quote, the line it opens on."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 0
    opened = _unclosed_quote_line(text, error)
    if opened is not None and opened != line:
        return YamlProblem(opened, f"YAML syntax error: the quote that opens on this line is never closed "
                                   f"(the parser only noticed at line {line}: {error.problem})")
    return YamlProblem(line, f"YAML syntax error: {error.problem or error}")


def _unclosed_quote_line(text: str, error: yaml.MarkedYAMLError) -> int | None:
    """The first line of a quoted value that runs on to where parsing failed.

    A quote left open swallows the following lines up to the next quote
    character of its kind, and the parser only complains there.
    """
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        return error.context_mark.line + 1
    if error.problem_mark is None:
        return None
    failed = error.problem_mark.line
    culprit = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > failed:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and token.start_mark.line < token.end_mark.line == failed:
                culprit = token.start_mark.line + 1
    except yaml.YAMLError:
        pass  # the tokens up to the error are all that is needed
    return culprit
