"""The answer engine as a pipeline of small named stages, each with a typed input and output:

    analyse  (question text)            -> Analysed   cleaned text, type, language, content words
    retrieve (Analysed)                 -> Retrieved  re-ranked sentences and the gate's verdict
    read     (Analysed, Retrieved)      -> Reading    the trained reader's best span in each window, by margin
    verify   (Analysed, Reading)        -> Verified   the best span no check speaks against, or why none
    template (Analysed, Retrieved, Verified) -> Answer   answered, partial or declined
    render   (Answer)                   -> str        bot.answers.render (Telegram HTML or plain text)

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
from bot.answers.reading import Candidate, ReadSentence, quoted_only, read_windows, windows
from bot.answers.recency import LATEST_MARGIN, Recency, asks_latest
from bot.answers.span_reader import SpanReader
from bot.answers.verify import Check, QuestionWords, Token, Verification, WordSupport
from index.lexical import FUNCTION_WORDS, WORD, root_words
from index.models import Hit, Paragraph, Sentence
from index.search import Retriever, SearchMode

log = logging.getLogger(__name__)
CANDIDATES = 30
SUGGESTIONS = 3
# Candidates tried, best first, until one is verified.
VERIFY_TRIES = 4
# The reader's margin of a span over "no answer" above which it is stated (tuned on the dev set).
MIN_MARGIN = -1.0
# A recency margin for latest/next questions: the newest article's span leads unless another's
# margin is this much higher.
RECENCY_MARGIN = 2.0
# A second sentence is quoted only when it stands beside the first, scores almost as well, and
# the question needs it: it speaks of the question's words, or the two score the same (e.g. an
# English question over Indonesian sentences, where no word is shared to tell them apart).
COMPANION_GAP = 0.03
EQUAL_GAP = 0.005
# Markup typed into a question ("<b>Siapa</b>", "**Siapa**", "# Siapa") is not part of it.
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_MARKDOWN = re.compile(r"(?<!\w)(\*\*|__|\*|_|~~|`+)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LEADING_SYMBOLS = re.compile(r"^[^\w/@]+")  # "/start" and "@mentions" keep their sign


class Analysed(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    cut: bool
    analysis: QuestionAnalysis
    words: QuestionWords


class Retrieved(BaseModel):
    hits: list[Hit]
    verdict: Verdict


class Reading(BaseModel):
    sentences: list[ReadSentence]
    candidates: list[Candidate]


class Verified(BaseModel):
    """The candidate chosen and its verification; `candidate` is None when nothing was read."""

    candidate: Candidate | None = None
    sentence: ReadSentence | None = None
    verification: Verification | None = None
    companions: list[Hit] = []

    @property
    def passed(self) -> bool:
        return self.verification is not None and self.verification.passed


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
        return Analysed(text=text, cut=cut, analysis=analysis, words=words)

    def retrieve(self, analysed: Analysed) -> Retrieved:
        """The re-ranked candidates and the gate's verdict on them."""
        analysis = analysed.analysis
        vector = self.retriever.embed_query(analysis.text)
        ranked = self.ranked_hits(analysis, query_vector=vector)
        return Retrieved(hits=ranked, verdict=self.gate.decide(analysis, vector, ranked))

    def read(self, analysed: Analysed, retrieved: Retrieved) -> Reading:
        """The reader's best span in each of the best windows, best margin first. Without a reader,
        the top sentence, to be quoted with nothing in bold."""
        found = windows(retrieved.hits, self.retriever.sentences)
        sentences = {s.id: self._read_sentence(s, w.score) for w in found for s in w.sentences}
        if self.span_reader is None:
            return Reading(
                sentences=list(sentences.values()), candidates=[quoted_only(h) for h in retrieved.hits[:1]]
            )
        candidates = read_windows(self.span_reader, analysed.analysis.text, found)
        if asks_latest(
            analysed.analysis.text
        ):  # "terbaru", "berikutnya", "latest", "next": the newest article leads
            article = {s: r.sentence.article_id for s, r in sentences.items()}
            stated = [c for c in candidates if c.score > self.min_margin]
            candidates = (
                self.recency.newest_first(
                    stated,
                    analysed.analysis.text,
                    article=lambda c: article[c.sentence_id],
                    score=lambda c: c.score,
                    scale=RECENCY_MARGIN / LATEST_MARGIN,
                )
                + candidates[len(stated) :]
            )
        return Reading(sentences=list(sentences.values()), candidates=candidates)

    def verify(self, analysed: Analysed, retrieved: Retrieved, reading: Reading) -> Verified:
        """The best span the reader states (margin above MIN_MARGIN) that no check speaks against;
        else the best span, with what failed."""
        by_id = {s.sentence.id: s for s in reading.sentences}
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
            quotes = [_quote(read, fact)] + [_quote(_as_read(h), None) for h in verified.companions]
            answer = Answer(kind=AnswerKind.ANSWER, quotes=quotes, fact=fact.text if fact else None, **base)
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
    ) -> list[Hit]:
        """The candidates in the order the bot reads them (the evaluation also ranks other ways)."""
        hits = self.retriever.search(
            analysis.text,
            k=CANDIDATES,
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
        self, words: QuestionWords, candidate: Candidate, read: ReadSentence, companions: list[Hit]
    ) -> Verification:
        clause = [t for t in read.tokens if candidate.clause[0] <= t.start < candidate.clause[1]]
        sentence = list(read.tokens)
        for other in companions:  # a quoted neighbour answers its part of a two-part question
            sentence += self._sentence_tokens(other.sentence)
        span = [t for t in read.tokens if candidate.start <= t.start < candidate.end]
        if not candidate.is_fact:  # no reader: the sentence is quoted, nothing is stated to check
            return self.support.verify(words, clause, sentence, list(read.context), span, frozenset())
        verification = self.support.verify(words, clause, sentence, list(read.context), span, self.checks)
        return verification.model_copy(update={"stated": candidate.score > self.min_margin})

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


def _as_read(hit: Hit) -> ReadSentence:
    return ReadSentence(sentence=hit.sentence, score=hit.score, tokens=())


def _quote(read: ReadSentence, fact: Candidate | None) -> Quote:
    s = read.sentence
    return Quote(
        text=s.text,
        article=s.article_id,
        title=s.title,
        paragraph=s.paragraph,
        score=round(read.score, 4),
        url=s.url,
        highlight=(fact.start, fact.end) if fact else None,
    )
