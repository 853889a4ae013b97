"""Timelines: one fact per article, oldest to newest.

A question about how something changed, or asked of every round ("Berapa tawanan yang ditukar di
setiap putaran?", "How did the number of prisoners exchanged change?", "Di mana saja perundingan
diadakan?"), and `/timeline <subject>` are answered article by article: the question is first
asked as a single question ("Berapa tawanan yang ditukar?"), the Answerer reads and verifies it
in each article on its own (bot/answers/answering.py), and the facts that pass are assembled here
into entries ordered by the articles' dates. Undated articles come last: their place in time is
unknown.

This module knows nothing of the reader or of Telegram: it recognises timeline questions, turns
them and bare subjects into the single question to read, and orders what was found.
"""

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from bot.answers.question import Language
from index.models import ArticleInfo

# Marks of a question asked across rounds: "setiap/tiap/masing-masing putaran", "di mana saja",
# "berubah", "each round", "how did ... change", "over time", "timeline".
_ROUND = r"(?:putaran|pertemuan|perundingan|babak|ronde|round|rounds|meeting|meetings|session|sessions)"
_EACH_ID = r"(?:setiap|tiap|masing-masing)"
_EACH_EN = r"(?:each|every)"
# Events that recur with the rounds: "each prisoner swap" asks across rounds as "each round" does.
_EVENT = r"(?:pertukaran|penyerahan|swap|swaps|exchange|exchanges|handover|handovers)"
_EACH_EVENT_ID = re.compile(rf"\b{_EACH_ID}\s+(?={_EVENT}\b)", re.IGNORECASE)
# English allows one word before the event ("each prisoner swap").
_EACH_EVENT_EN = re.compile(rf"\b{_EACH_EN}\s+(?=(?:[\w-]+\s+)?{_EVENT}\b)", re.IGNORECASE)
_EACH_ROUNDS_OWN = re.compile(rf"\b{_EACH_EN}\s+{_ROUND}'s\s+", re.IGNORECASE)  # "each round's swap"
_ACROSS_ROUNDS = re.compile(
    rf"\b{_EACH_ID}\s+{_ROUND}\b"
    rf"|{_EACH_EVENT_ID.pattern}|{_EACH_EVENT_EN.pattern}"
    rf"|\b{_EACH_EN}\s+{_ROUND}\b"
    rf"|\b(?:across|over|throughout)\s+(?:the\s+|all\s+the\s+)?{_ROUND}\b"
    rf"|\bdari\s+{_ROUND}\s+ke\s+{_ROUND}\b|\bfrom\s+round\s+to\s+round\b|\bround\s+by\s+round\b"
    r"|\b(?:di\s*mana|kapan|siapa)\s+saja\b"
    r"|\bberubah\b|\bperubahan\b|\bdari\s+waktu\s+ke\s+waktu\b|\bsepanjang\s+perundingan\b"
    r"|\b(?:change|changed|changes|evolve|evolved)\b|\bover\s+time\b|\btimeline\b|\blini\s+masa\b",
    re.IGNORECASE,
)
# What is taken out of a timeline question to ask it of one article.
_ROUND_PHRASES = re.compile(
    rf"\s*,?\s*\b(?:(?:di|pada|dalam|untuk|in|at|for|during)\s+)?(?:{_EACH_ID}|{_EACH_EN})\s+{_ROUND}\b"
    rf"|\s*\b(?:across|over|throughout)\s+(?:the\s+|all\s+the\s+)?{_ROUND}\b"
    rf"|\s*\bdari\s+{_ROUND}\s+ke\s+{_ROUND}\b|\s*\bfrom\s+round\s+to\s+round\b|\s*\bround\s+by\s+round\b"
    r"|\s*\bdari\s+waktu\s+ke\s+waktu\b|\s*\bsepanjang\s+perundingan\b|\s*\bover\s+time\b",
    re.IGNORECASE,
)
_WH_SAJA = re.compile(r"\b(di\s*mana|kapan|siapa)\s+saja\b", re.IGNORECASE)
_HOW_NUMBER_CHANGED_EN = re.compile(
    r"^\s*how\s+(?:did|has|have|does|do)\s+(?:the\s+)?(?:number|count|amount)\s+of\s+(.+?)\s+"
    r"(?:change|changed|evolve|evolved)\b",
    re.IGNORECASE,
)
_HOW_CHANGED_EN = re.compile(
    r"^\s*how\s+(?:did|has|have|does|do)\s+(.+?)\s+(?:change|changed|evolve|evolved)\b", re.IGNORECASE
)
_HOW_NUMBER_CHANGED_ID = re.compile(
    r"^\s*bagaimana\s+(?:perubahan\s+)?(?:jumlah|banyaknya)\s+(.+?)(?:\s+berubah)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_HOW_CHANGED_ID = re.compile(
    r"^\s*bagaimana\s+(?:perubahan\s+)?(.+?)(?:\s+berubah)?\s*[?.!]*\s*$", re.IGNORECASE
)
_QUESTION_WORD = re.compile(
    r"\b(?:siapa|kapan|di\s*mana|dimana|berapa|apa|apakah|bagaimana|mengapa|who|when|where|how|what|which|why)\b",
    re.IGNORECASE,
)
# A bare subject ("/timeline tawanan") is asked as the question its words call for.
_PLACE_WORDS = re.compile(r"\b(?:tempat|lokasi|kota|venue|place|places|city|cities|where)\b", re.IGNORECASE)
_TIME_WORDS = re.compile(r"\b(?:tanggal|waktu|jadwal|date|dates|when|schedule)\b", re.IGNORECASE)
_LEADER_WORDS = re.compile(
    r"\b(?:pemimpin|ketua|kepala|mediator|leader|leaders|head|heads|mediators)\b", re.IGNORECASE
)
_DURATION_WORDS = re.compile(r"\b(?:gencatan senjata|ceasefire|truce)\b", re.IGNORECASE)
MAX_ENTRIES = 40  # far more than a chat can read; keeps a reply within a few Telegram messages


