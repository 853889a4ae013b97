"""Counters for /stats, held by the Application (bot_data), not by a module."""

import time
from dataclasses import dataclass, field

from bot.answers.answer import Answer, AnswerKind


@dataclass
class Stats:
    started: float = field(default_factory=time.monotonic)
    questions: int = 0
    answered: int = 0
    not_found: int = 0
    delivered_after_retry: int = 0  # replies Telegram took only after one or more retries
    given_up: int = 0  # replies still refused at the end of DELIVERY_RETRY_SECONDS
    unconfirmed: int = 0  # replies sent whose answer never came (may have arrived; not resent)

    def count(self, answer: Answer) -> None:
        self.questions += 1
        self.answered += answer.answered
        self.not_found += answer.kind == AnswerKind.NOT_FOUND

    @property
    def uptime_seconds(self) -> float:
        return time.monotonic() - self.started
