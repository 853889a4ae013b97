"""The answer engine as a pipeline of small named stages, each with a typed input and output:

    analyse  (question text)            -> Analysed   cleaned text, type, language, content words
    retrieve (Analysed)                 -> Retrieved  re-ranked sentences and the gate's verdict
    read     (Analysed, Retrieved)      -> Reading    the trained reader's best span in each window, by margin
    verify   (Analysed, Reading)        -> Verified   the best span no check speaks against, or why none
    template (Analysed, Retrieved, Verified) -> Answer   answered, partial or declined
    render   (Answer)                   -> str        bot.answers.render (Telegram HTML or plain text)

Across rounds (bot/answers/recency.py, bot/answers/timeline.py):
- a question asking for the latest, current or next thing is read in every article (its best
  sentences); of the facts verification lets pass, the newest dated article's is the answer, and
  an older article's different fact follows, marked as earlier. An undated article never outranks
  a dated one. A rule on what was found, not a score margin.
- a question asked of every round ("di setiap putaran", "how did ... change") is asked of each
  article on its own, read and verified the same way, and answered with a timeline.

In the spirit of Haystack 2 components. `Answerer.answer` composes them. An `Answerer` serves one
index and never changes; a rebuilt index gets a new Answerer that replaces the old one in a single
assignment, so questions in flight finish on the old one.
"""

import logging
import re
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from bot.answers.answer import Answer, AnswerKind, Quote
from bot.answers.gate import AnswerGate, Verdict, Vocabulary
from bot.answers.lexicon import Lexicon, english_inflections
from bot.answers.question import Language, QuestionAnalysis, QuestionAnalyzer
from bot.answers.ranking import rerank
from bot.answers.reading import Candidate, ReadSentence, Window, quoted_only, read_windows, windows
from bot.answers.recency import (
    RECENT_WORDS,
    Recency,
    asks_latest,
    recent_words,
    speaks_of_future,
    speaks_of_next,
)
from bot.answers.span_reader import SpanReader
from bot.answers.timeline import ArticleFact, asks_timeline, assemble, single_question, subject_question
from bot.answers.verify import Check, QuestionWord, QuestionWords, Token, Verification, WordSupport
from index.lexical import FUNCTION_WORDS, WORD, root_words
from index.models import Hit, Paragraph, Sentence
from index.search import Retriever, SearchMode

