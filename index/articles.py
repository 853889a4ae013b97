"""Find and read the article files in the seeds folder, with their metadata.

A broken file never stops the others: it becomes an `ArticleProblem` with a message an admin
can act on.
"""

import hashlib
import json
import logging
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from index.files import write_atomically
from index.models import Article, ArticleMeta

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
META_SUFFIX = ".meta.json"
MAX_ARTICLE_BYTES = 5_000_000
_TITLE_MAX_CHARS = 90


class ArticleError(ValueError):
    """An article file that cannot be indexed; the message says why and how to fix it."""


class ArticleProblem(BaseModel):
    path: str
    reason: str


def article_paths(seeds_dir: Path) -> list[Path]:
    """Article files in a stable order (their names), hidden files and metadata excluded."""
    if not seeds_dir.is_dir():
        raise ArticleError(f"The seeds folder {seeds_dir} does not exist (setting SEEDS_DIR).")
    return sorted(
        path
        for path in seeds_dir.iterdir()
        if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.startswith(".")
    )


def meta_path(article_path: Path) -> Path:
    return article_path.with_name(article_path.stem + META_SUFFIX)


def read_article(path: Path) -> Article:
    """Read one article; raise ArticleError with a clear reason when it is unusable."""
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:  # before reading: a huge file is never loaded into memory
        raise ArticleError(f"{path.name} is {size:,} bytes; the limit is {MAX_ARTICLE_BYTES:,}.")
    data = path.read_bytes()
    text = decode_article(path, data)
    meta = read_meta(path)
    return Article(
        id=path.stem,
        path=str(path),
        title=meta.title or derive_title(path, text),
        meta=meta,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
    )


def decode_article(path: Path, data: bytes) -> str:
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{path.name} is {len(data):,} bytes; the limit is {MAX_ARTICLE_BYTES:,}.")
    if b"\x00" in data:
        raise ArticleError(f"{path.name} looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{path.name} is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}); "
            "save it as UTF-8."
        ) from None
    if not text.strip():
        raise ArticleError(f"{path.name} is empty.")
    return text


def read_meta(article_path: Path) -> ArticleMeta:
    """Metadata beside the article; a broken metadata file is logged and ignored, not fatal."""
    path = meta_path(article_path)
    if not path.exists():
        return ArticleMeta()
    try:
        return ArticleMeta.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as error:
        log.warning("Ignoring unreadable metadata %s: %s", path.name, str(error).splitlines()[0])
        return ArticleMeta()


def derive_title(path: Path, text: str) -> str:
    """A markdown title, else the first line when it is short, else the file name."""
    first_line = text.strip().splitlines()[0].strip()
    heading = re.match(r"#{1,6}\s+(.+)", first_line)
    if heading:
        return heading.group(1).strip()
    if len(first_line) <= _TITLE_MAX_CHARS and not first_line.endswith((".", "?", "!")):
        return first_line
    return re.sub(r"[_-]+", " ", path.stem).strip() or path.name


def read_articles(seeds_dir: Path) -> tuple[list[Article], list[ArticleProblem]]:
    """Every readable article, and a problem for each one that is not."""
    articles: list[Article] = []
    problems: list[ArticleProblem] = []
    seen: dict[str, Path] = {}
    for path in article_paths(seeds_dir):
        if path.stem in seen:
            # The id is the name without suffix: "a.md" and "a.txt" would be one article twice.
            reason = f"{path.name} has the same name as {seen[path.stem].name}; rename one of them."
            log.warning("Skipping %s: %s", path, reason)
            problems.append(ArticleProblem(path=str(path), reason=reason))
            continue
        seen[path.stem] = path
        try:
            articles.append(read_article(path))
        except (ArticleError, OSError) as error:
            log.warning("Skipping %s: %s", path, error)
            problems.append(ArticleProblem(path=str(path), reason=str(error)))
    return articles, problems


def save_article(seeds_dir: Path, file_name: str, data: bytes, meta: ArticleMeta) -> Path:
    """Check an uploaded article and write it (and its metadata) into the seeds folder.

    The name is reduced to safe characters and never overwrites an existing article.
    """
    stem = re.sub(r"[^\w.-]+", "_", Path(file_name).stem).strip("._")[:60] or "article"
    suffix = Path(file_name).suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise ArticleError(f"{file_name} is not a .txt or .md file.")
    target = seeds_dir / f"{stem}{suffix}"
    counter = 1
    # The stem is the article id: a.md beside a.txt would be two articles with one id.
    while any((seeds_dir / f"{target.stem}{s}").exists() for s in (*ARTICLE_SUFFIXES, META_SUFFIX)):
        counter += 1
        target = seeds_dir / f"{stem}_{counter}{suffix}"
    text = decode_article(target, data)
    meta = meta.model_copy(update={"title": meta.title or derive_title(target, text)})
    seeds_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(meta_path(target), meta.model_dump_json(indent=2, exclude_none=True).encode())
    write_atomically(target, data)
    return target
