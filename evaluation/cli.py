"""`python -m bot eval`: the fact-level sets over the seed and test articles, a passage set (FacQA,
TyDi QA) over its own index, or dialogues (follow-up figures)."""

import argparse
import sys
from pathlib import Path

from bot.settings import Settings
from bot.startup import start_service
from evaluation import answers, dialogues, rounds
from evaluation.corpus import corpus_service, passages_settings
from evaluation.facqa import read_facqa
from evaluation.losses import format_losses, losses
from evaluation.passages import PassageSet, read_squad
from evaluation.questions import load_questions

# The fact-level sets, answered over the seed article and the test articles together.
DEFAULT_QUESTIONS = [Path("tests/data/facts_dev.jsonl"), Path("tests/data/facts_holdout.jsonl")]
DEFAULT_ARTICLES = [Path("seeds"), Path("tests/data/articles")]
# Latest/next and timeline sets, answered over every round: the seed, the test articles and the rounds.
ROUNDS_QUESTIONS = [
    Path("tests/data/rounds_dev.jsonl"),
    Path("tests/data/rounds_holdout.jsonl"),
    Path("tests/data/rounds_holdout2.jsonl"),
    Path("tests/data/rounds_holdout3.jsonl"),
]
ROUNDS_ARTICLES = [*DEFAULT_ARTICLES, Path("tests/data/rounds")]


def evaluate(args: argparse.Namespace, settings: Settings) -> int:
    """Each question set over one index of the given article folders; a passage set (FacQA, TyDi QA)
    over its own; dialogues (follow-up figures) with --dialogues."""
    if args.dialogues is not None:
        return evaluate_dialogues(args.dialogues, settings)
    if args.rounds is not None:
        return evaluate_rounds(
            args.rounds or ROUNDS_QUESTIONS, args.articles or ROUNDS_ARTICLES, settings, args.misses
        )
    try:
        questions = [(path, load_questions(path)) for path in args.file or DEFAULT_QUESTIONS]
        passages = passage_set(args)
    except (OSError, ValueError, SyntaxError) as error:  # a missing or malformed set: one line, no traceback
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    if passages is not None:
        service = start_service(passages_settings(settings, passages))
        assert service.answerer is not None
        passage_report = answers.evaluate_passages(service.answerer, passages)
        print(answers.format_passages(passage_report))
        if args.misses:
            print("\n" + format_losses(losses(service.answerer, passages, passage_report)))
        return 0
    service = corpus_service(settings, args.articles or DEFAULT_ARTICLES)
    assert service.answerer is not None
    for path, items in questions:
        report = answers.evaluate(service.answerer, items, name=str(path))
        print(answers.format_report(report), end="\n\n", flush=True)
        if args.misses:
            print(answers.format_misses(report), end="\n\n", flush=True)
    return 0


def passage_set(args: argparse.Namespace) -> PassageSet | None:
    """The --facqa or --tydiqa file read into passages and questions; None when neither is given."""
    if args.facqa is not None:
        return read_facqa(args.facqa)
    return read_squad(args.tydiqa) if args.tydiqa is not None else None


def evaluate_dialogues(path: Path, settings: Settings) -> int:
    """Follow-up figures over the same index of the seed and the test articles as `bot eval`."""
    service = corpus_service(settings, DEFAULT_ARTICLES)
    assert service.answerer is not None
    print(
        dialogues.format_dialogue_report(
            dialogues.evaluate_dialogues(service.answerer, dialogues.load_dialogues(path))
        )
    )
    return 0


def evaluate_rounds(paths: list[Path], folders: list[Path], settings: Settings, misses: bool) -> int:
    """Latest/next and timeline figures over every round's report."""
    try:
        sets = [(path, rounds.load_rounds(path)) for path in paths]
    except (OSError, ValueError) as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    service = corpus_service(settings, folders)
    assert service.answerer is not None
    for path, items in sets:
        report = rounds.evaluate_rounds(service.answerer, items, name=str(path))
        print(rounds.format_rounds(report, misses), end="\n\n", flush=True)
    return 0
