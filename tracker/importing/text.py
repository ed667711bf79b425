"""Vietnamese text repair: syllable structure, spaced-apart PDF text, comparison keys.

PDF extraction often spaces a Vietnamese word apart ("PH Ụ   L Ụ C", "Vĩnh B ả o").
We repair it from what a Vietnamese syllable can be (an optional onset, a rhyme built
from a vowel nucleus and an optional coda, at most one tone mark) instead of a list of
words: pieces are glued back only when they cannot stand alone and together they make one
valid syllable.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

# Combining tone marks: huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}

_ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)  # fmt: skip

# Nucleus (with its medial glide, if any) → the codas it takes; "" = open syllable.
_RHYME_TABLE: dict[str, tuple[str, ...]] = {
    "a": ("", "i", "o", "u", "y", "c", "ch", "m", "n", "ng", "nh", "p", "t"),
    "ă": ("c", "m", "n", "ng", "p", "t"),
    "â": ("c", "m", "n", "ng", "p", "t", "u", "y"),
    "e": ("", "o", "c", "m", "n", "ng", "p", "t"),
    "ê": ("", "u", "ch", "m", "n", "nh", "p", "t"),
    "i": ("", "a", "u", "ch", "m", "n", "nh", "p", "t"),
    "iê": ("c", "m", "n", "ng", "p", "t", "u"),
    "yê": ("c", "m", "n", "ng", "p", "t", "u"),
    "y": ("", "ch", "n", "nh", "p", "t"),
    "o": ("", "i", "c", "m", "n", "ng", "p", "t"),
    "oo": ("c", "ng"),
    "ô": ("", "i", "c", "m", "n", "ng", "p", "t"),
    "ơ": ("", "i", "m", "n", "p", "t"),
    "u": ("", "a", "i", "y", "c", "m", "n", "ng", "p", "t"),
    "uô": ("c", "i", "m", "n", "ng", "t"),
    "ư": ("", "a", "i", "u", "c", "m", "n", "ng", "t"),
    "ươ": ("c", "i", "m", "n", "ng", "p", "t", "u"),
    "oa": ("", "i", "y", "c", "ch", "m", "n", "ng", "nh", "p", "t"),
    "oă": ("c", "m", "n", "ng", "t"),
    "oe": ("", "o", "n", "t"),
    "uâ": ("n", "ng", "t", "y"),
    "uê": ("", "ch", "n", "nh"),
    "uơ": ("",),
    "uy": ("", "a", "u", "ch", "n", "nh", "p", "t"),
    "uyê": ("n", "t"),
}
_RHYMES = frozenset(nucleus + coda for nucleus, codas in _RHYME_TABLE.items() for coda in codas)

_OPENING = "([{“‘\"'"
_CLOSING = ")]}”’\"'.,;:!?…"


def strip_tone(word: str) -> tuple[str, int]:
    """The word in lower case without its tone marks, and how many tone marks it had."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    bare = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", bare), tones


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) is one well-formed Vietnamese syllable."""
    if not word or not word.isalpha():
        return False
    bare, tones = strip_tone(word)
    if tones > 1:
        return False
    if bare.endswith(("p", "t", "c", "ch")) and not _sharp_or_heavy(word):
        return False  # a syllable closed by p, t, c, ch takes only the sắc or nặng tone
    for onset in _ONSETS:
        if bare.startswith(onset) and _spelled_right(onset, bare[len(onset) :]):
            return True
    # "gi" + a rhyme that starts with i ("gìn" = gi + in) is spelled with a single i.
    return bare.startswith("gi") and ("i" + bare[2:]) in _RHYMES


def _sharp_or_heavy(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return any(ch in ("\u0301", "\u0323") for ch in decomposed)


def _spelled_right(onset: str, rhyme: str) -> bool:
    if rhyme not in _RHYMES:
        return False
    if rhyme.startswith("iê"):  # without an onset it is written "yê" ("yêu", not "iêu")
        return onset != ""
    if rhyme.startswith("yê"):
        return onset in ("", "qu")
    if rhyme.startswith("y") and rhyme != "y":  # "quýnh", "quých", "quýt"
        return onset == "qu"
    return True


def _core(token: str) -> str:
    return token.lstrip(_OPENING).rstrip(_CLOSING)


@lru_cache(maxsize=16384)
def _is_weak(token: str) -> bool:
    """A piece of letters that cannot be a syllable by itself ("PH", "C", "ng")."""
    return token.isalpha() and not is_syllable(token)


def _can_join(tokens: list[str]) -> bool:
    first, last = tokens[0], tokens[-1]
    inner = [first.lstrip(_OPENING), *tokens[1:-1], last.rstrip(_CLOSING)]
    if len(tokens) == 1 or not all(part.isalpha() for part in inner):
        return False
    if first.rstrip(_CLOSING) != first or last.lstrip(_OPENING) != last:
        return False
    if not any(_is_weak(part) for part in inner) and not _lone_vowel_split(inner):
        return False
    return is_syllable("".join(inner))


def _lone_vowel_split(parts: list[str]) -> bool:
    """ "Ủ y", "ủ y": a vowel carrying its tone mark, cut from the one plain letter that
    ends its syllable. Both pieces read as syllables, but a lone toned vowel followed by a
    lone plain letter is how extraction breaks "Ủy", never how words are written."""
    if len(parts) != 2:
        return False
    first, last = parts
    return (
        len(first) == 1
        and first.isalpha()
        and strip_tone(first)[1] == 1
        and len(last) == 1
        and last.lower() in "aeiouy"
        and (last.islower() or first.isupper())
    )


_MAX_PIECES = 5


def _blind_gaps(group: list[str]) -> int:
    """Gaps with a plain ASCII letter on both sides.

    Extraction breaks words next to the letters that carry diacritics ("Th ự c"), so a
    join across an ASCII-only gap ("c hi ệ n") is the less likely reading.
    """
    return sum(
        1 for left, right in itertools.pairwise(group) if left[-1].isascii() and right[0].isascii()
    )


def join_syllables(line: str) -> str:
    """Glue syllables that extraction spaced apart; whitespace is collapsed.

    Only the stretches around a piece that cannot stand alone (or a lone toned vowel
    before a letter) can change: a glued word holds at most ``_MAX_PIECES`` pieces, one of
    them such a piece, so each stretch is read on its own and the rest is left as written.
    """
    tokens = line.split()
    marked = [i for i, t in enumerate(tokens) if _marks(t)]
    marked += [
        i
        for i, (a, b) in enumerate(itertools.pairwise(tokens))
        if len(a) <= 2 and len(b) <= 2 and _lone_vowel_split([_core(a), _core(b)])
    ]
    if not marked:
        return " ".join(tokens)
    reach = _MAX_PIECES - 1
    inside = [False] * len(tokens)
    for i in marked:
        for j in range(max(0, i - reach), min(len(tokens), i + reach + 2)):
            inside[j] = True
    out: list[str] = []
    start = 0
    while start < len(tokens):
        end = start
        while end < len(tokens) and inside[end] == inside[start]:
            end += 1
        stretch = tokens[start:end]
        out.extend(_best_reading(stretch) if inside[start] else stretch)
        start = end
    return " ".join(out)


@lru_cache(maxsize=65536)
def _marks(token: str) -> bool:
    return _is_weak(_core(token)) or _is_weak(token)


def _best_reading(tokens: list[str]) -> list[str]:
    n = len(tokens)
    # best[i]: the cheapest reading of tokens[i:] and its words. Cost, in order: pieces
    # left unjoined, words, gaps bridged between two plain ASCII letters.
    # Last, among equals: the reading that puts a lone toned vowel back with the plain
    # letter after it ("Đảng ủy" rather than "Đả ngủy").
    best: list[tuple[tuple[int, int, int, int], list[str]]] = [((0, 0, 0, 0), [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        (orphans, groups, gaps, starts), words = best[i + 1]
        orphan = 1 if _is_weak(_core(tokens[i])) else 0
        choice = ((orphans + orphan, groups + 1, gaps, starts), [tokens[i], *words])
        for size in range(2, min(_MAX_PIECES, n - i) + 1):
            group = tokens[i : i + size]
            if not _can_join(group):
                continue
            (orphans, groups, gaps, starts), words = best[i + size]
            lone = -1 if _lone_vowel_split([_core(t) for t in group]) else 0
            cost = (orphans, groups + 1, gaps + _blind_gaps(group), starts + lone)
            if cost < choice[0]:
                choice = (cost, ["".join(group), *words])
        best[i] = choice
    return best[0][1]


_DOC_NUMBER = re.compile(r"(\d+)\s*/\s*([A-ZĐ]{1,6})\s*-\s*([A-ZĐ]{2,8})\b")
_DOC_NUMBER_PREFIXED = re.compile(r"\b(\d+)\s*-\s*([A-ZĐ]{1,5})\s*/\s*([A-ZĐ]{1,8})\b")
_DATE = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\b")
_SPACE_BEFORE = re.compile(r"\s+([)\],;:.!?”])")
_SPACE_AFTER = re.compile(r"([(\[“])\s+")


@lru_cache(maxsize=16384)
def repair(text: str) -> str:
    """Whitespace, spaced-apart syllables, document numbers and dates put right."""
    text = unicodedata.normalize("NFC", text)
    text = join_syllables(text)
    text = _DOC_NUMBER.sub(r"\1/\2-\3", text)
    text = _DOC_NUMBER_PREFIXED.sub(r"\1-\2/\3", text)
    text = _DATE.sub(r"\1/\2/\3", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_AFTER.sub(r"\1", text)


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """A comparison key for one word: lower case, tone moved to a trailing digit.

    "Hòa" and "Hoà" (old and new tone placement) fold to the same key; "Giang" and
    "Giàng" do not.
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = "".join(_TONES[ch] for ch in decomposed if ch in _TONES)
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return bare + tone


_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """A comparison key for a phrase: folded words joined by single spaces, punctuation gone."""
    return " ".join(fold_word(w) for w in _WORD.findall(unicodedata.normalize("NFC", text)))


_OLD_STYLE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_OLD_STYLE_RE = re.compile("|".join(_OLD_STYLE), re.IGNORECASE)


def old_style_tones(text: str) -> str:
    """Tone marks placed the way our documents place them: "Hoà" → "Hòa", "Thuỷ" → "Thủy".

    Only open syllables change ("hoàn" keeps its mark on the a).
    """

    def swap(match: re.Match[str]) -> str:
        end = match.end()
        if end < len(text) and text[end].isalpha():
            return match.group(0)
        found = match.group(0)
        replaced = _OLD_STYLE[found.lower()]
        return "".join(
            r.upper() if f.isupper() else r for f, r in zip(found, replaced, strict=True)
        )

    return _OLD_STYLE_RE.sub(swap, unicodedata.normalize("NFC", text))
