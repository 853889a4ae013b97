"""Find the fact a question asks for inside a quoted sentence: a number with its noun, a date,
a place, a person or role. The rules are about Indonesian and English grammar, not about any
one article, so they hold for articles added later.
"""

import re
from collections.abc import Callable

from pydantic import BaseModel

from bot.question import QuestionType
from index.lexical import Tokenizer

_MONTHS = (
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|"
    "January|February|March|May|June|July|August|October|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Agu|Aug|Sep|Sept|Okt|Oct|Nov|Des|Dec"
)
_WEEKDAYS = "Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER_WORDS = (
    "satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|"
    "puluhan|ratusan|ribuan|jutaan|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "dozens|hundreds|thousands|millions"
)
_NUMBER = rf"(?:\d{{1,3}}(?:[.,]\d{{3}})+|\d+(?:[.,]\d+)?|\b(?:{_NUMBER_WORDS})\b)"
_SCALE = r"(?:\s+(?:puluh|ratus|ribu|juta|miliar|triliun|hundred|thousand|million|billion|persen|percent|%))?"
# A noun phrase after a number stops at punctuation or a function word.
_STOP_WORDS = (
    "yang|dan|atau|di|ke|dari|untuk|dengan|pada|dalam|akan|telah|sudah|ini|itu|tersebut|lagi|"
    "which|that|and|or|of|in|on|at|to|for|with|were|was|are|is|have|has|had"
)
_NOUN = rf"(?:\s+(?!(?:{_STOP_WORDS})\b)[\w-]+)"
NUMBER_PHRASE = re.compile(rf"{_NUMBER}{_SCALE}{_NOUN}{{0,3}}", re.IGNORECASE)
DATE = re.compile(
    rf"(?:(?:{_WEEKDAYS}),?\s+)?\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|(?:{_MONTHS})\s+\d{{4}}"
    r"|\b(?:pukul|jam)\s+\d{1,2}[.:]\d{2}(?:\s+(?:WIB|WITA|WIT|UTC))?"
    r"|\b(?:tahun\s+)?(?:19|20)\d{2}\b",
)
_CAPITALIZED = r"[A-Z][\w'-]*"
_CONNECTOR = r"(?:\s+(?:dan|and|of|de|van|bin|binti|al)\s+|\s+)"
NAME = re.compile(rf"{_CAPITALIZED}(?:{_CONNECTOR}{_CAPITALIZED})*")
PLACE = re.compile(rf"\b(?:di|ke|dari|in|at|to|from)\s+({_CAPITALIZED}(?:\s+{_CAPITALIZED})*)")
AGENT = re.compile(rf"\b(?:oleh|by)\s+({_CAPITALIZED}(?:{_CONNECTOR}{_CAPITALIZED})*)")
_CONTEXT_CHARS = 60


class Fact(BaseModel):
    """The asked-for fact and where it stands in the sentence (character offsets)."""

    text: str
    start: int
    end: int


def find_fact(sentence: str, question_type: QuestionType, question_terms: set[str], tokenizer: Tokenizer) -> Fact | None:
    """The fact of this type closest to the question's words, or None if the sentence has none."""
    candidates = _CANDIDATES.get(question_type, _no_candidates)(sentence)
    if not candidates:
        return None
    start, end = max(candidates, key=lambda span: _closeness(sentence, span, question_terms, tokenizer))
    text = sentence[start:end].rstrip(" ,.;:")
    return Fact(text=text, start=start, end=start + len(text))


def has_fact(sentence: str, question_type: QuestionType) -> bool:
    """Whether the sentence holds a fact of the asked type (types without one always do)."""
    finder = _CANDIDATES.get(question_type)
    return finder is None or bool(finder(sentence))


def _numbers(sentence: str) -> list[tuple[int, int]]:
    dates = [m.span() for m in DATE.finditer(sentence)]
    return [m.span() for m in NUMBER_PHRASE.finditer(sentence) if not _inside(m.span(), dates)]


def _dates(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in DATE.finditer(sentence)]


def _places(sentence: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in PLACE.finditer(sentence)]


def _people(sentence: str) -> list[tuple[int, int]]:
    agents = [m.span(1) for m in AGENT.finditer(sentence)]
    if agents:
        return agents
    # Sentence-initial capitals are grammar, not names; single words are often just nouns.
    return [m.span() for m in NAME.finditer(sentence) if m.start() > 0 and " " in m.group()]


def _no_candidates(sentence: str) -> list[tuple[int, int]]:
    return []


_CANDIDATES: dict[QuestionType, Callable[[str], list[tuple[int, int]]]] = {
    QuestionType.how_many: _numbers,
    QuestionType.when: _dates,
    QuestionType.where: _places,
    QuestionType.who: _people,
}


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in others)


def _closeness(sentence: str, span: tuple[int, int], terms: set[str], tokenizer: Tokenizer) -> tuple[int, int]:
    """How many question words stand near the candidate; earlier candidates win ties."""
    before = sentence[max(0, span[0] - _CONTEXT_CHARS) : span[0]]
    after = sentence[span[1] : span[1] + _CONTEXT_CHARS // 2]
    inside = sentence[span[0] : span[1]]
    near = set(tokenizer.tokens(before + " " + inside + " " + after))
    return len(near & terms), -span[0]
