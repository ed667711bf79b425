"""Which rows of two versions of a plan are the same row: for amendments and duplicates.

Similarity is :class:`difflib.SequenceMatcher`'s ratio on the titles folded (NFC, case,
spacing, punctuation). difflib is in the standard library and a plan has tens of rows, not
thousands, so rapidfuzz's speed would buy nothing here (and it is not installed).

A revised plan (kế hoạch sửa đổi, bổ sung) keeps most rows' numbers within their group and
rewords some titles: a row is first matched by its number within its group when the titles
are still alike, then by title alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Protocol

# The same number in the same group, titles at least this alike: the same row.
SAME_REF_RATIO = 0.4
# Numbers moved (a row inserted above): titles at least this alike are the same row.
SAME_TITLE_RATIO = 0.7
# A reworded copy: rows at least this alike count as the same text…
COPY_ROW_RATIO = 0.8
# …and a document whose rows are at least this share of the same text is a copy.
COPY_SHARE = 0.9

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


class Row(Protocol):
    @property
    def ref(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def group(self) -> str | None: ...


def fold(text: str | None) -> str:
    """The text as compared: composed, lower case, no punctuation, single spaces."""
    value = unicodedata.normalize("NFC", text or "").casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", value)).strip()


def similarity(left: str, right: str) -> float:
    """How alike two titles are, 0..1 (already folded)."""
    if left == right:
        return 1.0
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    if matcher.real_quick_ratio() < SAME_REF_RATIO or matcher.quick_ratio() < SAME_REF_RATIO:
        return matcher.quick_ratio()
    return matcher.ratio()


def match_rows(old: Sequence[Row], new: Sequence[Row]) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index): matched rows, then old rows alone (removed), then new
    rows alone (added); each list in document order."""
    old_titles = [fold(r.title) for r in old]
    new_titles = [fold(r.title) for r in new]
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    by_ref: dict[tuple[str, str], int] = {}
    for i, row in enumerate(old):
        by_ref.setdefault((fold(row.group), fold(row.ref)), i)
    for j, row in enumerate(new):
        i = by_ref.get((fold(row.group), fold(row.ref)))
        if i is None or i in pairs or not fold(row.ref):
            continue
        if similarity(old_titles[i], new_titles[j]) >= SAME_REF_RATIO:
            pairs[i] = j
            taken.add(j)
    # What is left is matched by title alone, the most alike first.
    candidates = sorted(
        ((similarity(old_titles[i], new_titles[j]), i, j)
         for i in range(len(old)) if i not in pairs
         for j in range(len(new)) if j not in taken),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for ratio, i, j in candidates:
        if ratio < SAME_TITLE_RATIO:
            break
        if i in pairs or j in taken:
            continue
        pairs[i] = j
        taken.add(j)
    matched: list[tuple[int | None, int | None]] = [
        (i, j) for j, i in sorted((j, i) for i, j in pairs.items())
    ]
    removed: list[tuple[int | None, int | None]] = [
        (i, None) for i in range(len(old)) if i not in pairs
    ]
    added: list[tuple[int | None, int | None]] = [
        (None, j) for j in range(len(new)) if j not in taken
    ]
    return matched + removed + added


def copy_share(old_titles: Sequence[str], new_titles: Sequence[str]) -> float:
    """The share of rows (of the longer list) that have a near-identical row in the other."""
    left = [fold(t) for t in old_titles]
    right = [fold(t) for t in new_titles]
    if not left or not right:
        return 0.0
    free = list(range(len(right)))
    same = 0
    for title in left:
        best = max(free, key=lambda j: similarity(title, right[j]), default=None)
        if best is not None and similarity(title, right[best]) >= COPY_ROW_RATIO:
            same += 1
            free.remove(best)
    return same / max(len(left), len(right))


def is_copy(old_titles: Sequence[str], new_titles: Sequence[str]) -> bool:
    return copy_share(old_titles, new_titles) >= COPY_SHARE
