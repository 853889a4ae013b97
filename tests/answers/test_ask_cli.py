"""`python -m bot ask`: the answer as the bot writes it, or JSON, for one question or many on stdin.

The commands run against the session's tmp index (already built by the `service` fixture), so
each run only loads the model and the index, as on a machine where the bot has run before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.answers.render import render_plain
from bot.answers.service import AnswerService
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]
QUESTION = "Berapa tawanan perang yang ditukar?"
JSON_KEYS = {"question", "language", "answered", "outcome", "fact", "read_as", "quotes", "timeline", "text"}
QUOTE_KEYS = {"text", "article", "title", "paragraph", "score"}


@dataclass
class Run:
    stdout: str
    stderr: str
    seconds: float


def run_ask(settings: Settings, *args: str, stdin: str | None = None) -> Run:
    env = {
        **os.environ,
        "SEEDS_DIR": str(settings.seeds_dir),
        "INDEX_DIR": str(settings.index_dir),
        "MODEL_CACHE_DIR": str(settings.model_cache_dir),  # the repo's var/models
        "EMBEDDING_MODEL": settings.embedding_model,
        "TELEGRAM_BOT_TOKEN": "",
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        check=False,  # the tests read the exit status
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    return Run(done.stdout, done.stderr, seconds)


@pytest.fixture(scope="module")
def plain_run(service: AnswerService, answer_settings: Settings) -> Run:
    return run_ask(answer_settings, QUESTION)


@pytest.fixture(scope="module")
def json_run(service: AnswerService, answer_settings: Settings) -> Run:
    return run_ask(answer_settings, "--json", QUESTION)


STDIN_QUESTIONS = ["Siapa yang memimpin delegasi Rusia?", "halo", "What is the capital of Australia?"]


@pytest.fixture(scope="module")
def stdin_run(service: AnswerService, answer_settings: Settings) -> Run:
    return run_ask(answer_settings, "--json", stdin="".join(f"{q}\n" for q in STDIN_QUESTIONS))


def test_ask_prints_the_plain_answer_as_the_bot_writes_it(plain_run, service):
    assert plain_run.stdout == render_plain(service.answer(QUESTION)) + "\n"
    assert plain_run.stdout.startswith("Jumlahnya: *1.200")
    assert "<b>" not in plain_run.stdout


def test_ask_json_prints_one_object_with_exactly_the_documented_keys(json_run):
    lines = json_run.stdout.splitlines()
    assert len(lines) == 1
    reply = json.loads(lines[0])
    assert set(reply) == JSON_KEYS
    assert all(set(quote) == QUOTE_KEYS for quote in reply["quotes"])


def test_ask_json_describes_the_answer(json_run, plain_run, article_texts):
    reply = json.loads(json_run.stdout)
    assert reply["question"] == QUESTION
    assert reply["language"] == "id"
    assert reply["answered"] is True
    assert reply["text"] + "\n" == plain_run.stdout
    best = reply["quotes"][0]
    assert best["text"] in article_texts[best["article"]]
    assert "1.200 tawanan perang" in best["text"]
    assert best["title"] == "Pertemuan damai Rusia dan Ukraina di Istanbul" and best["paragraph"] == 4
    assert isinstance(best["score"], float)
    assert [q["score"] for q in reply["quotes"]] == sorted(
        (q["score"] for q in reply["quotes"]), reverse=True
    )


def test_ask_json_reads_questions_from_stdin_one_object_per_line(stdin_run):
    replies = [json.loads(line) for line in stdin_run.stdout.splitlines()]
    assert [r["question"] for r in replies] == STDIN_QUESTIONS
    assert all(set(r) == JSON_KEYS for r in replies)


def test_ask_json_answered_only_when_quoting(stdin_run):
    found, small_talk, not_found = (json.loads(line) for line in stdin_run.stdout.splitlines())
    assert found["answered"] is True and found["quotes"]
    assert "Ajudan Kepresidenan" in found["text"]
    assert small_talk["answered"] is False and small_talk["quotes"] == []
    assert not_found["answered"] is False and not_found["quotes"] == [] and not_found["language"] == "en"


def test_ask_with_many_questions_loads_the_model_once(stdin_run, plain_run):
    # Each run's time is mostly loading the model (seconds); a question takes a fraction of a
    # second. Three questions in one run must cost about one load; three loads would take
    # about three times one run.
    assert stdin_run.seconds < 2 * plain_run.seconds, (stdin_run.seconds, plain_run.seconds)


# Two chats interleaved, a plain line between them, and a malformed object (a question on its own).
CHAT_LINES = [
    '{"chat": "a", "text": "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?"}',
    '{"chat": "b", "text": "Siapa yang memimpin delegasi Rusia?"}',
    "Yang belum?",
    '{"chat": "a", "text": "Yang belum?"}',
    '{"chat": "b", "text": "Kalau Ukraina?"}',
    '{"chat": "c", "text": "Yang belum?"}',
    '{"chat": "a", "text": 7}',
]


@pytest.fixture(scope="module")
def chat_run(service: AnswerService, answer_settings: Settings) -> Run:
    return run_ask(answer_settings, "--json", stdin="".join(f"{line}\n" for line in CHAT_LINES))


def test_ask_json_lines_of_one_chat_are_a_conversation(chat_run):
    replies = [json.loads(line) for line in chat_run.stdout.splitlines()]
    assert [r["read_as"] for r in replies[:2]] == ["", ""]
    assert replies[3]["question"] == "Yang belum?"  # as typed; read_as is how it was read
    assert replies[3]["read_as"] == "Berapa jenazah yang belum dikembalikan?"
    assert replies[3]["fact"] in ("3.000", "3.000 jenazah")
    assert replies[4]["read_as"] == "Siapa yang memimpin delegasi Ukraina?"


def test_ask_json_plain_lines_and_other_chats_stay_independent(chat_run):
    replies = [json.loads(line) for line in chat_run.stdout.splitlines()]
    assert len(replies) == len(CHAT_LINES)
    plain, other_chat, malformed = replies[2], replies[5], replies[6]
    assert plain["question"] == "Yang belum?" and plain["read_as"] == ""
    assert other_chat["question"] == "Yang belum?" and other_chat["read_as"] == ""
    assert malformed["question"] == CHAT_LINES[6] and malformed["read_as"] == ""
