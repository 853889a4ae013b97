"""The reading step: typed candidate answers in the best sentences, each scored by its own clause.

Candidates are spans of a kind the question asks for: amounts with their noun ("3.000 jenazah"),
dates and times, durations ("selama tiga hari", not "dua bulan setelah"), places, people and offices,
lists ("politik, kemanusiaan, dan militer"), and for what/why/how questions the clause itself.
A candidate is scored by how well the question's words line up with the words of its clause:
"delegasi Ukraina diwakili oleh X" answers who represented Ukraine's delegation, the clause about
Russia's does not; "belum dikembalikan" picks 3.000 for a question with "belum", not 7.000.
The rules are Indonesian and English grammar, not any article's words.
"""

import re
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.answers.facts import (_CALENDAR_WORD, _NUMBER_WORDS, CLOCK_TIME, DATE, DURATION, MONTH_PHRASE, NAME,
                               NUMBER_PHRASE, TIME_CLAUSE, _person_names, _years)
from bot.answers.question import AskedDetail, QuestionAnalysis, QuestionType
from bot.answers.verify import NEGATIONS, QuestionWords, Token, WordSupport, is_english
from index.lexical import FUNCTION_WORDS
from index.models import Hit, Sentence


class SpanKind(StrEnum):
    AMOUNT = "amount"
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    PLACE = "place"
    PERSON = "person"
    OFFICE = "office"
    LIST = "list"
    PHRASE = "phrase"  # what a what-question asks: "10-day truce over the New Year holidays"
    CLAUSE = "clause"


class Candidate(BaseModel):
    """One possible answer: a span of a quoted sentence, with its kind and score."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    kind: SpanKind
    sentence_id: int
    clause: tuple[int, int]
    score: float

    @property
    def is_fact(self) -> bool:
        """A typed fact is put in bold when verified; a clause is only quoted."""
        return self.kind != SpanKind.CLAUSE


class ReadSentence(BaseModel):
    """A sentence the reader looks at, with its retrieval score (neighbours get the top one's, less)."""

    model_config = ConfigDict(frozen=True)

    sentence: Sentence
    score: float
    tokens: tuple[Token, ...]
    context: tuple[Token, ...] = ()  # its paragraph and its article's title


# Clauses break at semicolons, colons, and before conjunctions that open another statement.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s*|,\s+(?=(?:dan|and|termasuk|including|yaitu|namely)\s)|,?\s+(?=(?:sementara|sedangkan|namun|tetapi|tapi|meskipun|walaupun|padahal|sehingga|"
    r"setelah|sebelum|whereas|while|but|although|though|after|before|who|which)\b)",
    re.IGNORECASE,
)
_TIME_UNITS = r"(?:tahun|bulan|minggu|pekan|hari|jam|menit|detik|years?|months?|weeks?|days?|hours?|minutes?)"
# "dua bulan setelah pertemuan", "six months ago": a point in time told from another, not a length.
_RELATIVE_AFTER = re.compile(r"^\s+(?:setelah|sesudah|sebelum|sejak|lalu|kemudian|yang lalu|after|before|ago|later|"
                             r"earlier|since|from now)\b", re.IGNORECASE)
