"""A word-by-word difference between two versions of an answer, as safe HTML."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    """Words and the whitespace between them, so that joining them gives the text back."""
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """`new` with words added shown in <ins> and words removed in <del>; every piece escaped."""
    before, after = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(after[b1:b2])))
            continue
        removed = "".join(before[a1:a2])
        added = "".join(after[b1:b2])
        if removed.strip():
            parts.append(f'<del class="diff-del">{escape(removed)}</del>')
        elif removed:
            parts.append(escape(removed))
        if added.strip():
            parts.append(f'<ins class="diff-ins">{escape(added)}</ins>')
        elif added:
            parts.append(escape(added))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def has_changes(old: str, new: str) -> bool:
    return _tokens(old) != _tokens(new)
