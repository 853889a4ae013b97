"""Follow-up questions through `python -m bot` against the local Bot API server: a private chat,
a group where another user asks in between, a Telegram reply to an earlier answer, expiry and
/start.

The bot of this module forgets a conversation after CONVERSATION_MINUTES=0.15 (9 s), so that
expiry can be seen; every other exchange here takes about a second.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import BOT_USERNAME, BotProcess, ask
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

MINUTES = 0.15
BOT_SETTINGS = {"CONVERSATION_MINUTES": str(MINUTES)}  # read by the conftest's `bot` fixture
BODIES = "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?"
NOT_RETURNED = "Yang belum?"
READ_NOT_RETURNED = "Saya membaca: Berapa jenazah yang belum dikembalikan?"
NOT_RETURNED_FACT = re.compile(r"<b>3\.000( jenazah)?</b>")  # the reader may bold the noun or not
GROUP_ID = -1_009_876_543_210


def test_private_follow_up_is_completed_from_the_previous_question(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    _, (first,) = ask(fake, 501, 501, BODIES, language_code="id")
    assert "Saya membaca" not in first["text"]
    _, (reply,) = ask(fake, 501, 501, NOT_RETURNED, language_code="id")
    assert reply["text"].startswith(READ_NOT_RETURNED)
    assert "<i>Saya membaca:" in reply["raw_text"]
    assert NOT_RETURNED_FACT.search(reply["raw_text"])
    assert fake.errors() == []


def test_group_follow_up_belongs_to_its_user_not_to_another_user_asking_in_between(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    fake.add_chat(GROUP_ID, "supergroup", title="Diskusi damai")
    ask(fake, GROUP_ID, 601, f"@{BOT_USERNAME} Kapan pertemuan damai diadakan?", language_code="id")
    ask(fake, GROUP_ID, 602, f"@{BOT_USERNAME} Berapa tawanan perang yang ditukar?", language_code="id")
    question, (reply,) = ask(fake, GROUP_ID, 601, f"@{BOT_USERNAME} Di mana?", language_code="id")
    assert reply["reply_to_message_id"] == question["message_id"]
    assert reply["text"].startswith("Saya membaca: Di mana pertemuan damai diadakan?")
    assert "<b>Istanbul</b>" in reply["raw_text"]
    # The other user's conversation is theirs: their follow-up leans on the prisoners.
    _, (other,) = ask(fake, GROUP_ID, 602, f"@{BOT_USERNAME} Kalau jenazah?", language_code="id")
    assert other["text"].startswith("Saya membaca: Berapa jenazah yang ditukar?")


def test_reply_to_an_earlier_answer_anchors_the_follow_up_to_it(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (bodies,) = ask(fake, 502, 502, BODIES, language_code="id")
    ask(fake, 502, 502, "Kapan pertemuan damai diadakan?", language_code="id")
    _, (reply,) = ask(
        fake, 502, 502, NOT_RETURNED, language_code="id", reply_to_message_id=bodies["message_id"]
    )
    assert reply["text"].startswith(READ_NOT_RETURNED)
    assert NOT_RETURNED_FACT.search(reply["raw_text"])


def test_conversation_expires_but_a_reply_to_its_answer_still_follows_up(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    _, (bodies,) = ask(fake, 503, 503, BODIES, language_code="id")
    time.sleep(MINUTES * 60 + 1)
    _, (alone,) = ask(fake, 503, 503, NOT_RETURNED, language_code="id")
    assert "Saya membaca" not in alone["text"]
    _, (anchored,) = ask(
        fake, 503, 503, NOT_RETURNED, language_code="id", reply_to_message_id=bodies["message_id"]
    )
    assert anchored["text"].startswith(READ_NOT_RETURNED)


def test_start_begins_a_new_conversation(fake: FakeTelegram, bot: BotProcess) -> None:
    ask(fake, 504, 504, BODIES, language_code="id")
    ask(fake, 504, 504, "/start", language_code="id")
    _, (reply,) = ask(fake, 504, 504, NOT_RETURNED, language_code="id")
    assert "Saya membaca" not in reply["text"]


def test_help_keeps_the_conversation(fake: FakeTelegram, bot: BotProcess) -> None:
    ask(fake, 505, 505, BODIES, language_code="id")
    ask(fake, 505, 505, "/help", language_code="id")
    _, (reply,) = ask(fake, 505, 505, NOT_RETURNED, language_code="id")
    assert reply["text"].startswith(READ_NOT_RETURNED)


def test_inline_queries_have_no_conversation(fake: FakeTelegram, bot: BotProcess) -> None:
    ask(fake, 506, 506, BODIES, language_code="id")
    query_id = fake.inline_query(506, NOT_RETURNED)
    fake.wait_until(lambda: fake.inline_answers(query_id), 30.0, "the inline answer")
    (result,) = fake.inline_answers(query_id)[0]["results"]
    assert "Saya membaca" not in result["input_message_content"]["message_text"]


def test_questions_are_not_in_the_log_at_info(fake: FakeTelegram, bot: BotProcess) -> None:
    log = bot.log()
    assert "Bot @" in log  # the log is being written
    assert NOT_RETURNED not in log and "dikembalikan" not in log
