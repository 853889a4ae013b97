"""`python -m bot`: the Telegram bot with a token, else a chat in the terminal.

Also `python -m bot ask [--json] ["question"]` and
`python -m bot eval [--file …] [--articles …] [--facqa …] [--tydiqa …]`.
Heavy modules (torch, the model) are imported only after the settings and, with a token, the
Bot API have been checked, so a wrong setting or token fails within a second.
"""

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.logs import configure_logging
from bot.settings import Settings
from index.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from bot.answers.answer import Answer


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(Settings)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    configure_logging("WARNING" if args.command in (ask, evaluate) else settings.log_level)
    if args.command is run and settings.telegram_bot_token is not None:
        from bot.telegram.bot_api import check_bot_api

        if not check_bot_api(settings):
            return 2
    return _guarded(args, settings)


def _guarded(args: argparse.Namespace, settings: Settings) -> int:
    """Run the command; the errors users can fix become one line, not a traceback."""
    from index.articles import ArticleError
    from index.build import BuildError
    from index.embedder import EmbeddingModelError
    from index.store import IndexProblem

    try:
        return args.command(args, settings)
    except (EmbeddingModelError, IndexProblem, BuildError, ArticleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.startup import start_service

    if settings.telegram_bot_token is None:
        from bot.terminal import chat

        if settings.log_level == "INFO":  # a chat is for people: keep progress lines out of it
            logging.getLogger().setLevel(logging.WARNING)
        print("Loading the model and the index (the first run makes them: about a minute)…", flush=True)
        chat(start_service(settings))
        return 0
    from bot.telegram.app import run_bot

    return run_bot(settings, start_service(settings))


def ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.answers.render import render_plain
    from bot.conversation import Conversations, converse
    from bot.startup import start_service

    service = start_service(settings)
    memory = Conversations(settings.conversation_minutes)
    lines = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        chat, question = chat_line(line) if args.question is None else (None, line)
        answer = service.answer(question) if chat is None else converse(service, memory, chat, question)
        print(
            json.dumps(answer_json(answer), ensure_ascii=False) if args.json else render_plain(answer),
            flush=True,
        )
    return 0


def chat_line(line: str) -> tuple[str | None, str]:
    """A line `{"chat": "<id>", "text": "<question>"}` belongs to conversation <id>; any other line
    (a malformed object included) is a question on its own."""
    if not line.lstrip().startswith("{"):
        return None, line
    try:
        parsed = json.loads(line)
    except json.JSONDecodeError:
        return None, line
    if (
        isinstance(parsed, dict)
        and isinstance(parsed.get("text"), str)
        and isinstance(parsed.get("chat"), (str, int))
    ):
        return str(parsed["chat"]), parsed["text"]
    return None, line


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    """`bot eval`: the evaluation package, beside the bot, does the work."""
    from evaluation.cli import evaluate as run_evaluation

    return run_evaluation(args, settings)


def answer_json(answer: "Answer") -> dict:
    from bot.answers.render import render_plain

    return {
        "question": answer.question,
        "language": answer.language.value,
        "answered": answer.answered,
        "outcome": answer.outcome.value,
        "fact": answer.stated_fact,
        "read_as": answer.read_as or "",
        "quotes": [
            q.model_dump(include={"text", "article", "title", "paragraph", "score"}) for q in answer.quotes
        ],
        "timeline": [
            e.model_dump(include={"article", "date", "title", "url", "fact", "sentence"})
            for e in answer.timeline
        ],
        "text": render_plain(answer),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.set_defaults(command=run)
    commands = parser.add_subparsers()
    commands.add_parser("run", help="the bot (or the terminal chat without a token)").set_defaults(
        command=run
    )
    ask_cmd = commands.add_parser("ask", help="print the answer the bot would give")
    ask_cmd.add_argument("question", nargs="?", help="without it, read questions from stdin, one per line")
    ask_cmd.add_argument("--json", action="store_true", help="one JSON object per answer")
    # stdin lines may be {"chat": "<id>", "text": "<question>"}: lines of one chat id are a conversation
    ask_cmd.set_defaults(command=ask)
    eval_cmd = commands.add_parser(
        "eval", help="fact-level answer figures on question sets, or on FacQA or TyDi QA"
    )
    eval_cmd.add_argument(
        "--file",
        type=Path,
        action="append",
        help="a question set (JSON lines); repeatable; default: the fact-level dev and holdout sets",
    )
    eval_cmd.add_argument(
        "--articles",
        type=Path,
        action="append",
        help="a folder of articles to answer from; repeatable; default: seeds/ and tests/data/articles/",
    )
    eval_cmd.add_argument(
        "--misses",
        action="store_true",
        help="also list each question answered wrongly (--facqa/--tydiqa: where each fact was lost)",
    )
    passage_sets = eval_cmd.add_mutually_exclusive_group()  # each is answered over its own passages
    passage_sets.add_argument(
        "--facqa", type=Path, help="a FacQA CSV (e.g. ../shared/datasets/facqa/valid.csv)"
    )
    passage_sets.add_argument(
        "--tydiqa", type=Path, help="a SQuAD 1.1 JSON file, e.g. TyDi QA GoldP (English or Indonesian)"
    )
    eval_cmd.add_argument(
        "--dialogues",
        type=Path,
        nargs="?",
        const=Path("tests/data/dialogues.jsonl"),
        help="follow-up figures on two- and three-turn dialogues (default file: %(const)s)",
    )
    eval_cmd.add_argument(
        "--rounds",
        type=Path,
        nargs="*",
        help="latest/next and timeline figures over every round's report (default files: "
        "tests/data/rounds_dev.jsonl and rounds_holdout*.jsonl; articles: seeds, tests/data/articles, "
        "tests/data/rounds)",
    )
    eval_cmd.set_defaults(command=evaluate)
    return parser


if __name__ == "__main__":
    sys.exit(main())
