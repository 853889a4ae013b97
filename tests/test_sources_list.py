"""/sources' list and pages, and titles of forwarded posts: the pure parts of the Telegram layer."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.answers.question import Language
from bot.telegram.articles import derive_title_from_post
from bot.telegram.library import newest_first
from bot.telegram.sources import PAGE_SIZE, sources_page
from index.models import ArticleInfo


def info(number: int, date: str | None = None, url: str | None = None, added: int = 0) -> ArticleInfo:
    return ArticleInfo(
        id=f"a{number}",
        title=f"Artikel {number}",
        date=date,
        url=url,
        sentence_count=3,
        added_at=datetime(2027, 1, 1, added, tzinfo=UTC),
    )


def test_newest_first_by_date_then_by_when_added_and_undated_last() -> None:
    catalog = [
        info(1, "23 Juli 2027"),
        info(2, None, added=5),
        info(3, "2027-11-19"),
        info(4, "2027-11-19", added=3),
    ]
    assert [i.id for i in newest_first(catalog)] == ["a4", "a3", "a1", "a2"]


def test_a_short_list_has_no_page_buttons() -> None:
    text, markup = sources_page(
        [info(n, f"2027-10-{n:02d}") for n in range(1, PAGE_SIZE + 1)], 0, Language.id
    )
    assert markup is None and text.splitlines()[1].startswith(f"1. Artikel {PAGE_SIZE} — ")


def test_a_long_list_pages_forward_and_back_within_callback_limits() -> None:
    catalog = [info(n, f"2027-10-{n:02d}") for n in range(1, PAGE_SIZE * 2 + 2)]
    _first, first_buttons = sources_page(catalog, 0, Language.en)
    last, last_buttons = sources_page(catalog, 99, Language.en)  # clamped to the last page
    assert [b.callback_data for b in first_buttons.inline_keyboard[0]] == ["src:1:en"]
    assert [b.callback_data for b in last_buttons.inline_keyboard[0]] == ["src:1:en"]
    assert last.splitlines()[0] == f"<b>Articles, newest first</b> (17–17 of {len(catalog)}):"
    assert all(len(b.callback_data.encode()) <= 64 for b in first_buttons.inline_keyboard[0])


def test_rows_link_the_title_escape_it_and_leave_out_overlong_links() -> None:
    catalog = [
        ArticleInfo(
            id="x",
            title="A & B <talks>",
            url="https://n.test/a?x=1&y=2",
            outlet="Kabar",
            date="2027-11-19",
            sentence_count=4,
        ),
        ArticleInfo(id="y", title="Long", url="https://n.test/" + "a" * 500, sentence_count=1),
    ]
    text, _ = sources_page(catalog, 0, Language.id)
    assert (
        '1. <a href="https://n.test/a?x=1&amp;y=2">A &amp; B &lt;talks&gt;</a> — Kabar, 19 November 2027 · 4 kalimat'
        in text
    )
    assert "2. Long — tanpa tanggal · 1 kalimat" in text


def test_a_posts_headline_line_is_its_title_else_its_first_words() -> None:
    assert derive_title_from_post("Delegasi bertemu di Wina\nIsi berita.") == "Delegasi bertemu di Wina"
    post = "Delegasi Rusia dan Ukraina bertemu lagi di Wina pada hari Kamis untuk membahas pengawasan."
    assert derive_title_from_post(post) == "Delegasi Rusia dan Ukraina bertemu lagi di Wina pada hari…"
