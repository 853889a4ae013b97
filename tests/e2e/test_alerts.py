"""Alerts through `python -m bot` against the local Bot API server and the local news site:
/follow, then a new article (by link or forwarded post) brings each subscriber exactly one alert,
also across a restart of the bot, through a 502 burst, and a chat that blocked the bot is removed.

One bot root serves the module (its seeds, index and alert store grow from test to test, in file
order); the restart test starts a second process on the same root.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.alerts.store import AlertStore
from bot.telegram.follow import MAX_SUBJECTS
from tests.e2e.conftest import (
    ADMIN_ID,
    ANSWER_TIMEOUT,
    BotProcess,
    ask,
    bot_env,
    new_root,
    remember_background_vectors,
    settle,
)
from tests.fake_telegram import FakeTelegram
from tests.news_site import ALLOWED_NETWORK, JENEWA, LEDGER, NewsSite

pytestmark = pytest.mark.e2e

BUILD_TIMEOUT = 120.0
JENEWA_TITLE = "Putaran Baru Perundingan Damai Rusia-Ukraina Digelar di Jenewa"
JENEWA_URL = "https://www.kabarnusantara.test/internasional/2027/11/19/putaran-baru-perundingan-jenewa"
LEDGER_TITLE = "Ukraine and Russia agree to 30-day ceasefire around nuclear plant"
FOLLOWER, PRISONERS, ELECTIONS, LATE, BURST, BLOCKER = 301, 302, 303, 304, 305, 306
POSTS = {
    "wina": "Pengamat gencatan senjata tiba di Wina\nSebanyak 60 pengamat internasional tiba di Wina pada "
    "3 Desember 2027 untuk mengawasi gencatan senjata di sekitar fasilitas energi.\nMereka akan melapor "
    "kepada kedua delegasi setiap pekan.",
    "doha": "Delegasi bertemu lagi di Doha\nDelegasi Rusia dan Ukraina bertemu di Doha pada 10 Desember "
    "2027 dan sepakat menukar 300 tawanan perang sebelum akhir tahun.\nPertemuan dipimpin oleh mediator "
    "Qatar.",
}


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


class Bots:
    """The module's bot on one root, restartable."""

    def __init__(self, fake: FakeTelegram, root_factory: pytest.TempPathFactory) -> None:
        self.root = new_root(root_factory, "alerts")
        self.env = bot_env(
            self.root,
            fake.token,
            fake.base_url,
            FETCH_ALLOWED_NETWORKS=ALLOWED_NETWORK,
            ALERTS_DB=str(self.root / "alerts.sqlite3"),
        )
        self.fake = fake
        self.starts = 0
        self.process = self.start()

    def start(self) -> BotProcess:
        self.starts += 1
        process = BotProcess(self.root, self.env, name=f"bot-{self.starts}")
        calls = len(self.fake.calls("getUpdates"))
        deadline = time.monotonic() + 180
        while len(self.fake.calls("getUpdates")) <= calls:  # polling again: the restart is done
            assert process.alive(), process.tail()
            assert time.monotonic() < deadline, process.tail()
            time.sleep(0.1)
        return process

    def restart(self) -> None:
        assert self.process.terminate() == 0, self.process.tail()
        self.process.close()
        self.process.assert_no_secret(self.fake.token)
        self.process = self.start()

    @property
    def store(self) -> AlertStore:
        return AlertStore(self.root / "alerts.sqlite3")


@pytest.fixture(scope="module")
def bots(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bots]:
    running = Bots(fake, tmp_path_factory)
    try:
        remember_background_vectors(tmp_path_factory, running.root / "index")
        yield running
        assert running.process.terminate() == 0, running.process.tail()
    finally:
        running.process.close()
        running.process.assert_no_secret(fake.token)


def follow(fake: FakeTelegram, chat: int, text: str = "/follow", language: str = "id") -> str:
    _, (reply,) = ask(fake, chat, chat, text, language_code=language)
    return reply["text"]


def add_link(fake: FakeTelegram, url: str) -> None:
    """As the admin; waits for the outcome (after "Fetching…")."""
    _, (_, outcome) = ask(fake, ADMIN_ID, ADMIN_ID, url, count=2, timeout=BUILD_TIMEOUT, language_code="id")
    assert outcome["text"].startswith("Artikel ditambahkan"), outcome["text"]


def forward(fake: FakeTelegram, key: str, post_id: int) -> None:
    forwarded = fake.forward_channel_post(
        ADMIN_ID,
        ADMIN_ID,
        "Warta Damai",
        post_id,
        text=POSTS[key],
        channel_username="wartadamai",
        post_date=1827792000,
        language_code="id",
    )
    (reply,) = fake.wait_for_messages(ADMIN_ID, 1, BUILD_TIMEOUT, after_message_id=forwarded["message_id"])
    assert reply["text"].startswith("Artikel ditambahkan"), reply["text"]


def alerts_in(fake: FakeTelegram, chat: int) -> list[dict]:
    return [m for m in fake.sent_messages(chat) if m["text"].startswith(("🔔 Laporan baru", "🔔 New report"))]


def wait_for_alerts(fake: FakeTelegram, chat: int, count: int, timeout: float = ANSWER_TIMEOUT) -> list[dict]:
    return fake.wait_until(lambda: alerts_in(fake, chat)[count - 1 :] and alerts_in(fake, chat), timeout)


