"""Background tasks the Application holds in bot_data (the index watcher, the feed poller)."""

import asyncio
import contextlib

from telegram.ext import Application


async def stop_task(application: Application, key: str) -> None:
    """Cancel the task kept under `key`, if any, and wait until it has stopped."""
    task = application.bot_data.pop(key, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
