"""Newer articles first: a small stage between ranking and the answer.

- When sentences of several articles answer about equally well, the newest article's sentence is
  quoted first and an older article's is quoted after it, each with its date.
- A question asking for the latest or the next ("terbaru", "terakhir", "berikutnya", "latest",
  "next") gives a newer article a wider lead over better-scoring older ones.
- An older article that alone answers still answers; its date tells the reader it is older.
- Every quote carries its article's outlet, date and link from the index's catalog.
"""

import re
from datetime import date
from functools import lru_cache

import dateparser

from bot.answers.answer import Answer, Quote
from index.models import ArticleInfo, Hit

# How far below the best score another article's sentence may score and still count as answering
# too (and so be put first when newer); wider when the question asks for the newest.
SAME_ANSWER_MARGIN = 0.02
LATEST_MARGIN = 0.06
# Words that ask for the newest state of things, and words that ask for the next thing. The first
# are answered by the rule (the newest report's fact), so no sentence need contain them; the second
# are said by the sentence that announces the next round.
RECENT_WORDS = frozenset("terbaru terakhir terkini sekarang kini latest newest current currently now".split())
NEXT_WORDS = frozenset("berikutnya selanjutnya mendatang next upcoming".split())
_ASKS_LATEST = re.compile(
    r"\b(" + "|".join(sorted(RECENT_WORDS | NEXT_WORDS)) + r"|most recent|last|saat ini)\b", re.IGNORECASE
)


def asks_latest(question: str) -> bool:
    """A question for the latest, current or next thing ("terbaru", "sekarang", "next")."""
    return bool(_ASKS_LATEST.search(question))


_NEXT = re.compile(r"\b(" + "|".join(sorted(NEXT_WORDS)) + r")\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(akan|bakal|dijadwalkan|direncanakan|rencananya|will|would|shall|scheduled|planned|(?:is|are) to)\b",
    re.IGNORECASE,
)


def speaks_of_next(text: str) -> bool:
    """A question for the next thing ("berikutnya", "upcoming"), or text about it: "Putaran
    berikutnya dijadwalkan di Istanbul" is no answer to where the latest round was held."""
    return bool(_NEXT.search(text))


def speaks_of_future(text: str) -> bool:
    """Text about what is to come, as the next round is announced: "akan digelar", "is scheduled",
    "will be held", "berikutnya". "Perundingan digelar di Palais des Nations" is no answer to where
    the next round will be."""
    return bool(_NEXT.search(text) or _FUTURE.search(text))


def recent_words() -> frozenset[str]:
    """The words of a latest question that the rule answers ("terbaru", "now"), lower case."""
    return RECENT_WORDS | {"recent", "most", "last"}


@lru_cache(maxsize=4096)  # pure: a date string always parses the same way
def parse_date(text: str | None) -> date | None:
    """An article's date as written in its metadata: ISO, or "23 Juli 2027", "Nov 26, 2027"."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        parsed = dateparser.parse(text, languages=["id", "en"], settings={"DATE_ORDER": "DMY"})
        return parsed.date() if parsed else None


_MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def display_date(text: str | None, language: str) -> str | None:
    """A date as people write it in the reply's language ("19 November 2027", "23 July 2027"); a
    text that is no date as it was written."""
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        return text
    return f"{day.day} {_MONTHS.get(language, _MONTHS['en'])[day.month - 1]} {day.year}"


def short_date(text: str | None, language: str) -> str | None:
    """A date as a timeline line writes it ("23 Jul 2027", "6 Agu 2028"); None when none is known."""
    day = parse_date(text)
    if day is None:
        return None
    month = _MONTHS.get(language, _MONTHS["en"])[day.month - 1]
    short = {"Agustus": "Agu", "Desember": "Des", "Oktober": "Okt", "Mei": "Mei"}.get(month, month[:3])
    return f"{day.day} {short} {day.year}"


def published(info: ArticleInfo) -> date | None:
    return parse_date(info.date)


class Recency:
    """Built once per index (from its catalog), like the Answerer that holds it."""

    def __init__(self, catalog: list[ArticleInfo]) -> None:
        self.articles = {info.id: info for info in catalog}
        self.dates = {info.id: published(info) for info in catalog}

    def sourced(self, answer: Answer) -> Answer:
        """Each quote with its article's outlet, date and link."""
        return answer.model_copy(update={"quotes": [self._sourced(quote) for quote in answer.quotes]})

    def dated(self, answer: Answer, hits: list[Hit], question: str) -> Answer:
        """Sources on every quote, and another article that answers too (its best sentence near
        the top) quoted after, dated."""
        quotes = self.sourced(answer).quotes
        quoted = {quote.article for quote in quotes}
        others = self._rivals(hits, question, skip=quoted)
        if quotes and others:
            quotes.append(self._sourced(Quote.of(others[0].sentence, others[0].score)))
        return answer.model_copy(update={"quotes": quotes})

    def _rivals(self, hits: list[Hit], question: str, skip: set[str]) -> list[Hit]:
        """The best hit of each article but those in `skip` that scores near the top one."""
        if not hits:
            return []
        margin = LATEST_MARGIN if asks_latest(question) else SAME_ANSWER_MARGIN
        best: dict[str, Hit] = {}
        for hit in hits:
            if hit.sentence.article_id not in skip and hit.score >= hits[0].score - margin:
                best.setdefault(hit.sentence.article_id, hit)
        return list(best.values())

    def date_of(self, article: str) -> date:
        """The article's date; an undated article is older than every dated one."""
        return self.dates.get(article) or date.min

    def _sourced(self, quote: Quote) -> Quote:
        info = self.articles.get(quote.article)
        if info is None:
            return quote
        return quote.model_copy(
            update={"outlet": info.outlet, "date": info.date, "url": quote.url or info.url}
        )
