"""`python -m bot eval`: what the user sees, measured per language.

For each question the bot answers as it would in the chat; the evaluation then counts
- for answerable questions: the right fact in bold (`Answer.stated_fact` equals an accepted span
  after SQuAD's normalisation, see `evaluation.questions.exact_match`), the expected sentence ranked first
  (sentence R@1) and quoted first;
- for every category (answerable, near-miss, off-topic): answered, partial and declined (small talk
  counts as declined: no fact is stated).
Retrieval is also ranked by each search method, as before, on the sentence-level figures.
Passage sets (FacQA from IndoNLU, or a SQuAD-format file such as TyDi QA GoldP) are external sets:
every passage is an article, and the bolded fact is scored against the gold spans by exact match and
token F1 (the best over the golds).
"""

from collections.abc import Iterable

import numpy as np
from pydantic import BaseModel

from bot.answers.answer import Answer, Outcome
from bot.answers.answering import Answerer
from bot.answers.question import QuestionAnalysis
from evaluation.passages import PassageQuestion, PassageSet
from evaluation.questions import (
    Category,
    EvalQuestion,
    RetrievalScores,
    exact_match,
    first_match_rank,
    matches,
    score_ranks,
    token_f1,
)
from index.search import SearchMode

# --- One question, as the user sees it --------------------------------------------------------


class QuestionResult(BaseModel):
    id: str
    question: str
    language: str
    category: Category
    outcome: Outcome
    fact: str
    fact_right: bool | None = None  # None: the line gives no expected fact
    fact_f1: float | None = None  # token F1 of the bolded fact, the best over the accepted ones
    ranked_first: bool | None = None  # None: the line gives no expected sentence
    quoted_first: bool | None = None
    # The language of the article(s) the line expects the fact from; None: not given, or mixed.
    article_language: str | None = None


class OutcomeCounts(BaseModel):
    answered: int = 0
    partial: int = 0
    declined: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome == Outcome.ANSWERED:
            self.answered += 1
        elif outcome == Outcome.PARTIAL:
            self.partial += 1
        else:  # declined, or taken for small talk: either way no fact is stated
            self.declined += 1

    @property
    def total(self) -> int:
        return self.answered + self.partial + self.declined


class Row(BaseModel):
    """One language and category of a question set."""

    language: str
    category: Category
    outcomes: OutcomeCounts
    bolded: int  # answered with a fact in bold
    with_fact: int
    fact_right: int
    f1_sum: float = 0.0
    with_sentence: int
    ranked_first: int
    quoted_first: int

    @property
    def questions(self) -> int:
        return self.outcomes.total

    @property
    def fact_share(self) -> float:
        return self.fact_right / self.with_fact if self.with_fact else 0.0

    @property
    def f1(self) -> float:
        return self.f1_sum / self.with_fact if self.with_fact else 0.0

    @property
    def recall_at_1(self) -> float:
        return self.ranked_first / self.with_sentence if self.with_sentence else 0.0

    @property
    def quoted_first_share(self) -> float:
        return self.quoted_first / self.with_sentence if self.with_sentence else 0.0

    @property
    def bolded_share(self) -> float:
        return self.bolded / self.questions if self.questions else 0.0


class Report(BaseModel):
    name: str
    articles: int
    results: list[QuestionResult]
    retrieval: list[RetrievalScores]
    unranked: list[RetrievalScores]

    @property
    def rows(self) -> list[Row]:
        return summarize(self.results)

    def row(self, language: str, category: Category) -> Row:
        return next(r for r in self.rows if r.language == language and r.category == category)


def summarize(results: Iterable[QuestionResult]) -> list[Row]:
    rows: dict[tuple[str, Category], Row] = {}
    for r in results:
        row = rows.setdefault(
            (r.language, r.category),
            Row(
                language=r.language,
                category=r.category,
                outcomes=OutcomeCounts(),
                bolded=0,
                with_fact=0,
                fact_right=0,
                with_sentence=0,
                ranked_first=0,
                quoted_first=0,
            ),
        )
        row.outcomes.add(r.outcome)
        row.bolded += bool(r.fact)
        row.with_fact += r.fact_right is not None
        row.fact_right += bool(r.fact_right)
        row.f1_sum += r.fact_f1 or 0.0
        row.with_sentence += r.ranked_first is not None
        row.ranked_first += bool(r.ranked_first)
        row.quoted_first += bool(r.quoted_first)
    order = list(Category)
    return sorted(rows.values(), key=lambda r: (r.language, order.index(r.category)))