class ArticleFact(BaseModel):
    """What the reader found, and verification let pass, in one article."""

    model_config = ConfigDict(frozen=True)

    article: str
    fact: str
    sentence: str
    highlight: tuple[int, int]
    paragraph: int
    score: float = Field(description="The reader's margin over no answer.")


class TimelineEntry(BaseModel):
    """One line of a timeline: the article's date, its title and link, the fact in its sentence."""

    article: str
    date: str | None = Field(None, description="The article's date as stored: ISO or as written.")
    title: str
    url: str | None = None
    outlet: str | None = None
    fact: str
    sentence: str
    highlight: tuple[int, int]
    paragraph: int


def asks_timeline(question: str) -> bool:
    return bool(_ACROSS_ROUNDS.search(question))


def single_question(question: str) -> str:
    """The question as asked of one article: "Berapa tawanan yang ditukar di setiap putaran?" ->
    "Berapa tawanan yang ditukar?", "How did the number of prisoners exchanged change?" -> "How
    many prisoners exchanged?"."""
    text = _EACH_ROUNDS_OWN.sub("the ", question)
    text = _EACH_EVENT_EN.sub("the ", _EACH_EVENT_ID.sub("", text))
    text = _ROUND_PHRASES.sub("", text).strip()
    text = _WH_SAJA.sub(lambda m: m.group(1), text)
    if found := _HOW_NUMBER_CHANGED_EN.match(text):
        return f"How many {found.group(1)}?"
    if found := _HOW_CHANGED_EN.match(text):
        return f"What was {found.group(1)}?"
    if found := _HOW_NUMBER_CHANGED_ID.match(text):
        return f"Berapa {found.group(1)}?"
    if found := _HOW_CHANGED_ID.match(text):
        return f"Apa {found.group(1)}?"
    return text if text.endswith("?") else text.rstrip(" .!") + "?"


def subject_question(subject: str, language: Language) -> str:
    """`/timeline <subject>`: a question is asked as it is; a bare subject becomes the question its
    words call for: a place, a date, a leader, a ceasefire's length, else a number ("tawanan" ->
    "Berapa tawanan?")."""
    subject = " ".join(subject.split()).rstrip(" ?.!")
    if _QUESTION_WORD.search(subject) or asks_timeline(subject):
        return single_question(subject)
    english = language == Language.en
    if _PLACE_WORDS.search(subject):
        return "Where were the talks held?" if english else "Di mana perundingan diadakan?"
    if _TIME_WORDS.search(subject):
        return "When were the talks held?" if english else "Kapan perundingan digelar?"
    if _LEADER_WORDS.search(subject):
        return f"Who is the {subject}?" if english else f"Siapa {subject}?"
    if _DURATION_WORDS.search(subject):
        return f"How long is the {subject}?" if english else f"Berapa lama {subject}?"
    return f"How many {subject}?" if english else f"Berapa {subject}?"


def assemble(
    facts: list[ArticleFact], catalog: list[ArticleInfo], dates: dict[str, date | None]
) -> list[TimelineEntry]:
    """One entry per article, oldest to newest by `dates` (the articles' parsed dates); undated
    articles last, in the order found."""
    articles = {info.id: info for info in catalog}
    entries = [_entry(fact, articles.get(fact.article)) for fact in _one_per_article(facts)]
    dated = sorted(
        (e for e in entries if dates.get(e.article)), key=lambda e: dates.get(e.article) or date.min
    )
    undated = [e for e in entries if not dates.get(e.article)]
    return (dated + undated)[:MAX_ENTRIES]


def _one_per_article(facts: list[ArticleFact]) -> list[ArticleFact]:
    best: dict[str, ArticleFact] = {}
    for fact in facts:
        if fact.article not in best or fact.score > best[fact.article].score:
            best[fact.article] = fact
    return list(best.values())


def _entry(fact: ArticleFact, info: ArticleInfo | None) -> TimelineEntry:
    return TimelineEntry(
        article=fact.article,
        date=info.date if info else None,
        title=info.title if info else fact.article,
        url=info.url if info else None,
        outlet=info.outlet if info else None,
        fact=fact.fact,
        sentence=fact.sentence,
        highlight=fact.highlight,
        paragraph=fact.paragraph,
    )
