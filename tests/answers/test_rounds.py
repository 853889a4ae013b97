"""Across rounds, over the seed, tests/data/articles and tests/data/rounds indexed together: a
latest/next question is answered from the newest dated report that says it, naming its date, an
older different answer after it marked as earlier; a timeline question lists the articles oldest
first; `ask --json` carries the timeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answers.question import QuestionAnalyzer
from bot.answers.recency import parse_date
from bot.answers.render import render_plain
from bot.answers.service import AnswerService
from bot.settings import Settings
from evaluation.corpus import corpus_settings
from evaluation.rounds import evaluate_rounds, format_rounds, load_rounds
from index.build import build_index
from tests.answers.test_ask_cli import run_ask

REPO = Path(__file__).resolve().parents[2]
FOLDERS = [REPO / "seeds", REPO / "tests" / "data" / "articles", REPO / "tests" / "data" / "rounds"]
NEWEST = "008_jenewa_putaran_ketujuh"
UNDATED = "009_catatan_tanpa_tanggal"


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory, answer_settings: Settings, embedder) -> AnswerService:
    settings = corpus_settings(
        answer_settings.model_copy(update={"eval_dir": tmp_path_factory.mktemp("rounds")}), FOLDERS
    )
    build_index(settings, embedder)
    made = AnswerService(settings, embedder, QuestionAnalyzer())
    assert made.reload_if_changed()
    return made


def test_next_round_is_answered_from_the_newest_report_and_names_its_date(rounds: AnswerService) -> None:
    answer = rounds.answer("Kapan putaran perundingan berikutnya?")
    assert answer.stated_fact == "September 2028"
    assert answer.quotes[0].article == NEWEST
    assert "(laporan terbaru yang menyebutnya: 12 Juli 2028)" in render_plain(answer)


def test_an_older_different_answer_follows_dated_and_marked_earlier(rounds: AnswerService) -> None:
    answer = rounds.answer("Kapan putaran perundingan berikutnya?")
    earlier = [q for q in answer.quotes if q.earlier]
    assert earlier, "the Oslo report's 10 July 2028 is an earlier answer"
    assert parse_date(earlier[0].date) < parse_date(answer.quotes[0].date)
    assert f"Sebelumnya, laporan {earlier[0].date.replace('May', 'Mei')}:" in render_plain(answer)


def test_an_undated_article_never_answers_a_latest_question_before_dated_ones(rounds: AnswerService) -> None:
    answer = rounds.answer("Di mana putaran berikutnya akan digelar?")
    assert answer.answered
    assert all(q.article != UNDATED for q in answer.quotes)
    assert "Riyadh" not in answer.stated_fact


def test_a_timeline_question_lists_articles_oldest_first(rounds: AnswerService) -> None:
    answer = rounds.answer("Di mana saja perundingan diadakan?")
    articles = [e.article for e in answer.timeline]
    assert {"000_5e52b92a9a26778a", NEWEST} <= set(articles)
    days = [parse_date(e.date) for e in answer.timeline if e.date]
    assert days == sorted(days)


def test_ask_json_gives_a_timeline_list(rounds: AnswerService) -> None:
    run = run_ask(rounds.settings, "--json", "Di mana saja perundingan diadakan?")
    reply = json.loads(run.stdout)
    assert reply["outcome"] == "answered" and reply["fact"] == ""
    entries = reply["timeline"]
    assert len(entries) >= 2
    assert set(entries[0]) == {"article", "date", "title", "url", "fact", "sentence"}
    assert entries[0]["fact"] in entries[0]["sentence"]
    assert [e for e in entries if e["date"]][-1]["article"] == NEWEST  # undated articles come last


@pytest.mark.xfail(
    strict=True, reason="the reader states a span of the undated note for a where-question (issue 17)"
)
def test_an_article_that_names_no_venue_is_not_in_the_venues_timeline(rounds: AnswerService) -> None:
    # The undated note speaks of cities only as "dari satu kota ke kota lain" and of the next round.
    answer = rounds.answer("Di mana saja perundingan diadakan?")
    assert UNDATED not in [e.article for e in answer.timeline]


def test_a_latest_question_is_not_answered_by_the_next_rounds_announcement(rounds: AnswerService) -> None:
    # The newest report also says "Putaran berikutnya dijadwalkan di Istanbul".
    answer = rounds.answer("Where were the latest talks held?")
    assert answer.quotes[0].article == NEWEST
    assert answer.stated_fact == "Palais des Nations"


def test_a_next_question_is_answered_by_an_announcement_not_by_what_was_held(rounds: AnswerService) -> None:
    # The newest report says where its own round was held ("Palais des Nations") and where the next is.
    answer = rounds.answer("Di mana pertemuan berikutnya akan diadakan?")
    assert answer.quotes[0].article == NEWEST
    assert answer.stated_fact is not None and "Istanbul" in answer.stated_fact


# `python -m bot eval --rounds` figures (issue 18's targets: >= 90 %). Floors as in
# test_evaluation_targets.py: they guard against regressions; raise them as the figures improve. Dev and
# the first holdout are the lower of two machines' figures (docs/reader.md, "Figures differ by CPU").
# holdout2 and holdout3 were written blind and measured once on one machine (AMD EPYC, 2026-12-08:
# latest 4/10 and 6/12, timelines 3/6 and 1/6); their floors are one question below, as the other
# machine's int8 reader moved up to three questions in 29 on the fact-level sets.
ROUNDS_FLOORS = [
    ("rounds_dev.jsonl", 9, 5),
    ("rounds_holdout.jsonl", 8, 4),
    ("rounds_holdout2.jsonl", 3, 2),
    ("rounds_holdout3.jsonl", 5, 0),  # timelines 1/6: no floor below it yet
]


@pytest.mark.parametrize(("name", "latest", "timelines"), ROUNDS_FLOORS)
def test_latest_and_timeline_figures_stay_at_or_above_their_floors(
    rounds: AnswerService, name: str, latest: int, timelines: int
) -> None:
    assert rounds.answerer is not None
    report = evaluate_rounds(rounds.answerer, load_rounds(REPO / "tests" / "data" / name), name)
    print(format_rounds(report, misses=True))
    assert report.share("latest")[0] >= latest
    assert report.share("timeline")[0] >= timelines