_TIME_UNIT_NOUN = re.compile(rf"^\S+(?:\s+(?:ribu|juta|puluh|ratus))?\s+{_TIME_UNITS}\b", re.IGNORECASE)
_CAP = r"[A-Z][\w'-]*"
_CAPS = rf"{_CAP}(?:(?:\s+(?:dan|and|of|of the|for|de|des|van|bin|al)\s+|\s+){_CAP})*"
# Lowercase words before a name ("di perbatasan Ukraina", "by presidential aide Arkady Belov"), but
# not another preposition ("to take place in Doha" is "Doha").
_PREPOSITION = r"(?:di|ke|dari|pada|oleh|dalam|in|at|to|from|on|by|for|with|near|dekat)"
_LOWER_LEAD = rf"(?:(?!{_PREPOSITION}\b)[a-z]+\s+){{0,3}}?"
PLACE = re.compile(rf"\b(?i:di|ke|dari|in|at|to|from|near|dekat)\s+({_LOWER_LEAD}{_CAPS}(?:,\s+{_CAP}(?=[\s,.;]))?)")
AGENT = re.compile(rf"\b(?i:oleh|by)\s+({_LOWER_LEAD}{_CAPS}(?:,\s+{_CAP}\s+{_CAP}(?=[\s,.;]))?)")
_AGENT_BEFORE = re.compile(r"\b(?:oleh|by)\s+(?:[a-z]+\s+){0,3}$", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|sebuah|suatu)\s+", re.IGNORECASE)
LIST = re.compile(r"\b[\w-]+(?:,\s+[\w-]+(?:\s+[\w-]+)?){1,8},?\s+(?:dan|serta|and|atau|or)\s+[\w-]+")
_NAME_CUE = re.compile(r"\b(?:nama|name)\b", re.IGNORECASE)
_LIST_CUES = re.compile(r"\b(?:apa saja|siapa saja|mana saja|which|what (?:are|were)|list)\b", re.IGNORECASE)

# Weights of the candidate score. Clause words count fully, the rest of the sentence at half:
# the fact's own clause is what must match. A clashing modifier or polarity outweighs one word.
OUTSIDE_CLAUSE = 0.5
NAME_WEIGHT = 1.5
POLARITY = 1.5
CLASH = 2.0
AGENT_BONUS = 0.5
NAME_BONUS = 0.3
CONTEXT_NAME = 0.67
FOREIGN_VERB = 1.5
COUNTED = 1.0
RETRIEVAL_WEIGHT = 8.0
NEIGHBOUR_GAP = 0.05
READ_HITS = 8
NEIGHBOURS_OF = 4