def evaluate(answerer: Answerer, questions: list[EvalQuestion], name: str = "questions") -> Report:
    prepared = prepare(answerer, questions)
    with_sentences = [p for p in prepared if p[0].answerable and p[0].sentences]
    retrieval = [
        s for mode in SearchMode for s in ranked_scores(answerer, with_sentences, mode, reranked=True)
    ]
    unranked = ranked_scores(answerer, with_sentences, SearchMode.HYBRID, reranked=False)
    results = [judge(answerer, q, analysis, vector) for q, analysis, vector in prepared]
    return Report(
        name=name,
        articles=len(answerer.retriever.stored.manifest.articles),
        results=results,
        retrieval=retrieval,
        unranked=unranked,
    )


Prepared = tuple[EvalQuestion, QuestionAnalysis, np.ndarray]


def prepare(answerer: Answerer, questions: list[EvalQuestion]) -> list[Prepared]:
    """Each question analysed and embedded once, for all the ways it is ranked."""
    analyses = [answerer.analyze(q.question) for q in questions]
    return [(q, a, answerer.retriever.embed_query(a.text)) for q, a in zip(questions, analyses)]


def judge(
    answerer: Answerer, question: EvalQuestion, analysis: QuestionAnalysis, vector: np.ndarray
) -> QuestionResult:
    """The bot's answer to one question, scored against what the line expects."""
    answer = answerer.answer(question.question)
    result = QuestionResult(
        id=question.id,
        question=question.question,
        language=question.language,
        category=question.category or Category.UNANSWERABLE,
        outcome=answer.outcome,
        fact=answer.stated_fact,
    )
    if question.answerable and question.facts:
        result.article_language = _article_language(answerer, question)
        result.fact_right = exact_match(answer.stated_fact, question.facts)
        result.fact_f1 = max(token_f1(answer.stated_fact, fact) for fact in question.facts)
    if question.answerable and question.sentences:
        hits = answerer.ranked_hits(analysis, query_vector=vector)
        result.ranked_first = bool(hits) and matches(hits[0].sentence.text, question.sentences)
        result.quoted_first = bool(answer.quotes) and matches(answer.quotes[0].text, question.sentences)
    return result


def _article_language(answerer: Answerer, question: EvalQuestion) -> str | None:
    """The one language of the articles the line expects its fact from (their meta files give it)."""
    expected = [question.article] if isinstance(question.article, str) else question.article or []
    languages = {i.language for i in answerer.retriever.stored.manifest.catalog if i.id in expected}
    return languages.pop() if len(languages) == 1 else None


class LanguagePair(BaseModel):
    """Answerable questions of one language over articles of one language."""

    question: str
    article: str
    questions: int
    fact_right: int


def language_pairs(results: Iterable[QuestionResult]) -> list[LanguagePair]:
    """Right facts per (question language, article language): English questions over Indonesian
    reports read across languages, and the other way round."""
    counts: dict[tuple[str, str], list[int]] = {}
    for r in results:
        if r.fact_right is not None and r.article_language is not None:
            tally = counts.setdefault((r.language, r.article_language), [0, 0])
            tally[0] += 1
            tally[1] += r.fact_right
    return [
        LanguagePair(question=q, article=a, questions=n, fact_right=k)
        for (q, a), (n, k) in sorted(counts.items())
    ]


def ranked_scores(
    answerer: Answerer, prepared: list[Prepared], mode: SearchMode, reranked: bool
) -> list[RetrievalScores]:
    """Recall and MRR of the sentences the bot would quote first, per language."""
    ranks: dict[str, list[int | None]] = {}
    for question, analysis, vector in prepared:
        hits = answerer.ranked_hits(analysis, mode=mode, reranked=reranked, query_vector=vector)
        texts = [h.sentence.text for h in hits]
        ranks.setdefault(question.language, []).append(first_match_rank(texts, question.sentences))
    return [score_ranks(language, mode, r) for language, r in sorted(ranks.items())]


