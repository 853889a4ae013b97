"""Tests of the fake Bot API itself, driven by a real python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import EntityParseError, FakeTelegram, WaitTimeout, parse_html

CHAT = 4242
USER = 4242
GROUP = -100777


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        server.add_chat(CHAT, first_name="Ada")
        yield server


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d[:10] or "x", callback_data=d) for d in data]])


# -- identity and tokens -------------------------------------------------------


@pytest.mark.asyncio
async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "runding_test_bot"
    assert me.can_join_groups and me.supports_inline_queries
    assert not me.can_read_all_group_messages  # privacy mode is on by default


@pytest.mark.asyncio
@pytest.mark.parametrize("token", ["7000000001:" + "A" * 35, "not-a-token"])
async def test_wrong_token_raises_invalid_token(fake: FakeTelegram, token: str) -> None:
    with pytest.raises(InvalidToken):
        async with Bot(token, base_url=fake.base_url):
            pass


@pytest.mark.asyncio
async def test_unknown_method_is_404(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": CHAT})


def test_params_as_query_json_and_form(fake: FakeTelegram) -> None:
    url = f"{fake.base_url}{fake.token}"
    assert httpx.get(f"{url}/getMe").json()["result"]["username"] == "runding_test_bot"
    sent = httpx.post(f"{url}/sendMessage", json={"chat_id": CHAT, "text": "json"}).json()
    assert sent["ok"] and sent["result"]["text"] == "json"
    sent = httpx.post(f"{url}/sendMessage", data={"chat_id": str(CHAT), "text": "form"}).json()
    assert sent["result"]["message_id"] == sent["result"]["message_id"] and sent["result"]["text"] == "form"
    assert isinstance(sent["result"]["date"], int) and sent["result"]["date"] < time.time() + 5


@pytest.mark.asyncio
async def test_token_never_appears_in_logs(
    fake: FakeTelegram, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await bot.send_message(CHAT, "hello")
    with pytest.raises(BadRequest):
        await bot.send_message(CHAT, "<nope>", parse_mode="HTML")
    ours = [r for r in caplog.records if r.name.startswith(("tests.fake_telegram", "aiohttp"))]
    assert all(fake.token not in r.getMessage() for r in ours)
    assert fake.token not in repr(fake)


# -- HTML, lengths and buttons ---------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text",
    [
        "<script>x</script>",
        "AT&T",
        "<b>unclosed",
        "a < b",
        "<b><i>x</b></i>",
        "</b>",
        "&nbsp;",
        "x > y",
        '<span class="big">x</span>',
        "<a href=https://x.org>x</a>",
        "<br/>",
    ],
)
async def test_invalid_html_is_refused(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode="HTML")


@pytest.mark.asyncio
async def test_valid_html_passes_and_is_parsed(fake: FakeTelegram, bot: Bot) -> None:
    html = (
        "<b>Bold <i>both</i></b> &amp; &lt;tag&gt; &quot;q&quot; &#39;s &#x27; "
        '<a href="https://example.org/?a=1&amp;b=2">link</a> <code>c</code> '
        '<pre><code class="language-python">x = 1</code></pre> <tg-spoiler>s</tg-spoiler> '
        '<span class="tg-spoiler">t</span> <blockquote expandable>q</blockquote> <u>u</u><s>s</s>'
    )
    message = await bot.send_message(CHAT, html, parse_mode="HTML")
    assert message.text.startswith("Bold both & <tag> \"q\" 's ' link c x = 1")
    sent = fake.last_message(CHAT)
    assert sent["raw_text"] == html and sent["parse_mode"] == "HTML" and sent["text"] == message.text
    kinds = {e["type"] for e in sent["entities"]}
    assert {"bold", "italic", "text_link", "code", "pre", "spoiler", "expandable_blockquote"} <= kinds
    pre = next(e for e in sent["entities"] if e["type"] == "pre")
    assert pre["language"] == "python"


@pytest.mark.asyncio
async def test_length_is_counted_after_parsing_in_utf16(bot: Bot) -> None:
    await bot.send_message(CHAT, "a" * 4096)
    await bot.send_message(CHAT, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(CHAT, "😀" * 2048)
    for too_long in ("a" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(CHAT, too_long)


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>"])
async def test_empty_text_is_refused(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(CHAT, text, parse_mode="HTML")


@pytest.mark.asyncio
async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    await bot.send_message(CHAT, "ok", reply_markup=keyboard("x" * 64))
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(CHAT, "too much", reply_markup=keyboard(data))


@pytest.mark.asyncio
async def test_unknown_chat_and_blocked_user(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(999, "who?")
    fake.block_bot(CHAT)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(CHAT, "hello?")


@pytest.mark.asyncio
async def test_reply_to_missing_message_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    question = fake.send_text(CHAT, USER, "question")
    reply = await bot.send_message(CHAT, "answer", reply_to_message_id=question["message_id"])
    assert reply.reply_to_message.text == "question"
    assert reply.message_id > question["message_id"]
    with pytest.raises(BadRequest, match="(?i)replied not found"):
        await bot.send_message(CHAT, "answer", reply_to_message_id=9999)


# -- edits, deletes, actions, commands ---------------------------------------------


@pytest.mark.asyncio
async def test_edit_message_text(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "draft", reply_markup=keyboard("more"))
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("draft", CHAT, sent.message_id, reply_markup=keyboard("more"))
    await bot.edit_message_text("<b>final</b>", CHAT, sent.message_id, parse_mode="HTML")
    edited = fake.wait_for_edit(CHAT, sent.message_id)
    assert (
        edited["text"] == "final" and edited["reply_markup"] is None
    )  # no markup in the edit: keyboard gone
    assert [v["text"] for v in edited["history"]] == ["draft"]
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.edit_message_text("<b>broken", CHAT, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", CHAT, 12345)
    await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("again"))
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("again"))
    assert fake.message(CHAT, sent.message_id)["edit_count"] == 2


@pytest.mark.asyncio
async def test_delete_and_chat_action(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "bye")
    assert await bot.send_chat_action(CHAT, "typing")
    assert await bot.delete_message(CHAT, sent.message_id)
    assert fake.last_message(CHAT)["deleted"]
    with pytest.raises(BadRequest, match="(?i)not found"):
        await bot.delete_message(CHAT, sent.message_id)
    assert fake.chat_actions(CHAT) == ["typing"]


@pytest.mark.asyncio
async def test_commands_per_scope_and_language(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("ask", "Ask about the news")])
    await bot.set_my_commands([("frage", "Frag nach")], language_code="de")
    await bot.set_my_commands([("ask", "Ask")], scope={"type": "all_group_chats"})
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["frage"]
    assert fake.commands() == [{"command": "ask", "description": "Ask about the news"}]
    assert fake.commands({"type": "all_group_chats"}) == [{"command": "ask", "description": "Ask"}]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Bad-Command", "x")])
    assert await bot.set_my_description("Answers questions about news articles")
    assert await bot.set_my_short_description("News Q&A")


# -- updates ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_get_updates_long_polls_and_respects_offset(fake: FakeTelegram, bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()  # held open: nothing to deliver yet
    fake.send_text(CHAT, USER, "first")
    updates = await asyncio.wait_for(poll, 3)
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates] == ["first"]
    fake.send_text(CHAT, USER, "second")
    fake.send_text(CHAT, USER, "third")
    assert [u.message.text for u in await bot.get_updates(limit=1)] == ["first"]  # not confirmed yet
    rest = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["second", "third"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()
    assert fake.pending_updates() == []


@pytest.mark.asyncio
async def test_empty_long_poll_waits_for_the_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


@pytest.mark.asyncio
async def test_newer_get_updates_terminates_the_older(fake: FakeTelegram, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await asyncio.wait_for(older, 3)


@pytest.mark.asyncio
async def test_privacy_mode_in_groups(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(GROUP, "supergroup", title="Newsroom")
    fake.send_text(GROUP, USER, "just chatting")  # the chat's known type: supergroup
    fake.send_text(GROUP, USER, "/ask@other_bot what?")
    fake.send_text(GROUP, USER, "@runding_test_bot who won?")
    fake.send_text(GROUP, USER, "/ask@runding_test_bot why?")
    answer = await bot.send_message(GROUP, "because")
    fake.send_text(GROUP, USER, "thanks", reply_to_message_id=answer.message_id)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == [
        "@runding_test_bot who won?",
        "/ask@runding_test_bot why?",
        "thanks",
    ]
    assert updates[0].message.entities[0].type == "mention"
    assert (
        updates[1].message.entities[0].type == "bot_command" and updates[1].message.entities[0].length == 21
    )
    assert updates[0].message.chat.title == "Newsroom"
    assert len(fake.undelivered()) == 2


@pytest.mark.asyncio
async def test_media_and_edited_messages(fake: FakeTelegram, bot: Bot) -> None:
    original = fake.send_text(CHAT, USER, "typo")
    fake.send_edited_text(CHAT, original["message_id"], "fixed")
    fake.send_photo(CHAT, USER, caption="look")
    fake.send_sticker(CHAT, USER)
    fake.send_voice(CHAT, USER)
    updates = await bot.get_updates()
    assert (
        updates[1].edited_message.text == "fixed"
        and updates[1].edited_message.message_id == original["message_id"]
    )
    assert updates[2].message.photo and updates[2].message.caption == "look"
    assert updates[3].message.sticker.emoji == "👍"
    voice = await updates[4].message.voice.get_file()
    assert (await voice.download_as_bytearray()).startswith(b"OggS")


@pytest.mark.asyncio
async def test_file_download_returns_registered_bytes(fake: FakeTelegram, bot: Bot) -> None:
    data = bytes(range(256)) * 10
    fake.send_document(CHAT, USER, "article.pdf", data, "application/pdf", caption="read this")
    (update,) = await bot.get_updates()
    document = update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "article.pdf",
        "application/pdf",
        2560,
    )
    file = await document.get_file()
    assert bytes(await file.download_as_bytearray()) == data
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await bot.get_file("nope")


@pytest.mark.asyncio
async def test_send_document_upload(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_document(
        CHAT, b"col\n1\n", filename="answer.csv", caption="<i>data</i>", parse_mode="HTML"
    )
    sent = fake.last_message(CHAT)
    assert sent["document"]["data"] == b"col\n1\n" and sent["document"]["file_name"] == "answer.csv"
    assert sent["caption"] == "data"


# -- buttons and inline mode --------------------------------------------------------


@pytest.mark.asyncio
async def test_button_press_and_answer(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "pick", reply_markup=keyboard("a:1", "b:2"))
    query_id = fake.press_button(CHAT, USER, sent.message_id, "b:2")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query.data == "b:2" and query.chat_instance and query.message.message_id == sent.message_id
    assert await query.answer("done")
    assert fake.callback_answers(query_id)[0]["text"] == "done"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer("again")
    with pytest.raises(AssertionError):
        fake.press_button(CHAT, USER, sent.message_id, "c:3")


@pytest.mark.asyncio
async def test_inline_query_answers_are_checked_and_stored(fake: FakeTelegram, bot: Bot) -> None:
    query_id = fake.inline_query(USER, "who won")
    (update,) = await bot.get_updates()
    assert update.inline_query.query == "who won"

    def article(text: str, markup: InlineKeyboardMarkup | None = None) -> InlineQueryResultArticle:
        content = InputTextMessageContent(text, parse_mode="HTML")
        return InlineQueryResultArticle("r1", "Result", content, reply_markup=markup)

    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.answer_inline_query(query_id, [article("<p>no</p>")])
    assert await bot.answer_inline_query(
        query_id, [article("<b>Team A</b> won", keyboard("more"))], cache_time=0
    )
    (answer,) = fake.inline_answers(query_id)
    assert answer["results"][0]["input_message_content"]["message_text"] == "<b>Team A</b> won"
    inline_message_id = fake.choose_inline_result(USER, "r1")
    assert inline_message_id
    assert await bot.edit_message_text("Team A won 2:1", inline_message_id=inline_message_id) is True
    assert fake.inline_message(inline_message_id)["text"] == "Team A won 2:1"


@pytest.mark.asyncio
async def test_calls_are_recorded_with_readable_params(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(CHAT, "hi", reply_markup=keyboard("k"))
    (call,) = fake.calls("sendMessage")
    assert call["params"]["chat_id"] == CHAT and call["status"] == 200
    assert call["params"]["reply_markup"] == {"inline_keyboard": [[{"text": "k", "callback_data": "k"}]]}
    assert [c["method"] for c in fake.calls()] == ["getMe", "sendMessage"]


@pytest.mark.asyncio
async def test_wait_timeout_explains_what_the_bot_did(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(CHAT, "<b>oops", parse_mode="HTML")
    with pytest.raises(WaitTimeout, match="(?s)sendMessage -> 400 Bad Request: can't parse entities"):
        await asyncio.to_thread(fake.wait_for_messages, CHAT, 1, 0.2)
    assert [e["method"] for e in fake.errors()] == ["sendMessage"]


# -- faults and outages -------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's retry_after int -> timedelta notice
async def test_fail_next_429_raises_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", times=1, status=429, retry_after=1)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(CHAT, "now?")
    assert raised.value.retry_after == 1
    await bot.send_message(CHAT, "now!")
    assert [c["status"] for c in fake.calls("sendMessage")] == [429, 200]
    assert fake.errors() == []  # injected failures are not the bot's errors


@pytest.mark.asyncio
async def test_fail_next_5xx_raises_network_error(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next(times=2, status=502)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_chat_action(CHAT, "typing")
    assert await bot.send_chat_action(CHAT, "typing")


@pytest.mark.asyncio
async def test_outage_answers_5xx_until_it_ends(fake: FakeTelegram, bot: Bot) -> None:
    fake.outage(0.5, status=502)
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "during")
    await asyncio.sleep(0.6)
    await bot.send_message(CHAT, "after")
    assert [m["text"] for m in fake.sent_messages(CHAT)] == ["after"]


@pytest.mark.asyncio
async def test_outage_spares_the_methods_it_is_told_to(fake: FakeTelegram, bot: Bot) -> None:
    fake.outage(5, status=504, spare=["getMe"])
    assert (await bot.get_me()).username == "runding_test_bot"
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "during")


@pytest.mark.asyncio
async def test_a_long_poll_waiting_when_an_outage_starts_ends_in_it(fake: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.to_thread(fake.wait_for_calls, "getMe")
    await asyncio.sleep(0.3)  # the poll is waiting
    fake.outage(5, status=502)
    fake.send_text(CHAT, USER, "during the outage")
    with pytest.raises(NetworkError):
        await poll
    assert len(fake.pending_updates()) == 1  # it waits at Telegram


@pytest.mark.asyncio
async def test_slow_next_sends_the_message_but_answers_after_the_client_timeout(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.slow_next("sendMessage", delay=1.0)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "late", read_timeout=0.3)
    assert [m["text"] for m in fake.sent_messages(CHAT)] == ["late"]


@pytest.mark.asyncio
async def test_drop_next_closes_the_connection_without_sending(fake: FakeTelegram, bot: Bot) -> None:
    fake.drop_next("sendMessage")
    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CHAT, "lost")
    assert not isinstance(raised.value, TimedOut)
    await bot.send_message(CHAT, "next")
    assert [m["text"] for m in fake.sent_messages(CHAT)] == ["next"]


@pytest.mark.asyncio
async def test_fail_randomly_fails_about_the_share_asked(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_randomly(0.1, status=502)
    failed = 0
    for _ in range(200):
        try:
            await bot.send_chat_action(CHAT, "typing")
        except NetworkError:
            failed += 1
    assert 8 <= failed <= 35  # seeded dice: 10% of 200 give 20, give or take


@pytest.mark.asyncio
async def test_restart_keeps_port_and_state(fake: FakeTelegram, bot: Bot) -> None:
    port = fake.port
    await bot.send_message(CHAT, "before")
    await asyncio.to_thread(fake.stop)
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "while down")
    await asyncio.to_thread(fake.start)
    assert fake.port == port
    await bot.send_message(CHAT, "after")
    assert [m["text"] for m in fake.sent_messages(CHAT)] == ["before", "after"]
    await asyncio.to_thread(fake.restart, 0.1)
    assert fake.port == port and (await bot.get_me()).username == "runding_test_bot"


# -- a real Application against the fake ----------------------------------------------


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html(
        "<b>Answer:</b> " + " ".join(context.args or []), reply_markup=keyboard("src"), do_quote=True
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_message.text
    await update.effective_message.reply_text(update.effective_message.text.upper())


async def _source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await update.callback_query.edit_message_text("Source: example.org")


def _application(fake: FakeTelegram) -> Application:
    application = (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("ask", _ask))
    application.add_handler(CallbackQueryHandler(_source))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return application


@pytest.mark.asyncio
async def test_application_polling_end_to_end(fake: FakeTelegram) -> None:
    application = _application(fake)
    async with application:
        await application.updater.start_polling(poll_interval=0, timeout=5)
        await application.start()
        question = fake.send_text(CHAT, USER, "/ask who won")
        (answer,) = await asyncio.to_thread(fake.wait_for_messages, CHAT, 1, 10, question["message_id"])
        assert answer["text"] == "Answer: who won" and answer["reply_to_message_id"] == question["message_id"]
        fake.press_button(CHAT, USER, answer["message_id"], "src")
        edited = await asyncio.to_thread(fake.wait_for_edit, CHAT, answer["message_id"])
        assert edited["text"] == "Source: example.org"
        hello = fake.send_text(CHAT, USER, "hello")
        (echo,) = await asyncio.to_thread(fake.wait_for_messages, CHAT, 1, 10, hello["message_id"])
        assert echo["text"] == "HELLO"
        await application.updater.stop()
        await application.stop()
    assert fake.errors() == []
    assert fake.pending_updates() == []  # the stop confirmed everything handled
    assert len(fake.callback_answers()) == 1


@pytest.mark.asyncio
async def test_application_webhook_end_to_end(fake: FakeTelegram, unused_tcp_port: int) -> None:
    application = _application(fake)
    async with application:
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=unused_tcp_port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{unused_tcp_port}/hook",
            secret_token="s3cret",
        )
        await application.start()
        assert fake.webhook() == {"url": f"http://127.0.0.1:{unused_tcp_port}/hook", "secret_token": "s3cret"}
        hello = fake.send_text(CHAT, USER, "via webhook")
        (echo,) = await asyncio.to_thread(fake.wait_for_messages, CHAT, 1, 10, hello["message_id"])
        assert echo["text"] == "VIA WEBHOOK"
        await application.updater.stop()
        await application.stop()
    assert fake.errors() == []


# -- the HTML checker on its own --------------------------------------------------------


def test_parse_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html("😀 <b>bold</b>")
    assert parsed.text == "😀 bold"
    assert parsed.entities == [{"type": "bold", "offset": 3, "length": 4}]


def test_parse_html_error_names_the_byte_offset() -> None:
    with pytest.raises(EntityParseError, match='Unsupported start tag "p" at byte offset 3'):
        parse_html("ü <p>")


def test_lenient_mode_keeps_bare_ampersands_like_tdlib() -> None:
    assert parse_html("AT&T &nbsp; 1 > 0", strict=False).text == "AT&T &nbsp; 1 > 0"


@pytest.mark.asyncio
async def test_a_forwarded_channel_post_reaches_the_bot_with_its_channel_origin(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.forward_channel_post(
        CHAT,
        USER,
        "Warta Damai",
        4521,
        text="Delegasi bertemu di Wina.",
        channel_username="wartadamai",
        post_date=1827792000,
    )
    fake.forward_channel_post(CHAT, USER, "Kanal Tertutup", 77, caption="Foto dari Wina.")
    text_post, photo_post = [u.message for u in await bot.get_updates(timeout=0)]
    origin = text_post.forward_origin
    assert (
        origin.type == "channel"
        and origin.chat.title == "Warta Damai"
        and origin.chat.username == "wartadamai"
    )
    assert origin.message_id == 4521 and origin.date.isoformat() == "2027-12-03T00:00:00+00:00"
    assert text_post.text == "Delegasi bertemu di Wina."
    assert (
        photo_post.caption == "Foto dari Wina."
        and photo_post.photo
        and photo_post.forward_origin.chat.username is None
    )
