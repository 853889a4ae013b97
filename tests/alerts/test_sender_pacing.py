"""The alert sender keeps Telegram's limits: one message a second in a chat, evenly paced overall."""

import time
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

from bot.alerts.store import Alert, AlertStore
from bot.telegram.alerts import CHAT_SPACING_SECONDS, STORE, Sender


class RecordingBot:
    """Below the Telegram line: records when each message would have gone out."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, float]] = []

    async def send_message(self, chat_id: int, text: str, **_: object) -> None:
        self.sent.append((chat_id, time.monotonic()))


def _sender(
    tmp_path: Path, alerts: list[Alert], per_second: float
) -> tuple[Sender, RecordingBot, AlertStore]:
    store = AlertStore(tmp_path / "alerts.sqlite3")
    store.announce(sorted({a.article_id for a in alerts}), alerts)
    bot = RecordingBot()
    application = SimpleNamespace(bot=bot, bot_data={STORE: store})
    return Sender(application, per_second=per_second, retry_seconds=60), bot, store  # type: ignore[arg-type]


async def test_two_alerts_to_one_chat_go_out_a_second_apart(tmp_path: Path) -> None:
    alerts = [Alert(chat_id=7, article_id=a, text=a) for a in ("a1", "a2")]
    sender, bot, store = _sender(tmp_path, alerts, per_second=25)
    assert await sender.drain() is False
    (_, first), (_, second) = bot.sent
    assert second - first >= CHAT_SPACING_SECONDS - 0.01
    assert store.pending() == [] and store.counts().sent == 2


async def test_alerts_to_different_chats_are_not_held_a_second_apart(tmp_path: Path) -> None:
    alerts = [Alert(chat_id=chat, article_id="a1", text="a1") for chat in range(1, 6)]
    sender, bot, _ = _sender(tmp_path, alerts, per_second=25)
    await sender.drain()
    times = sorted(t for _, t in bot.sent)
    assert len(times) == 5
    assert times[-1] - times[0] < CHAT_SPACING_SECONDS / 2
    assert min(b - a for a, b in pairwise(times)) >= 1 / 25 - 0.01  # evenly paced, no burst
