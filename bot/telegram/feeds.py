"""Feeds (admins): `/feeds`, `/feeds add URL`, `/feeds remove N`, and a job that reads them every
FEED_POLL_SECONDS, adds the new entries whose page is on the bot's subject and tells the admins.

An entry is marked seen before its page is fetched, so it is never fetched twice, even when the
first try failed. One lock keeps the job and the commands from writing the feed file at once.
"""

import asyncio
import html
import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, ContextTypes

from bot.answers.question import Language
from bot.answers.recency import display_date
from bot.answers.service import AnswerService
from bot.settings import Settings
from bot.telegram.background import stop_task
from bot.telegram.handlers import is_admin, refuse, sender_id, service_of, user_language
from bot.telegram.library import Added, add_many_and_index, on_subject
from bot.telegram.texts import fetch_failure, say
from index.adding import NewArticle, article_from_link
from index.child_process import ChildStopped
from index.extract import ExtractError
from index.feeds import Feed, FeedError, FeedList, load_feeds, read_feed, save_feeds
from index.fetch import FetchError

log = logging.getLogger(__name__)
POLLER = "feed_poller"
LOCK = "feeds_lock"


def add_handlers(application: Application, group: int) -> None:
    application.add_handler(CommandHandler("feeds", on_feeds), group=group)


def feeds_lock(application: Application) -> asyncio.Lock:
    return application.bot_data.setdefault(LOCK, asyncio.Lock())


async def on_feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        raise ApplicationHandlerStop
    args, language = context.args or [], user_language(update)
    if not is_admin(update, context):
        await refuse(update)
    elif not args:
        await message.reply_html(
            feeds_html(service_of(context).settings, language), disable_web_page_preview=True
        )
    elif args[0] == "add" and len(args) == 2:
        await add_feed(message, args[1], sender_id(update), language, context)
    elif args[0] == "remove" and len(args) == 2 and args[1].isdigit():
        await remove_feed(message, int(args[1]), language, context)
    else:
        await message.reply_text(say("feeds_usage", language))
    raise ApplicationHandlerStop


def feeds_html(settings: Settings, language: Language) -> str:
    feeds = load_feeds(settings.feeds_file).feeds
    if not feeds:
        return html.escape(say("feeds_none", language) + "\n\n" + say("feeds_usage", language), quote=False)
    rows = [
        f'{n}. <a href="{html.escape(f.url)}">{html.escape(f.title, quote=False)}</a>'
        for n, f in enumerate(feeds, start=1)
    ]
    return "\n".join([say("feeds_head_html", language, minutes=minutes(settings)), *rows])


def minutes(settings: Settings) -> str:
    return f"{settings.feed_poll_seconds / 60:g}"


async def add_feed(
    message: Message, url: str, user_id: int, language: Language, context: ContextTypes.DEFAULT_TYPE
) -> None:
    settings = service_of(context).settings
    try:
        title, entries = await read_feed(url, settings)
    except FetchError as error:
        await message.reply_text(
            say("feed_bad", language, reason=fetch_failure(error.failure, error.detail, language))
        )
        return
    except FeedError as error:
        await message.reply_text(say("feed_bad", language, reason=str(error)))
        return
    async with feeds_lock(context.application):
        feeds = load_feeds(settings.feeds_file)
        if any(feed.url == url for feed in feeds.feeds):
            await message.reply_text(say("feed_exists", language))
            return
        feeds.feeds.append(Feed(url=url, title=title, added_by=user_id))
        save_feeds(settings.feeds_file, feeds)
    await message.reply_html(
        say(
            "feed_added_html",
            language,
            title=html.escape(title, quote=False),
            entries=len(entries),
            minutes=minutes(settings),
        )
    )