log = logging.getLogger(__name__)
CANDIDATES = 30
SUGGESTIONS = 3
# Candidates tried, best first, until one is verified.
VERIFY_TRIES = 4
# The reader's margin of a span over "no answer" above which it is stated (tuned on the dev set).
MIN_MARGIN = 0.0
# Latest/next questions and timelines read every article: its best sentences among this many hits
# (the index holds a few hundred sentences per dozen articles), PER_ARTICLE of them each.
WIDE_CANDIDATES = 150
PER_ARTICLE = 2
# Reading every article for one question, a lower margin states an article's span: the question is
# known to be answered in the articles, and the checks (not the margin) tell which ones answer it.
ARTICLE_MIN_MARGIN = -10.0
# A second sentence is quoted only when it stands beside the first, scores almost as well, and
# the question needs it: it speaks of the question's words, or the two score the same (e.g. an
# English question over Indonesian sentences, where no word is shared to tell them apart).
COMPANION_GAP = 0.03
EQUAL_GAP = 0.005
# Markup typed into a question ("<b>Siapa</b>", "**Siapa**", "# Siapa") is not part of it.
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_MARKDOWN = re.compile(r"(?<!\w)(\*\*|__|\*|_|~~|`+)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LEADING_SYMBOLS = re.compile(r"^[^\w/@]+")  # "/start" and "@mentions" keep their sign
# What a latest question asks the rule, not the reader: "terbaru", "now", "the most recent".
_RECENT_PHRASE = re.compile(
    r"\s*\b(?:" + "|".join(sorted(RECENT_WORDS)) + r"|the most recent|most recent|saat ini)\b", re.IGNORECASE
)


class Analysed(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    cut: bool
    analysis: QuestionAnalysis
    words: QuestionWords


class Retrieved(BaseModel):
    hits: list[Hit]
    verdict: Verdict
    wide: list[Hit] = []  # latest/next and timelines: more hits, so that every article has some


class Reading(BaseModel):
    sentences: list[ReadSentence]
    candidates: list[Candidate]


class Verified(BaseModel):
    """The candidate chosen and its verification; `candidate` is None when nothing was read."""

    candidate: Candidate | None = None
    sentence: ReadSentence | None = None
    verification: Verification | None = None
    companions: list[Hit] = []
    earlier: "Verified | None" = None  # latest/next: an older article's different fact

    @property
    def passed(self) -> bool:
        return self.verification is not None and self.verification.passed

    @property
    def article(self) -> str:
        return self.sentence.sentence.article_id if self.sentence else ""


class Answerer:
    def __init__(
        self,
        retriever: Retriever,
        analyzer: QuestionAnalyzer,
        background_vectors: np.ndarray,
        max_question_chars: int = 500,
        lexicon: Lexicon | None = None,
        span_reader: SpanReader | None = None,
        checks: frozenset[Check] = frozenset(Check),
        min_margin: float = MIN_MARGIN,
    ) -> None:
        self.retriever = retriever
        self.analyzer = analyzer
        self.gate = AnswerGate(Vocabulary([s.text for s in retriever.sentences]), background_vectors)
        self.max_question_chars = max_question_chars
        self.recency = Recency(retriever.stored.manifest.catalog)
        self.support = WordSupport(
            retriever.lexical.tokenizer,
            lexicon or Lexicon.empty(),
            embed_words=retriever.embedder.embed_queries,
            names=_corpus_names(retriever.sentences),
        )
        self.span_reader = span_reader
        self.checks = checks
        self.min_margin = min_margin
        self._tokens: dict[tuple[str, int, int], tuple[Token, ...]] = {}

    # --- the pipeline -----------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        """Always returns an Answer; never raises for any text."""
        analysed = self.analyse(question)
        analysis = analysed.analysis
        if analysis.is_empty or analysis.small_talk is not None:
            return self.template(analysed, None, None)
        if asks_timeline(analysis.text):
            return self.timeline(analysed, single_question(analysis.text))
        retrieved = self.retrieve(analysed)
        log.debug("%s -> %s", analysis.type.value, retrieved.verdict.reason)
        if not retrieved.verdict.answerable:
            return self.template(analysed, retrieved, None)
        reading = self.read(analysed, retrieved)
        return self.template(analysed, retrieved, self.verify(analysed, retrieved, reading))

    def analyse(self, question: str) -> Analysed:
        """Cut, cleaned of markup, classified; its content words ready for reading."""
        text, cut = self._cut(question)
        analysis = self.analyze(text)
        words = self.support.question_words(analysis)
        if asks_latest(analysis.text):  # "terbaru", "now": the rule answers them, no sentence need say so
            words = _without_recent_words(words)
        return Analysed(text=text, cut=cut, analysis=analysis, words=words)

    def retrieve(self, analysed: Analysed, wide_reading: bool = False) -> Retrieved:
        """The re-ranked candidates and the gate's verdict on them; with `wide_reading` (and for
        latest/next questions) more hits, so that every article has its best sentences among them."""
        analysis = analysed.analysis
        vector = self.retriever.embed_query(analysis.text)
        ranked = self.ranked_hits(analysis, query_vector=vector)
        wide: list[Hit] = []
        if asks_latest(analysis.text) or asks_timeline(analysis.text) or wide_reading:
            wide = self.ranked_hits(analysis, query_vector=vector, k=WIDE_CANDIDATES)
        verdict = self.gate.decide(analysis, vector, ranked)
        return Retrieved(hits=self._named_first(analysed.words, ranked), verdict=verdict, wide=wide)

    def read(self, analysed: Analysed, retrieved: Retrieved) -> Reading:
        """The reader's best span in each of the best windows, best margin first. Without a reader,
        the top sentence, to be quoted with nothing in bold."""
        found = windows(retrieved.hits, self.retriever.sentences)
        if self.span_reader is None:
            return Reading(
                sentences=self._read_sentences(found), candidates=[quoted_only(h) for h in retrieved.hits[:1]]
            )
        if retrieved.wide:  # latest/next: every article's best sentences too
            found = _merged(found, self._article_windows(analysed, retrieved))
        candidates = read_windows(self.span_reader, reader_question(analysed.analysis.text), found)
        return Reading(sentences=self._read_sentences(found), candidates=candidates)

    def verify(self, analysed: Analysed, retrieved: Retrieved, reading: Reading) -> Verified:
        """The best span the reader states (margin above MIN_MARGIN) that no check speaks against;
        else the best span, with what failed. A latest/next question takes the newest dated
        article's verified fact, with an older article's different one as `earlier`."""
        by_id = {s.sentence.id: s for s in reading.sentences}
        if asks_latest(analysed.analysis.text) and retrieved.wide:
            newest = self.newest(self.verified_per_article(analysed, retrieved, reading))
            if newest is not None:
                return newest
        tried: list[Verified] = []
        for candidate in reading.candidates[:VERIFY_TRIES]:
            read = by_id[candidate.sentence_id]
            companions = self._companions(read, retrieved.hits, analysed)
            verification = self._verification(analysed.words, candidate, read, companions)
            verified = Verified(
                candidate=candidate, sentence=read, verification=verification, companions=companions
            )
            if verification.passed:
                return verified
            tried.append(verified)
        refused = [v for v in tried if v.verification and v.verification.stated]
        if refused or not retrieved.hits:  # a span the reader stated and a check refused: said instead
            return refused[0] if refused else Verified()
        # The reader found nothing: a partial reply quotes the sentence retrieval ranked first.
        top = by_id.get(retrieved.hits[0].sentence.id) or self._read_sentence(retrieved.hits[0].sentence, 0.0)
        unread = quoted_only(retrieved.hits[0])
        verification = self._verification(analysed.words, unread, top, [])
        return Verified(
            candidate=unread, sentence=top, verification=verification.model_copy(update={"stated": False})
        )

    def template(self, analysed: Analysed, retrieved: Retrieved | None, verified: Verified | None) -> Answer:
        """The Answer for the outcome: answered (fact in bold), partial (what the articles say
        instead, nothing in bold) or declined."""
        analysis = analysed.analysis
        base: dict[str, Any] = {
            "question": analysed.text,
            "language": analysis.language,
            "question_type": analysis.type,
            "question_cut": analysed.cut,
            "other_language": analysis.detected_language_name,
        }
        suggestions = self.suggestions(analysis.language)
        if analysis.is_empty:
            return Answer(kind=AnswerKind.EMPTY, suggestions=suggestions, **base)
        if analysis.small_talk is not None:
            return Answer(
                kind=AnswerKind.SMALL_TALK, small_talk=analysis.small_talk, suggestions=suggestions, **base
            )
        if retrieved is None or not retrieved.verdict.answerable:
            detail = retrieved.verdict.missing_detail if retrieved else None
            return Answer(kind=AnswerKind.NOT_FOUND, missing_detail=detail, suggestions=suggestions, **base)
        candidate, read = verified.candidate if verified else None, verified.sentence if verified else None
        if verified is None or candidate is None or read is None or verified.verification is None:
            return Answer(kind=AnswerKind.NOT_FOUND, suggestions=suggestions, **base)
        if verified.passed:
            fact = candidate if candidate.is_fact else None
            quotes = [_quote(read, fact)] + [Quote.of(h.sentence, h.score) for h in verified.companions]
            answer = Answer(kind=AnswerKind.ANSWER, quotes=quotes, fact=fact.text if fact else None, **base)
            if (
                asks_latest(analysis.text) and retrieved.wide
            ):  # the newest report's date, an earlier answer after
                return self._newest_answer(answer, verified)
            return self.recency.dated(answer, retrieved.hits, analysis.text)
        if verified.verification.on_subject:
            answer = Answer(
                kind=AnswerKind.PARTIAL,
                quotes=[_quote(read, None)],
                suggestions=[],
                missing=_asked_phrase(analysed),
                mentioned=_mentioned(candidate, verified.verification),
                **base,
            )
            return self.recency.sourced(answer)
        return Answer(kind=AnswerKind.NOT_FOUND, suggestions=suggestions, **base)

    # --- across rounds: latest/next and timelines --------------------------------------------

    def verified_per_article(
        self, analysed: Analysed, retrieved: Retrieved, reading: Reading
    ) -> list[Verified]:
        """Each article's best span that verification lets pass (its first VERIFY_TRIES spans by
        margin are tried), in the order of the articles' best margins."""
        by_id = {s.sentence.id: s for s in reading.sentences}
        tries: dict[str, int] = {}
        found: dict[str, Verified] = {}
        for candidate in reading.candidates:
            read = by_id[candidate.sentence_id]
            article = read.sentence.article_id
            if article in found or tries.get(article, 0) >= VERIFY_TRIES or not candidate.is_fact:
                continue
            if not _same_time(analysed.analysis.text, read.sentence.text[slice(*candidate.clause)]):
                continue
            tries[article] = tries.get(article, 0) + 1
            companions = self._companions(read, retrieved.hits, analysed)
            margin = min(self.min_margin, ARTICLE_MIN_MARGIN)
            verification = self._verification(analysed.words, candidate, read, companions, margin)
            if verification.passed:
                found[article] = Verified(
                    candidate=candidate, sentence=read, verification=verification, companions=companions
                )
        return list(found.values())

    def newest(self, verified: list[Verified]) -> Verified | None:
        """The newest dated article's fact (an undated article only when no dated one answers),
        with the next older article's different fact as `earlier`."""
        if not verified:
            return None
        by_date = sorted(verified, key=lambda v: self.recency.date_of(v.article), reverse=True)
        newest = by_date[0]
        assert newest.candidate is not None
        newest_day = self.recency.date_of(newest.article)
        earlier = next(
            (
                v
                for v in by_date[1:]
                if v.candidate is not None
                and self.recency.dates.get(v.article) is not None
                and self.recency.date_of(v.article) < newest_day
                and not same_fact(v.candidate.text, newest.candidate.text)
            ),
            None,
        )
        return newest.model_copy(update={"earlier": earlier})

    def timeline(self, asked: Analysed, single: str) -> Answer:
        """One verified fact per article that answers `single`, oldest first (none: said so)."""
        analysed = self.analyse(single)
        base = {
            "question": asked.text,
            "language": asked.analysis.language,
            "question_type": analysed.analysis.type,
            "question_cut": asked.cut,
            "other_language": asked.analysis.detected_language_name,
        }
        entries = []
        if self.span_reader is not None and not analysed.analysis.is_empty:
            retrieved = self.retrieve(analysed, wide_reading=True)
            if retrieved.verdict.answerable:
                reading = self._read_articles(analysed, retrieved)
                facts = [_article_fact(v) for v in self.verified_per_article(analysed, retrieved, reading)]
                entries = assemble(facts, self.retriever.stored.manifest.catalog, self.recency.dates)
        return Answer(kind=AnswerKind.TIMELINE, timeline=entries, **base)

    def timeline_of(self, subject: str, language: Language | None = None) -> Answer:
        """`/timeline <subject>`: a question as it is, a bare subject made into the question its
        words call for ("tawanan" -> "Berapa tawanan?"). A few words tell little of their language:
        `language` (the chat's) is the reply's when given."""
        asked = self.analyse(subject)
        detected = asked.analysis.language if asked.analysis.language != Language.other else Language.id
        answer = self.timeline(asked, subject_question(asked.text, language or detected))
        return (
            answer.model_copy(update={"language": language, "other_language": None}) if language else answer
        )

    def _read_articles(self, analysed: Analysed, retrieved: Retrieved) -> Reading:
        """The best sentences of every article, each read alone, as a single answer reads its three."""
        assert self.span_reader is not None
        found = self._article_windows(analysed, retrieved)
        candidates = read_windows(self.span_reader, analysed.analysis.text, found)
        return Reading(sentences=self._read_sentences(found), candidates=candidates)

    def _article_windows(self, analysed: Analysed, retrieved: Retrieved) -> list[Window]:
        """The best sentences of every article among the wide hits (for a next question, those
        that speak of what is to come)."""
        hits = per_article(_of_the_time(analysed.analysis.text, retrieved.wide))
        return windows(hits, self.retriever.sentences, limit=10_000)

    def _read_sentences(self, found: list[Window]) -> list[ReadSentence]:
        """Each sentence of the windows once, with its tokens, scored as its window."""
        return list({s.id: self._read_sentence(s, w.score) for w in found for s in w.sentences}.values())

    def _newest_answer(self, answer: Answer, verified: Verified) -> Answer:
        """The newest report's answer names its date; an older report's different answer follows,
        dated and marked as earlier."""
        quotes = list(answer.quotes)
        earlier = verified.earlier
        if earlier is not None and earlier.sentence is not None and earlier.candidate is not None:
            quotes.append(_quote(earlier.sentence, earlier.candidate).model_copy(update={"earlier": True}))
        dated = self.recency.sourced(answer.model_copy(update={"quotes": quotes}))
        return dated.model_copy(update={"as_of": dated.quotes[0].date})

    # --- helpers the evaluation also uses ---------------------------------------------------

    def analyze(self, question: str) -> QuestionAnalysis:
        """Markup typed around a question is not part of it."""
        return self.analyzer.analyze(without_markup(question))

    def ranked_hits(
        self,
        analysis: QuestionAnalysis,
        mode: SearchMode = SearchMode.HYBRID,
        reranked: bool = True,
        query_vector: np.ndarray | None = None,
        k: int = CANDIDATES,
    ) -> list[Hit]:
        """The candidates in the order the bot reads them (the evaluation also ranks other ways)."""
        hits = self.retriever.search(
            analysis.text,
            k=k,
            mode=mode,
            query_vector=query_vector,
            lexical_query=self._lexical_query(analysis),
        )
        return rerank(hits, analysis.type, self.retriever.sentences, analysis.detail) if reranked else hits

    def context(self, article_id: str, paragraph: int) -> Paragraph | None:
        return self.retriever.paragraph(article_id, paragraph)

    def suggestions(self, language: Language) -> list[str]:
        """Example questions from the articles' metadata, else their titles."""
        code = language.value if language in (Language.id, Language.en) else Language.en.value
        catalog = self.retriever.stored.manifest.catalog
        examples = [q for info in catalog for q in info.examples.get(code, [])]
        return (examples or [info.title for info in catalog])[:SUGGESTIONS]

    # --- internals --------------------------------------------------------------------------

    def _verification(
        self,
        words: QuestionWords,
        candidate: Candidate,
        read: ReadSentence,
        companions: list[Hit],
        min_margin: float | None = None,
    ) -> Verification:
        """The checks on the candidate; it is stated when its margin is above `min_margin` (the
        Answerer's own when None)."""
        clause = [t for t in read.tokens if candidate.clause[0] <= t.start < candidate.clause[1]]
        sentence = list(read.tokens)
        for other in companions:  # a quoted neighbour answers its part of a two-part question
            sentence += self._sentence_tokens(other.sentence)
        span = [t for t in read.tokens if candidate.start <= t.start < candidate.end]
        if not candidate.is_fact:  # no reader: the sentence is quoted, nothing is stated to check
            return self.support.verify(words, clause, sentence, list(read.context), span, frozenset())
        verification = self.support.verify(words, clause, sentence, list(read.context), span, self.checks)
        margin = self.min_margin if min_margin is None else min_margin
        return verification.model_copy(update={"stated": candidate.score > margin})

    def _named_first(self, words: QuestionWords, hits: list[Hit]) -> list[Hit]:
        """The hits whose sentence, paragraph or title gives every name the question gives ("di
        Doha"), then the others, each in rank order: the names check refuses the others' facts, so
        the few sentences the reader reads are those whose facts can be stated."""
        names = [w for w in words.words if w.name and not w.optional]
        if not names:
            return hits
        named = {hit.sentence.id for hit in hits if self._gives(names, hit.sentence)}
        return [h for h in hits if h.sentence.id in named] + [h for h in hits if h.sentence.id not in named]

    def _gives(self, words: list[QuestionWord], sentence: Sentence) -> bool:
        """The sentence, its paragraph or its title carries every one of the words."""
        tokens, context = list(self._sentence_tokens(sentence)), list(self._paragraph_tokens(sentence))
        return all(self.support.carries(w, tokens, context) for w in words)

    def _companions(self, read: ReadSentence, hits: list[Hit], analysed: Analysed) -> list[Hit]:
        """A sentence beside the quoted one, scoring almost as well, that the question needs: it
        speaks of the question's words, or the two score the same."""
        terms = set(self.retriever.lexical.tokenizer.tokens(analysed.analysis.text))
        best = read.sentence
        for other in hits[:3]:
            beside = other.sentence.article_id == best.article_id and abs(other.sentence.id - best.id) == 1
            gap = read.score - other.score
            if not beside or gap > COMPANION_GAP or gap < 0:
                continue
            speaks_of_question = bool(
                terms & set(self.retriever.lexical.tokenizer.tokens(other.sentence.text))
            )
            if speaks_of_question or gap <= EQUAL_GAP:
                return [other]
        return []

    def _lexical_query(self, analysis: QuestionAnalysis) -> str:
        """The question with its content words' translations, so that BM25 finds an Indonesian
        sentence for an English question and the other way round (names match as they are)."""
        words = self.support.question_words(analysis).words
        translations = {t for w in words if not (w.optional or w.name) for t in w.translated if " " not in t}
        if analysis.language != Language.en:  # English translations: the index does not stem English
            translations = {form for t in translations for form in english_inflections(t)}
        return " ".join([analysis.text, *sorted(translations)])

    def _read_sentence(self, sentence: Sentence, score: float) -> ReadSentence:
        return ReadSentence(
            sentence=sentence,
            score=score,
            tokens=self._sentence_tokens(sentence),
            context=self._paragraph_tokens(sentence),
        )

    def _sentence_tokens(self, sentence: Sentence) -> tuple[Token, ...]:
        key = (sentence.article_id, -1, sentence.id)
        if key not in self._tokens:
            self._tokens[key] = tuple(self.support.tokens(sentence.text))
        return self._tokens[key]

    def _paragraph_tokens(self, sentence: Sentence) -> tuple[Token, ...]:
        """The paragraph around a sentence and the article's title: where a question word may be
        said once for several sentences ("Pertukaran Tawanan dan Pemulangan Jenazah")."""
        key = (sentence.article_id, sentence.paragraph, -1)
        if key not in self._tokens:
            paragraph = self.retriever.paragraph(sentence.article_id, sentence.paragraph)
            text = (paragraph.text if paragraph else sentence.text) + "\n" + sentence.title
            self._tokens[key] = tuple(self.support.tokens(text))
        return self._tokens[key]

    def _cut(self, question: str) -> tuple[str, bool]:
        if len(question) <= self.max_question_chars:
            return question, False
        return question[: self.max_question_chars], True


def _without_recent_words(words: QuestionWords) -> QuestionWords:
    """The question's words with "terbaru", "terakhir", "now" optional and modifying nothing: "the
    latest talks" are the newest report's, whatever round it calls them ("putaran ketujuh")."""
    recent = recent_words()
    return words.model_copy(
        update={
            "words": tuple(
                w.model_copy(update={"optional": True}) if w.text.lower() in recent else w
                for w in words.words
            ),
            "modified": tuple(
                (noun, word) for noun, word in words.modified if word.text.lower() not in recent
            ),
        }
    )


def reader_question(question: str) -> str:
    """The question as the reader reads it: without the words asking for the newest ("terbaru",
    "latest"), which the rule answers and no sentence says; each report reads as of its own date."""
    if not asks_latest(question):
        return question
    kept = _RECENT_PHRASE.sub("", question)
    return " ".join(kept.split()) if kept.strip(" ?") else question


def _same_time(question: str, clause: str) -> bool:
    """The next round is announced in the future tense ("akan digelar", "is scheduled"); what a
    report says of the next round does not answer what the latest one did."""
    return speaks_of_future(clause) if speaks_of_next(question) else not speaks_of_next(clause)


def _of_the_time(question: str, hits: list[Hit]) -> list[Hit]:
    """For a question about the next round, the sentences that speak of what is to come."""
    return [h for h in hits if speaks_of_future(h.sentence.text)] if speaks_of_next(question) else hits


def per_article(hits: list[Hit], each: int = PER_ARTICLE) -> list[Hit]:
    """The best `each` hits of every article, in rank order."""
    counts: dict[str, int] = {}
    chosen = []
    for hit in hits:
        article = hit.sentence.article_id
        if counts.get(article, 0) < each:
            counts[article] = counts.get(article, 0) + 1
            chosen.append(hit)
    return chosen


def same_fact(a: str, b: str) -> bool:
    """Two spans state the same fact when their letters and digits agree ("1.200" = "1,200")."""
    return _alphanumeric(a) == _alphanumeric(b)


def _alphanumeric(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _merged(first: list[Window], more: list[Window]) -> list[Window]:
    """`first`, then the windows of `more` whose sentences none of `first` holds."""
    seen = {s.id for w in first for s in w.sentences}
    return first + [w for w in more if not seen & {s.id for s in w.sentences}]


def _article_fact(verified: Verified) -> ArticleFact:
    assert verified.candidate is not None and verified.sentence is not None
    candidate, sentence = verified.candidate, verified.sentence.sentence
    return ArticleFact(
        article=sentence.article_id,
        fact=candidate.text,
        sentence=sentence.text,
        highlight=(candidate.start, candidate.end),
        paragraph=sentence.paragraph,
        score=candidate.score,
    )


def without_markup(text: str) -> str:
    """The question without HTML tags, Markdown emphasis and leading symbols ('#', '>', bullets, quotes)."""
    return _LEADING_SYMBOLS.sub("", _MARKDOWN.sub(r"\2", _HTML_TAG.sub(" ", text)))


def _asked_phrase(analysed: Analysed) -> str:
    """The question's words from its first to its last content word ("korban sipil dalam perang"):
    what the partial reply says the articles do not give."""
    words = analysed.words.words
    if not words:
        return ""
    matches = list(WORD.finditer(analysed.analysis.text))
    first, last = words[0].position, words[-1].position
    return analysed.analysis.text[matches[first].start() : matches[last].end()]


def _corpus_names(sentences: list[Sentence]) -> set[str]:
    """Words the articles capitalize inside a sentence ("Ukraina", "Jenewa"): names, whatever case
    a question types them in."""
    found = set()
    for sentence in sentences:
        for match in WORD.finditer(sentence.text):
            word = match.group()
            if (
                match.start() > 0
                and word[:1].isupper()
                and word.lower() not in FUNCTION_WORDS
                and word.lower() not in root_words()
            ):
                found.add(word.lower())
    return found


def _mentioned(candidate: Candidate, verification: Verification) -> str | None:
    """What a partial reply says the articles give instead: a span the reader stated that a check
    then refused ("7.000 jenazah" for soldiers), never a span it did not believe in."""
    return candidate.text if candidate.is_fact and verification.stated else None


def _quote(read: ReadSentence, fact: Candidate | None) -> Quote:
    return Quote.of(read.sentence, read.score, (fact.start, fact.end) if fact else None)
