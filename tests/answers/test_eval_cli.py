"""`python -m bot eval`: the fact-level table for a question set, over the article folders given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.answers.answer import Outcome
from bot.settings import Settings
from evaluation.answers import QuestionResult, Report, format_report, language_pairs
from evaluation.questions import Category

REPO = Path(__file__).resolve().parents[2]
LINES = [
    {
        "id": "t-1",
        "question": "Berapa tawanan perang yang ditukar?",
        "language": "id",
        "category": "answerable",
        "facts": ["1.200 tawanan perang", "1.200"],
        "article": "000_5e52b92a9a26778a",
        "sentence": "Pertukaran ini melibatkan 1.200 tawanan perang",
    },
    {"id": "t-2", "question": "Berapa tank yang dihancurkan?", "language": "id", "category": "near_miss"},
    {"id": "t-3", "question": "What is the capital of Canada?", "language": "en", "category": "off_topic"},
]


def run_eval(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "EVAL_DIR": str(tmp_path / "eval"),
        "MODEL_CACHE_DIR": str(settings.model_cache_dir),
        "TELEGRAM_BOT_TOKEN": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "eval", *args],
        check=False,  # the tests read the exit status
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_eval_reports_each_category_per_language_over_the_folders_given(
    answer_settings: Settings, tmp_path: Path
):
    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(line) for line in LINES) + "\n", encoding="utf-8")
    done = run_eval(answer_settings, tmp_path, "--file", str(questions), "--articles", str(REPO / "seeds"))
    assert done.returncode == 0, done.stderr
    assert f"{questions}: 3 questions over 1 articles" in done.stdout
    rows = {tuple(line.split()[:3]) for line in done.stdout.splitlines()}
    assert {("id", "answerable", "1"), ("id", "near_miss", "1"), ("en", "off_topic", "1")} <= rows
    assert len(list((tmp_path / "eval").iterdir())) == 1  # one index, keyed by the articles' content


def test_eval_names_a_missing_question_set_in_one_line(answer_settings: Settings, tmp_path: Path):
    done = run_eval(answer_settings, tmp_path, "--file", str(tmp_path / "nowhere.jsonl"))
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "nowhere.jsonl" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_rejects_a_line_without_category_in_one_line(answer_settings: Settings, tmp_path: Path):
    questions = tmp_path / "bad.jsonl"
    questions.write_text(json.dumps({"id": "x", "question": "q", "language": "id"}) + "\n", encoding="utf-8")
    done = run_eval(answer_settings, tmp_path, "--file", str(questions))
    assert done.returncode == 2 and "Traceback" not in done.stderr


SQUAD = {
    "data": [
        {
            "title": "Istanbul",
            "paragraphs": [
                {
                    "context": "The exchange involved 1,200 prisoners of war. It took place in August.",
                    "qas": [
                        {
                            "question": "How many prisoners of war were exchanged?",
                            "answers": [{"text": "1,200"}],
                        }
                    ],
                }
            ],
        },
        {
            "title": "Geneva",
            "paragraphs": [
                {
                    "context": "The second round ended in Geneva. The delegates met for ten days.",
                    "qas": [{"question": "Who hosted the third round?", "answers": [{"text": "Austria"}]}],
                }
            ],
        },
    ]
}


def test_eval_of_a_passage_set_with_misses_says_where_each_fact_was_lost(
    answer_settings: Settings, tmp_path: Path
):
    squad = tmp_path / "tiny.json"
    squad.write_text(json.dumps(SQUAD), encoding="utf-8")
    done = run_eval(answer_settings, tmp_path, "--tydiqa", str(squad), "--misses")
    assert done.returncode == 0, done.stderr
    stages = done.stdout.split("where the fact is lost")[1].splitlines()[1:]
    assert len(stages) == 7 and sum(int(line.split()[0]) for line in stages) == 2


def result(qid: str, language: str, article_language: str | None, right: bool) -> QuestionResult:
    return QuestionResult(
        id=qid,
        question="?",
        language=language,
        category=Category.ANSWERABLE,
        outcome=Outcome.ANSWERED,
        fact="x",
        fact_right=right,
        article_language=article_language,
    )


def test_right_facts_are_counted_per_question_and_article_language():
    results = [
        result("a", "en", "id", True),
        result("b", "en", "id", False),
        result("c", "id", "id", True),
        result("d", "id", None, True),  # expected articles of two languages: no pair
    ]
    assert [(p.question, p.article, p.questions, p.fact_right) for p in language_pairs(results)] == [
        ("en", "id", 2, 1),
        ("id", "id", 1, 1),
    ]


def test_the_report_shows_questions_read_across_languages():
    report = Report(
        name="set", articles=2, results=[result("a", "en", "id", True)], retrieval=[], unranked=[]
    )
    lines = format_report(report).splitlines()
    assert "questions over articles of each language (answerable)" in lines
    assert lines[-1].split() == ["en", "id", "1.000", "(1/1)"]
