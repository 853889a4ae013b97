"""Conversation memory: each conversation's last turn, forgotten after a while, in memory only.

The terminal chat and `ask --json` keep one of these; the Telegram bot keeps one per chat in the
Application's chat_data (bot/telegram/conversations.py), keyed by user.
"""

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from bot.answers.followup import Turn, answer_turn

if TYPE_CHECKING:
    from bot.answers.answer import Answer
    from bot.answers.service import AnswerService


class Conversations:
    """The last turn of each conversation, for `minutes` after it was asked."""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = minutes * 60
        self.clock = clock
        self._turns: dict[Hashable, tuple[Turn, float]] = {}

    def last(self, key: Hashable) -> Turn | None:
        """The conversation's last turn, unless it has expired."""
        self.sweep()
        held = self._turns.get(key)
        return held[0] if held else None

    def remember(self, key: Hashable, turn: Turn | None) -> None:
        """Keep `turn` from now on; None forgets (a greeting starts afresh)."""
        if turn is None:
            self._turns.pop(key, None)
        else:
            self._turns[key] = (turn, self.clock() + self.seconds)

    def forget(self, key: Hashable) -> None:
        self._turns.pop(key, None)

    def sweep(self) -> None:
        """Drop every expired turn (cheap: one pass over the conversations of one chat or terminal)."""
        now = self.clock()
        for key in [k for k, (_, expires) in self._turns.items() if expires <= now]:
            del self._turns[key]

    def __len__(self) -> int:
        return len(self._turns)


def converse(service: "AnswerService", memory: Conversations, key: Hashable, text: str) -> "Answer":
    """The answer to `text` in conversation `key`; the memory keeps what the turn leaves."""
    answerer = service.answerer  # one read: a swap in between cannot mix two indexes
    if answerer is None:
        return service.answer(text)
    previous = memory.last(key)
    answer, turn = answer_turn(answerer, text, previous)
    if turn is not previous:  # small talk in between keeps the question and its time
        memory.remember(key, turn)
    return answer
