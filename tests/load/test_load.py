"""Load, as specifications (slow; `make test-slow`): 50 users, 1,000 questions, none lost."""

import shutil
import threading
from collections.abc import Iterator

import pytest

from bench.bot_process import REPO, BotProcess
from bench.faults import fault_figures
from bench.load import LoadResult, run_load
from evaluation.questions import load_questions
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.slow
ADMIN = 111
QUESTIONS = [q.question for q in load_questions(REPO / "tests" / "data" / "eval_questions.jsonl")]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(ADMIN)
        yield server


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    root = tmp_path_factory.mktemp("load")
    shutil.copytree(REPO / "seeds", root / "seeds")
    process = BotProcess(fake, root, admin_ids=str(ADMIN))
    process.wait_until_polling()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def first_load(fake: FakeTelegram, bot: BotProcess) -> tuple[LoadResult, float, float]:
    """A warm-up round, then 1,000 questions; RSS before and after the measured round."""
    run_load(fake, QUESTIONS, users=50, total=200)
    before = bot.rss_mb()
    result = run_load(fake, QUESTIONS, users=50, total=1000)
    return result, before, bot.rss_mb()


def test_thousand_questions_from_fifty_users_are_all_answered(
    first_load: tuple[LoadResult, float, float],
) -> None:
    result, _, _ = first_load
    print(result.model_dump())
    assert result.lost == 0 and result.answered == 1000


def test_memory_after_the_load_is_within_ten_percent_of_before(
    first_load: tuple[LoadResult, float, float],
) -> None:
    _, before, after = first_load
    print(f"RSS before {before:.0f} MB, after {after:.0f} MB")
    assert after <= before * 1.10


def test_a_rebuild_during_the_load_loses_no_question(fake: FakeTelegram, bot: BotProcess) -> None:
    results: list[LoadResult] = []
    load = threading.Thread(target=lambda: results.append(run_load(fake, QUESTIONS, users=50, total=500)))
    load.start()
    command = fake.send_text(ADMIN, ADMIN, "/reindex")
    replies = fake.wait_for_messages(ADMIN, 2, timeout=120, after_message_id=command["message_id"])
    load.join()
    assert "rebuilt" in replies[-1]["text"].lower() or "dibangun ulang" in replies[-1]["text"].lower()
    assert results[0].lost == 0 and results[0].answered == 500
    assert fake.errors() == []


def test_502s_and_a_ten_second_outage_lose_no_answer_and_send_none_twice(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    figures = fault_figures(fake, bot, QUESTIONS, users=50, total=1000)
    print(figures.model_dump())
    assert figures.injected_failures > 0
    assert figures.lost == 0 and figures.duplicated == 0 and figures.faulted.answered == 1000
