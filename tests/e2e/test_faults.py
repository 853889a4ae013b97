"""`python -m bot` when Telegram stumbles: outages, dropped typing actions, floods; unknown commands.

One bot process serves the module (conftest.py); faults come from the local Bot API server. Every
test ends with the process alive: the bot never exits on a fault.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import ADMIN_ID, ANSWER_TIMEOUT, BotProcess, ask, settle
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
# PTB's own default, so that a late answer (slow_next) needs seconds, not the product's 15.
BOT_SETTINGS = {"TELEGRAM_TIMEOUT_SECONDS": "5"}

PRISONERS_ID = "Berapa tawanan perang yang ditukar?"
PRISONERS_ANSWER = "<b>1.200</b>"
FEW_SECONDS = 5.0  # what "another user is not held up by a flood" allows


@pytest.fixture(autouse=True)
def alive_after(fake: FakeTelegram, bot: BotProcess) -> Iterator[None]:
    yield
    fake.clear_faults()
    assert bot.alive(), f"the bot exited:\n{bot.tail()}"


def answers_in(fake: FakeTelegram, chat: int) -> list[str]:
    return [m["raw_text"] for m in fake.sent_messages(chat)]


def test_an_unknown_command_gets_the_list_of_commands(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 601
    _, (reply,) = ask(fake, chat, chat, "/foo", language_code="en")
    assert reply["text"].startswith("I do not know the command /foo.")
    assert "/sources" in reply["text"] and "/help" in reply["text"]
    assert "/reindex" not in reply["text"]  # admin commands are listed to admins only
    _, (admin_reply,) = ask(fake, ADMIN_ID, ADMIN_ID, "/foo", language_code="id")
    assert "Perintah /foo tidak saya kenal" in admin_reply["text"] and "/reindex" in admin_reply["text"]


def test_a_known_command_gets_only_its_own_reply(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 612
    ask(fake, chat, chat, "/sources", language_code="en")
    ask(fake, chat, chat, "/stats", language_code="en")  # known, refused to a non-admin
    settle(fake, seconds=1)
    assert not [t for t in answers_in(fake, chat) if "do not know the command" in t]
    assert len(answers_in(fake, chat)) == 2


def test_a_failed_typing_action_does_not_stop_the_answer(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 602
    fake.drop_next("sendChatAction")
    _, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    assert PRISONERS_ANSWER in reply["raw_text"]


def test_a_reply_refused_during_an_outage_is_delivered_once_it_ends_exactly_once(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chat = 603
    settle(fake)
    log_start = len(bot.log())
    fake.outage(4, status=502, spare=["getUpdates"])  # the question arrives, its answer is refused
    question, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    assert PRISONERS_ANSWER in reply["raw_text"]
    refused = [c for c in fake.calls("sendMessage") if c.get("injected") and c["params"]["chat_id"] == chat]
    assert refused, "the outage did not hit the answer"
    assert reply["date"] >= question["date"] + 3  # delivered when the outage ended, not lost
    settle(fake, seconds=2)
    assert len(answers_in(fake, chat)) == 1
    assert fake.errors() == []
    assert "Traceback" not in bot.log()[log_start:]


def test_a_question_asked_while_telegram_answers_502_to_everything_is_answered_after(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chat = 604
    settle(fake)
    fake.outage(4, status=502)  # getUpdates too: the question waits at Telegram
    question = fake.send_text(chat, chat, PRISONERS_ID, language_code="id")
    (reply,) = fake.wait_for_messages(chat, 1, timeout=60, after_message_id=question["message_id"])
    assert PRISONERS_ANSWER in reply["raw_text"]
    settle(fake, seconds=2)
    assert len(answers_in(fake, chat)) == 1


def test_an_answer_that_arrived_but_was_not_acknowledged_is_not_sent_twice(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chat = 610
    settle(fake)
    log_start = len(bot.log())
    fake.slow_next("sendMessage", delay=7)  # longer than the bot's timeout (BOT_SETTINGS)
    ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    unsure = bot.wait_for_log(
        rf"WARNING .*sendMessage for chat {chat} \(update (\d+)\): sent, but no answer came", start=log_start
    )
    assert int(unsure.group(1)) > 0  # the log names the update
    settle(fake, seconds=2)
    assert len(answers_in(fake, chat)) == 1


def test_a_flood_from_one_user_leaves_another_users_answer_within_seconds(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    flooder, other = 605, 606
    settle(fake)
    questions = [
        fake.send_text(flooder, flooder, f"{PRISONERS_ID} ({n})", language_code="id") for n in range(40)
    ]
    started = time.monotonic()
    _, (reply,) = ask(fake, other, other, PRISONERS_ID, language_code="id")
    waited = time.monotonic() - started
    assert PRISONERS_ANSWER in reply["raw_text"]
    assert waited < FEW_SECONDS, f"another user waited {waited:.1f} s behind the flood"
    # Nothing of the flood is dropped: 40 answers, in order, and one polite note.
    replies = fake.wait_for_messages(flooder, 41, timeout=120, after_message_id=questions[0]["message_id"])
    notes = [r for r in replies if "satu per satu" in r["text"]]
    answers = [r for r in replies if r not in notes]
    assert len(notes) == 1 and len(answers) == 40
    settle(fake, seconds=1)
    assert len(fake.sent_messages(flooder)) == 41


@pytest.mark.slow
def test_polling_serves_again_after_the_api_was_down_for_two_minutes(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chat = 607
    settle(fake)
    fake.stop()
    time.sleep(120)
    fake.start()
    _, (reply,) = ask(
        fake, chat, chat, PRISONERS_ID, language_code="id", timeout=60
    )  # polling backs off to 30 s
    assert PRISONERS_ANSWER in reply["raw_text"]


@pytest.mark.slow
def test_a_two_minute_502_outage_loses_no_question(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 608
    settle(fake)
    fake.outage(120, status=502)  # getUpdates too: the question waits at Telegram
    question = fake.send_text(chat, chat, PRISONERS_ID, language_code="id")
    (reply,) = fake.wait_for_messages(chat, 1, timeout=120 + 60, after_message_id=question["message_id"])
    assert PRISONERS_ANSWER in reply["raw_text"]
    settle(fake, seconds=2)
    assert len(answers_in(fake, chat)) == 1


@pytest.mark.slow
def test_a_reply_refused_past_the_bound_is_given_up_with_a_warning_and_the_bot_serves_on(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    chat = 611
    settle(fake)
    log_start = len(bot.log())
    fake.outage(75, status=502, spare=["getUpdates"])  # the question arrives; its answer is refused
    fake.send_text(chat, chat, PRISONERS_ID, language_code="id")
    bot.wait_for_log(
        rf"WARNING .*Gave up on sendMessage for chat {chat} \(update \d+\) after \d+ tries in "
        rf"\d+ s: NetworkError: Bad Gateway",
        timeout=90,
        start=log_start,
    )
    fake.clear_faults()
    _, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    assert PRISONERS_ANSWER in reply["raw_text"] and len(answers_in(fake, chat)) == 1


def test_the_bot_still_answers_after_every_fault(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 609
    _, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id", timeout=ANSWER_TIMEOUT)
    assert PRISONERS_ANSWER in reply["raw_text"]
