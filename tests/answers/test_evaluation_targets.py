"""The evaluation figures of `python -m bot eval` must not fall below their floors.

The issue's targets are the goal (on the fact-level sets, both languages):
    the right fact in bold for >= 90% of answerable questions;
    <= 10% of near-miss questions answered with a fact in bold; no off-topic question answered;
    on FacQA, the bolded fact matching exactly for >= 60% of questions.
The floors below are the figures measured with `python -m bot eval` on this branch, rounded so
that the measured count still passes and one question fewer fails. They guard against regressions;
raise them as the figures improve, never lower them.

Sets (README, "Evaluation"):
- facts_dev.jsonl / facts_holdout.jsonl: fact-level, over seeds/ and tests/data/articles/ together;
  the holdout was measured before the reader was tuned on the dev set;
- eval_questions.jsonl / holdout_questions.jsonl: the older sentence-level sets, over the seed alone
  (they were written for it: over all articles some of their "unanswerable" questions have answers);
- FacQA valid (tests/data/facqa/valid.csv, a copy of ../shared/datasets/facqa/valid.csv): real news, slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.question import QuestionAnalyzer
from bot.answers.service import AnswerService
from bot.settings import Settings
from evaluation.answers import (
    PassageReport,
    Report,
    evaluate,
    evaluate_passages,
    format_passages,
    format_report,
)
from evaluation.corpus import passages_settings
from evaluation.facqa import read_facqa
from evaluation.questions import Category, RetrievalScores, load_questions
from index.build import build_index
from index.search import SearchMode

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
FACQA_VALID = DATA / "facqa" / "valid.csv"  # IndoNLU FacQA valid, Apache-2.0 (README there)

# --- Fact-level sets, measured with the trained reader (issue 17; its margin threshold and window
# size chosen on the dev set) and the latest/next rule (issue 18): right fact in bold dev id 34/55,
# en 22/30, holdout id 13/29, en 6/16; quoted first dev 38/55, 24/30, holdout 19/29, 7/16. The rule
# cost the dev set its two "next meeting" questions: they now expect the newest report that
# announces the next meeting (Doha), and the bot answers from a newer report that announces none;
# retrieval ranks the English one's new expected sentence second (sentence R@1 en 21/30). The hand-written rules it replaced, tuned on
# the dev set, had dev 46/55, 25/30 and holdout 16/29, 5/16 (README, docs/reader.md). The second
# reader (2026-12-07: swapped-name negatives, one call a sentence, named hits first, margin 0):
# dev 33/55, 23/30, holdout 17/29, 8/16; quoted first dev 39/55, 24/30, holdout 19/29, 10/16.
# Spans widened to whole words (2026-12-07, last session): dev id 32/55, quoted first 38/55. The one
# lost had been right by luck: the broken span "puluh hari" failed the counted check and let "tiga
# hari" through; the whole "sepuluh hari" passes it (docs/reader.md). The duration check and time
# units that count no prisoners (2026-12-07, eighth session): dev id 33/55, holdout id 18/29.
# The same code and weights on another CPU (AMD EPYC with AVX-512 VNNI, 2026-12-08): dev id 35/55,
# en 23/30; holdout id 15/29, holdout en quoted first 9/16. The int8 reader's kernels differ by CPU and
# move spans whose two ends score almost alike (docs/reader.md, "Figures differ by CPU"); each floor
# is the lower of the two machines' figures.
FACT_FLOORS = {
    "facts_dev.jsonl": {
        "id": {"fact": 0.60, "recall_at_1": 0.63, "quoted_first": 0.69},
        "en": {"fact": 0.76, "recall_at_1": 0.70, "quoted_first": 0.80},
    },
    "facts_holdout.jsonl": {
        "id": {"fact": 0.51, "recall_at_1": 0.62, "quoted_first": 0.65},
        "en": {"fact": 0.50, "recall_at_1": 0.62, "quoted_first": 0.56},
    },
}
# Near-miss questions answered with a fact in bold, at most (target 0.10, not met). Measured with the
# trained reader: dev 4/24, 5/19; holdout 5/13, 3/12 (the rules: 0/24, 0/19; 2/13, 1/12). With the
# second reader (2026-12-07): dev 3/24, 5/19; holdout 3/13, 2/12. On the AMD EPYC (above): dev 5/24,
# 5/19; holdout 4/13, 3/12. Each ceiling is the higher of the two machines' figures.
NEAR_MISS_BOLD_CEILINGS = {
    "facts_dev.jsonl": {"id": 0.21, "en": 0.27},
    "facts_holdout.jsonl": {"id": 0.31, "en": 0.25},
}
OFF_TOPIC_ANSWERED_CEILING = 0  # the target: none (measured: none)

# --- Sentence-level sets over the seed alone. Retrieval, measured: hybrid+rerank en R@1 0.871
# R@3 1.000 MRR 0.935 (BM25 also matches the English words' translations) | id R@1 0.909 R@3 0.977
# MRR 0.945.
RETRIEVAL_FLOORS = {
    "en": {"recall_at_1": 0.87, "recall_at_3": 1.0, "mrr": 0.93},
    "id": {"recall_at_1": 0.90, "recall_at_3": 0.97, "mrr": 0.94},
}
# Answered (a fact stated) of answerable, and not answered (partial or declined: no fact stated) of
# unanswerable. Before the reader, "answered" meant any quote: en 31/31, id 87/88 answered. With the
# reader's partial outcome, measured: answered en 17/31, id 59/88; not answered en 17/17, id 18/18.
# With the trained reader: answered en passes 0.54, id 37/88; not answered en 16/17, id 16/18.
# The second reader (2026-12-07): not answered en 15/17.
ANSWERED_FLOORS = {"en": 0.54, "id": 0.42}
NOT_ANSWERED_FLOORS = {"en": 0.88, "id": 0.88}
# Holdout, measured: R@1 en 12/12, id 29/30; answered 7/12, 25/30; not answered 10/10, 10/10.
HOLDOUT_FLOORS = {
    "en": {"recall_at_1": 1.0, "answered": 0.58, "not_answered": 1.0},
    "id": {"recall_at_1": 0.96, "answered": 0.66, "not_answered": 1.0},  # trained reader: answered 20/30
}
METRICS = ("recall_at_1", "recall_at_3", "mrr")

# --- FacQA valid, 311 questions over 273 passages. Before the reader (8d1d1b0): quoted first 0.711,
# EM 0.158, F1 0.237. With the reader (issue-9b rules): ranked first 0.797, quoted first 0.662
# (206/311), answered 114/311, EM 0.100 (31/311), F1 0.181. Quoted first fell with the reader: a
# partial reply quotes the sentence of the candidate that carries most of the question, not always
# the top-ranked one; the floor is the measured figure. The second reader with its checks
# (2026-12-07, after names written beside names and the calendar "berapa"): quoted first 0.804,
# EM 0.518, F1 0.609.
FACQA_FLOORS = {"quoted_first": 0.80, "exact": 0.51, "f1": 0.60}


def service_over(settings: Settings, embedder) -> AnswerService:
    build_index(settings, embedder)
    made = AnswerService(settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    return made


@pytest.fixture(scope="module")
def fact_reports(corpus_service: AnswerService) -> dict[str, Report]:
    reports = {}
    for name in FACT_FLOORS:
        reports[name] = evaluate(corpus_service.answerer, load_questions(DATA / name), name=name)
        print("\n" + format_report(reports[name]))
    return reports


@pytest.fixture(scope="module")
def report(service: AnswerService) -> Report:
    """The development sentence-level set over the seed (`service` indexes the seed alone)."""
    made = evaluate(service.answerer, load_questions(DATA / "eval_questions.jsonl"))
    print("\n" + format_report(made))
    return made


@pytest.fixture(scope="module")
def holdout_report(service: AnswerService) -> Report:
    made = evaluate(service.answerer, load_questions(DATA / "holdout_questions.jsonl"))
    print("\n" + format_report(made))
    return made


def scores(report: Report, mode: SearchMode, language: str, reranked: bool = True) -> RetrievalScores:
    rows = report.retrieval if reranked else report.unranked
    return next(s for s in rows if s.mode == mode and s.language == language)


FACT_CASES = [(name, language) for name, by_language in FACT_FLOORS.items() for language in by_language]


@pytest.mark.parametrize(("name", "language"), FACT_CASES)
def test_the_right_fact_in_bold_stays_above_its_floor(fact_reports, name, language):
    row = fact_reports[name].row(language, Category.ANSWERABLE)
    assert row.fact_share >= FACT_FLOORS[name][language]["fact"], f"{row.fact_right}/{row.with_fact}"


@pytest.mark.parametrize(("name", "language"), FACT_CASES)
def test_fact_level_sentence_recall_at_1_stays_above_its_floor(fact_reports, name, language):
    row = fact_reports[name].row(language, Category.ANSWERABLE)
    assert row.recall_at_1 >= FACT_FLOORS[name][language]["recall_at_1"], (
        f"{row.ranked_first}/{row.with_sentence}"
    )


@pytest.mark.parametrize(("name", "language"), FACT_CASES)
def test_the_expected_sentence_quoted_first_stays_above_its_floor(fact_reports, name, language):
    row = fact_reports[name].row(language, Category.ANSWERABLE)
    assert row.quoted_first_share >= FACT_FLOORS[name][language]["quoted_first"], (
        f"{row.quoted_first}/{row.with_sentence}"
    )


@pytest.mark.parametrize(("name", "language"), FACT_CASES)
def test_near_miss_questions_answered_with_a_bold_fact_stay_below_their_ceiling(fact_reports, name, language):
    row = fact_reports[name].row(language, Category.NEAR_MISS)
    assert row.bolded_share <= NEAR_MISS_BOLD_CEILINGS[name][language], f"{row.bolded}/{row.questions}"


@pytest.mark.parametrize(("name", "language"), FACT_CASES)
def test_no_off_topic_question_is_answered(fact_reports, name, language):
    row = fact_reports[name].row(language, Category.OFF_TOPIC)
    assert row.outcomes.answered <= OFF_TOPIC_ANSWERED_CEILING, row.outcomes


def test_every_question_of_the_fact_sets_gets_one_outcome(fact_reports):
    for name, made in fact_reports.items():
        assert len(made.results) == len(load_questions(DATA / name))
        assert sum(row.questions for row in made.rows) == len(made.results)
        assert made.articles == 5


def test_only_answered_replies_state_a_fact(fact_reports):
    for made in fact_reports.values():
        assert all(r.outcome.value == "answered" for r in made.results if r.fact)


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
@pytest.mark.parametrize("metric", METRICS)
def test_hybrid_rerank_retrieval_stays_above_its_floor(report, language, metric):
    measured = getattr(scores(report, SearchMode.HYBRID, language), metric)
    assert measured >= RETRIEVAL_FLOORS[language][metric], f"{metric} {language}: {measured:.3f}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_answerable_questions_answered_above_floor(report, language):
    row = report.row(language, Category.ANSWERABLE)
    share = row.outcomes.answered / row.questions
    assert share >= ANSWERED_FLOORS[language], f"{row.outcomes.answered}/{row.questions}"


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_unanswerable_questions_not_answered_above_floor(report, language):
    row = report.row(language, Category.UNANSWERABLE)
    share = 1 - row.outcomes.answered / row.questions
    assert share >= NOT_ANSWERED_FLOORS[language], row.outcomes


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
@pytest.mark.parametrize("single", [SearchMode.DENSE, SearchMode.LEXICAL])
def test_hybrid_rerank_is_at_least_as_good_as_one_method_alone(report, language, single):
    hybrid, alone = scores(report, SearchMode.HYBRID, language), scores(report, single, language)
    for metric in METRICS:
        assert getattr(hybrid, metric) >= getattr(alone, metric), (
            f"{metric}: hybrid {hybrid} < {single} {alone}"
        )


@pytest.mark.parametrize("language", RETRIEVAL_FLOORS)
def test_rerank_is_at_least_as_good_as_no_rerank(report, language):
    reranked = scores(report, SearchMode.HYBRID, language)
    unranked = scores(report, SearchMode.HYBRID, language, reranked=False)
    for metric in METRICS:
        assert getattr(reranked, metric) >= getattr(unranked, metric), metric


@pytest.mark.parametrize("language", HOLDOUT_FLOORS)
def test_holdout_recall_at_1_stays_above_its_floor(holdout_report, language):
    measured = scores(holdout_report, SearchMode.HYBRID, language).recall_at_1
    assert measured >= HOLDOUT_FLOORS[language]["recall_at_1"], f"{language}: {measured:.3f}"


@pytest.mark.parametrize("language", HOLDOUT_FLOORS)
def test_holdout_answers_and_refusals_stay_above_their_floors(holdout_report, language):
    answerable = holdout_report.row(language, Category.ANSWERABLE).outcomes
    unanswerable = holdout_report.row(language, Category.UNANSWERABLE).outcomes
    assert answerable.answered / answerable.total >= HOLDOUT_FLOORS[language]["answered"], answerable
    assert 1 - unanswerable.answered / unanswerable.total >= HOLDOUT_FLOORS[language]["not_answered"], (
        unanswerable
    )


@pytest.fixture(scope="module")
def facqa_report(
    answer_settings: Settings, embedder, tmp_path_factory: pytest.TempPathFactory
) -> PassageReport:
    facqa = read_facqa(FACQA_VALID)
    settings = passages_settings(
        answer_settings.model_copy(update={"eval_dir": tmp_path_factory.mktemp("facqa")}), facqa
    )
    made = evaluate_passages(service_over(settings, embedder).answerer, facqa)
    print("\n" + format_passages(made))
    return made


@pytest.mark.slow
@pytest.mark.parametrize("figure", FACQA_FLOORS)
def test_facqa_figures_stay_above_their_floors(facqa_report, figure):
    assert len(facqa_report.results) == 311 and facqa_report.passages == 273
    assert facqa_report.share(figure) >= FACQA_FLOORS[figure], f"{figure}: {facqa_report.share(figure):.3f}"
