"""The answering pipeline: question -> analysis -> retrieval -> re-ranking -> gate -> Answer.

An `Answerer` serves one index and never changes; a rebuilt index gets a new Answerer that
replaces the old one in a single assignment, so questions in flight finish on the old one.
"""

import logging
import re

import numpy as np

from bot.answers.answer import Answer, AnswerKind, Quote
from bot.answers.facts import Fact, find_fact, question_terms
from bot.answers.gate import AnswerGate, Verdict, Vocabulary
from bot.answers.question import Language, QuestionAnalysis, QuestionAnalyzer
from bot.answers.ranking import rerank
from bot.answers.recency import Recency
from index.models import Hit, Paragraph
from index.search import Retriever, SearchMode

log = logging.getLogger(__name__)
CANDIDATES = 30
SUGGESTIONS = 3
# A second sentence is quoted only when it stands beside the first, scores almost as well, and
# the question needs it: it speaks of the question's words, or the two score the same (e.g. an
# English question over Indonesian sentences, where no word is shared to tell them apart).
COMPANION_GAP = 0.03
EQUAL_GAP = 0.005
# Markup typed into a question ("<b>Siapa</b>", "**Siapa**", "# Siapa") is not part of it.
_HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_MARKDOWN = re.compile(r"(?<!\w)(\*\*|__|\*|_|~~|`+)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_LEADING_SYMBOLS = re.compile(r"^[^\w/@]+")  # "/start" and "@mentions" keep their sign


class Answerer:
    def __init__(self, retriever: Retriever, analyzer: QuestionAnalyzer, background_vectors: np.ndarray,
                 max_question_chars: int = 500) -> None:
        self.retriever = retriever
        self.analyzer = analyzer
        self.gate = AnswerGate(Vocabulary([s.text for s in retriever.sentences]), background_vectors)
        self.max_question_chars = max_question_chars
        self.recency = Recency(retriever.stored.manifest.catalog)

    def answer(self, question: str) -> Answer:
        """Always returns an Answer; never raises for any text."""
        text, cut = self._cut(question)
        analysis = self.analyze(text)
        base = {"question": text, "language": analysis.language, "question_type": analysis.type,
                "question_cut": cut, "other_language": analysis.detected_language_name}
        if analysis.is_empty:
            return Answer(kind=AnswerKind.EMPTY, suggestions=self.suggestions(analysis.language), **base)
        if analysis.small_talk is not None:
            return Answer(kind=AnswerKind.SMALL_TALK, small_talk=analysis.small_talk,
                          suggestions=self.suggestions(analysis.language), **base)
        hits, verdict = self.retrieve(analysis)
        log.debug("%s -> %s", analysis.type.value, verdict.reason)
        if not verdict.answerable:
            return Answer(kind=AnswerKind.NOT_FOUND, missing_detail=verdict.missing_detail,
                          suggestions=self.suggestions(analysis.language), **base)
        return self._found(analysis, hits, base)

    def analyze(self, question: str) -> QuestionAnalysis:
        """Markup typed around a question is not part of it."""
        return self.analyzer.analyze(without_markup(question))

    def retrieve(self, analysis: QuestionAnalysis) -> tuple[list[Hit], Verdict]:
        """The re-ranked candidates and the gate's verdict on them."""
        vector = self.retriever.embed_query(analysis.text)
        ranked = self.ranked_hits(analysis, query_vector=vector)
        return ranked, self.gate.decide(analysis, vector, ranked)

    def ranked_hits(self, analysis: QuestionAnalysis, mode: SearchMode = SearchMode.HYBRID,
                    reranked: bool = True, query_vector: np.ndarray | None = None) -> list[Hit]:
        """The candidates in the order the bot quotes them (the evaluation also ranks other ways)."""
        hits = self.retriever.search(analysis.text, k=CANDIDATES, mode=mode, query_vector=query_vector)
        return rerank(hits, analysis.type, self.retriever.sentences, analysis.detail) if reranked else hits

    def context(self, article_id: str, paragraph: int) -> Paragraph | None:
        return self.retriever.paragraph(article_id, paragraph)

    def suggestions(self, language: Language) -> list[str]:
        """Example questions from the articles' metadata, else their titles."""
        code = language.value if language in (Language.id, Language.en) else Language.en.value
        catalog = self.retriever.stored.manifest.catalog
        examples = [q for info in catalog for q in info.examples.get(code, [])]
        return (examples or [info.title for info in catalog])[:SUGGESTIONS]

    def _found(self, analysis: QuestionAnalysis, hits: list[Hit], base: dict) -> Answer:
        tokenizer = self.retriever.lexical.tokenizer
        hits = self.recency.newest_first(hits, analysis.text)
        chosen = self._quoted_hits(hits, set(tokenizer.tokens(analysis.text)))
        terms = question_terms(analysis.text, tokenizer)
        facts = [find_fact(h.sentence.text, analysis.type, terms, tokenizer, analysis.detail) for h in chosen]
        fact = next((f for f in facts if f is not None), None)  # from the best quote that has one
        quotes = [_quote(hit, f) for hit, f in zip(chosen, facts)]
        answer = Answer(kind=AnswerKind.ANSWER, quotes=quotes, fact=fact.text if fact else None, **base)
        return self.recency.dated(answer, hits, analysis.text)

    def _quoted_hits(self, hits: list[Hit], terms: set[str]) -> list[Hit]:
        """The best sentence, plus a neighbour when the question needs both; best first."""
        best, rest = hits[0], hits[1:3]
        for other in rest:
            beside = other.sentence.article_id == best.sentence.article_id and abs(other.sentence.id - best.sentence.id) == 1
            gap = best.score - other.score
            if not beside or gap > COMPANION_GAP:
                continue
            speaks_of_question = bool(terms & set(self.retriever.lexical.tokenizer.tokens(other.sentence.text)))
            if speaks_of_question or gap <= EQUAL_GAP:
                return [best, other]
        return [best]

    def _cut(self, question: str) -> tuple[str, bool]:
        if len(question) <= self.max_question_chars:
            return question, False
        return question[: self.max_question_chars], True


def without_markup(text: str) -> str:
    """The question without HTML tags, Markdown emphasis and leading symbols ('#', '>', bullets, quotes)."""
    return _LEADING_SYMBOLS.sub("", _MARKDOWN.sub(r"\2", _HTML_TAG.sub(" ", text)))


def _quote(hit: Hit, fact: Fact | None) -> Quote:
    s = hit.sentence
    return Quote(text=s.text, article=s.article_id, title=s.title, paragraph=s.paragraph,
                 score=round(hit.score, 4), url=s.url, highlight=(fact.start, fact.end) if fact else None)
