"""Alerts at scale (issue 18): 1,000 subscribers and one new article, sent by `python -m bot` (the real
Application, its rate limiter and delivery retries) to the local Bot API server.

The subscribers are written into the bot's alert store before it starts; the article comes as an
admin's forwarded channel post. Every alert's arrival time at the server is checked against Telegram's
limits: at most 30 messages in any one second overall (a sliding window, stricter than per calendar
second) and at most one a second in one chat. Run alone with `python -m bench --only alerts` (figures
in bench/results/alerts.json).
"""

import shutil
import time
from pathlib import Path

from pydantic import BaseModel

from bench.bot_process import BotProcess
from bot.alerts.store import ALL_REPORTS, AlertStore
from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[1]
ADMIN = 111
FIRST_SUBSCRIBER = 800_000
TELEGRAM_OVERALL_PER_SECOND = 30
TELEGRAM_PER_CHAT_SECONDS = 1.0
POST = (
    "Delegasi Rusia dan Ukraina bertemu lagi di Doha\n"
    "Delegasi Rusia dan Ukraina bertemu di Doha pada 10 Desember 2027 dan sepakat menukar 300 tawanan "
    "perang sebelum akhir tahun.\nPertemuan dipimpin oleh mediator Qatar, yang menyebut putaran berikutnya "
    "akan digelar pada Januari 2028."
)


class AlertFigures(BaseModel):
    subscribers: int
    alerts_sent: int
    duplicates: int
    alerts_per_second_setting: float
    seconds_to_first_alert: float  # from the forwarded post (fetch, store, rebuild, queue) to the first alert
    seconds_to_last_alert: float
    sending_seconds: float  # first alert to last
    alerts_per_second: float
    max_in_any_second: int
    min_seconds_between_alerts_in_one_chat: float | None
    within_telegram_limits: bool


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most events in any half-open window [t, t + window)."""
    ordered, best, start = sorted(times), 0, 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def min_gap_per_chat(calls: list[dict]) -> float | None:
    by_chat: dict[str, list[float]] = {}
    for call in calls:
        by_chat.setdefault(str(call["params"]["chat_id"]), []).append(call["time"])
    gaps = [b - a for times in by_chat.values() for a, b in zip(sorted(times), sorted(times)[1:])]
    return round(min(gaps), 3) if gaps else None


def alert_figures(work: Path, subscribers: int = 1000, per_second: float = 25) -> AlertFigures:
    root = work / "alerts"
    shutil.copytree(REPO / "seeds", root / "seeds")
    store = AlertStore(root / "alerts.sqlite3")
    chats = range(FIRST_SUBSCRIBER, FIRST_SUBSCRIBER + subscribers)
    with FakeTelegram() as fake:
        fake.add_chat(ADMIN)
        for chat in chats:
            fake.add_chat(chat)
            store.subscribe(chat, ALL_REPORTS, "id")
        bot = BotProcess(
            fake, root, ALERTS_DB=str(root / "alerts.sqlite3"), ALERTS_PER_SECOND=str(per_second)
        )
        try:
            bot.wait_until_polling()
            time.sleep(2)  # the store records the library at start: the seed is not news
            started = time.time()
            fake.forward_channel_post(
                ADMIN, ADMIN, "Warta Damai", 9001, text=POST, channel_username="wartadamai"
            )
            wanted = {str(chat) for chat in chats}

            def sent() -> list[dict]:
                return [
                    c for c in fake.calls("sendMessage") if c["ok"] and str(c["params"]["chat_id"]) in wanted
                ]

            deadline = time.time() + 300
            # Polled, not fake.wait_until: that copies every call at each new one, and the copies
            # would take the GIL from the server thread whose arrival times are measured.
            while len(sent()) < subscribers and time.time() < deadline:
                time.sleep(1.0)
            time.sleep(3)  # a late duplicate would come now
            alerts = sent()
        finally:
            bot.stop()
    times = sorted(c["time"] for c in alerts)
    most, gap = max_in_window(times), min_gap_per_chat(alerts)
    return AlertFigures(
        subscribers=subscribers,
        alerts_sent=len({str(c["params"]["chat_id"]) for c in alerts}),
        duplicates=len(alerts) - len({str(c["params"]["chat_id"]) for c in alerts}),
        alerts_per_second_setting=per_second,
        seconds_to_first_alert=round(times[0] - started, 2),
        seconds_to_last_alert=round(times[-1] - started, 2),
        sending_seconds=round(times[-1] - times[0], 2),
        alerts_per_second=round((len(times) - 1) / (times[-1] - times[0]), 1) if len(times) > 1 else 0.0,
        max_in_any_second=most,
        min_seconds_between_alerts_in_one_chat=gap,
        within_telegram_limits=most <= TELEGRAM_OVERALL_PER_SECOND
        and (gap is None or gap >= TELEGRAM_PER_CHAT_SECONDS),
    )
