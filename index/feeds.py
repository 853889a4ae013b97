"""RSS and Atom feeds that admins follow: the list (with every entry already seen) in one JSON
file, and reading a feed through the same guarded fetcher as a link."""

from datetime import UTC, datetime
from pathlib import Path

import feedparser
from pydantic import BaseModel, Field

from index.fetch import FEED_TYPES, HTML_TYPES, Resolver, fetch_page
from index.files import write_atomically
from index.settings import IndexSettings

# Servers label feeds many ways (text/html included); feedparser decides whether it is one.
_FEED_RESPONSE_TYPES = FEED_TYPES + HTML_TYPES + ("application/rdf+xml", "text/plain")


class FeedError(ValueError):
    """The link is not a readable RSS or Atom feed."""


class Feed(BaseModel):
    url: str
    title: str
    added_by: int | None = None
    added_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class FeedEntry(BaseModel):
    key: str = Field(description="The entry's id, else its link: what 'seen before' compares.")
    title: str
    link: str


class FeedList(BaseModel):
    feeds: list[Feed] = []
    seen: dict[str, list[str]] = Field(default_factory=dict, description="Feed URL -> keys of entries seen.")

    def unseen(self, feed: Feed, entries: list[FeedEntry]) -> list[FeedEntry]:
        known = set(self.seen.get(feed.url, []))
        return [entry for entry in entries if entry.key not in known]

    def mark_seen(self, feed: Feed, entries: list[FeedEntry]) -> None:
        keys = self.seen.setdefault(feed.url, [])
        keys.extend(entry.key for entry in entries if entry.key not in keys)


def load_feeds(path: Path) -> FeedList:
    if not path.exists():
        return FeedList()
    return FeedList.model_validate_json(path.read_text(encoding="utf-8"))


def save_feeds(path: Path, feeds: FeedList) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, feeds.model_dump_json(indent=2).encode("utf-8"))


async def read_feed(
    url: str, settings: IndexSettings, resolver: Resolver | None = None
) -> tuple[str, list[FeedEntry]]:
    """The feed's title and entries; raises FetchError (fetching) or FeedError (not a feed)."""
    page = await fetch_page(url, settings, accept=_FEED_RESPONSE_TYPES, resolver=resolver)
    parsed = feedparser.parse(page.body)
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("the link is not an RSS or Atom feed")
    entries = [
        FeedEntry(
            key=str(entry.get("id") or entry.get("link")),
            title=str(entry.get("title") or entry.get("link")),
            link=str(entry.get("link")),
        )
        for entry in parsed.entries
        if entry.get("link")
    ]
    return str(parsed.feed.get("title") or url), entries
