"""Explanations as translatable messages, without Flask.

The engine says what it understood in Vietnamese, but English pages must say it in
English, and this package may not import Flask. So an explanation is a tree of
:class:`Msg`: a Vietnamese msgid with named placeholders ("hạn chót %(due)s (trước ngày
%(named)s)") and its parameters, which are numbers, dates already written as digits
("14/02"), the document's own words (a holiday's name, "đợt 1") or other messages.
``str(msg)`` is the Vietnamese sentence; ``msg.render(gettext)`` the sentence in the
reader's language (tracker/i18n.py does that). Each msgid is written as ``N_("…", …)``:
``N_`` is a keyword of babel.cfg, so ``pybabel extract`` puts it in the catalogue.

Separators ("; ", ", ") are the same in both languages; :func:`joined` keeps them out of the
msgids, and :func:`capitalized` / :func:`uncapitalized` change the first letter after
translation, as sentence position requires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Translate = Callable[[str], str]


def _same(msgid: str) -> str:
    return msgid


class Msg:
    """A msgid and its parameters; hashable, so it can sit in the engine's frozen values.

    A plain class with slots rather than a frozen dataclass: the engine makes one for every
    slot it considers, and a frozen dataclass's ``__init__`` costs twice as much."""

    __slots__ = ("msgid", "params")

    def __init__(
        self, msgid: str, params: tuple[tuple[str, str | int | Msg | Joined | Cased], ...] = ()
    ) -> None:
        self.msgid = msgid
        self.params = params

    def render(self, translate: Translate = _same) -> str:
        text = translate(self.msgid)
        if not self.params:
            return text
        return text % {
            name: value if isinstance(value, int) else render(value, translate)
            for name, value in self.params
        }

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Msg({self.msgid!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        return hash((self.msgid, self.params))


@dataclass(frozen=True, slots=True)
class Joined:
    """Parts with a separator between them ("; ", ", ", " và ")."""

    separator: str
    parts: tuple[str | int | Msg | Joined | Cased, ...]

    def render(self, translate: Translate = _same) -> str:
        return self.separator.join(render(part, translate) for part in self.parts)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class Cased:
    """A part whose first letter is raised (``upper``) or lowered after translation."""

    part: str | int | Msg | Joined | Cased
    upper: bool

    def render(self, translate: Translate = _same) -> str:
        text = render(self.part, translate)
        return (text[:1].upper() if self.upper else text[:1].lower()) + text[1:]

    def __str__(self) -> str:
        return self.render()


Text = Msg | Joined | Cased
Piece = str | int | Msg | Joined | Cased


def N_(msgid: str, /, **params: Piece) -> Msg:
    """A message: the msgid is extracted for translation, the parameters filled in later."""
    return Msg(msgid, tuple(params.items()) if params else ())


def render(part: Piece, translate: Translate = _same) -> str:
    """Any part of an explanation as text: messages translated, the rest as written."""
    if isinstance(part, str):
        return part
    if isinstance(part, int):
        return str(part)
    return part.render(translate)


def joined(separator: str, parts: Iterable[Piece]) -> Joined:
    return Joined(separator, tuple(parts))


def capitalized(part: Piece) -> Cased:
    return Cased(part, True)


def uncapitalized(part: Piece) -> Cased:
    return Cased(part, False)


def is_empty(part: Piece | None) -> bool:
    """Does this part say nothing? (An empty join, an empty string.)"""
    if part is None or part == "":
        return True
    if isinstance(part, Joined):
        return all(is_empty(p) for p in part.parts)
    return False
