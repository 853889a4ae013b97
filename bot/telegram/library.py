"""The article library as the handlers and the feed job use it: add an article and index it,
remove one and reindex, list them newest first. Rebuilds run in a thread, one at a time."""

import asyncio
import logging
import re
from datetime import UTC, date, datetime

from pydantic import BaseModel

from bot.answers.recency import published
from bot.answers.service import AnswerService
from index.adding import NewArticle, remove_article, store_article
from index.articles import ArticleError
from index.build import BuildError
from index.models import ArticleInfo

log = logging.getLogger(__name__)


class Added(BaseModel):
    article_id: str
    title: str
    info: ArticleInfo | None = None  # from the rebuilt index
    problem: str | None = None  # why the index was not rebuilt; the file is saved


def catalog_of(service: AnswerService) -> list[ArticleInfo]:
    answerer = service.answerer
    return answerer.retriever.stored.manifest.catalog if answerer else []


def newest_first(catalog: list[ArticleInfo]) -> list[ArticleInfo]:
    """By publication date, then by when it was added; undated articles last."""

    def key(info: ArticleInfo) -> tuple[date, datetime, str]:
        added = info.added_at or datetime.min.replace(tzinfo=UTC)
        return published(info) or date.min, added if added.tzinfo else added.replace(tzinfo=UTC), info.id

    return sorted(catalog, key=key, reverse=True)


async def add_and_index(service: AnswerService, new: NewArticle) -> Added:
    """Store (raises DuplicateArticleError or ArticleError) and rebuild; a failed rebuild keeps the file."""
    path = await asyncio.to_thread(store_article, new, service.settings)
    log.info("Added article %s (%s)", path.name, new.meta.via)
    added = Added(article_id=path.stem, title=new.meta.title or path.stem)
    problem = await rebuild(service)
    if problem is not None:
        return added.model_copy(update={"problem": problem})
    info = next((i for i in catalog_of(service) if i.id == path.stem), None)
    return added.model_copy(update={"info": info})


async def remove_and_index(service: AnswerService, article_id: str) -> str | None:
    """Delete the article's files and rebuild; the rebuild's problem, if any."""
    await asyncio.to_thread(remove_article, service.settings, article_id)
    log.info("Removed article %s", article_id)
    return await rebuild(service)


async def rebuild(service: AnswerService) -> str | None:
    try:
        await asyncio.to_thread(service.rebuild)
    except BuildError as error:
        log.warning("Rebuild after a library change failed: %s", error)
        return str(error)
    return None


LEAD_SENTENCES = 6


def on_subject(service: AnswerService, new: NewArticle, keywords: tuple[str, ...], min_margin: float) -> bool:
    """About the bot's subject: it names a keyword, or its lead paragraphs are closer to the indexed
    articles than to everyday background sentences (a raw similarity alone does not separate
    subjects with e5-small: an off-topic sports report scores 0.82 against the seed, an English
    ceasefire report 0.83)."""
    text = f"{new.meta.title or ''}\n{new.text}".lower()
    if any(re.search(rf"\b{re.escape(word)}\b", text) for word in keywords):
        return True
    answerer = service.answerer
    lead = [line for line in new.text.splitlines() if line.strip()][:LEAD_SENTENCES]
    if answerer is None or not lead:
        return False
    vectors = service.embedder.embed_documents(lead)
    to_articles, _ = answerer.retriever.stored.vectors.search(vectors, 1)
    to_background = (vectors @ service.background.T).max(axis=1)
    return float((to_articles[:, 0] - to_background).mean()) >= min_margin


async def add_many_and_index(service: AnswerService, news: list[NewArticle]) -> list[Added]:
    """Store each (duplicates skipped), then one rebuild for all of them."""
    stored: list[Added] = []
    for new in news:
        try:
            path = await asyncio.to_thread(store_article, new, service.settings)
        except ArticleError as error:  # a duplicate included
            log.info("Not storing %s: %s", new.meta.url, error)
            continue
        stored.append(Added(article_id=path.stem, title=new.meta.title or path.stem))
    if not stored:
        return []
    problem = await rebuild(service)
    infos = {info.id: info for info in catalog_of(service)}
    return [a.model_copy(update={"info": infos.get(a.article_id), "problem": problem}) for a in stored]
