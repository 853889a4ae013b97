"""The bot as users meet it: commands, questions in private, group and inline mode, the context
button, hostile input, media, edits, rate limits and an API server restart.

One `python -m bot` process serves the whole module (fixtures in conftest.py); the last test
stops it with SIGTERM.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import (
    ADMIN_ID,
    ANSWER_TIMEOUT,
    BOT_USERNAME,
    SECOND_ADMIN_ID,
    SEED_TITLE,
    USER_ID,
    BotProcess,
    ask,
    current_manifest,
    settle,
)
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

GROUP_ID = -1_001_234_567_890
PRISONERS_ID = "Berapa tawanan perang yang ditukar?"
PRISONERS_ANSWER = "<b>1.200</b>"
TEXT_ONLY_EN = "I can only read text questions"


def command_names(commands: list[dict[str, str]]) -> list[str]:
    return [c["command"] for c in commands]


def test_startup_registers_commands_in_indonesian_and_english_and_admin_commands(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    public = ["start", "help", "sources", "timeline", "follow", "unfollow", "following"]
    indonesian = fake.commands(None, "id")
    english = fake.commands(None, "")
    assert command_names(indonesian) == public
    assert command_names(english) == public
    assert "Bantuan" in [c["description"] for c in indonesian]
    assert "Help" in [c["description"] for c in english]
    for admin in (ADMIN_ID, SECOND_ADMIN_ID):
        admin_scope = {"type": "chat", "chat_id": admin}
        admin_only = ["add", "remove", "feeds", "reindex", "stats"]
        assert command_names(fake.commands(admin_scope, "id")) == public + admin_only
        assert command_names(fake.commands(admin_scope, "")) == public + admin_only
    # Nobody else gets the admin commands.
    scopes = {scope for scope, _ in fake.all_commands()}
    assert scopes == {'{"type": "default"}'} | {
        f'{{"chat_id": {admin}, "type": "chat"}}' for admin in (ADMIN_ID, SECOND_ADMIN_ID)
    }
    assert fake.errors() == []


def test_start_and_help_show_help_with_example_questions(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (indonesian,) = ask(fake, 301, 301, "/start", language_code="id")
    assert "<b>Runding</b> menjawab" in indonesian["raw_text"]
    assert indonesian["parse_mode"] == "HTML"
    assert "Contoh:" in indonesian["text"] and PRISONERS_ID in indonesian["text"]
    _, (english,) = ask(fake, 301, 301, "/help", language_code="en")
    assert "answers questions about peace negotiations" in english["text"]
    assert "Examples:" in english["text"] and "Who led the Russian delegation?" in english["text"]
    assert fake.errors() == []


def test_sources_lists_the_article_title_and_sentence_count(fake: FakeTelegram, bot: BotProcess) -> None:
    (info,) = current_manifest(bot.root / "index")["catalog"]
    _, (reply,) = ask(fake, 301, 301, "/sources", language_code="id")
    assert f"1. {SEED_TITLE} — 23 Juli 2027 · {info['sentence_count']} kalimat" in reply["text"]
    _, (english,) = ask(fake, 301, 301, "/sources", language_code="en")
    assert f"· {info['sentence_count']} sentences" in english["text"]


def test_stats_shows_figures_to_an_admin(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (reply,) = ask(fake, ADMIN_ID, ADMIN_ID, "/stats")
    text = reply["text"]
    assert text.startswith("Stats")
    assert "sentences" in text and "1 articles" in text and "model multilingual-e5-small" in text
    assert "questions: " in text and "uptime: " in text and "rebuild running: no" in text


def test_stats_is_refused_for_a_non_admin(fake: FakeTelegram, bot: BotProcess) -> None:
    log_start = len(bot.log())
    _, (reply,) = ask(fake, USER_ID, USER_ID, "/stats")
    assert reply["text"] == "Sorry, this command is for admins only."
    bot.wait_for_log(rf"WARNING .*Refused admin command from user {USER_ID}", start=log_start)


def test_private_question_gets_html_answer_with_source_and_context_button(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    calls_before = len(fake.calls())
    _question, (reply,) = ask(fake, USER_ID, USER_ID, PRISONERS_ID, language_code="id")
    assert reply["parse_mode"] == "HTML"
    assert PRISONERS_ANSWER in reply["raw_text"]
    assert "paragraf 4" in reply["text"] and SEED_TITLE in reply["text"]
    (button,) = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert button["text"] == "Tampilkan konteks" and button["callback_data"].startswith("ctx:")
    assert reply["reply_to_message_id"] is None  # no quoting in a private chat
    # "typing…" was shown before the answer.
    calls = [
        c
        for c in fake.calls()[calls_before:]
        if c["method"] in ("sendChatAction", "sendMessage")
        and str(c["params"].get("chat_id")) == str(USER_ID)
    ]
    kinds = [(c["method"], c["params"].get("action")) for c in calls]
    assert ("sendChatAction", "typing") in kinds
    assert kinds == [("sendChatAction", "typing"), ("sendMessage", None)]
    assert calls[1]["result"]["message_id"] == reply["message_id"]
    assert fake.errors() == []


def test_english_question_gets_an_english_answer(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (reply,) = ask(fake, USER_ID, USER_ID, "Who led the Russian delegation?")
    assert reply["text"].startswith("Who: Ajudan Kepresidenan")
    assert "<b>Ajudan Kepresidenan</b>" in reply["raw_text"]
    assert "paragraph 4" in reply["text"]
    (button,) = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert button["text"] == "Show context"


def test_unanswerable_question_gets_not_found_with_suggestions_and_no_button(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    _, (reply,) = ask(fake, USER_ID, USER_ID, "What is the capital of Australia?")
    assert reply["text"].startswith("Sorry, the articles I have read do not answer that question.")
    assert "You could ask, for example:" in reply["text"]
    assert "• How many prisoners of war were exchanged?" in reply["text"]
    assert reply["reply_markup"] is None
    assert "“" not in reply["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("halo", "Halo! Saya Runding."), ("terima kasih", "Sama-sama!")],
)
def test_small_talk_gets_a_friendly_reply_without_quotes(
    fake: FakeTelegram, bot: BotProcess, text: str, expected: str
) -> None:
    _, (reply,) = ask(fake, USER_ID, USER_ID, text, language_code="id")
    assert reply["text"].startswith(expected)
    assert "“" not in reply["text"] and "paragraf" not in reply["text"]
    assert reply["reply_markup"] is None


def test_context_button_edits_the_answer_to_show_the_whole_paragraph(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    _, (reply,) = ask(fake, ADMIN_ID, ADMIN_ID, PRISONERS_ID, language_code="id")
    data = reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    query_id = fake.press_button(ADMIN_ID, ADMIN_ID, reply["message_id"], data)
    edited = fake.wait_for_edit(ADMIN_ID, reply["message_id"], timeout=ANSWER_TIMEOUT)
    text = edited["text"]
    assert "Konteks, paragraf 4" in text
    # The answer stays, followed by the rest of paragraph 4, the quoted sentence in bold.
    assert text.startswith("Jumlahnya: 1.200")
    assert "delegasi Rusia dipimpin oleh Ajudan Kepresidenan" in text
    assert "Disepakati bahwa pihak-pihak yang terlibat akan melakukan pertukaran tahanan" in text
    assert "<blockquote>" in edited["raw_text"]
    assert "<b>Pertukaran ini melibatkan 1.200 tawanan perang" in edited["raw_text"]
    fake.wait_until(lambda: fake.callback_answers(query_id), ANSWER_TIMEOUT, "the callback answer")
    assert len(fake.callback_answers(query_id)) == 1
    assert fake.errors() == []


def test_group_message_without_mention_is_ignored(fake: FakeTelegram, bot: BotProcess) -> None:
    fake.add_chat(GROUP_ID, "supergroup", title="Diskusi damai")
    unaddressed = fake.send_text(GROUP_ID, 401, PRISONERS_ID, language_code="id")
    # Privacy mode keeps it from the bot, as Telegram would ...
    assert any(u["message"]["message_id"] == unaddressed["message_id"] for u in fake.undelivered())
    # ... and the bot itself ignores it when it does arrive (privacy mode off, or a group admin bot).
    fake.push_update("message", unaddressed)
    settle(fake)
    assert fake.sent_messages(GROUP_ID) == []


def test_group_question_with_mention_is_answered_as_a_reply(fake: FakeTelegram, bot: BotProcess) -> None:
    question, (reply,) = ask(
        fake,
        GROUP_ID,
        402,
        f"@{BOT_USERNAME} siapa yang memimpin delegasi Rusia?",
        chat_type="supergroup",
        language_code="id",
    )
    assert reply["reply_to_message_id"] == question["message_id"]
    assert "Ajudan Kepresidenan" in reply["text"]
    assert f"@{BOT_USERNAME}" not in reply["text"]


def test_group_reply_to_the_bot_is_answered(fake: FakeTelegram, bot: BotProcess) -> None:
    earlier = fake.sent_messages(GROUP_ID)[-1]
    question, (reply,) = ask(
        fake, GROUP_ID, 403, PRISONERS_ID, reply_to_message_id=earlier["message_id"], language_code="id"
    )
    assert reply["reply_to_message_id"] == question["message_id"]
    assert PRISONERS_ANSWER in reply["raw_text"]


def test_group_command_with_bot_name_works(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (reply,) = ask(fake, GROUP_ID, 404, f"/sources@{BOT_USERNAME}", language_code="id")
    assert SEED_TITLE in reply["text"]
    settle(fake)
    # Only the three addressed messages of these group tests got an answer.
    assert len(fake.sent_messages(GROUP_ID)) == 3
    assert fake.errors() == []


def test_inline_query_gets_an_article_result_with_the_answer_as_valid_html(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    query_id = fake.inline_query(405, PRISONERS_ID)
    (answer,) = fake.wait_until(lambda: fake.inline_answers(query_id), ANSWER_TIMEOUT, "the inline answer")
    (result,) = answer["results"]
    assert result["type"] == "article"
    assert result["title"] == "1.200"
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert PRISONERS_ANSWER in content["message_text"]
    # The fake parsed the HTML like Telegram when it accepted the answer; choosing the result
    # renders it once more, as the message the user would post.
    inline_message_id = fake.choose_inline_result(405, result["id"], query_id)
    assert inline_message_id is not None
    posted = fake.inline_message(inline_message_id)
    assert "1.200 tawanan perang" in posted["text"] and "<b>" not in posted["text"]
    assert fake.errors() == []


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "Tom & Jerry", "😀😀", "**bold** _x_"],
    ids=["script-tag", "bare-ampersand", "emoji-only", "markdown"],
)
def test_hostile_text_gets_a_valid_reply(fake: FakeTelegram, bot: BotProcess, text: str) -> None:
    _, (reply,) = ask(fake, 501, 501, text)
    assert reply["text"].strip()
    assert reply["parse_mode"] == "HTML"
    assert "<script>" not in reply["raw_text"]
    assert fake.errors() == []


def test_five_thousand_characters_are_answered_and_the_reply_says_it_was_cut(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    text = ((PRISONERS_ID + " ") * 200)[:5000]
    _, (reply,) = ask(fake, 502, 502, text, language_code="id")
    settle(fake)
    assert len(fake.sent_messages(502)) == 1
    assert len(reply["text"]) <= 4096
    assert "Pertanyaan Anda panjang sekali; saya hanya membaca 500 karakter pertamanya" in reply["text"]
    assert fake.errors() == []


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice"])
def test_media_without_text_gets_the_text_only_hint(fake: FakeTelegram, bot: BotProcess, kind: str) -> None:
    chat = 503
    before = len(fake.sent_messages(chat))
    sent = {"photo": fake.send_photo, "sticker": fake.send_sticker, "voice": fake.send_voice}[kind](
        chat, chat
    )
    (reply,) = fake.wait_for_messages(chat, 1, timeout=ANSWER_TIMEOUT, after_message_id=sent["message_id"])
    assert reply["text"].startswith(TEXT_ONLY_EN)
    assert len(fake.sent_messages(chat)) == before + 1
    assert fake.errors() == []


def test_edited_question_gets_a_fresh_answer(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 504
    question, (first,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    assert PRISONERS_ANSWER in first["raw_text"]
    fake.send_edited_text(chat, question["message_id"], "Who led the Russian delegation?")
    first_and_fresh = fake.wait_for_messages(
        chat, 2, timeout=ANSWER_TIMEOUT, after_message_id=question["message_id"]
    )
    fresh = first_and_fresh[-1]
    assert fresh["message_id"] != first["message_id"]
    assert "Ajudan Kepresidenan" in fresh["text"]
    assert fake.message(chat, first["message_id"])["edit_count"] == 0  # the first answer stays as it was


def test_answer_arrives_despite_429_responses(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 505
    fake.fail_next("sendMessage", times=2, status=429, retry_after=1)
    started = time.monotonic()
    _, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id")
    assert PRISONERS_ANSWER in reply["raw_text"]
    refused = [c for c in fake.calls("sendMessage") if c.get("injected")]
    assert [c["status"] for c in refused] == [429, 429]
    assert time.monotonic() - started >= 2  # it honoured retry_after twice
    settle(fake)
    assert len(fake.sent_messages(chat)) == 1
    assert fake.errors() == []


def test_question_is_answered_after_the_api_server_restarts(fake: FakeTelegram, bot: BotProcess) -> None:
    chat = 506
    settle(fake)
    log_start = len(bot.log())
    fake.restart(downtime=2)
    _, (reply,) = ask(fake, chat, chat, PRISONERS_ID, language_code="id", timeout=60)
    assert PRISONERS_ANSWER in reply["raw_text"]
    assert bot.alive()
    assert fake.errors() == []
    # The outage is a warning that the bot retries, not an error with a traceback.
    during = bot.log()[log_start:]
    assert "Traceback" not in during and " ERROR " not in during


def test_sigterm_stops_the_bot_gracefully(fake: FakeTelegram, bot: BotProcess) -> None:
    settle(fake)
    log_start = len(bot.log())
    started = time.monotonic()
    code = bot.terminate(timeout=10)
    assert code == 0, bot.tail()
    assert time.monotonic() - started < 10
    stopping = bot.log()[log_start:]
    assert "Application.stop() complete" in stopping
    assert "Traceback" not in stopping
    bot.assert_no_secret(fake.token)
