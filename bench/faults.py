"""The fault scenario of `make bench` (issue 10): 1,000 questions from 50 users while the Bot API
answers 10% of calls with 502 and is down (502 to everything) once for 10 s.

The same load runs first without faults, on the same bot process, so the figure is the latency
the faults add. Lost = never answered within the load's timeout; duplicated = bot messages in the
load's chats beyond one per question, counted after the bot has settled.
"""

import threading
import time

from pydantic import BaseModel

from bench.bot_process import BotProcess
from bench.load import LoadResult, run_load
from tests.fake_telegram import FakeTelegram

FAILED_SHARE = 0.10
OUTAGE_SECONDS = 10.0
OUTAGE_AFTER_SECONDS = 5.0  # into the faulted run, when most users are mid-conversation
CLEAN_USERS_FROM = 600_000
FAULTED_USERS_FROM = 700_000
SETTLE_SECONDS = 5.0
ADMIN = 111


class FaultFigures(BaseModel):
    clean: LoadResult
    faulted: LoadResult
    lost: int
    duplicated: int
    injected_failures: int
    added_p50_ms: float
    added_p95_ms: float
    bot_stats: str  # the delivery line of /stats after the faulted run


def extra_messages(fake: FakeTelegram, first_user: int, users: int, result: LoadResult) -> int:
    sent = sum(len(fake.sent_messages(first_user + n)) for n in range(users))
    return sent - result.answered


def delivery_line(fake: FakeTelegram) -> str:
    command = fake.send_text(ADMIN, ADMIN, "/stats")
    (reply,) = fake.wait_for_messages(ADMIN, 1, timeout=30, after_message_id=command["message_id"])
    return next((line for line in reply["text"].splitlines() if "retry" in line), "")


def fault_figures(
    fake: FakeTelegram, bot: BotProcess, questions: list[str], users: int, total: int
) -> FaultFigures:
    """`bot` serves `fake` and is warm; the clean run, then the faulted one."""
    clean = run_load(fake, questions, users=users, total=total, first_user=CLEAN_USERS_FROM)
    calls_before = len(fake.calls())
    fake.fail_randomly(FAILED_SHARE, status=502)
    outage = threading.Timer(
        OUTAGE_AFTER_SECONDS, fake.outage, args=(OUTAGE_SECONDS,), kwargs={"status": 502}
    )
    outage.start()
    faulted = run_load(
        fake, questions, users=users, total=total, timeout=120.0, first_user=FAULTED_USERS_FROM
    )
    outage.join()
    fake.clear_faults()
    time.sleep(SETTLE_SECONDS)  # a late duplicate would arrive now
    injected = sum(1 for c in fake.calls()[calls_before:] if c.get("injected"))
    return FaultFigures(
        clean=clean,
        faulted=faulted,
        lost=faulted.lost,
        duplicated=extra_messages(fake, FAULTED_USERS_FROM, users, faulted),
        injected_failures=injected,
        added_p50_ms=round(faulted.p50_ms - clean.p50_ms, 1),
        added_p95_ms=round(faulted.p95_ms - clean.p95_ms, 1),
        bot_stats=delivery_line(fake),
    )