async def remove_feed(
    message: Message, number: int, language: Language, context: ContextTypes.DEFAULT_TYPE
) -> None:
    settings = service_of(context).settings
    async with feeds_lock(context.application):
        feeds = load_feeds(settings.feeds_file)
        if not 1 <= number <= len(feeds.feeds):
            await message.reply_text(say("feed_no_such", language, n=number))
            return
        removed = feeds.feeds.pop(number - 1)
        save_feeds(settings.feeds_file, feeds)  # its seen entries stay: re-added, it starts where it was
    await message.reply_html(
        say("feed_removed_html", language, title=html.escape(removed.title, quote=False))
    )


def start_polling(application: Application) -> None:
    """From the application's startup: the job runs only when FEED_POLL_SECONDS is above 0."""
    service: AnswerService = application.bot_data["service"]
    if service.settings.feed_poll_seconds > 0:
        application.bot_data[POLLER] = asyncio.create_task(poll_forever(application))


async def stop_polling(application: Application) -> None:
    await stop_task(application, POLLER)


async def poll_forever(application: Application) -> None:
    interval = application.bot_data["service"].settings.feed_poll_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            await poll_once(application)
        except Exception:  # keep polling; the reason is logged
            log.exception("Feed poll failed")


async def poll_once(application: Application) -> None:
    service: AnswerService = application.bot_data["service"]
    async with feeds_lock(application):
        feeds = load_feeds(service.settings.feeds_file)
        for feed in list(feeds.feeds):  # no feed: nothing is fetched
            added = await poll_feed(service, feeds, feed)
            if added:
                await report(application, feed, added)


async def poll_feed(service: AnswerService, feeds: FeedList, feed: Feed) -> list[Added]:
    settings = service.settings
    try:
        _, entries = await read_feed(feed.url, settings)
    except (FetchError, FeedError) as error:
        log.warning("Feed %s not read: %s", feed.url, error)
        return []
    fresh = feeds.unseen(feed, entries)[: settings.feed_max_entries_per_poll]
    feeds.mark_seen(feed, fresh)
    save_feeds(settings.feeds_file, feeds)  # before fetching: an entry is never fetched twice
    news = [new for entry in fresh if (new := await entry_article(service, entry.link, feed)) is not None]
    return await add_many_and_index(service, news)


async def entry_article(service: AnswerService, link: str, feed: Feed) -> NewArticle | None:
    """The entry's page as an article when it can be read and is on the bot's subject."""
    settings = service.settings
    try:
        new = await article_from_link(link, settings, added_by=None)
    except (FetchError, ExtractError) as error:
        log.info("Feed entry %s skipped: %s", link, error)
        return None
    new.meta.via = "feed"
    new.meta.outlet = new.meta.outlet or feed.title
    try:
        about = await asyncio.to_thread(
            on_subject, service, new, settings.feed_keywords, settings.feed_min_margin
        )
    except ChildStopped as error:  # the embedding child was killed: say which entry to add by hand
        log.warning("Feed entry %s skipped: its subject could not be judged (%s)", link, error)
        return None
    if not about:
        log.info("Feed entry %s skipped: not about the bot's subject", link)
        return None
    return new


async def report(application: Application, feed: Feed, added: list[Added]) -> None:
    """Tell every admin what the feed brought (in Indonesian: admins' language is not known here)."""
    settings: Settings = application.bot_data["service"].settings
    language = Language.id
    rows = [f"• {added_row(a, language)}" for a in added]
    text = "\n".join([say("feed_report_html", language, feed=html.escape(feed.title, quote=False)), *rows])
    for admin in settings.admin_ids:
        try:
            await application.bot.send_message(
                admin, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )
        except TelegramError as error:
            log.warning("Could not report feed additions to admin %s: %s", admin, error)


def added_row(added: Added, language: Language) -> str:
    info = added.info
    title = html.escape(added.title, quote=False)
    if info is None:
        return title
    if info.url:
        title = f'<a href="{html.escape(info.url)}">{title}</a>'
    when = display_date(info.date, language.value) or say("undated", language)
    details = ", ".join(p for p in (info.outlet, when) if p)
    return (
        f"{title} — {html.escape(details, quote=False)} · {say('sentences', language, n=info.sentence_count)}"
    )
