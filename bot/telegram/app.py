"""The explicit python-telegram-bot Application: handlers, commands, polling or webhook."""

import asyncio
import contextlib
import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.telegram import articles, feeds, handlers
from bot.telegram.bot_api import reported
from bot.logs import install_log_filters
from bot.answers.service import AnswerService
from bot.settings import Settings
from bot.telegram.stats import Stats

log = logging.getLogger(__name__)
WATCHER = "index_watcher"

PUBLIC_COMMANDS = {
    "id": [("start", "Mulai dan contoh pertanyaan"), ("help", "Bantuan"), ("sources", "Artikel yang sudah dibaca")],
    "en": [("start", "Start and example questions"), ("help", "Help"), ("sources", "Articles the bot has read")],
}
ADMIN_COMMANDS = {
    "id": [("add", "Tambah artikel dari tautan (admin)"), ("remove", "Hapus artikel (admin)"),
           ("feeds", "Feed RSS/Atom (admin)"), ("reindex", "Bangun ulang indeks (admin)"), ("stats", "Statistik (admin)")],
    "en": [("add", "Add an article by link (admin)"), ("remove", "Remove an article (admin)"),
           ("feeds", "RSS/Atom feeds (admin)"), ("reindex", "Rebuild the index (admin)"), ("stats", "Statistics (admin)")],
}


def build_application(settings: Settings, service: AnswerService) -> Application:
    assert settings.telegram_bot_token is not None
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url(settings.telegram_api_base_url))
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_max_messages_per_second, max_retries=3))
        .concurrent_updates(True)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        .build()
    )
    application.bot_data["service"] = service
    application.bot_data["stats"] = Stats()
    add_handlers(application)
    articles.add_handlers(application, settings)  # /add, links, forwards, /sources, /remove, /feeds
    return application


def add_handlers(application: Application) -> None:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    text = filters.TEXT & ~filters.COMMAND
    application.add_handler(CommandHandler(["start", "help"], handlers.on_start))
    application.add_handler(CommandHandler("reindex", handlers.on_reindex))
    application.add_handler(CommandHandler("stats", handlers.on_stats))
    application.add_handler(MessageHandler(private & text, handlers.on_question))
    application.add_handler(MessageHandler(groups & text, handlers.on_group_message))
    uploads = filters.Document.FileExtension("txt") | filters.Document.FileExtension("md")
    application.add_handler(MessageHandler(private & uploads, handlers.on_document))
    media = filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.Document.ALL
    application.add_handler(MessageHandler(private & media & ~uploads, handlers.on_media))
    application.add_handler(InlineQueryHandler(handlers.on_inline_query))
    application.add_handler(CallbackQueryHandler(handlers.on_context_button, pattern=r"^ctx:"))
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
    log.info("Bot @%s is up", application.bot.username)


async def on_shutdown(application: Application) -> None:
    await feeds.stop_polling(application)
    watcher = application.bot_data.pop(WATCHER, None)
    if watcher is not None:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


async def register_commands(application: Application) -> None:
    settings: Settings = application.bot_data["service"].settings
    for language, commands in PUBLIC_COMMANDS.items():
        code = None if language == "en" else language
        await application.bot.set_my_commands([BotCommand(*c) for c in commands], BotCommandScopeDefault(), code)
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
    install_log_filters(settings)
    application = build_application(settings, service)
    return 0 if reported(settings, lambda: _serve(application, settings)) else 2


def _serve(application: Application, settings: Settings) -> None:
    if settings.webhook_url:
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
