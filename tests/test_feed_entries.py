"""A feed entry whose subject cannot be judged (the embedding child was killed) is skipped with a
warning that names its link, so an admin can add it by hand; the poll goes on."""

import logging
from types import SimpleNamespace
from typing import Any, cast

import pytest

from bot.telegram import feeds
from index.adding import NewArticle
from index.child_process import ChildStopped
from index.feeds import Feed
from index.models import ArticleMeta

LINK = "https://news.example/talks-resume"


async def test_an_entry_whose_subject_cannot_be_judged_is_skipped_with_its_link_named(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def fetched(url: str, settings: object, added_by: int | None) -> NewArticle:
        return NewArticle(text="Perundingan dilanjutkan.", meta=ArticleMeta(title="Talks", url=url))

    def killed(*args: object) -> bool:
        raise ChildStopped("encode_in_child stopped before it finished (out of memory?)")

    monkeypatch.setattr(feeds, "article_from_link", fetched)
    monkeypatch.setattr(feeds, "on_subject", killed)
    service = cast(Any, SimpleNamespace(settings=SimpleNamespace(feed_keywords=(), feed_min_margin=0.0)))
    with caplog.at_level(logging.WARNING):
        assert (
            await feeds.entry_article(service, LINK, Feed(url="https://news.example/feed", title="News"))
            is None
        )
    assert LINK in caplog.text and "could not be judged" in caplog.text
