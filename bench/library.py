"""The library at scale (issue 11): 1,000 generated dated articles beside the seed.

Reports the answer p50 over the seed alone and over the 1,000 articles (target: at most 1.5x),
the time to add one article by link to that corpus (fetch from a local news site, extract,
duplicate check, save, rebuild), and the process's RSS. Run alone with `python -m bench.library`
(figures in bench/results/library.json); `make bench` runs it too.
"""

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psutil

from bench.corpus import sentence, vocabulary
from bench.figures import RESULTS_DIR, write_figures
from bot.answers.answering import Answerer
from bot.answers.service import AnswerService
from bot.logs import configure_logging
from bot.settings import Settings
from evaluation.questions import load_questions
from index.adding import article_from_link, store_article
from tests.news_site import ALLOWED_NETWORK, JENEWA, NewsSite

REPO = Path(__file__).resolve().parents[1]
RESULTS = RESULTS_DIR / "library.json"
QUESTIONS = REPO / "tests" / "data" / "eval_questions.jsonl"
OUTLETS = ("Kabar Nusantara", "Warta Timur", "The Daily Ledger", "Harian Damai", "Global Wire")
SENTENCES_PER_ARTICLE = 8  # a short news report: two paragraphs of four sentences


def write_library(folder: Path, articles: int, seed: int = 11) -> None:
    """Dated articles with outlet, title and link, as links and feeds would have stored them."""
    rng = random.Random(seed)
    words = vocabulary()
    first_day = date(2027, 1, 1)
    for number in range(articles):
        body = [" ".join(sentence(rng, words) for _ in range(SENTENCES_PER_ARTICLE // 2)) for _ in range(2)]
        day = first_day + timedelta(days=rng.randrange(365))
        name = f"{day.isoformat()}_generated-{number:04d}"
        (folder / f"{name}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
        meta = {
            "title": f"Laporan {number}",
            "outlet": rng.choice(OUTLETS),
            "date": day.isoformat(),
            "url": f"https://news.example/{day.isoformat()}/{number}",
            "via": "link",
        }
        (folder / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")


def interleaved_p50_ms(answerers: list[Answerer], questions: list[str], rounds: int = 3) -> list[float]:
    """Each answerer answers every question once to warm up, then they take turns question by
    question, so that the machine's drift (2 shared cores) falls on both alike."""
    times: list[list[float]] = [[] for _ in answerers]
    for answerer in answerers:
        for question in questions:
            answerer.answer(question)
    for question in questions * rounds:
        for number, answerer in enumerate(answerers):
            started = time.perf_counter()
            answerer.answer(question)
            times[number].append((time.perf_counter() - started) * 1000)
    return [statistics.median(t) for t in times]


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


async def add_by_link(service: AnswerService, url: str) -> dict:
    """One article by link into the big corpus, step by step, as /add does it."""
    started = time.perf_counter()
    new = await article_from_link(url, service.settings, added_by=None)
    fetched = time.perf_counter()
    store_article(new, service.settings)  # the duplicate check reads every stored article
    stored = time.perf_counter()
    report = service.rebuild()
    done = time.perf_counter()
    return {
        "add_fetch_extract_ms": round((fetched - started) * 1000, 1),
        "add_duplicate_check_and_save_ms": round((stored - fetched) * 1000, 1),
        "add_rebuild_seconds": round(done - stored, 2),
        "add_total_seconds": round(done - started, 2),
        "add_embedded_sentences": report.embedded,
    }


def library_figures(work: Path, articles: int = 1000) -> dict:
    import asyncio

    questions = [q.question for q in load_questions(QUESTIONS)]
    seeds = work / "library_seeds"
    shutil.copytree(REPO / "seeds", seeds)
    settings = Settings(
        seeds_dir=seeds,
        index_dir=work / "library_index",
        model_cache_dir=REPO / "var" / "models",
        telegram_bot_token=None,
        fetch_allowed_networks=ALLOWED_NETWORK,
    )
    service = AnswerService.from_settings(settings)
    service.rebuild()
    seed_alone = service.answerer
    rss_seed = rss_mb()
    write_library(seeds, articles)
    started = time.perf_counter()
    report = service.rebuild()
    build_seconds = time.perf_counter() - started
    rss_big = rss_mb()  # both indexes are held here (the seed's for the comparison): an upper bound
    seed_p50, big_p50 = interleaved_p50_ms([seed_alone, service.answerer], questions)
    del seed_alone
    with NewsSite() as site:
        added = asyncio.run(add_by_link(service, site.url(JENEWA)))
    return {
        "articles": report.articles,
        "sentences": report.sentences,
        "build_seconds": round(build_seconds, 1),
        "questions": len(questions),
        "answer_p50_ms_seed_alone": round(seed_p50, 2),
        "answer_p50_ms_1000_articles": round(big_p50, 2),
        "ratio_1000_to_seed": round(big_p50 / seed_p50, 2),
        **added,
        "rss_mb_seed_alone": round(rss_seed, 1),
        "rss_mb_1000_articles": round(rss_big, 1),
        "rss_mb_after_add": round(rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.library", description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="runding-library-") as tmp:
        figures = library_figures(Path(tmp), args.articles)
    print(json.dumps(figures, indent=2), flush=True)
    return write_figures(figures, RESULTS)


if __name__ == "__main__":
    sys.exit(main())