def test_following_is_listed_and_undone_in_the_users_language(fake: FakeTelegram, bots: Bots) -> None:
    chat = 399
    assert follow(fake, chat, "/following", "en") == "You do not follow anything. /follow to start."
    assert follow(fake, chat, "/follow   Gencatan  Senjata", "en").startswith(
        "You will get a message whenever a new report about gencatan senjata comes in."
    )
    assert follow(fake, chat, "/follow", "en").startswith("You will get a message whenever a new report")
    assert follow(fake, chat, "/following", "en") == "You follow:\n• gencatan senjata\n• every new report"
    assert follow(fake, chat, "/unfollow gencatan senjata", "en") == "You no longer follow gencatan senjata."
    assert follow(fake, chat, "/unfollow", "id") == "Langganan dihentikan: tidak ada pesan laporan baru lagi."
    assert follow(fake, chat, "/follow " + "x" * 80, "id").startswith("Topiknya harus berupa kata")
    assert bots.store.subscriptions(chat) == []


def test_a_chat_following_the_most_subjects_is_told_the_limit(fake: FakeTelegram, bots: Bots) -> None:
    chat = 398
    subjects = (
        "tawanan pengamat delegasi mediator jenazah pertukaran perbatasan energi pelabuhan nuklir "
        "bendungan listrik kereta warga sipil tentara menteri presiden rusia ukraina jenewa"
    ).split()
    for subject in subjects[:MAX_SUBJECTS]:
        assert follow(fake, chat, f"/follow {subject}").startswith("Anda akan mendapat pesan")
    assert follow(fake, chat, f"/follow {subjects[MAX_SUBJECTS]}") == (
        f"Anda sudah mengikuti {MAX_SUBJECTS} topik, batasnya. Hapus satu dengan /unfollow topik."
    )
    assert follow(fake, chat, "/follow tawanan").startswith("Anda akan mendapat pesan")  # already followed
    assert len(bots.store.subscriptions(chat)) == MAX_SUBJECTS
    follow(fake, chat, "/unfollow")
    assert bots.store.subscriptions(chat) == []


def test_a_follower_gets_exactly_one_alert_for_an_article_an_admin_adds_by_link(
    fake: FakeTelegram, bots: Bots, site: NewsSite
) -> None:
    assert follow(fake, FOLLOWER).startswith("Anda akan mendapat pesan setiap kali laporan baru masuk")
    follow(fake, PRISONERS, "/follow tawanan")
    follow(fake, ELECTIONS, "/follow pemilu")
    add_link(fake, site.url(JENEWA))
    (alert,) = wait_for_alerts(fake, FOLLOWER, 1)
    assert alert["text"].startswith(f"🔔 Laporan baru\n{JENEWA_TITLE}\nKabar Nusantara · 19 November 2027")
    assert f'<a href="{JENEWA_URL}"><b>{JENEWA_TITLE}</b></a>' in alert["raw_text"]
    assert "Kedua pihak sepakat menukar 500 tawanan perang lagi sebelum akhir Desember 2027." in alert["text"]
    (about,) = wait_for_alerts(fake, PRISONERS, 1)
    assert "Tentang: tawanan" in about["text"]
    settle(fake, seconds=3)
    assert len(alerts_in(fake, FOLLOWER)) == 1 and len(alerts_in(fake, PRISONERS)) == 1
    assert alerts_in(fake, ELECTIONS) == []  # the report does not speak of elections
    assert alerts_in(fake, ADMIN_ID) == []  # the admin follows nothing


def test_a_subscription_made_before_a_restart_brings_the_alert_after_it(
    fake: FakeTelegram, bots: Bots, site: NewsSite
) -> None:
    follow(fake, LATE)
    settle(fake)
    bots.restart()
    add_link(fake, site.url(LEDGER))
    (alert,) = wait_for_alerts(fake, LATE, 1)
    assert LEDGER_TITLE in alert["text"] and "The Daily Ledger" in alert["text"]
    wait_for_alerts(fake, FOLLOWER, 2)
    settle(fake, seconds=3)
    assert len(alerts_in(fake, LATE)) == 1 and len(alerts_in(fake, FOLLOWER)) == 2


def test_an_alert_refused_by_a_502_burst_arrives_once_when_it_ends(fake: FakeTelegram, bots: Bots) -> None:
    follow(fake, BURST)
    settle(fake)
    log_start = len(bots.process.log())
    fake.outage(8, status=502, method="sendMessage")  # the rebuild takes a few seconds of it
    forward(fake, "wina", 5001)
    (alert,) = wait_for_alerts(fake, BURST, 1, timeout=90)
    assert "Pengamat gencatan senjata tiba di Wina" in alert["text"]
    refused = [c for c in fake.calls("sendMessage") if c.get("injected") and c["params"]["chat_id"] == BURST]
    assert refused, "the burst did not hit the alert"
    settle(fake, seconds=3)
    assert len(alerts_in(fake, BURST)) == 1
    assert "Traceback" not in bots.process.log()[log_start:]


def test_a_chat_that_blocked_the_bot_is_unsubscribed(fake: FakeTelegram, bots: Bots) -> None:
    follow(fake, BLOCKER)
    fake.block_bot(BLOCKER)
    forward(fake, "doha", 5002)
    bots.process.wait_for_log(rf"Chat {BLOCKER} blocked the bot: 1 subscription\(s\) removed", BUILD_TIMEOUT)
    assert bots.store.subscriptions(BLOCKER) == []
    wait_for_alerts(fake, BURST, 2)  # the others still get it
    _, (stats,) = ask(fake, ADMIN_ID, ADMIN_ID, "/stats", language_code="id")
    assert "alert subscribers: 5 chats (5 subscriptions)" in stats["text"]
