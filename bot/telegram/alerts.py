"""Alerts to subscribers when a new report lands (the store and the rules: bot/alerts/).

Two background tasks of the Application:
- the watcher wakes when the service swaps in a new index build (and once at start), queues one
  alert per matching subscriber in the outbox, in one transaction with marking the articles announced;
- the sender drains the outbox through the bot, hence through the delivery retries
  (bot/telegram/delivery.py), and marks each alert sent once Telegram has confirmed it.

Limits: AIORateLimiter holds every request to TELEGRAM_MAX_MESSAGES_PER_SECOND, but as a leaky bucket
that lets a burst of that many through on top of the rate, and it has no limit per private chat. So the
sender spaces alerts itself: ALERTS_PER_SECOND overall with no burst, and at least one second apart in
one chat. A chat that blocked the bot (403) is unsubscribed.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections import defaultdict
from enum import Enum

from aiolimiter import AsyncLimiter
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.alerts.news import Report, alerts_for, unannounced
from bot.alerts.store import AlertStore, OutboxRow, RowState
from bot.alerts.subjects import SubjectMatcher
from bot.answers.question import Language
from bot.answers.recency import display_date
from bot.answers.service import AnswerService
from bot.telegram.background import stop_task
from bot.telegram.delivery import Unconfirmed
from bot.telegram.texts import say

log = logging.getLogger(__name__)
STORE = "alert_store"
WATCHER = "alert_watcher"
SENDER = "alert_sender"
MAX_ALERT_CHARS = 4096
CHAT_SPACING_SECONDS = 1.0  # Telegram: about one message a second in one chat
CHATS_AT_ONCE = 50  # alerts in flight, so that a slow answer does not hold up the rate


def store_of(application: Application) -> AlertStore:
    return application.bot_data[STORE]


# -- the alert's text --------------------------------------------------------------------------


def alert_html(report: Report, language: str, subjects: list[str]) -> str:
    """Title (linked), outlet and date, the subjects it matched, and its key facts quoted word for word."""
    lang = Language.en if language == Language.en.value else Language.id
    info = report.info
    title = f"<b>{html.escape(info.title, quote=False)}</b>"
    if info.url:
        title = f'<a href="{html.escape(info.url)}">{title}</a>'
    when = display_date(info.date, lang.value) or say("undated", lang)
    lines = [
        say("alert_head_html", lang),
        title,
        html.escape(" · ".join(p for p in (info.outlet, when) if p)),
    ]
    if subjects:
        named = ", ".join(html.escape(s, quote=False) for s in subjects)
        lines.append(say("alert_about_html", lang, subjects=named))
    text = "\n".join(lines)
    if report.facts:
        text += "\n\n" + say("alert_facts", lang)
    for fact in report.facts:  # the best first; as many as fit in one message
        quoted = f"\n<blockquote>{html.escape(fact.text, quote=False)}</blockquote>"
        if len(text) + len(quoted) > MAX_ALERT_CHARS:
            break
        text += quoted
    return text


# -- queueing ----------------------------------------------------------------------------------


def queue_new_articles(service: AnswerService, store: AlertStore, matcher: SubjectMatcher) -> int:
    """Queue the alerts of every article the live build has and the store has not announced;
    how many were queued. The first time (nothing announced yet) the library is only recorded."""
    answerer = service.answerer
    if answerer is None:
        return 0
    catalog = answerer.retriever.stored.manifest.catalog
    announced = store.announced()
    if not announced:
        store.announce([info.id for info in catalog], [])
        log.info("Alerts: %d articles already in the library, none announced", len(catalog))
        return 0
    new = unannounced(catalog, announced)
    if not new:
        return 0
    subscriptions = store.subscriptions()
    by_article: dict[str, list] = defaultdict(list)
    for sentence in answerer.retriever.sentences:
        by_article[sentence.article_id].append(sentence)
    alerts = [
        alert
        for info in new
        for alert in alerts_for(info, by_article[info.id], subscriptions, matcher, alert_html)
    ]
    queued = store.announce([info.id for info in new], alerts)
    log.info("Alerts: %d new article(s), %d alert(s) queued", len(new), queued)
    return queued


async def watch_builds(application: Application, swapped: asyncio.Event, wake_sender: asyncio.Event) -> None:
    service: AnswerService = application.bot_data["service"]
    matcher = SubjectMatcher(service.lexicon)
    while True:
        try:
            if await asyncio.to_thread(queue_new_articles, service, store_of(application), matcher):
                wake_sender.set()
        except Exception:  # keep watching; the reason is logged, the next build tries again
            log.exception("Could not queue alerts for new articles")
        await swapped.wait()
        swapped.clear()


# -- sending -----------------------------------------------------------------------------------


class Outcome(Enum):
    DONE = "done"  # sent, or refused or unconfirmed for good: recorded, not tried again
    BLOCKED = "blocked"  # 403: the chat is unsubscribed, its alerts dropped
    LATER = "later"  # Telegram did not take it: still pending


class Sender:
    """Drains the outbox: ALERTS_PER_SECOND overall without bursts, one second apart per chat."""

    def __init__(self, application: Application, per_second: float, retry_seconds: float) -> None:
        self.application = application
        self.pacer = AsyncLimiter(1, 1 / per_second)  # a bucket of one: evenly spaced, no burst
        self.retry_seconds = retry_seconds
        self.last_in_chat: dict[int, float] = {}
        self.in_flight = asyncio.Semaphore(CHATS_AT_ONCE)

    async def run(self, wake: asyncio.Event) -> None:
        while True:
            wake.clear()
            try:
                left = await self.drain()
            except Exception:  # keep sending; the reason is logged
                log.exception("Alert sending failed")
                left = True
            # Alerts Telegram did not take are tried again after a while; new ones wake it at once.
            timeout = self.retry_seconds if left else None
            try:
                await asyncio.wait_for(wake.wait(), timeout)
            except TimeoutError:
                pass

    async def drain(self) -> bool:
        """Send every pending alert once; True when some are left to try again later."""
        rows = store_of(self.application).pending()
        by_chat: dict[int, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id].append(row)
        results = await asyncio.gather(*(self.send_chat(chat_rows) for chat_rows in by_chat.values()))
        return not all(results)

    async def send_chat(self, rows: list[OutboxRow]) -> bool:
        """One chat's alerts in order; False when one is left for later (the rest wait behind it)."""
        async with self.in_flight:
            for row in rows:
                wait = self.last_in_chat.get(row.chat_id, -CHAT_SPACING_SECONDS) + CHAT_SPACING_SECONDS
                await asyncio.sleep(max(0.0, wait - time.monotonic()))
                async with self.pacer:
                    self.last_in_chat[row.chat_id] = time.monotonic()
                    outcome = await self.send(row)
                if outcome is Outcome.LATER:
                    return False
                if outcome is Outcome.BLOCKED:
                    return True  # its other alerts were dropped with its subscriptions
        return True

    async def send(self, row: OutboxRow) -> Outcome:
        """Send one alert and record what became of it."""
        store = store_of(self.application)
        try:
            await self.application.bot.send_message(
                row.chat_id, row.text, parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )
        except Forbidden as error:
            removed = store.forget_chat(row.chat_id, str(error))
            log.warning("Chat %s blocked the bot: %d subscription(s) removed", row.chat_id, removed)
            return Outcome.BLOCKED
        except BadRequest as error:
            store.finish(row.id, RowState.FAILED, str(error))
            log.warning("Alert %d for chat %s refused: %s", row.id, row.chat_id, error)
            return Outcome.DONE
        except Unconfirmed:
            store.finish(row.id, RowState.UNCONFIRMED)  # it may have arrived: not sent twice
            return Outcome.DONE
        except TelegramError as error:  # given up for now: still pending, tried again later
            log.warning("Alert %d for chat %s not taken yet: %s", row.id, row.chat_id, error)
            return Outcome.LATER
        store.mark_sent(row.id)
        return Outcome.DONE


# -- lifecycle ---------------------------------------------------------------------------------


def start(application: Application) -> None:
    """From the application's startup: open the store, watch for new builds, drain the outbox."""
    service: AnswerService = application.bot_data["service"]
    settings = service.settings
    application.bot_data[STORE] = AlertStore(settings.alerts_db)
    loop = asyncio.get_running_loop()
    swapped, wake_sender = asyncio.Event(), asyncio.Event()

    def on_swap() -> None:  # called from the thread that swapped the build
        if not loop.is_closed():
            loop.call_soon_threadsafe(swapped.set)

    service.swap_listeners.append(on_swap)
    application.bot_data["alert_listener"] = on_swap
    sender = Sender(application, settings.alerts_per_second, settings.alerts_retry_seconds)
    application.bot_data[WATCHER] = asyncio.create_task(watch_builds(application, swapped, wake_sender))
    application.bot_data[SENDER] = asyncio.create_task(sender.run(wake_sender))


async def stop(application: Application) -> None:
    service: AnswerService = application.bot_data["service"]
    listener = application.bot_data.pop("alert_listener", None)
    if listener in service.swap_listeners:
        service.swap_listeners.remove(listener)
    await stop_task(application, WATCHER)
    await stop_task(application, SENDER)
