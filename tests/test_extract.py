"""Extracting the article from realistic Indonesian and English news pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.extract import ExtractError, extract_article, written_date

PAGES = Path(__file__).parent / "pages"


def extracted(name: str, url: str = "https://fallback.test/page"):
    return extract_article((PAGES / name).read_text(encoding="utf-8"), url)


def test_an_indonesian_page_keeps_the_article_paragraphs_and_subheading() -> None:
    text = extracted("kabar_jenewa.html").text
    assert "Putaran perundingan berikutnya dijadwalkan berlangsung di Jenewa pada 3 Desember 2027." in text
    assert "Gencatan Senjata Terbatas" in text.splitlines()


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Beranda",
        "Indeks Berita",
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE",
        "Baca juga",
        "Baca Juga",
        "Berita Terkait",
        "Zelensky: Ukraina Siap",
        "Komentar",
        "Semoga perang cepat selesai",
        "Terpopuler",
        "Harga Emas",
        "Hak cipta",
        "Pedoman Media Siber",
        "Bagikan",
    ],
)
def test_an_indonesian_page_drops_menus_ads_related_links_comments_and_footer(boilerplate: str) -> None:
    assert boilerplate.lower() not in extracted("kabar_jenewa.html").text.lower()


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Advertisement",
        "Skip to main content",
        "Support the Ledger",
        "Related:",
        "More on this story",
        "Drone attack hits Kharkiv",
        "Comments (412)",
        "Thirty days is nothing",
        "Most viewed",
        "Cookie policy",
        "All rights reserved",
        "Share on Facebook",
    ],
)
def test_an_english_page_drops_menus_ads_related_links_comments_and_footer(boilerplate: str) -> None:
    assert boilerplate.lower() not in extracted("ledger_next_round.html").text.lower()


def test_the_metadata_gives_title_outlet_date_and_canonical_url() -> None:
    article = extracted("ledger_next_round.html")
    assert article.title == "Ukraine and Russia agree to 30-day ceasefire around nuclear plant"
    assert article.outlet == "The Daily Ledger"
    assert article.date == "2027-11-26"  # after today: htmldate's default horizon would drop it
    assert (
        article.url == "https://www.dailyledger.test/world/2027/nov/26/ukraine-russia-ceasefire-zaporizhzhia"
    )


def test_a_page_without_date_metadata_gets_the_date_written_in_it() -> None:
    article = extracted("damai_tanpa_meta.html")
    assert article.date == "2027-12-01"
    assert article.title == "Mediator Turki Usulkan Zona Demiliterisasi"
    assert not article.text.startswith(article.title)  # the headline is the title, not a paragraph


def test_without_a_canonical_link_the_fetched_url_is_kept() -> None:
    assert extracted("damai_tanpa_meta.html", "https://warta.test/d/1").url == "https://warta.test/d/1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ANKARA, Rabu, 1 Desember 2027 - Pemerintah Turki", "2027-12-01"),
        ("Jakarta - Delegasi bertemu pada Jumat (19/11/2027) di Jenewa", "2027-11-19"),
        ("Selasa, 3 Agu 2027 10:00 WIB", "2027-08-03"),
        ("Published 10 December 2027", "2027-12-10"),
    ],
)
def test_indonesian_and_english_written_dates_are_read(text: str, expected: str) -> None:
    assert written_date(text) == expected


def test_a_page_without_article_text_is_an_extract_error() -> None:
    with pytest.raises(ExtractError, match="no article text"):
        extracted("index_page.html")
