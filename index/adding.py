"""New articles from where news lives (a link, a forwarded post, a feed entry) into the seeds
folder, stored once: a second copy of a story (the same canonical URL, or nearly the same text)
is refused with the article it duplicates. Removing an article deletes its two files.

The caller rebuilds the index afterwards; nothing here knows of Telegram.
"""

import asyncio
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import courlan
from pydantic import BaseModel

from index.articles import META_SUFFIX, ArticleError, meta_path, read_articles, save_article
from index.extract import decode_html, extract_article
from index.fetch import Resolver, fetch_page
from index.models import Article, ArticleMeta
from index.settings import IndexSettings

_SHINGLE_WORDS = 5
_SLUG_CHARS = 48  # with the date, within save_article's 60 characters
_WORD = re.compile(r"\w+")


class NewArticle(BaseModel):
    """An article ready to be stored: its text (one paragraph a line) and its metadata."""

    text: str
    meta: ArticleMeta


class DuplicateArticleError(ArticleError):
    """The story is already stored; `article_id` and `title` name the copy that is kept."""

    def __init__(self, article_id: str, title: str, why: str) -> None:
        super().__init__(f"already stored as {title} ({article_id}): {why}")
        self.article_id = article_id
        self.title = title
        self.why = why


async def article_from_link(
    url: str, settings: IndexSettings, added_by: int | None, resolver: Resolver | None = None
) -> NewArticle:
    """Fetch and extract; raises FetchError or ExtractError with the reason."""
    page = await fetch_page(url, settings, resolver=resolver)
    html = decode_html(page.body, page.encoding)
    found = await asyncio.to_thread(extract_article, html, page.url)  # lxml work: off the event loop
    meta = ArticleMeta(
        title=found.title,
        outlet=found.outlet,
        date=found.date,
        url=found.url,
        language=found.language,
        added_by=added_by,
        added_at=datetime.now(UTC),
        via="link",
    )
    return NewArticle(text=found.text, meta=meta)


def canonical(url: str | None) -> str | None:
    """A URL as compared for duplicates: host in lower case, no fragment, no tracking parameters."""
    if not url:
        return None
    try:
        return courlan.normalize_url(url.strip(), strict=True).rstrip("/")
    except ValueError:
        return url.strip().rstrip("/")


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + _SHINGLE_WORDS]) for i in range(max(1, len(words) - _SHINGLE_WORDS + 1))}


def find_duplicate(
    new: NewArticle, existing: list[Article], threshold: float
) -> DuplicateArticleError | None:
    """The stored article this one repeats: the same canonical URL, or most of its word 5-grams."""
    url = canonical(new.meta.url)
    mine = shingles(new.text)
    for article in existing:
        if url and canonical(article.meta.url) == url:
            return DuplicateArticleError(article.id, article.title, "the same link")
        theirs = shingles(article.text)
        # Containment, not Jaccard: a copy with a paragraph cut or added is still the same story.
        overlap = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
        if overlap >= threshold:
            return DuplicateArticleError(article.id, article.title, f"{overlap:.0%} of the text is the same")
    return None


def store_article(new: NewArticle, settings: IndexSettings) -> Path:
    """Write the article and its metadata into the seeds folder; raises DuplicateArticleError."""
    existing, _ = read_articles(settings.seeds_dir)
    duplicate = find_duplicate(new, existing, settings.duplicate_similarity)
    if duplicate is not None:
        raise duplicate
    name = f"{file_stem(new.meta)}.txt"
    return save_article(settings.seeds_dir, name, (new.text.strip() + "\n").encode("utf-8"), new.meta)


def file_stem(meta: ArticleMeta) -> str:
    """A readable, sortable name: the date (or the day it was added) and the title's words."""
    day = meta.date or (meta.added_at or datetime.now(UTC)).date().isoformat()
    ascii_title = unicodedata.normalize("NFKD", meta.title or "article").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > _SLUG_CHARS:
        slug = slug[: _SLUG_CHARS + 1].rsplit("-", 1)[0]  # whole words
    return f"{re.sub(r'[^0-9-]', '', day)[:10]}_{slug or 'article'}"


def remove_article(settings: IndexSettings, article_id: str) -> Path:
    """Delete an article's file and metadata; raises ArticleError when there is no such article."""
    candidates = [
        p
        for p in settings.seeds_dir.glob(f"{glob_escape(article_id)}.*")
        if p.stem == article_id and not p.name.endswith(META_SUFFIX)
    ]
    if not candidates:
        raise ArticleError(f"There is no article {article_id} in {settings.seeds_dir}.")
    path = candidates[0]
    meta_path(path).unlink(missing_ok=True)
    path.unlink()
    return path


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)
