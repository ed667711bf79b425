"""A cursor over a phrase's tokens, shared by the grammar's clause recognisers."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.cadence.lexicon import is_year
from tracker.cadence.spec import Spec
from tracker.cadence.tokens import T, Token


class Cursor:
    """Position in the token list and the :class:`Spec` being filled in."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.texts = tuple(token.text for token in tokens)
        self.pos = 0
        self.spec = Spec()

    def at(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def words_at(self, offset: int, seq: Sequence[str]) -> bool:
        """Whether the tokens from pos+offset spell ``seq`` (words or punctuation)."""
        i = self.pos + offset
        return i >= 0 and self.texts[i : i + len(seq)] == tuple(seq)

    def take(self, *sequences: Sequence[str]) -> bool:
        """Consume the first of ``sequences`` found at pos."""
        pos, texts = self.pos, self.texts
        if pos >= len(texts):
            return False
        first = texts[pos]
        for seq in sequences:
            # most sequences differ in their first word: compare it before slicing
            if seq[0] == first and texts[pos : pos + len(seq)] == tuple(seq):
                self.pos += len(seq)
                return True
        return False

    def word(self, offset: int = 0) -> str:
        token = self.at(offset)
        return token.text if token is not None and token.type is T.WORD else ""

    def _year(self) -> int:
        token = self.tokens[self.pos]
        self.pos += 1
        return token.value

    def _month_number(self) -> int | None:
        token = self.at()
        if token is not None and token.type is T.NUM and 1 <= token.value <= 12:
            self.pos += 1
            return token.value
        return None

    def _year_after_nam(self) -> int | None:
        """The year of "6 tháng đầu năm 2026", whose "năm" was read with the period."""
        return self._year() if is_year(self.at()) else self._trailing_year()

    def _trailing_year(self) -> int | None:
        """ "/2026", "-2026", ".2026", "năm 2026" after a day, month or quarter."""
        if (self.words_at(0, ("/",)) or self.words_at(0, ("-",)) or self.words_at(0, (".",))) \
                and is_year(self.at(1)):
            self.pos += 1
            return self._year()
        if self.words_at(0, ("năm",)) and is_year(self.at(1)):
            self.pos += 1
            return self._year()
        return None