class Reader:
    def __init__(self, support: WordSupport) -> None:
        self.support = support
        # (sentence id, clause start) -> start of the clause before its colon: one clause to score.
        self._colon_clauses: dict[tuple[int, int], int] = {}

    def read(self, question_type: QuestionType, detail: AskedDetail | None, text: str, words: QuestionWords,
             sentences: list[ReadSentence]) -> list[Candidate]:
        """Every candidate in the sentences, best first."""
        finder = span_finder(question_type, detail, text)
        top = max((s.score for s in sentences), default=0.0)
        found = [self._score(span, kind, read, words, top)
                 for read in sentences for span, kind in finder(read.sentence.text)]
        found = [c for c in found if c is not None]
        return sorted(found, key=lambda c: (c.score, -c.start), reverse=True)

    def phrases(self, words: QuestionWords, sentences: list[ReadSentence]) -> list[Candidate]:
        """What a what-question asks, in each sentence: the noun phrase of its noun ("What truce
        ...?" -> "10-day truce over the New Year holidays"), else what follows the question's last
        word in the clause ("covers power plants, dams ..." -> "power plants, dams ...")."""
        top = max((s.score for s in sentences), default=0.0)
        found = []
        for read in sentences:
            for span in self._phrase_spans(words, read):
                candidate = self._score(span, SpanKind.PHRASE, read, words, top, own_words_allowed=True)
                if candidate is not None:
                    found.append(candidate)
        return sorted(found, key=lambda c: (c.score, -c.start), reverse=True)

    def _phrase_spans(self, words: QuestionWords, read: ReadSentence) -> list[tuple[int, int]]:
        text, tokens = read.sentence.text, list(read.tokens)
        spans = []
        for clause_start, clause_end in clauses(text):
            inside = [t for t in tokens if clause_start <= t.start < clause_end]
            hits = [i for i, t in enumerate(inside)
                    if any(self.support.support(w, [t]) for w in words.words if not w.optional)]
            if not hits:
                continue
            if words.asked_noun is not None:
                heads = [i for i in hits if self.support.support(words.asked_noun, [inside[i]])]
                if heads:
                    spans.append(self._noun_phrase(text, inside, heads[0], words, clause_end))
                continue
            # After the question's verb ("covers | power plants, dams ..."), else its last word.
            verbs = [i for i in hits if any(self.support.support(w, [inside[i]]) for w in words.words if w.verb)]
            rest = inside[(verbs or hits)[-1] + 1 :]
            while rest and rest[0].text.lower() in _NOUN_STOPS:
                rest = rest[1:]
            if len(rest) <= 2 and text[:clause_end].rstrip().endswith(":"):
                # "Tujuan utama ... jelas: mengakhiri perang ...": the answer follows the colon
                spans.append(clause_of(text, clause_end))
                self._colon_clauses[(read.sentence.id, clause_end)] = clause_start
            elif rest:
                spans.append((rest[0].start, clause_end))
        return spans

    def _noun_phrase(self, text: str, inside: list[Token], head: int, words: QuestionWords,
                     clause_end: int) -> tuple[int, int]:
        """From the noun (in English with the words before it that describe it: "a 10-day truce") to
        the clause's end, the second comma, or the next question word ("kelompok kemanusiaan |
        paling maju")."""
        english_order = words.asked_run[-1] == words.asked_noun and len(words.asked_run) > 1 or _english(inside)
        first = head
        while english_order and first > 0 and inside[first - 1].text.lower() not in _NOUN_STOPS \
                and inside[first - 1].text.lower() not in ("a", "an", "the", "sebuah", "suatu") \
                and not _VERB_FORM.match(inside[first - 1].text) and _adjacent_words(inside[first - 1], inside[first]):
            first -= 1
        end = _before_second_comma(text, inside[head].start, clause_end)
        asked = [w for w in words.words if not w.optional and w not in words.asked_run and not w.name]
        kept = []
        for token in inside[head + 1 :]:
            if token.start >= end or any(self.support.support(w, [token]) for w in asked):
                break
            kept.append(token)
        while kept and kept[-1].text.lower() in FUNCTION_WORDS:  # "kelompok kemanusiaan paling"
            kept.pop()
        last = kept[-1].end if kept else inside[head].end
        return inside[first].start, last

    def best_clause(self, words: QuestionWords, read: ReadSentence, top: float) -> Candidate:
        """For questions without a typed answer: the clause that carries the question's words."""
        spans = clauses(read.sentence.text)
        scored = [self._score(span, SpanKind.CLAUSE, read, words, top, own_words_allowed=True) for span in spans]
        return max((c for c in scored if c is not None), key=lambda c: c.score)

    def _governed_elsewhere(self, text: str, start: int, words: QuestionWords, read: ReadSentence) -> float:
        """A penalty for a place or date whose verb the question does not have; a heavy one when
        that verb describes a noun ("pertukaran yang disepakati di Jenewa": where it was agreed,
        not where the exchange takes place)."""
        before = [t for t in read.tokens if t.end <= start][-4:]
        verbs = [i for i, t in enumerate(before) if _VERB_FORM.match(t.text) and not t.text.lower().startswith(("per", "pe"))]
        if not verbs or any(self.support.support(w, [before[verbs[-1]]]) for w in words.words):
            return 0.0
        relative = verbs[-1] > 0 and before[verbs[-1] - 1].text.lower() in ("yang", "that", "which")
        return FOREIGN_VERB if relative else FOREIGN_VERB / 3

    def _holds_office(self, words: QuestionWords, read: ReadSentence, start: int) -> bool:
        """The word just before a name (past names and commas) is the asked office."""
        before = [t for t in read.tokens if t.end <= start and t.text.lower() not in self.support.names]
        return bool(before) and any(self.support.support(w, [before[-1]]) for w in words.words if not w.name)

    def _score(self, span: tuple[int, int], kind: SpanKind, read: ReadSentence, words: QuestionWords, top: float,
               own_words_allowed: bool = False) -> Candidate | None:
        text = read.sentence.text
        start, end = _trimmed(text, span)
        if end <= start:
            return None
        clause = clause_of(text, start)
        clause = (self._colon_clauses.get((read.sentence.id, clause[0]), clause[0]), clause[1])
        inside = [t for t in read.tokens if clause[0] <= t.start < clause[1]]
        context = read.context
        answer = [t for t in read.tokens if start <= t.start < end]
        if not own_words_allowed and answer and all(
                any(self.support.support(w, [t]) >= 1.0 for w in words.words) for t in answer):
            return None  # the question's own words are not its answer ("Siapa Martina Aebi?")
        if kind == SpanKind.PERSON and words.office_asked and not self._holds_office(words, read, start):
            return None  # "presidential aide Arkady Belov" is no answer to who the president is
        score = 0.0
        for word in words.words:
            weight = NAME_WEIGHT if word.name else 1.0
            in_clause = self.support.support(word, inside)
            found = in_clause or OUTSIDE_CLAUSE * self.support.support(word, list(read.tokens))
            if not found and word.name:  # the article is about it: "di Jenewa" in the title
                found = CONTEXT_NAME * self.support.support(word, list(context))
            score += weight * found
        negated = any(t.text.lower() in NEGATIONS for t in inside)
        if negated != words.negated:
            score -= POLARITY
        elif words.negated:
            score += POLARITY
        score -= CLASH * len(self.support.contradictions(words, inside))
        if kind == SpanKind.PERSON and _AGENT_BEFORE.search(text[:start]):
            score += AGENT_BONUS
        if kind == SpanKind.PERSON and _person_names(text[start:end]):
            score += NAME_BONUS  # a name answers "who" better than an office
        if kind == SpanKind.DURATION and text[start:end][:1].isdigit() and "-" in text[start:end]:
            following = [t for t in read.tokens if t.start >= end][:1]
            if not any(self.support.support(w, following) for w in words.words):
                return None  # "a 30-day ceasefire" says how long the ceasefire lasts, nothing else
        if kind == SpanKind.AMOUNT and words.counted is not None:
            # "berapa tawanan" counts prisoners: "840 tawanan", not "dua tahap"
            # (verification then drops an amount whose own noun is another: "7.000 jenazah tentara")
            score += COUNTED if self.support.support(words.counted, answer) else -COUNTED
        if kind in (SpanKind.PLACE, SpanKind.DATE):
            score -= self._governed_elsewhere(text, start, words, read)
        score += RETRIEVAL_WEIGHT * (read.score - top)
        return Candidate(text=text[start:end], start=start, end=end, kind=kind, sentence_id=read.sentence.id,
                         clause=clause, score=round(score, 4))


