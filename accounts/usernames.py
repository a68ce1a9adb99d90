"""Readable usernames from real names, for accounts a teacher creates in bulk.

Students type these on phones and Chromebooks, so they are plain lower-case
ASCII: accents are dropped (Zoë -> zoe), Korean names are romanised
syllable by syllable (김민준 -> gimminjun), and a name with nothing we can
spell in ASCII falls back to "student".
"""

import re
import unicodedata

MAX_BASE_LENGTH = 20
FALLBACK_BASE = "student"

# Revised Romanization of Korean, letter by letter (without the sound-change
# rules between syllables: a readable username needs no more).
_HANGUL_FIRST = 0xAC00
_HANGUL_LAST = 0xD7A3
_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
_FINALS = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip


def romanise_hangul(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            index = code - _HANGUL_FIRST
            initial, rest = divmod(index, 21 * 28)
            vowel, final = divmod(rest, 28)
            out.append(_INITIALS[initial] + _VOWELS[vowel] + _FINALS[final])
        else:
            out.append(ch)
    return "".join(out)


def to_ascii(text: str) -> str:
    text = romanise_hangul(text)
    # A few letters that do not decompose into a base letter plus accents.
    text = text.translate(str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                                         "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "ı": "i"}))
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def username_base(name: str) -> str:
    """The readable part of a username for this name: "Zoë Smith" -> "zoe.smith"."""
    words = [re.sub(r"[^a-z0-9]", "", word) for word in to_ascii(name).lower().split()]
    words = [word for word in words if word]
    base = ".".join(words)[:MAX_BASE_LENGTH].strip(".")
    if not base or not base[0].isalpha():
        base = FALLBACK_BASE + base if base else FALLBACK_BASE
    return base[:MAX_BASE_LENGTH].strip(".")


def unique_usernames(bases: list[str], taken: set[str]) -> list[str]:
    """One username per base, unique among themselves and not in `taken`
    (compared in lower case): the first "zoe" stays "zoe", the next is "zoe2"."""
    taken = {name.lower() for name in taken}
    result = []
    for base in bases:
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        result.append(candidate)
    return result
