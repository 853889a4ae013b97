"""`python -m bot eval`: retrieval per method, and the share of questions answered or declined."""


from pydantic import BaseModel

from bot.answering import CANDIDATES, Answerer
from bot.ranking import rerank
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
    retrieval = [s for mode in SearchMode for s in ranked_scores(answerer, questions, mode, reranked=True)]
    unranked = ranked_scores(answerer, questions, SearchMode.HYBRID, reranked=False)
    return Report(retrieval=retrieval, unranked=unranked, decisions=decisions(answerer, questions))


def ranked_scores(answerer: Answerer, questions: list[EvalQuestion], mode: SearchMode, reranked: bool) -> list[RetrievalScores]:
    """Recall and MRR of the sentences the bot would quote first, per language."""
    ranks: dict[str, list[int | None]] = {}
    for question in (q for q in questions if q.answerable):
        analysis = answerer.analyzer.analyze(question.question)
        hits = answerer.retriever.search(analysis.text, k=CANDIDATES, mode=mode)
        if reranked:
            hits = rerank(hits, analysis.type, answerer.retriever.sentences)
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
