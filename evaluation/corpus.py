"""The indexes the evaluation answers from: the articles of several folders, or a passage set, each
indexed once per content under EVAL_DIR and reused."""

import shutil
import tempfile
from pathlib import Path

from bot.answers.service import AnswerService
from bot.settings import Settings
from bot.startup import start_service
from evaluation.passages import PassageSet, write_articles
from evaluation.questions import content_key
from index.articles import ARTICLE_SUFFIXES, META_SUFFIX


def corpus_settings(settings: Settings, article_dirs: list[Path]) -> Settings:
    """Settings whose seeds are the articles of several folders together.

    The articles are copied into EVAL_DIR/<digest>/articles and indexed beside them; the digest
    covers the files and the model, so an unchanged corpus is loaded, not rebuilt.
    """
    files = [p for folder in article_dirs for p in sorted(folder.iterdir()) if _is_article_file(p)]
    names = [p.name for p in files]
    if len(names) != len(set(names)):
        raise ValueError(f"Two article files share a name in {', '.join(map(str, article_dirs))}.")
    folder = settings.eval_dir / content_key(files, settings.embedding_model)
    _copy_once(files, folder / "articles")
    return settings.model_copy(update={"seeds_dir": folder / "articles", "index_dir": folder / "index"})


def corpus_service(settings: Settings, article_dirs: list[Path]) -> AnswerService:
    """The answering service over the articles of several folders, built once per content."""
    return start_service(corpus_settings(settings, article_dirs))


def passages_settings(settings: Settings, passages: PassageSet) -> Settings:
    """Settings over a passage set, one article per passage (reused like corpus_settings)."""
    with tempfile.TemporaryDirectory() as scratch:
        write_articles(passages, Path(scratch))
        return corpus_settings(settings, [Path(scratch)])


def _is_article_file(path: Path) -> bool:
    return (
        path.is_file()
        and not path.name.startswith(".")
        and (path.suffix.lower() in ARTICLE_SUFFIXES or path.name.endswith(META_SUFFIX))
    )


def _copy_once(files: list[Path], target: Path) -> None:
    """Copy beside the target, then rename: a second run never sees half a corpus."""
    if target.is_dir():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".articles-"))
    for path in files:
        shutil.copy2(path, staging / path.name)
    try:
        staging.rename(target)
    except OSError:  # another run made it first
        shutil.rmtree(staging, ignore_errors=True)
