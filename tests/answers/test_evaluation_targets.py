"""The evaluation figures of `python -m bot eval` must not fall below their floors.

The issue's targets are the goal:
    Recall@1 >= 0.95 on Indonesian questions and >= 0.80 on English ones;
    >= 95% of answerable questions answered; >= 90% of unanswerable questions declined.
The floors below are the figures measured with `python -m bot eval` (one seed article), rounded
down to two decimals so that the measured count still passes and one question fewer fails. They
guard against regressions; raise them as the figures improve, never lower them.

Two question sets: eval_questions.jsonl, the development set the rules were tuned on, and
holdout_questions.jsonl, written later and measured before any change was made for it (README,
"Answers"), so that its figures show how the rules carry over to new wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.evaluate import Report, evaluate, format_report
from bot.answers.service import AnswerService
from index.evaluate import RetrievalScores, load_questions
from index.search import SearchMode

DATA = Path(__file__).resolve().parents[1] / "data"
QUESTIONS = DATA / "eval_questions.jsonl"
HOLDOUT = DATA / "holdout_questions.jsonl"

# Measured: hybrid+rerank  en R@1 0.871 R@3 0.935 MRR 0.911 | id R@1 0.909 R@3 0.977 MRR 0.944
RETRIEVAL_FLOORS = {
    "en": {"recall_at_1": 0.87, "recall_at_3": 0.93, "mrr": 0.91},
    "id": {"recall_at_1": 0.90, "recall_at_3": 0.97, "mrr": 0.94},
}
# Measured: answered en 1.000 (31/31), id 0.989 (87/88); declined en 0.824 (14/17), id 0.722 (13/18)
ANSWERED_FLOORS = {"en": 0.99, "id": 0.98}
DECLINED_FLOORS = {"en": 0.82, "id": 0.72}
# Holdout, measured: R@1 en 0.833 (10/12), id 0.967 (29/30); answered 12/12, 30/30;
# declined en 0.800 (8/10), id 0.900 (9/10)
HOLDOUT_FLOORS = {
    "en": {"recall_at_1": 0.83, "answered": 1.0, "declined": 0.80},
    "id": {"recall_at_1": 0.96, "answered": 1.0, "declined": 0.90},
}
# The goal, for the report only (the floors above are what the suite enforces).
TARGETS = {"recall_at_1": {"id": 0.95, "en": 0.80}, "answered": 0.95, "declined": 0.90}
METRICS = ("recall_at_1", "recall_at_3", "mrr")


@pytest.fixture(scope="module")
def report(service: AnswerService) -> Report:
    """One evaluation for the whole module (evaluate embeds each question once for all methods)."""
    made = evaluate(service.answerer, load_questions(QUESTIONS))
    print("\n" + format_report(made))
    return made


@pytest.fixture(scope="module")
def holdout_report(service: AnswerService) -> Report:
    made = evaluate(service.answerer, load_questions(HOLDOUT))
    print("\n" + format_report(made))
    return made


def scores(report: Report, mode: SearchMode, language: str, reranked: bool = True) -> RetrievalScores:
    rows = report.retrieval if reranked else report.unranked
    return next(s for s in rows if s.mode == mode and s.language == language)


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
@pytest.mark.parametrize("metric", METRICS)
def test_hybrid_rerank_retrieval_stays_above_its_floor(report, language, metric):
    measured = getattr(scores(report, SearchMode.HYBRID, language), metric)
    assert measured >= RETRIEVAL_FLOORS[language][metric], f"{metric} {language}: {measured:.3f}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_answerable_questions_answered_above_floor(report, language):
    row = next(d for d in report.decisions if d.language == language)
    assert row.answered_share >= ANSWERED_FLOORS[language], f"{row.answered}/{row.answerable}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_unanswerable_questions_declined_above_floor(report, language):
    row = next(d for d in report.decisions if d.language == language)
    assert row.declined_share >= DECLINED_FLOORS[language], f"{row.declined}/{row.unanswerable}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
@pytest.mark.parametrize("single", [SearchMode.DENSE, SearchMode.LEXICAL])
def test_hybrid_rerank_is_at_least_as_good_as_one_method_alone(report, language, single):
    hybrid, alone = scores(report, SearchMode.HYBRID, language), scores(report, single, language)
    for metric in METRICS:
        assert getattr(hybrid, metric) >= getattr(alone, metric), f"{metric}: hybrid {hybrid} < {single} {alone}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_rerank_is_at_least_as_good_as_no_rerank(report, language):
    reranked = scores(report, SearchMode.HYBRID, language)
    unranked = scores(report, SearchMode.HYBRID, language, reranked=False)
    for metric in METRICS:
        assert getattr(reranked, metric) >= getattr(unranked, metric), metric


def test_every_language_of_the_question_set_is_evaluated(report):
    languages = {q.language for q in load_questions(QUESTIONS)}
    assert {s.language for s in report.retrieval if s.mode == SearchMode.HYBRID} == languages
    assert {d.language for d in report.decisions} == languages == set(RETRIEVAL_FLOORS)


@pytest.mark.parametrize("language", HOLDOUT_FLOORS)
def test_holdout_recall_at_1_stays_above_its_floor(holdout_report, language):
    measured = scores(holdout_report, SearchMode.HYBRID, language).recall_at_1
    assert measured >= HOLDOUT_FLOORS[language]["recall_at_1"], f"{language}: {measured:.3f}"


@pytest.mark.parametrize("language", HOLDOUT_FLOORS)
def test_holdout_answers_and_refusals_stay_above_their_floors(holdout_report, language):
    row = next(d for d in holdout_report.decisions if d.language == language)
    assert row.answered_share >= HOLDOUT_FLOORS[language]["answered"], f"{row.answered}/{row.answerable}"
    assert row.declined_share >= HOLDOUT_FLOORS[language]["declined"], f"{row.declined}/{row.unanswerable}"