def read_sentences(hits: list[Hit], sentences: list[Sentence], tokens: Callable[[Sentence], tuple[Token, ...]],
                   context: Callable[[Sentence], tuple[Token, ...]], with_neighbours: bool) -> list[ReadSentence]:
    """The best hits, and the best hits' neighbours in their paragraph when the question needs them
    (the asked fact may stand in the next sentence: "... meskipun masih ada 3.000 jenazah lagi")."""
    def reading(sentence: Sentence, score: float) -> ReadSentence:
        return ReadSentence(sentence=sentence, score=score, tokens=tokens(sentence), context=context(sentence))

    chosen = [reading(h.sentence, h.score) for h in hits[:READ_HITS]]
    if with_neighbours:
        seen = {r.sentence.id for r in chosen}
        for hit in hits[:NEIGHBOURS_OF]:
            for other_id in (hit.sentence.id - 1, hit.sentence.id + 1):
                other = sentences[other_id] if 0 <= other_id < len(sentences) else None
                if other and other.id not in seen and other.article_id == hit.sentence.article_id \
                        and other.paragraph == hit.sentence.paragraph:
                    seen.add(other.id)
                    chosen.append(reading(other, hit.score - NEIGHBOUR_GAP))
    return chosen


# --- spans -------------------------------------------------------------------------------------

Spans = list[tuple[tuple[int, int], SpanKind]]


def asks_for_name(analysis: QuestionAnalysis) -> bool:
    """"Apa nama ...?", "What is the name of ...?": a what-question that wants a name."""
    return analysis.type == QuestionType.what and bool(_NAME_CUE.search(analysis.text))


def span_finder(question_type: QuestionType, detail: AskedDetail | None, question: str) -> Callable[[str], Spans]:
    """The candidate finder for what the question asks (a finer detail wins over the type)."""
    if detail is not None:
        return _DETAIL_FINDERS[detail]
    if question_type == QuestionType.what and _NAME_CUE.search(question):
        return names  # "Apa nama ...?", "What is the name of ...?" asks for a name
    if question_type == QuestionType.what and _LIST_CUES.search(question):
        return lists
    return _TYPE_FINDERS.get(question_type, _none)


