"""seeds -> sentences -> vectors -> a new live index build."""

import fcntl
import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from index.articles import ArticleError, ArticleProblem, read_articles
from index.child_process import ChildStopped
from index.embedder import Embedder
from index.ingest import split_articles
from index.models import Article, ArticleInfo, Sentence
from index.settings import IndexSettings
from index.store import (
    IndexProblem,
    StoredIndex,
    load_build,
    remove_staging_leftovers,
    stored_vectors,
    write_build,
)

log = logging.getLogger(__name__)
LOCK_FILE = ".build.lock"


class BuildError(RuntimeError):
    """The build could not finish; the previous index is untouched."""


class BuildBusyError(BuildError):
    """Another build holds the lock."""


class BuildReport(BaseModel):
    build: str
    articles: int
    sentences: int
    embedded: int
    reused: int
    seconds: float
    added: list[str]
    removed: list[str]
    changed: list[str]
    problems: list[ArticleProblem]


def build_index(settings: IndexSettings, embedder: Embedder, show_progress: bool = False) -> BuildReport:
    """Build from the seeds folder and make the result live, reusing unchanged embeddings."""
    started = time.perf_counter()
    with build_lock(settings.index_dir):
        remove_staging_leftovers(settings.index_dir)
        try:
            articles, problems = read_articles(settings.seeds_dir)
        except ArticleError as error:  # no seeds folder: callers expect a BuildError
            raise BuildError(str(error)) from None
        if not articles:
            details = "; ".join(f"{p.path}: {p.reason}" for p in problems)
            raise BuildError(
                f"No usable articles in {settings.seeds_dir}." + (f" {details}" if details else "")
            )
        passages = split_articles(articles)
        if not passages.sentences:
            raise BuildError(f"The articles in {settings.seeds_dir} contain no sentences.")
        previous = _previous_build(settings.index_dir)
        texts = [s.text for s in passages.sentences]
        try:
            vectors, reused = embed_with_reuse(
                texts, embedder, previous, settings.embedding_batch_size, show_progress
            )
        except ChildStopped as error:  # the process embedding the passages was killed
            raise BuildError(str(error)) from None
        seconds = time.perf_counter() - started
        name = write_build(
            settings.index_dir,
            vectors,
            passages.sentences,
            passages.paragraphs,
            {
                "model_name": embedder.name,
                "model_checksum": embedder.checksum,
                "dimension": embedder.dimension,
                "articles": {a.id: a.sha256 for a in articles},
                "catalog": catalog(articles, passages.sentences),
                "sentence_count": len(passages.sentences),
                "paragraph_count": len(passages.paragraphs),
                "built_at": datetime.now(UTC),
                "build_seconds": round(seconds, 3),
            },
        )
    old = previous.manifest.articles if previous else {}
    new = {a.id: a.sha256 for a in articles}
    return BuildReport(
        build=name,
        articles=len(articles),
        sentences=len(texts),
        embedded=len(texts) - reused,
        reused=reused,
        seconds=round(time.perf_counter() - started, 2),
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
        changed=sorted(k for k in new.keys() & old.keys() if new[k] != old[k]),
        problems=problems,
    )


def catalog(articles: list[Article], sentences: list[Sentence]) -> list[ArticleInfo]:
    counts = Counter(s.article_id for s in sentences)
    return [
        ArticleInfo(
            id=a.id,
            title=a.title,
            date=a.meta.date,
            outlet=a.meta.outlet,
            url=a.meta.url,
            language=a.meta.language,
            added_at=a.meta.added_at,
            sentence_count=counts[a.id],
            examples=a.meta.examples,
        )
        for a in articles
    ]


def embed_with_reuse(
    texts: list[str],
    embedder: Embedder,
    previous: StoredIndex | None,
    batch_size: int,
    show_progress: bool,
) -> tuple[np.ndarray, int]:
    """Embed only sentences the previous build (same model) did not have; returns (vectors, reused)."""
    known = _known_vectors(previous, embedder.checksum)
    missing = sorted({t for t in texts if t not in known})
    if missing:
        fresh = embedder.embed_documents(missing, batch_size=batch_size, show_progress=show_progress)
        known.update(zip(missing, fresh))
    vectors = np.stack([known[t] for t in texts]).astype(np.float32)
    fresh_texts = set(missing)
    return vectors, sum(1 for t in texts if t not in fresh_texts)


def _known_vectors(previous: StoredIndex | None, model_checksum: str) -> dict[str, np.ndarray]:
    if previous is None or previous.manifest.model_checksum != model_checksum:
        return {}
    return dict(zip((s.text for s in previous.sentences), stored_vectors(previous)))


def _previous_build(index_dir: Path) -> StoredIndex | None:
    try:
        return load_build(index_dir)
    except IndexProblem as problem:
        log.info("Not reusing the previous index: %s", problem)
        return None


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time, across processes (the bot's /reindex and the shell)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusyError("Another index build is running; try again when it has finished.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
