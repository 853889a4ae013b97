"""One question at a time per user, in the order asked.

PTB handles updates concurrently, so a user who sends 40 questions at once would otherwise hold 40
answers in flight and fill the shared send queue (about 30 requests/s) ahead of everybody else.
Queued per user, a flood costs its sender time, not other users: each of them still gets the next
free turn. Nothing is dropped; the sender is told once per burst that answers come one by one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Line:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # FIFO: answers keep the question order
    size: int = 0  # questions in line, the one being answered included


class Turns:
    """Held by the Application (bot_data): a line per user with questions waiting."""

    def __init__(self) -> None:
        self._lines: dict[int, _Line] = {}

    def waiting(self, user_id: int) -> int:
        """Questions of this user already in line (answered now or waiting)."""
        line = self._lines.get(user_id)
        return line.size if line else 0

    @asynccontextmanager
    async def turn(self, user_id: int) -> AsyncIterator[None]:
        line = self._lines.setdefault(user_id, _Line())
        line.size += 1
        try:
            async with line.lock:
                yield
        finally:
            line.size -= 1
            if line.size == 0:
                del self._lines[user_id]
