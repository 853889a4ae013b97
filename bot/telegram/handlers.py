"""Telegram handlers: one job each. They turn updates into questions for the AnswerService and
its answers into messages; all answering runs off the event loop.
"""

import asyncio
import html
import logging
from datetime import date
from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes

from bot.answers.answer import Answer
from bot.answers.question import Language
from bot.answers.render import render_html
from bot.answers.service import AnswerService
from bot.answers.texts import phrase
from bot.telegram import conversations, replies
from bot.telegram.alerts import store_of
from bot.telegram.delivery import Undelivered
from bot.telegram.format import (
    article_for_key,
    context_html,
    context_keyboard,
    parse_context_data,
    split_html,
)
from bot.telegram.stats import Stats
from bot.telegram.texts import say
from bot.telegram.turns import Turns
from index.articles import ArticleError, save_article
from index.build import BuildBusyError, BuildError
from index.models import ArticleMeta

log = logging.getLogger(__name__)
INLINE_CACHE_SECONDS = 60
TYPING_WAIT_SECONDS = 1.0  # a typing action still in flight when the answer is ready is dropped


def service_of(context: ContextTypes.DEFAULT_TYPE) -> AnswerService:
    return context.application.bot_data["service"]


def stats_of(context: ContextTypes.DEFAULT_TYPE) -> Stats:
    return context.application.bot_data["stats"]


def user_language(update: Update) -> Language:
    code = (update.effective_user.language_code or "") if update.effective_user else ""
    return Language.en if code.startswith("en") else Language.id


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in service_of(context).settings.admin_ids


def sender_id(update: Update) -> int:
    """The sender's id, for admin commands, which is_admin has already let through (so one exists)."""
    if update.effective_user is None:
        raise ApplicationHandlerStop  # not reached after is_admin: nobody to attribute the article to
    return update.effective_user.id


async def answer_question(question: str, context: ContextTypes.DEFAULT_TYPE) -> Answer:
    """Embedding and search take milliseconds of CPU; a thread keeps the loop free for others."""
    answer = await asyncio.to_thread(service_of(context).answer, question)
    stats_of(context).count(answer)
    return answer


async def send_answer(message: Message, answer: Answer, context: ContextTypes.DEFAULT_TYPE) -> list[Message]:
    keyboard = context_keyboard(answer, article_hashes(context))
    chunks = split_html(render_html(answer))
    sent = []
    for position, chunk in enumerate(chunks, start=1):
        markup = keyboard if position == len(chunks) else None
        quote = message.chat.type != ChatType.PRIVATE
        sent.append(await message.reply_html(chunk, reply_markup=markup, do_quote=quote))
    return sent


def article_hashes(context: ContextTypes.DEFAULT_TYPE) -> dict[str, str]:
    answerer = service_of(context).answerer
    return answerer.retriever.stored.manifest.articles if answerer else {}


async def on_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message in a private chat, or one addressed to the bot in a group: answered in
    the user's turn (bot/telegram/turns.py), so a flood from one user does not hold up others."""
    message = update.effective_message
    if message is None or not message.text:
        return
    user = update.effective_user.id if update.effective_user else message.chat.id
    turns: Turns = context.application.bot_data["turns"]
    # No await between counting and joining the line: the count is exact.
    if turns.waiting(user) == service_of(context).settings.flood_notice_after:
        notice = replies.one_by_one(user_language(update))
        context.application.create_task(message.reply_text(notice), update=update)
    async with turns.turn(user):
        await answer_message(update, message, context)


