"""Adding articles by link into a seeds folder: stored with metadata, duplicates refused, failures
leave the folder as it was."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from index.adding import (
    DuplicateArticleError,
    NewArticle,
    article_from_link,
    canonical,
    remove_article,
    store_article,
)
from index.articles import ArticleError, read_articles
from index.extract import ExtractError
from index.fetch import FetchError
from index.models import ArticleMeta
from index.settings import IndexSettings
from tests.news_site import ALLOWED_NETWORK, JENEWA, LEDGER, SIZE_CAP, TIME_CAP, NewsSite

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with NewsSite() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return IndexSettings(
        _env_file=None,
        seeds_dir=tmp_path / "seeds",
        index_dir=tmp_path / "index",
        fetch_max_bytes=SIZE_CAP,
        fetch_timeout_seconds=TIME_CAP,
        fetch_allowed_networks=ALLOWED_NETWORK,
    )


def folder(settings: IndexSettings) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(settings.seeds_dir.iterdir())}


async def test_a_link_becomes_an_article_file_with_its_metadata(
    site: NewsSite, settings: IndexSettings
) -> None:
    new = await article_from_link(site.url(JENEWA), settings, added_by=111)
    path = store_article(new, settings)
    meta = json.loads(path.with_name(path.stem + ".meta.json").read_text())
    assert path.name == "2027-11-19_putaran-baru-perundingan-damai-rusia-ukraina.txt"
    assert meta["title"] == "Putaran Baru Perundingan Damai Rusia-Ukraina Digelar di Jenewa"
    assert meta["outlet"] == "Kabar Nusantara" and meta["date"] == "2027-11-19" and meta["via"] == "link"
    assert (
        meta["url"]
        == "https://www.kabarnusantara.test/internasional/2027/11/19/putaran-baru-perundingan-jenewa"
    )
    assert meta["added_by"] == 111 and datetime.fromisoformat(meta["added_at"]).tzinfo is not None
    assert "Putaran perundingan berikutnya" in path.read_text(encoding="utf-8")


async def test_the_seed_article_is_kept_byte_for_byte(site: NewsSite, settings: IndexSettings) -> None:
    before = folder(settings)
    store_article(await article_from_link(site.url(LEDGER), settings, added_by=111), settings)
    after = folder(settings)
    assert {name: after[name] for name in before} == before and len(after) == len(before) + 2


async def test_the_same_canonical_url_is_stored_once(site: NewsSite, settings: IndexSettings) -> None:
    first = store_article(await article_from_link(site.url(JENEWA), settings, added_by=111), settings)
    again = await article_from_link(site.url("/short/jenewa"), settings, added_by=112)
    with pytest.raises(DuplicateArticleError) as raised:
        store_article(again, settings)
    assert raised.value.article_id == first.stem and raised.value.why == "the same link"


async def test_nearly_the_same_text_under_another_link_is_a_duplicate(
    site: NewsSite, settings: IndexSettings
) -> None:
    first = store_article(await article_from_link(site.url(JENEWA), settings, added_by=111), settings)
    copy = await article_from_link(site.url(JENEWA), settings, added_by=111)
    lines = copy.text.splitlines()
    syndicated = NewArticle(
        text="\n".join(lines[:-1] + ["Sumber: Kabar Nusantara."]),
        meta=copy.meta.model_copy(update={"url": "https://mirror.test/berita/123"}),
    )
    with pytest.raises(DuplicateArticleError) as raised:
        store_article(syndicated, settings)
    assert raised.value.article_id == first.stem and "of the text is the same" in raised.value.why


async def test_a_different_story_is_not_a_duplicate(site: NewsSite, settings: IndexSettings) -> None:
    store_article(await article_from_link(site.url(JENEWA), settings, added_by=111), settings)
    store_article(await article_from_link(site.url(LEDGER), settings, added_by=111), settings)
    articles, problems = read_articles(settings.seeds_dir)
    assert len(articles) == 3 and not problems


@pytest.mark.parametrize("path", ["/missing", "/laporan.pdf", "/huge", "/loop-a", "/slow", "/to-localhost"])
async def test_a_failed_fetch_leaves_the_seeds_as_they_were(
    site: NewsSite, settings: IndexSettings, path: str
) -> None:
    before = folder(settings)
    with pytest.raises(FetchError):
        await article_from_link(site.url(path), settings, added_by=111)
    assert folder(settings) == before


async def test_a_page_without_article_text_is_refused(site: NewsSite, settings: IndexSettings) -> None:
    with pytest.raises(ExtractError):
        await article_from_link(site.url("/indeks"), settings, added_by=111)


def test_canonical_urls_ignore_case_of_host_fragments_and_tracking() -> None:
    assert canonical("https://WWW.Berita.test/a/b/?utm_source=tg#x") == canonical(
        "https://www.berita.test/a/b"
    )


def test_removing_an_article_deletes_its_text_and_metadata(settings: IndexSettings) -> None:
    new = NewArticle(
        text="Delegasi bertemu lagi di Jenewa pada 3 Desember 2027 untuk putaran keempat.",
        meta=ArticleMeta(title="Putaran keempat", added_at=datetime(2027, 12, 1, tzinfo=UTC)),
    )
    path = store_article(new, settings)
    remove_article(settings, path.stem)
    assert not path.exists() and not path.with_name(path.stem + ".meta.json").exists()
    with pytest.raises(ArticleError):
        remove_article(settings, path.stem)
