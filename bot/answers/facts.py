"""Whether a sentence holds the kind of fact a question asks for: a number with its noun, a date,
a place, a person or role (the gate and the ranking use it; the trained reader finds the fact
itself). The rules are about Indonesian and English grammar, not about any one article, so they
hold for articles added later.
"""

import re
from collections.abc import Callable

from bot.answers.question import AskedDetail, QuestionType
from index.lexical import root_words

_MONTHS = (
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|"
    "January|February|March|May|June|July|August|October|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Agu|Aug|Sep|Sept|Okt|Oct|Nov|Des|Dec"
)
_WEEKDAYS = (
    "Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
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
_FULL_MONTHS = (
    "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember|"
    "January|February|March|May|June|July|August|October|December"
)
# "pada bulan November", "akhir Oktober", "in March": a month without a day is a date too.
MONTH_PHRASE = re.compile(
    rf"\b(?:(?:(?i:awal|akhir|pertengahan|early|late|mid|the end of|end of|the beginning of))\s+)?"
    rf"(?:(?i:bulan)\s+)?(?:{_FULL_MONTHS})\b(?:\s+\d{{4}})?"
)
TIME_CLAUSE = re.compile(
    r"\b(?:hingga|sampai|setelah|sesudah|sebelum|sejak|selama|until|after|before|since|during)"
    r"(?:\s+[\w-]+){1,6}",
    re.IGNORECASE,
)
_CAPITALIZED = r"[A-Z][\w'-]*"
_CONNECTOR = r"(?:\s+(?:dan|and|of|de|van|bin|binti|al)\s+|\s+)"
NAME = re.compile(rf"{_CAPITALIZED}(?:{_CONNECTOR}{_CAPITALIZED})*")
# The preposition may open the sentence ("Di Jakarta, ..."); the name after it is capitalized.
PLACE = re.compile(rf"\b(?i:di|ke|dari|in|at|to|from)\s+({_CAPITALIZED}(?:\s+{_CAPITALIZED})*)")
AGENT = re.compile(rf"\b(?i:oleh|by)\s+({_CAPITALIZED}(?:{_CONNECTOR}{_CAPITALIZED})*)")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
CLOCK_TIME = re.compile(
    r"\b(?:pukul|jam)\s+\d{1,2}(?:[.:]\d{2})?\b(?:\s+(?:WIB|WITA|WIT|UTC|GMT|pagi|siang|sore|malam))?"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:WIB|WITA|WIT|UTC|GMT|[ap]\.?m\.?)"
    r"|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)",
    re.IGNORECASE,
)
DURATION = re.compile(
    rf"{_NUMBER}\s+(?:tahun|bulan|minggu|pekan|hari|jam|menit|detik|"
    r"years?|months?|weeks?|days?|hours?|minutes?)\b"
    r"|\b(?:selama|sepanjang|for)\s+(?:[\w-]+\s+){0,2}(?:tahun|bulan|minggu|pekan|hari|jam|menit|"
    r"years?|months?|weeks?|days?|hours?|minutes?)\b",
    re.IGNORECASE,
)
# Capitalized words that are titles or institutions, not names: English ones ("Foreign Minister",
# "Security Council") and Indonesian abbreviations; other Indonesian words come from Sastrawi's
# dictionary of root words ("Menteri Luar Negeri", "Dewan Keamanan").
_TITLE_WORDS = frozenset(
    "president presidential vice prime minister ministry foreign secretary general council security "
    "defence defense national state department king queen governor mayor chancellor ambassador envoy "
    "spokesperson spokesman adviser advisor aide chief head deputy office committee delegation "
    "the of and menlu menhan wapres sekjen dubes jubir kemlu".split()
)
# Noun affixes an office word may carry ("Kepresidenan", "Pertahanan"). Narrower than Sastrawi's
# stemmer on purpose: it reads the name "Hakan" as "hak" + "-an".
_AFFIXES = (
    ("", ""),
    ("ke", "an"),
    ("pe", "an"),
    ("per", "an"),
    ("pen", "an"),
    ("pem", "an"),
    ("peng", "an"),
    ("ke", ""),
)
# "in July", "by Monday": a month or a weekday alone is a date, never a place or a person.
_CALENDAR_WORD = re.compile(rf"(?:{_MONTHS}|{_WEEKDAYS})")


