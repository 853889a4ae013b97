"""`python -m bot eval`: retrieval per method, and the share of questions answered or declined."""

import numpy as np
from pydantic import BaseModel

from bot.answers.answering import Answerer
from bot.answers.question import QuestionAnalysis
from index.evaluate import EvalQuestion, RetrievalScores, first_match_rank, score_ranks
from index.search import SearchMode


class Decisions(BaseModel):
    language: str
    answerable: int
    answered: int
    unanswerable: int
    declined: int

    @property
    def answered_share(self) -> float:
        return self.answered / self.answerable if self.answerable else 1.0

    @property
    def declined_share(self) -> float:
        return self.declined / self.unanswerable if self.unanswerable else 1.0


class Report(BaseModel):
    retrieval: list[RetrievalScores]
    unranked: list[RetrievalScores]
    decisions: list[Decisions]


def evaluate(answerer: Answerer, questions: list[EvalQuestion]) -> Report:
    prepared = prepare(answerer, [q for q in questions if q.answerable])
    retrieval = [s for mode in SearchMode for s in ranked_scores(answerer, prepared, mode, reranked=True)]
    unranked = ranked_scores(answerer, prepared, SearchMode.HYBRID, reranked=False)
    return Report(retrieval=retrieval, unranked=unranked, decisions=decisions(answerer, questions))


Prepared = tuple[EvalQuestion, QuestionAnalysis, np.ndarray]


def prepare(answerer: Answerer, questions: list[EvalQuestion]) -> list[Prepared]:
    """Each question analysed and embedded once, for all the ways it is ranked."""
    analyses = [answerer.analyze(q.question) for q in questions]
    return [(q, a, answerer.retriever.embed_query(a.text)) for q, a in zip(questions, analyses)]


def ranked_scores(answerer: Answerer, prepared: list[Prepared], mode: SearchMode, reranked: bool) -> list[RetrievalScores]:
    """Recall and MRR of the sentences the bot would quote first, per language."""
    ranks: dict[str, list[int | None]] = {}
    for question, analysis, vector in prepared:
        hits = answerer.ranked_hits(analysis, mode=mode, reranked=reranked, query_vector=vector)
        texts = [h.sentence.text for h in hits]
        ranks.setdefault(question.language, []).append(first_match_rank(texts, question.answers))
    return [score_ranks(language, mode, r) for language, r in sorted(ranks.items())]


def decisions(answerer: Answerer, questions: list[EvalQuestion]) -> list[Decisions]:
    counts: dict[str, Decisions] = {}
    for question in questions:
        answered = answerer.answer(question.question).answered
        row = counts.setdefault(question.language, Decisions(language=question.language, answerable=0,
                                                             answered=0, unanswerable=0, declined=0))
        if question.answerable:
            row.answerable += 1
            row.answered += answered
        else:
            row.unanswerable += 1
            row.declined += not answered
    return [counts[language] for language in sorted(counts)]


def format_report(report: Report) -> str:
    lines = ["method          language  questions  R@1    R@3    MRR"]
    labelled = [(f"{s.mode.value}+rerank", s) for s in report.retrieval] + [("hybrid, no rerank", s) for s in report.unranked]
    for label, s in labelled:
        lines.append(f"{label:<18}{s.language:<10}{s.questions:<11}{s.recall_at_1:<7.3f}{s.recall_at_3:<7.3f}{s.mrr:.3f}")
    lines.append("")
    lines.append("language  answered (of answerable)   declined (of unanswerable)")
    for d in report.decisions:
        lines.append(f"{d.language:<10}{d.answered_share:.3f} ({d.answered}/{d.answerable}){'':<10}"
                     f"{d.declined_share:.3f} ({d.declined}/{d.unanswerable})")
    return "\n".join(lines)