def amounts(sentence: str) -> Spans:
    """Numbers with their noun ("840 tawanan perang", not "... perang kembali"), not dates, clock
    times or lengths of time; "twice", "tujuh kali"."""
    taken = [m.span() for m in DATE.finditer(sentence)] + [m.span() for m in CLOCK_TIME.finditer(sentence)]
    found = []
    for match in NUMBER_PHRASE.finditer(sentence):
        if _inside(match.span(), taken) or _TIME_UNIT_NOUN.match(match.group()):
            continue
        found.append(((match.start(), _noun_end(sentence, match)), SpanKind.AMOUNT))
    found += [(m.span(), SpanKind.AMOUNT) for m in _TIMES.finditer(sentence) if not _overlaps(m.span(), [s for s, _ in found])]
    return found


_TIMES = re.compile(r"\b(?:twice|thrice)\b", re.IGNORECASE)
# Words that end the noun after a number: verbs (Indonesian affixed forms, English past forms and
# auxiliaries) and the adverbs that follow a counted noun.
_VERB_FORM = re.compile(r"^(?:di|me|mem|men|meng|meny|ber|ter)\w{3,}$|^\w+ed$|^(?:will|would|can|could|may|must|"
                        r"kembali|pulang|tiba|datang|hilang|tewas|gugur|lagi|lainnya|more|each|who|which)$",
                        re.IGNORECASE)


# Prepositions, conjunctions and auxiliaries: the counted noun ends before them.
_NOUN_STOPS = frozenset(
    "yang dan atau di ke dari untuk dengan pada dalam akan telah sudah ini itu tersebut sejak selama setelah "
    "sebelum hingga sampai oleh bagi per serta namun tetapi tapi karena sebagai melalui menurut "
    "of in on at to for with from by and or but that which who since during after before until as than "
    "into over under were was are is have has had".split()
)


def _noun_end(sentence: str, match: re.Match[str]) -> int:
    """Where the counted noun ends: before the first word that is a verb or an adverb."""
    words = list(re.finditer(r"[\w-]+", match.group()))
    end = match.end()
    for n, word in enumerate(words[1:], start=1):
        lower = word.group().lower()
        verb = _VERB_FORM.match(lower) and not lower.startswith(("per", "pe"))
        if verb or lower in _NOUN_STOPS:
            end = match.start() + word.start()
            break
    return len(sentence[:end].rstrip())


def durations(sentence: str) -> Spans:
    """Lengths of time ("selama tiga hari", "two days", "30-day"); a time told from another is not
    one ("dua bulan setelah"), nor a named period ("selama bulan Agustus")."""
    found = [((m.start() + _length_lead(m.group()), m.end()), SpanKind.DURATION) for m in DURATION.finditer(sentence)
             if not _RELATIVE_AFTER.match(sentence[m.end():]) and _HAS_NUMBER.search(m.group())]
    found += [(m.span(), SpanKind.DURATION) for m in _HYPHEN_DURATION.finditer(sentence)
              if not _overlaps(m.span(), [s for s, _ in found])]
    return found


# "selama enam bulan": the preposition marks a length of time; the length itself is the fact.
_LENGTH_LEAD = re.compile(r"^(?:selama|sepanjang|for)\s+(?=\S)", re.IGNORECASE)


def _length_lead(span: str) -> int:
    lead = _LENGTH_LEAD.match(span)
    return lead.end() if lead else 0


_HAS_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS}|beberapa|several|few)\b", re.IGNORECASE)
_HYPHEN_DURATION = re.compile(r"\b\d+-(?:day|week|month|year|hour|minute)\b", re.IGNORECASE)


def dates(sentence: str) -> Spans:
    exact = [m.span() for m in DATE.finditer(sentence)]
    months = [m.span() for m in MONTH_PHRASE.finditer(sentence) if not _overlaps(m.span(), exact)]
    clock = [m.span() for m in CLOCK_TIME.finditer(sentence) if not _overlaps(m.span(), exact)]
    found = [(s, SpanKind.DATE) for s in exact + months] + [(s, SpanKind.TIME) for s in clock]
    # "not until the technical process is finished" answers "when" without a date.
    return found or [(m.span(), SpanKind.TIME) for m in TIME_CLAUSE.finditer(sentence)]


