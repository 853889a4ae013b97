"""Simulated Telegram users against the local Bot API server: each user asks, waits for the
answer, asks again. Used by `make bench` and by the slow load tests."""

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel

from tests.fake_telegram import FakeTelegram

FIRST_USER_ID = 500_000


class LoadResult(BaseModel):
    users: int
    questions: int
    answered: int
    lost: int
    seconds: float
    answers_per_second: float
    p50_ms: float
    p95_ms: float


def run_load(
    fake: FakeTelegram,
    questions: list[str],
    users: int,
    total: int,
    timeout: float = 60.0,
    first_user: int = FIRST_USER_ID,
) -> LoadResult:
    """`total` questions spread over `users` concurrent private chats (ids from `first_user`);
    lost = never answered within `timeout`."""
    per_user = total // users
    latencies: list[float] = []
    lost = 0
    lock = threading.Lock()

    def user(number: int) -> None:
        nonlocal lost
        chat = first_user + number
        for turn in range(per_user):
            question = questions[(number * per_user + turn) % len(questions)]
            started = time.perf_counter()
            sent = fake.send_text(chat, chat, question)
            try:
                fake.wait_for_messages(chat, 1, timeout=timeout, after_message_id=sent["message_id"])
            except AssertionError:
                with lock:
                    lost += 1
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    seconds = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return LoadResult(
        users=users,
        questions=per_user * users,
        answered=len(latencies),
        lost=lost,
        seconds=round(seconds, 2),
        answers_per_second=round(len(latencies) / seconds, 1),
        p50_ms=round(statistics.median(ordered) * 1000, 1),
        p95_ms=round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    )
