"""Talking to the Bot API before anything heavy loads.

This module imports only python-telegram-bot, so `python -m bot` can check the token and the
API within a second, before the model loads.
"""

import asyncio
import logging
from collections.abc import Callable

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.logs import install_log_filters
from bot.settings import Settings

log = logging.getLogger("bot.telegram.app")


def check_bot_api(settings: Settings) -> bool:
    """getMe before the model loads, so a bad token or an unreachable API fails in a second."""
    install_log_filters(settings)
    assert settings.telegram_bot_token is not None
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_base_url)

    async def probe() -> None:
        async with bot:  # initialize() calls getMe
            pass

    return reported(settings, lambda: asyncio.run(probe()))


def reported(settings: Settings, action: Callable[[], None]) -> bool:
    """Run the action; a rejected token or an unreachable API becomes one clear log line."""
    try:
        action()
    except InvalidToken:
        log.error("TELEGRAM_BOT_TOKEN was rejected by the Bot API at %s.", settings.telegram_api_base_url)
        return False
    except NetworkError as error:
        log.error(
            "Cannot reach the Bot API at %s (%s). Check TELEGRAM_API_BASE_URL and the network.",
            settings.telegram_api_base_url,
            type(error).__name__,
        )
        return False
    return True
