"""Articles from where news lives, through `python -m bot` against the fake Bot API and a local
news site: by link, by forward and by feed; /sources paging and /remove; answers that carry the
link; a non-admin's link never reaching the news site.

One bot process serves the module; its seeds folder grows from test to test (file order). The
fetch guard stays on: only the news site's own address (127.0.0.2) is allowed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ADMIN_ID,
    ANSWER_TIMEOUT,
    SECOND_ADMIN_ID,
    USER_ID,
    BotProcess,
    ask,
    bot_env,
    current_manifest,
    new_root,
    remember_background_vectors,
    settle,
)
from tests.fake_telegram import FakeTelegram
from tests.news_site import ALLOWED_NETWORK, JENEWA, LEDGER, SIZE_CAP, SPORT, TIME_CAP, NewsSite

pytestmark = pytest.mark.e2e

BUILD_TIMEOUT = 120.0
FEED_POLL_SECONDS = 1.0
JENEWA_TITLE = "Putaran Baru Perundingan Damai Rusia-Ukraina Digelar di Jenewa"
JENEWA_URL = "https://www.kabarnusantara.test/internasional/2027/11/19/putaran-baru-perundingan-jenewa"
LEDGER_TITLE = "Ukraine and Russia agree to 30-day ceasefire around nuclear plant"
CHANNEL_POST = (
    "Delegasi Rusia dan Ukraina bertemu di Wina\n"
    "Delegasi Rusia dan Ukraina mengadakan pertemuan teknis di Wina pada 2 Desember 2027 untuk membahas "
    "pengawasan gencatan senjata oleh 60 pengamat internasional.\n"
    "Pertemuan itu dipimpin oleh diplomat Austria Helga Brunner."
)


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


@pytest.fixture(scope="module")
def library_bot(
    fake: FakeTelegram, site: NewsSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    root = new_root(tmp_path_factory, "articles")
    env = bot_env(
        root,
        fake.token,
        fake.base_url,
        FETCH_ALLOWED_NETWORKS=ALLOWED_NETWORK,
        FETCH_MAX_BYTES=str(SIZE_CAP),
        FETCH_TIMEOUT_SECONDS=str(TIME_CAP),
        FEED_POLL_SECONDS=str(FEED_POLL_SECONDS),
        FEEDS_FILE=str(root / "feeds.json"),
    )
    process = BotProcess(root, env)
    try:
        process.wait_until_polling(fake)
        remember_background_vectors(tmp_path_factory, root / "index")
        yield process
        assert process.terminate() == 0, process.tail()
    finally:
        process.close()
        process.assert_no_secret(fake.token)


def seeds(bot: BotProcess) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((bot.root / "seeds").iterdir())}


def add(fake: FakeTelegram, text: str, user: int = ADMIN_ID) -> str:
    """Send as an admin; the second reply (after "Fetching…") is the outcome."""
    _, (_, outcome) = ask(fake, user, user, text, count=2, timeout=BUILD_TIMEOUT, language_code="id")
    return outcome["text"]


def test_a_non_admins_link_is_treated_as_a_question_and_never_fetched(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite
) -> None:
    before = seeds(library_bot)
    _, (reply,) = ask(fake, USER_ID, USER_ID, site.url(JENEWA), language_code="id")
    _, (refused,) = ask(fake, USER_ID, USER_ID, f"/add {site.url(JENEWA)}", language_code="id")
    assert "Artikel ditambahkan" not in reply["text"] and "hanya untuk admin" in refused["text"]
    settle(fake)
    assert not site.fetched(JENEWA) and seeds(library_bot) == before


def test_an_admins_link_is_added_with_title_outlet_date_and_sentence_count(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite
) -> None:
    text = add(fake, site.url(JENEWA))
    assert text.startswith("Artikel ditambahkan") and JENEWA_TITLE in text
    assert "Kabar Nusantara · 19 November 2027 · " in text and "kalimat" in text
    stored = [json.loads(p.read_text()) for p in (library_bot.root / "seeds").glob("2027-11-19_*.meta.json")]
    assert [m["url"] for m in stored] == [JENEWA_URL] and stored[0]["added_by"] == ADMIN_ID


def test_an_answer_names_outlet_and_date_and_links_to_the_article(
    fake: FakeTelegram, library_bot: BotProcess
) -> None:
    _, (reply,) = ask(
        fake, USER_ID, USER_ID, "Berapa lama gencatan senjata di sekitar Zaporizhzhia?", language_code="id"
    )
    assert f'<a href="{JENEWA_URL}">{JENEWA_TITLE}</a>' in reply["raw_text"]
    assert "Kabar Nusantara, 19 November 2027" in reply["text"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "Situs menjawab dengan galat: HTTP 404"),
        ("/broken", "Situs menjawab dengan galat: HTTP 503"),
        ("/laporan.pdf", "bukan halaman web: the link gives application/pdf"),
        ("/huge", "Halaman terlalu besar"),
        ("/loop-a", "redirect loop"),
        ("/slow", "tidak selesai dimuat dalam batas waktu"),
        ("/to-localhost", "jaringan lokal atau pribadi"),
        ("/indeks", "tidak memuat teks artikel"),
    ],
)
def test_a_link_that_fails_gets_a_clear_reason_and_nothing_in_seeds_is_lost(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite, path: str, reason: str
) -> None:
    before = seeds(library_bot)
    text = add(fake, f"/add {site.url(path)}")
    assert text.startswith("Artikel tidak ditambahkan.") and reason in text
    assert seeds(library_bot) == before


def test_the_same_story_added_again_is_stored_once_and_named(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite
) -> None:
    before = seeds(library_bot)
    text = add(fake, f"/add {site.url('/short/jenewa')}", user=SECOND_ADMIN_ID)
    assert f"Berita ini sudah ada: {JENEWA_TITLE} (the same link)" in text
    assert seeds(library_bot) == before


def test_a_forwarded_channel_post_becomes_an_article_sourced_to_the_channel(
    fake: FakeTelegram, library_bot: BotProcess
) -> None:
    post_date = 1827792000  # 2027-12-03 00:00 UTC
    forwarded = fake.forward_channel_post(
        ADMIN_ID,
        ADMIN_ID,
        "Warta Damai",
        4521,
        text=CHANNEL_POST,
        channel_username="wartadamai",
        post_date=post_date,
        language_code="id",
    )
    (reply,) = fake.wait_for_messages(ADMIN_ID, 1, BUILD_TIMEOUT, after_message_id=forwarded["message_id"])
    assert (
        reply["text"].startswith("Artikel ditambahkan") and "Warta Damai · 3 Desember 2027" in reply["text"]
    )
    _, (answer,) = ask(
        fake,
        USER_ID,
        USER_ID,
        "Berapa pengamat internasional yang mengawasi gencatan senjata?",
        language_code="id",
    )
    assert "60 pengamat internasional" in answer["text"]
    assert (
        '<a href="https://t.me/wartadamai/4521">Delegasi Rusia dan Ukraina bertemu di Wina</a>'
        in answer["raw_text"]
    )


def test_a_caption_forwarded_from_a_private_channel_has_no_link(
    fake: FakeTelegram, library_bot: BotProcess
) -> None:
    caption = (
        "Pengungsi kembali ke Zaporizhzhia\nSekitar 2.000 pengungsi kembali ke Zaporizhzhia setelah gencatan "
        "senjata di sekitar pembangkit listrik diberlakukan, menurut otoritas setempat."
    )
    forwarded = fake.forward_channel_post(
        ADMIN_ID, ADMIN_ID, "Kanal Tertutup", 77, caption=caption, post_date=1817078400, language_code="id"
    )  # 2027-08-01
    (reply,) = fake.wait_for_messages(ADMIN_ID, 1, BUILD_TIMEOUT, after_message_id=forwarded["message_id"])
    assert (
        reply["text"].startswith("Artikel ditambahkan") and "Kanal Tertutup · 1 Agustus 2027" in reply["text"]
    )
    (meta,) = [
        json.loads(p.read_text()) for p in (library_bot.root / "seeds").glob("*pengungsi-kembali*.meta.json")
    ]
    assert meta["outlet"] == "Kanal Tertutup" and "url" not in meta and meta["via"] == "forward"


def test_a_forward_from_a_non_admin_is_not_stored(fake: FakeTelegram, library_bot: BotProcess) -> None:
    before = seeds(library_bot)
    forwarded = fake.forward_channel_post(
        USER_ID,
        USER_ID,
        "Warta Damai",
        4600,
        text="Siapa yang memimpin delegasi Rusia?",
        channel_username="wartadamai",
        language_code="id",
    )
    (reply,) = fake.wait_for_messages(USER_ID, 1, ANSWER_TIMEOUT, after_message_id=forwarded["message_id"])
    assert "Artikel ditambahkan" not in reply["text"] and seeds(library_bot) == before


def test_a_feed_adds_its_on_subject_entries_and_tells_the_admins(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite
) -> None:
    site.feed_items = [
        (LEDGER_TITLE, LEDGER),
        ("Timnas Indonesia Tekuk Vietnam", SPORT),
        ("Indeks", "/indeks"),
    ]
    _, (reply,) = ask(fake, ADMIN_ID, ADMIN_ID, f"/feeds add {site.url('/feed.xml')}", language_code="id")
    assert "Feed ditambahkan: Kabar Nusantara - Internasional (3 entri" in reply["text"]
    report_after = reply["message_id"]
    (report,) = fake.wait_for_messages(ADMIN_ID, 1, BUILD_TIMEOUT, after_message_id=report_after)
    assert report["text"].startswith("Dari feed Kabar Nusantara - Internasional:")
    assert LEDGER_TITLE in report["text"] and "The Daily Ledger, 26 November 2027" in report["text"]
    assert "Timnas" not in report["text"] and site.fetched(SPORT)  # read, found off the subject
    assert not list((library_bot.root / "seeds").glob("*timnas*"))
    assert any(LEDGER_TITLE in m["text"] for m in fake.sent_messages(SECOND_ADMIN_ID))


def test_a_feed_entry_seen_before_is_never_fetched_again(
    fake: FakeTelegram, library_bot: BotProcess, site: NewsSite
) -> None:
    fetched = [site.requests.count(path) for path in (LEDGER, SPORT, "/indeks")]
    polls = site.requests.count("/feed.xml")
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while site.requests.count("/feed.xml") < polls + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert site.requests.count("/feed.xml") >= polls + 2
    assert [site.requests.count(path) for path in (LEDGER, SPORT, "/indeks")] == fetched


def test_feeds_lists_and_removes_a_feed(fake: FakeTelegram, library_bot: BotProcess, site: NewsSite) -> None:
    _, (listing,) = ask(fake, ADMIN_ID, ADMIN_ID, "/feeds", language_code="id")
    assert "1. Kabar Nusantara - Internasional" in listing["text"]
    _, (removed,) = ask(fake, ADMIN_ID, ADMIN_ID, "/feeds remove 1", language_code="id")
    assert removed["text"] == "Feed dihapus: Kabar Nusantara - Internasional"
    _, (refused,) = ask(fake, USER_ID, USER_ID, "/feeds", language_code="id")
    assert "hanya untuk admin" in refused["text"]


def write_article(folder: Path, number: int) -> None:
    name = f"2027-10-{number:02d}_laporan-{number}"
    (folder / f"{name}.txt").write_text(
        f"Laporan pemantauan nomor {number} mencatat {number * 37} pelanggaran gencatan senjata di sektor utara.\n",
        encoding="utf-8",
    )
    (folder / f"{name}.meta.json").write_text(
        json.dumps(
            {"title": f"Laporan pemantauan {number}", "outlet": "Pemantau", "date": f"2027-10-{number:02d}"}
        )
    )


def test_sources_lists_newest_first_and_pages_with_buttons(
    fake: FakeTelegram, library_bot: BotProcess
) -> None:
    for number in range(1, 7):
        write_article(library_bot.root / "seeds", number)
    ask(fake, ADMIN_ID, ADMIN_ID, "/reindex", count=2, timeout=BUILD_TIMEOUT)
    total = len(current_manifest(library_bot.root / "index")["catalog"])
    assert total > 8
    _, (first,) = ask(fake, USER_ID, USER_ID, "/sources", language_code="id")
    lines = first["text"].splitlines()
    assert lines[0] == f"Artikel, terbaru dulu (1–8 dari {total}):"
    assert lines[1].startswith("1. Delegasi Rusia dan Ukraina bertemu di Wina — Warta Damai, 3 Desember 2027")
    assert lines[2].startswith(f"2. {LEDGER_TITLE} — The Daily Ledger, 26 November 2027")
    fake.press_button(USER_ID, USER_ID, first["message_id"], "src:1:id")
    second = fake.wait_for_edit(USER_ID, first["message_id"])
    assert second["text"].splitlines()[0] == f"Artikel, terbaru dulu (9–{total} dari {total}):"
    assert "23 Juli 2027" in second["text"].splitlines()[-1]  # the seed, oldest, last
    buttons = [b["callback_data"] for b in second["reply_markup"]["inline_keyboard"][0]]
    assert buttons == ["src:0:id"]


def test_remove_asks_for_confirmation_then_removes_and_reindexes(
    fake: FakeTelegram, library_bot: BotProcess
) -> None:
    _, (confirm,) = ask(fake, ADMIN_ID, ADMIN_ID, "/remove 2", language_code="id")
    assert confirm["text"] == f"Hapus artikel 2: {LEDGER_TITLE}?"
    yes, _no = (b["callback_data"] for b in confirm["reply_markup"]["inline_keyboard"][0])
    _, (refused,) = ask(fake, USER_ID, USER_ID, "/remove 2", language_code="id")
    assert "hanya untuk admin" in refused["text"]
    fake.press_button(ADMIN_ID, USER_ID, confirm["message_id"], yes)  # a forged press by someone else
    settle(fake)
    assert any(LEDGER_TITLE in c["title"] for c in current_manifest(library_bot.root / "index")["catalog"])
    fake.press_button(ADMIN_ID, ADMIN_ID, confirm["message_id"], yes)
    done = fake.wait_for_edit(ADMIN_ID, confirm["message_id"], timeout=BUILD_TIMEOUT)
    assert done["text"] == f"Artikel dihapus: {LEDGER_TITLE}"
    assert all(
        LEDGER_TITLE not in c["title"] for c in current_manifest(library_bot.root / "index")["catalog"]
    )
    assert not list((library_bot.root / "seeds").glob("2027-11-26_*"))


def test_remove_can_be_cancelled(fake: FakeTelegram, library_bot: BotProcess) -> None:
    before = seeds(library_bot)
    _, (confirm,) = ask(fake, ADMIN_ID, ADMIN_ID, "/remove 1", language_code="id")
    fake.press_button(ADMIN_ID, ADMIN_ID, confirm["message_id"], "rm:-:id")
    assert fake.wait_for_edit(ADMIN_ID, confirm["message_id"])["text"] == "Tidak ada yang dihapus."
    assert seeds(library_bot) == before
    assert fake.errors() == []
