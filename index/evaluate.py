"""Retrieval quality on a question set: Recall@1, Recall@3 and MRR per language."""

import json
from pathlib import Path

from pydantic import BaseModel

from index.search import Retriever, SearchMode


class EvalQuestion(BaseModel):
    id: str
    question: str
    language: str
    answerable: bool
    answers: list[str] = []
    type: str = "other"


class RetrievalScores(BaseModel):
    language: str
    mode: SearchMode
    questions: int
    recall_at_1: float
    recall_at_3: float
    mrr: float


def load_questions(path: Path) -> list[EvalQuestion]:
    with open(path, encoding="utf-8") as handle:
        return [EvalQuestion.model_validate(json.loads(line)) for line in handle if line.strip()]


def matches(sentence: str, answers: list[str]) -> bool:
    """A retrieved sentence answers when it is (or contains, or lies in) a gold sentence."""
    return any(answer in sentence or sentence in answer for answer in answers)


def first_match_rank(retrieved: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first retrieved sentence that answers, or None."""
    return next((rank for rank, text in enumerate(retrieved, start=1) if matches(text, answers)), None)


def score_ranks(language: str, mode: SearchMode, ranks: list[int | None]) -> RetrievalScores:
    count = len(ranks) or 1
    return RetrievalScores(
        language=language,
        mode=mode,
        questions=len(ranks),
        recall_at_1=sum(1 for r in ranks if r == 1) / count,
        recall_at_3=sum(1 for r in ranks if r is not None and r <= 3) / count,
        mrr=sum(1 / r for r in ranks if r is not None) / count,
    )


def evaluate_retrieval(retriever: Retriever, questions: list[EvalQuestion], mode: SearchMode) -> list[RetrievalScores]:
    """Scores per language over the answerable questions."""
    ranks: dict[str, list[int | None]] = {}
    for question in (q for q in questions if q.answerable):
        hits = retriever.search(question.question, k=10, mode=mode)
        ranks.setdefault(question.language, []).append(
            first_match_rank([h.sentence.text for h in hits], question.answers)
        )
    return [score_ranks(language, mode, r) for language, r in sorted(ranks.items())]
