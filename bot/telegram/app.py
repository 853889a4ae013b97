"""The explicit python-telegram-bot Application: handlers, commands, polling or webhook."""

import asyncio
import logging
import secrets

from pydantic import SecretStr
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answers.service import AnswerService
from bot.logs import install_log_filters, watch_webhook_rejections
from bot.settings import Settings
from bot.telegram import alerts, articles, feeds, follow, handlers
from bot.telegram.background import stop_task
from bot.telegram.bot_api import reported
from bot.telegram.delivery import RetryingRateLimiter, note_update
from bot.telegram.stats import Stats
from bot.telegram.turns import Turns

log = logging.getLogger(__name__)
WATCHER = "index_watcher"

PUBLIC_COMMANDS = {
    "id": [
        ("start", "Mulai dan contoh pertanyaan"),
        ("help", "Bantuan"),
        ("sources", "Artikel yang sudah dibaca"),
        ("timeline", "Satu fakta dari setiap laporan, dari yang terlama"),
        ("follow", "Kabar laporan baru (/follow topik: hanya topik itu)"),
        ("unfollow", "Berhenti mengikuti"),
        ("following", "Yang Anda ikuti"),
    ],
    "en": [
        ("start", "Start and example questions"),
        ("help", "Help"),
        ("sources", "Articles the bot has read"),
        ("timeline", "One fact from every report, oldest first"),
        ("follow", "New reports (/follow subject: only that subject)"),
        ("unfollow", "Stop following"),
        ("following", "What you follow"),
    ],
}
ADMIN_COMMANDS = {
    "id": [
        ("add", "Tambah artikel dari tautan (admin)"),
        ("remove", "Hapus artikel (admin)"),
        ("feeds", "Feed RSS/Atom (admin)"),
        ("reindex", "Bangun ulang indeks (admin)"),
        ("stats", "Statistik (admin)"),
    ],
    "en": [
        ("add", "Add an article by link (admin)"),
        ("remove", "Remove an article (admin)"),
        ("feeds", "RSS/Atom feeds (admin)"),
        ("reindex", "Rebuild the index (admin)"),
        ("stats", "Statistics (admin)"),
    ],
}


def build_application(settings: Settings, service: AnswerService) -> Application:
    assert settings.telegram_bot_token is not None
    stats = Stats()
    limiter = RetryingRateLimiter(
        stats, settings.delivery_retry_seconds, settings.telegram_max_messages_per_second
    )
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .rate_limiter(limiter)
        # A reply whose answer does not come in time may have arrived and is not sent again
        # (delivery.py): a timeout well above Telegram's usual second keeps that case rare.
        .read_timeout(settings.telegram_timeout_seconds)
        .write_timeout(settings.telegram_timeout_seconds)
        .concurrent_updates(True)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        .build()
    )
    application.bot_data["service"] = service
    application.bot_data["stats"] = stats
    application.bot_data["turns"] = Turns()
    application.bot_data["commands"] = (PUBLIC_COMMANDS, ADMIN_COMMANDS)
    add_handlers(application)
    articles.add_handlers(application, settings)  # /add, links, forwards, /sources, /remove, /feeds
    return application


def add_handlers(application: Application) -> None:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    text = filters.TEXT & ~filters.COMMAND
    # Before every other group (the article handlers of group -1 stop the updates they take).
    application.add_handler(TypeHandler(Update, note_update), group=-2)
    application.add_handler(CommandHandler(["start", "help"], handlers.on_start))
    application.add_handler(CommandHandler("reindex", handlers.on_reindex))
    application.add_handler(CommandHandler("stats", handlers.on_stats))
    application.add_handler(CommandHandler("timeline", handlers.on_timeline))
    follow.add_handlers(application)  # /follow, /unfollow, /following
    application.add_handler(MessageHandler(private & text, handlers.on_question))
    application.add_handler(MessageHandler(groups & text, handlers.on_group_message))
    uploads = filters.Document.FileExtension("txt") | filters.Document.FileExtension("md")
    application.add_handler(MessageHandler(private & uploads, handlers.on_document))
    media = (
        filters.PHOTO
        | filters.Sticker.ALL
        | filters.VOICE
        | filters.AUDIO
        | filters.VIDEO
        | filters.Document.ALL
    )
    application.add_handler(MessageHandler(private & media & ~uploads, handlers.on_media))
    application.add_handler(InlineQueryHandler(handlers.on_inline_query))
    application.add_handler(CallbackQueryHandler(handlers.on_context_button, pattern=r"^ctx:"))
    # Group 1: it sees every command, whatever the order commands are added in, and answers
    # only those that no CommandHandler knows.
    application.add_handler(MessageHandler(filters.COMMAND, handlers.on_unknown_command), group=1)
    application.add_error_handler(handlers.on_error)


def file_url(base_url: str) -> str:
    """Telegram serves files under /file/bot<token>; a local Bot API server does the same."""
    root, _, _ = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/bot"


async def on_startup(application: Application) -> None:
    await register_commands(application)
    service: AnswerService = application.bot_data["service"]
    interval = service.settings.index_poll_seconds
    application.bot_data[WATCHER] = asyncio.create_task(watch_index(service, interval))
    feeds.start_polling(application)
    alerts.start(application)
    log.info("Bot @%s is up", application.bot.username)


async def on_shutdown(application: Application) -> None:
    await feeds.stop_polling(application)
    await alerts.stop(application)
    await stop_task(application, WATCHER)


async def register_commands(application: Application) -> None:
    settings: Settings = application.bot_data["service"].settings
    for language, commands in PUBLIC_COMMANDS.items():
        code = None if language == "en" else language
        await application.bot.set_my_commands(
            [BotCommand(*c) for c in commands], BotCommandScopeDefault(), code
        )
        for admin in settings.admin_ids:
            everything = [BotCommand(*c) for c in commands + ADMIN_COMMANDS[language]]
            try:
                await application.bot.set_my_commands(everything, BotCommandScopeChat(admin), code)
            except TelegramError as error:  # an admin who never opened a chat with the bot
                log.info("Admin commands not shown to %s yet: %s", admin, error)


async def watch_index(service: AnswerService, interval: float) -> None:
    """Pick up an index rebuilt from the shell (`python -m index build`) without a restart."""
    while True:
        await asyncio.sleep(interval)
        try:
            await asyncio.to_thread(service.reload_if_changed)
        except Exception:  # keep watching; the reason is logged
            log.exception("Could not check for a rebuilt index")


def run_bot(settings: Settings, service: AnswerService) -> int:
    """Run until SIGINT/SIGTERM; fail fast with one clear line on a bad token or API."""
    if settings.webhook_url and settings.webhook_secret is None:
        # Without a secret anybody who reaches the port could post updates "from" any user.
        settings = settings.model_copy(update={"webhook_secret": SecretStr(secrets.token_urlsafe(48))})
    install_log_filters(settings)
    application = build_application(settings, service)
    return 0 if reported(settings, lambda: _serve(application, settings)) else 2


def _serve(application: Application, settings: Settings) -> None:
    if settings.webhook_url:
        watch_webhook_rejections()
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
            # PTB answers 403 to a request without this secret in X-Telegram-Bot-Api-Secret-Token
            # and does nothing with it; bot/logs.py turns its note into a WARNING line.
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