def has_fact(sentence: str, question_type: QuestionType, detail: AskedDetail | None = None) -> bool:
    """Whether the sentence holds a fact of the asked type and detail (types without one always do)."""
    if detail is None and question_type not in _CANDIDATES:
        return True
    return bool(_finder(question_type, detail)(sentence))


def _finder(
    question_type: QuestionType, detail: AskedDetail | None
) -> Callable[[str], list[tuple[int, int]]]:
    if detail is not None:
        return _DETAIL_CANDIDATES[detail]
    return _CANDIDATES.get(question_type, _no_candidates)


def _numbers(sentence: str) -> list[tuple[int, int]]:
    dates = [m.span() for m in DATE.finditer(sentence)]
    return [m.span() for m in NUMBER_PHRASE.finditer(sentence) if not _inside(m.span(), dates)]


def _dates(sentence: str) -> list[tuple[int, int]]:
    dates = [m.span() for m in DATE.finditer(sentence)] + [m.span() for m in MONTH_PHRASE.finditer(sentence)]
    # "not until the technical process is finished" answers "when" without a date.
    return dates or [m.span() for m in TIME_CLAUSE.finditer(sentence)]


def _places(sentence: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in PLACE.finditer(sentence) if not _CALENDAR_WORD.fullmatch(m.group(1))]


def _people(sentence: str) -> list[tuple[int, int]]:
    agents = [m.span(1) for m in AGENT.finditer(sentence) if not _CALENDAR_WORD.fullmatch(m.group(1))]
    if agents:
        return agents
    # Sentence-initial capitals are grammar, not names; single words are often just nouns.
    return [m.span() for m in NAME.finditer(sentence) if m.start() > 0 and " " in m.group()]


def _no_candidates(sentence: str) -> list[tuple[int, int]]:
    return []


def _years(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in DATE.finditer(sentence) if _YEAR.search(m.group())]


def _clock_times(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in CLOCK_TIME.finditer(sentence)]


def _durations(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in DURATION.finditer(sentence)]


def _person_names(sentence: str) -> list[tuple[int, int]]:
    """Two or more capitalized words in a row that are neither dictionary words nor titles:
    "Vladimir Putin" and "Hakan Fidan" are names, "Ajudan Kepresidenan" and "Menteri Luar
    Negeri" are offices. Single-word names are missed: they cannot be told from places."""
    spans = []
    for match in NAME.finditer(sentence):
        words = list(re.finditer(r"[\w'-]+", match.group()))
        run: list[re.Match[str]] = []
        for word in words + [None]:
            if word is not None and not _is_common_word(word.group()):
                run.append(word)
                continue
            if len(run) >= 2:
                spans.append((match.start() + run[0].start(), match.start() + run[-1].end()))
            run = []
    return spans


def _is_common_word(word: str) -> bool:
    lowered = word.lower()
    if lowered in _TITLE_WORDS or _CALENDAR_WORD.fullmatch(word):
        return True
    roots = root_words()
    return any(
        lowered.startswith(prefix)
        and lowered.endswith(suffix)
        and lowered[len(prefix) : len(lowered) - len(suffix)] in roots
        for prefix, suffix in _AFFIXES
    )


_CANDIDATES: dict[QuestionType, Callable[[str], list[tuple[int, int]]]] = {
    QuestionType.how_many: _numbers,
    QuestionType.when: _dates,
    QuestionType.where: _places,
    QuestionType.who: _people,
}
_DETAIL_CANDIDATES: dict[AskedDetail, Callable[[str], list[tuple[int, int]]]] = {
    AskedDetail.year: _years,
    AskedDetail.clock_time: _clock_times,
    AskedDetail.duration: _durations,
    AskedDetail.person_name: _person_names,
}


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in others)