def format_report(report: Report) -> str:
    lines = [
        f"{report.name}: {len(report.results)} questions over {report.articles} articles",
        "",
        (
            "language  category      n    right fact      F1     sentence R@1    quoted first    "
            "answered  partial  declined  bold"
        ),
    ]
    for row in report.rows:
        figures = (
            (
                f"{share_text(row.fact_right, row.with_fact):<16}{row.f1:<7.3f}"
                f"{share_text(row.ranked_first, row.with_sentence):<16}"
                f"{share_text(row.quoted_first, row.with_sentence):<16}"
            )
            if row.category == Category.ANSWERABLE
            else " " * 55
        )
        o = row.outcomes
        lines.append(
            f"{row.language:<10}{row.category.value:<14}{row.questions:<5}{figures}"
            f"{o.answered:<10}{o.partial:<9}{o.declined:<10}{row.bolded}"
        )
    pairs = language_pairs(report.results)
    if any(p.question != p.article for p in pairs):
        lines += [
            "",
            "questions over articles of each language (answerable)",
            "question  article  right fact",
        ]
        lines += [f"{p.question:<10}{p.article:<9}{share_text(p.fact_right, p.questions)}" for p in pairs]
    if report.retrieval:
        lines += [
            "",
            "retrieval (answerable questions)",
            "method            language  questions  R@1    R@3    MRR",
        ]
        labelled = [(f"{s.mode.value}+rerank", s) for s in report.retrieval] + [
            ("hybrid, no rerank", s) for s in report.unranked
        ]
        for label, s in labelled:
            lines.append(
                f"{label:<18}{s.language:<10}{s.questions:<11}{s.recall_at_1:<7.3f}{s.recall_at_3:<7.3f}{s.mrr:.3f}"
            )
    return "\n".join(lines)


def format_misses(report: Report) -> str:
    """One line per question the bot got wrong: an answerable one without its right fact, or an
    unanswerable one answered with a fact in bold."""
    lines = []
    for r in report.results:
        wrong = r.fact_right is False if r.category == Category.ANSWERABLE else r.outcome == Outcome.ANSWERED
        if wrong:
            lines.append(
                f"{r.id:<8}{r.category.value:<12}{r.outcome.value:<10}{r.question}  ->  {r.fact or '-'}"
            )
    return "\n".join(lines)


def share_text(count: int, total: int) -> str:
    """ "0.636 (35/55)", or "-" when there is nothing to count."""
    return f"{count / total:.3f} ({count}/{total})" if total else "-"


# --- Passage sets (FacQA, TyDi QA): real questions over passages ---------------------------------


class PassageResult(BaseModel):
    question: str
    golds: list[str]
    outcome: Outcome
    fact: str
    ranked_first: bool  # the top-ranked sentence is from the question's passage
    quoted_first: bool  # the first quote is from the question's passage
    exact: bool
    f1: float


class PassageReport(BaseModel):
    name: str
    passages: int
    results: list[PassageResult]

    def share(self, field: str) -> float:
        return sum(getattr(r, field) for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def outcomes(self) -> OutcomeCounts:
        counts = OutcomeCounts()
        for r in self.results:
            counts.add(r.outcome)
        return counts


def evaluate_passages(answerer: Answerer, passages: PassageSet) -> PassageReport:
    results = [judge_passage_question(answerer, q) for q in passages.questions]
    return PassageReport(name=passages.name, passages=len(passages.passages), results=results)


def judge_passage_question(answerer: Answerer, item: PassageQuestion) -> PassageResult:
    """The chat's answer, and whether it came from the question's passage (its article)."""
    answer = answerer.answer(item.question)
    hits = answerer.ranked_hits(answerer.analyze(item.question))
    return PassageResult(
        question=item.question,
        golds=item.golds,
        outcome=answer.outcome,
        fact=answer.stated_fact,
        ranked_first=bool(hits) and hits[0].sentence.article_id == item.passage_id,
        quoted_first=_quoted_from(answer, item.passage_id),
        exact=exact_match(answer.stated_fact, item.golds),
        f1=max((token_f1(answer.stated_fact, gold) for gold in item.golds), default=0.0),
    )


def _quoted_from(answer: Answer, article_id: str) -> bool:
    return bool(answer.quotes) and answer.quotes[0].article == article_id


def format_passages(report: PassageReport) -> str:
    n, o = len(report.results), report.outcomes
    return "\n".join(
        [
            (
                f"{report.name}: {n} questions over {report.passages} passages "
                "(each passage indexed as an article)"
            ),
            f"right passage ranked first   {report.share('ranked_first'):.3f}",
            f"right passage quoted first   {report.share('quoted_first'):.3f}",
            f"answered                     {share_text(o.answered, n)}",
            f"partial                      {share_text(o.partial, n)}",
            f"declined                     {share_text(o.declined, n)}",
            f"bolded fact, exact match     {report.share('exact'):.3f}",
            f"bolded fact, token F1        {report.share('f1'):.3f}",
        ]
    )