def places(sentence: str) -> Spans:
    found = []
    for match in PLACE.finditer(sentence):
        start, end = _trimmed(sentence, match.span(1))
        if not _CALENDAR_WORD.fullmatch(sentence[start:end].split()[-1]):
            found.append(((start, end), SpanKind.PLACE))
    return found


def people(sentence: str) -> Spans:
    """Agents ("dipimpin oleh X", "led by X"), names, and offices (capitalized runs)."""
    found: Spans = []
    for match in AGENT.finditer(sentence):
        if not _CALENDAR_WORD.fullmatch(match.group(1).split()[-1]):
            # "oleh juru runding senior Kalisto Marwen": the name, not its lowercase title
            capital = re.search(r"[A-Z]", match.group(1))
            found.append(((match.start(1) + (capital.start() if capital else 0), match.end(1)), SpanKind.PERSON))
    found += [(span, SpanKind.PERSON) for span in _person_names(sentence) if not _overlaps(span, [s for s, _ in found])]
    taken = [s for s, _ in found]
    found += [(m.span(), SpanKind.OFFICE) for m in NAME.finditer(sentence)
              if m.start() > 0 and " " in m.group() and not _overlaps(m.span(), taken)]
    # "Menteri Luar Negeri Swiss, Martina Aebi, membuka ...": the office's holder is named after it.
    found += [((m.start(1), m.end(1)), SpanKind.PERSON) for m in _APPOSITIVE_NAME.finditer(sentence)
              if _person_names(m.group(1))]
    return found


_APPOSITIVE_NAME = re.compile(rf"{_CAP}(?:\s+{_CAP})*,\s+({_CAP}\s+{_CAP}(?:\s+{_CAP})?)(?=,|\s+(?:who|yang)\b)")


def names(sentence: str) -> Spans:
    return [(span, SpanKind.PERSON) for span in _person_names(sentence)]


def years(sentence: str) -> Spans:
    return [(span, SpanKind.DATE) for span in _years(sentence)]


def clock_times(sentence: str) -> Spans:
    return [(m.span(), SpanKind.TIME) for m in CLOCK_TIME.finditer(sentence)]


def lists(sentence: str) -> Spans:
    return [(m.span(), SpanKind.LIST) for m in LIST.finditer(sentence)]


def _none(sentence: str) -> Spans:
    return []


_TYPE_FINDERS: dict[QuestionType, Callable[[str], Spans]] = {
    QuestionType.how_many: amounts,
    QuestionType.when: dates,
    QuestionType.where: places,
    QuestionType.who: people,
}
_DETAIL_FINDERS: dict[AskedDetail, Callable[[str], Spans]] = {
    AskedDetail.year: years,
    AskedDetail.clock_time: clock_times,
    AskedDetail.duration: durations,
    AskedDetail.person_name: names,
}


# --- clauses -----------------------------------------------------------------------------------

def clauses(sentence: str) -> list[tuple[int, int]]:
    """The sentence cut at clause breaks, as (start, end) offsets."""
    cuts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def clause_of(sentence: str, offset: int) -> tuple[int, int]:
    for start, end in clauses(sentence):
        if start <= offset < end:
            return start, end
    return 0, len(sentence)


def _english(tokens: list[Token]) -> bool:
    return is_english(tokens)


def _before_second_comma(text: str, start: int, end: int) -> int:
    commas = [i for i, ch in enumerate(text[start:end], start=start) if ch == ","]
    return commas[1] if len(commas) > 1 else end


def _adjacent_words(a: Token, b: Token) -> bool:
    return b.start - a.end <= 1


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    lead = _LEADING_ARTICLE.match(text[start:end])
    if lead:
        start += lead.end()
    while end > start and text[end - 1] in " ,.;:":
        end -= 1
    return start, end


def _inside(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in others)


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)
