"""Admins add articles from where news lives: `/add URL`, a private message that is only a link,
or a post forwarded from a channel. A link from anyone else is never fetched: it reaches the
question handler as any other text.

These handlers run in a group before the question handlers and stop the update there, so a link
an admin sends is added, not answered.
"""

import html
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from telegram import Message, MessageOriginChannel, Update
from telegram.constants import ChatAction
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.answers.question import Language
from bot.answers.recency import display_date
from bot.settings import Settings
from bot.telegram import feeds, sources
from bot.telegram.handlers import is_admin, refuse, sender_id, service_of, user_language
from bot.telegram.library import Added, add_and_index
from bot.telegram.texts import fetch_failure, say
from index.adding import DuplicateArticleError, NewArticle, article_from_link
from index.articles import ArticleError, derive_title
from index.extract import ExtractError
from index.fetch import FetchError
from index.models import ArticleMeta

log = logging.getLogger(__name__)
GROUP = -1  # before the question handlers (group 0)
_NO_FILE = Path("post")  # derive_title's fallback is a file name; a post has none
LINK_ONLY = re.compile(r"^\s*https?://\S+\s*$", re.IGNORECASE)


def add_handlers(application: Application, settings: Settings) -> None:
    """Everything about the article library: adding, listing, removing, feeds."""
    private = filters.ChatType.PRIVATE
    admins = filters.User(user_id=settings.admin_ids)
    link = private & admins & filters.TEXT & ~filters.COMMAND & ~filters.FORWARDED & filters.Regex(LINK_ONLY)
    forwarded = private & admins & filters.FORWARDED & (filters.TEXT | filters.CAPTION)
    application.add_handler(CommandHandler("add", on_add, filters=private), group=GROUP)
    application.add_handler(MessageHandler(link, on_link), group=GROUP)
    application.add_handler(MessageHandler(forwarded, on_forward), group=GROUP)
    sources.add_handlers(application, GROUP)
    feeds.add_handlers(application, GROUP)


async def on_add(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    if not is_admin(update, context):
        await refuse(update)  # never fetched
    elif len(args := context.args or []) != 1:
        await message.reply_text(say("add_usage", user_language(update)))
    else:
        await add_link(message, args[0], update, context)
    raise ApplicationHandlerStop


async def on_link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's private message that is only a link (the filter checked both)."""
    message = update.effective_message
    if message is not None and message.text:
        await add_link(message, message.text.strip(), update, context)
    raise ApplicationHandlerStop


async def add_link(message: Message, url: str, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    language = user_language(update)
    service = service_of(context)
    await message.reply_text(say("fetching", language))
    await message.chat.send_action(ChatAction.TYPING)
    try:
        new = await article_from_link(url, service.settings, added_by=sender_id(update))
    except FetchError as error:
        log.info("Not adding %s: %s", url, error)
        await message.reply_html(
            not_added_html(fetch_failure(error.failure, error.detail, language), language)
        )
        return
    except ExtractError:
        await message.reply_html(not_added_html(say("no_text", language), language))
        return
    await store_and_report(message, new, language, context)


async def on_forward(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin forwards a channel post: its text or caption becomes an article."""
    message = update.effective_message
    if message is None:
        return
    language = user_language(update)
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        await message.reply_text(say("forward_not_channel", language))
    elif not (message.text or message.caption or "").strip():
        await message.reply_text(say("forward_empty", language))
    else:
        await store_and_report(
            message, forwarded_article(message, origin, sender_id(update)), language, context
        )
    raise ApplicationHandlerStop


def forwarded_article(message: Message, origin: MessageOriginChannel, added_by: int) -> NewArticle:
    """Source: the channel's title; link t.me/<channel>/<id> when the channel is public; the post's date."""
    text = (message.text or message.caption or "").strip()
    username = origin.chat.username
    meta = ArticleMeta(
        title=derive_title_from_post(text),
        outlet=origin.chat.title or username,
        date=origin.date.date().isoformat(),
        url=f"https://t.me/{username}/{origin.message_id}" if username else None,
        added_by=added_by,
        added_at=datetime.now(UTC),
        via="forward",
    )
    return NewArticle(text=text, meta=meta)


def derive_title_from_post(text: str) -> str:
    """A post's first line when it reads as a headline, else its first ten words."""
    title = derive_title(_NO_FILE, text)
    if title != _NO_FILE.stem:
        return title
    words = text.split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")


async def store_and_report(
    message: Message, new: NewArticle, language: Language, context: ContextTypes.DEFAULT_TYPE
) -> None:
    try:
        added = await add_and_index(service_of(context), new)
    except DuplicateArticleError as duplicate:
        reason = say("duplicate", language, title=duplicate.title, why=duplicate.why)
        await message.reply_html(not_added_html(reason, language))
        return
    except ArticleError as error:
        await message.reply_html(not_added_html(str(error), language))
        return
    await message.reply_html(added_html(added, new.meta, language))


def not_added_html(reason: str, language: Language) -> str:
    return f"{say('not_added_html', language)} {html.escape(reason, quote=False)}"


def added_html(added: Added, meta: ArticleMeta, language: Language) -> str:
    """Title, outlet, date, sentence count and link, as the admin needs to check the article."""
    title = html.escape(added.title, quote=False)
    if meta.url:
        title = f'<a href="{html.escape(meta.url)}">{title}</a>'
    details = [meta.outlet, display_date(meta.date, language.value) or say("undated", language)]
    if added.info is not None:
        details.append(say("sentences", language, n=added.info.sentence_count))
    lines = [
        say("added_html", language),
        title,
        html.escape(" · ".join(d for d in details if d), quote=False),
    ]
    if added.problem:
        lines.append(html.escape(say("saved_not_indexed", language, reason=added.problem), quote=False))
    return "\n".join(lines)