async def answer_message(update: Update, message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    # In groups a typing action would cost a rate-limit slot per answer.
    typing = asyncio.create_task(show_typing(message)) if message.chat.type == ChatType.PRIVATE else None
    question = strip_bot_mention(message.text or "", context.bot.username)
    answer, turn = await conversations.answer(update, context, question)  # follow-ups completed
    stats_of(context).count(answer)
    if typing is not None:
        _, pending = await asyncio.wait({typing}, timeout=TYPING_WAIT_SECONDS)
        for late in pending:
            late.cancel()
    conversations.anchor(context, await send_answer(message, answer, context), turn)


async def show_typing(message: Message) -> None:
    """A hint while the answer is prepared: its failure never stops the answer."""
    try:
        await message.chat.send_action(ChatAction.TYPING)
    except TelegramError as error:
        log.info("Typing action for chat %s failed (%s); answering anyway", message.chat.id, error)


async def on_group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, only messages that mention the bot or reply to it are questions."""
    message = update.effective_message
    if message is None or not message.text:
        return
    replied = message.reply_to_message
    replies_to_bot = (
        replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    )
    mentioned = f"@{context.bot.username}".lower() in message.text.lower()
    if replies_to_bot or mentioned:
        await on_question(update, context)


def strip_bot_mention(text: str, username: str) -> str:
    mention = f"@{username}"
    index = text.lower().find(mention.lower())
    return (text[:index] + text[index + len(mention) :]).strip() if index >= 0 else text


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    answer = await answer_question(query.query, context)
    text = split_html(render_html(answer))[0]
    title = answer.fact or (
        answer.quotes[0].text if answer.quotes else say("inline_not_found", answer.reply_language)
    )
    result = InlineQueryResultArticle(
        id=uuid4().hex,
        title=title[:100],
        description=answer.quotes[0].title if answer.quotes else None,
        input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML),
        reply_markup=context_keyboard(answer, article_hashes(context)),
    )
    await query.answer([result], cache_time=INLINE_CACHE_SECONDS, is_personal=False)


async def on_context_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edit the answer to show the whole paragraph around its quote."""
    query = update.callback_query
    if query is None:
        return
    parsed = parse_context_data(query.data or "")
    answerer = service_of(context).answerer
    article = article_for_key(parsed[0], article_hashes(context)) if parsed and answerer else None
    paragraph = answerer.context(article, parsed[1]) if answerer and article and parsed else None
    if paragraph is None or parsed is None or answerer is None:
        await query.answer(say("context_gone", parsed[2] if parsed else Language.id), show_alert=True)
        return
    message = query.message if isinstance(query.message, Message) else None  # not InaccessibleMessage
    shown = message.text if message and message.text else ""
    original = message.text_html if message and shown else ""
    # Match on the plain text: in the HTML the quote carries <b> around its fact.
    sentences = [
        s.text
        for s in answerer.retriever.sentences
        if s.article_id == article and s.paragraph == paragraph.number and s.text in shown
    ]
    await query.answer()
    try:
        await query.edit_message_text(
            context_html(original, paragraph, sentences, parsed[2]), parse_mode=ParseMode.HTML
        )
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice: the bot reads text only, and says so briefly."""
    message = update.effective_message
    if message is not None:
        await message.reply_text(say("text_only", user_language(update)))


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    conversations.forget(update, context)  # /start starts afresh
    if update.effective_message is not None:
        answerer = service_of(context).answerer
        language = user_language(update)
        examples = answerer.suggestions(language) if answerer else []
        await update.effective_message.reply_html(replies.help_html(language, examples))


async def on_timeline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/timeline <subject>`: one line per article that speaks of it, oldest first."""
    message = update.effective_message
    if message is None:
        return
    language = user_language(update)
    subject = " ".join(context.args or [])[: service_of(context).settings.max_question_chars]
    answerer = service_of(context).answerer
    if answerer is None:
        await message.reply_text(phrase("unavailable", language))
        return
    if not subject.strip():
        await message.reply_text(say("timeline_usage", language))
        return
    answer = await asyncio.to_thread(answerer.timeline_of, subject, language)
    stats_of(context).count(answer)
    for chunk in split_html(render_html(answer)):
        await message.reply_html(chunk, do_quote=message.chat.type != ChatType.PRIVATE)


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None:
        return
    if not is_admin(update, context):
        await refuse(update)
        return
    service = service_of(context)
    subscribers = store_of(context.application).counts()
    await update.effective_message.reply_html(replies.stats_html(stats_of(context), service, subscribers))


async def on_reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Rebuild in a thread while questions keep being answered from the old index."""
    message = update.effective_message
    if message is None:
        return
    if not is_admin(update, context):
        await refuse(update)
        return
    service = service_of(context)
    language = user_language(update)
    if service.building:
        await message.reply_text(say("rebuild_busy", language))
        return
    await message.reply_text(say("rebuild_started", language))
    await message.reply_html(await rebuild_report(service, language))


async def rebuild_report(service: AnswerService, language: Language) -> str:
    try:
        report = await asyncio.to_thread(service.rebuild)
    except BuildBusyError:
        return html.escape(say("rebuild_busy", language))
    except BuildError as error:
        log.warning("Rebuild failed: %s", error)
        return replies.build_failed_html(language, str(error))
    return replies.build_done_html(language, report)


async def refuse(update: Update) -> None:
    user = update.effective_user
    log.warning("Refused admin command from user %s", user.id if user else "unknown")
    if update.effective_message is not None:
        await update.effective_message.reply_text(say("admin_only", user_language(update)))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "/foo": a short list of the commands, not an answer to a question nobody asked."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command, _, addressed_to = message.text.split()[0].partition("@")
    if addressed_to.lower() != context.bot.username.lower() and (
        addressed_to or message.chat.type != ChatType.PRIVATE
    ):
        return  # in a group, a command for another bot, or for no bot in particular
    if command[1:].lower() in known_commands(context):
        return  # its own handler answered it
    public, admin = context.application.bot_data["commands"]
    language = user_language(update)
    shown = public[language.value] + (admin[language.value] if is_admin(update, context) else [])
    await message.reply_html(replies.unknown_command_html(language, command, shown))


def known_commands(context: ContextTypes.DEFAULT_TYPE) -> set[str]:
    return {
        name
        for group in context.application.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error, and tell the user something went wrong without any details."""
    if isinstance(context.error, Undelivered):
        return  # the delivery layer logged it (WARNING, with chat and update); Telegram is not taking replies
    if isinstance(context.error, Forbidden):
        log.warning("Telegram refused a reply: %s", context.error)  # the user blocked the bot
        return
    if update is None and isinstance(context.error, NetworkError):
        # run_polling passes its own errors here too: the Bot API is unreachable for a moment
        # (restart, network). The updater retries by itself; one line is enough.
        log.warning("Bot API not reachable, retrying: %s", context.error)
        return
    log.error("Error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(say("something_went_wrong", user_language(update)))
        except Exception:  # noqa: BLE001 - the error may be that Telegram is unreachable; it is logged above
            log.warning("Could not tell the user about the error")


MAX_UPLOAD_BYTES = 1_000_000


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin sends a .txt or .md file: it is checked, saved into seeds/ and indexed."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    language = user_language(update)
    if not is_admin(update, context):
        await refuse_upload(update)
        return
    document = message.document
    if (document.file_size or 0) > MAX_UPLOAD_BYTES:
        await message.reply_html(replies.upload_rejected_html(language, f"over {MAX_UPLOAD_BYTES:,} bytes"))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    service = service_of(context)
    meta = ArticleMeta(source=f"uploaded via Telegram by user {sender_id(update)} on {date.today()}")
    try:
        path = save_article(service.settings.seeds_dir, document.file_name or "article.txt", data, meta)
    except ArticleError as error:
        await message.reply_html(replies.upload_rejected_html(language, str(error)))
        return
    await message.reply_text(say("upload_saved", language, name=path.name))
    await message.reply_html(await rebuild_report(service, language))


async def refuse_upload(update: Update) -> None:
    user = update.effective_user
    log.warning("Refused an article upload from user %s", user.id if user else "unknown")
    if update.effective_message is not None:
        await update.effective_message.reply_text(say("upload_refused", user_language(update)))
