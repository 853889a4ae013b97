"""Reading figures with the passage given (no retrieval): FacQA valid and the TyDi holdout.

A question is answered when the best span's score beats the `<s>` (no-answer) score; TyDi passages
are read as the bot reads them, window by window (a sentence and its neighbours), the best margin
wins. `bot eval --facqa/--tydiqa` measure the whole answer path instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from bot.answers.span_model import encode_pair, load_tokenizer, pad
from bot.answers.span_reader import decode_spans
from evaluation.questions import exact_match, token_f1
from training.data import read_facqa, read_squad, windows


def read_windows(
    model: torch.nn.Module, tokenizer: Any, question: str, passages: list[str]
) -> tuple[str, float]:
    """The best span over `passages` and its margin over no-answer, decoded as the bot decodes it."""
    encoded = [encode_pair(tokenizer, question, p) for p in passages]
    ids, mask = pad([e.ids for e in encoded])
    with torch.inference_mode():
        logits = model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    spans = decode_spans(passages, encoded, logits)
    if not spans:
        return "", -np.inf
    best = max(spans, key=lambda span: span.margin)
    return passages[best.passage][best.start : best.end], best.margin


def score(predictions: list[tuple[str, float]], golds: list[str]) -> dict[str, float]:
    answered = [(text if margin > 0 else "", gold) for (text, margin), gold in zip(predictions, golds)]
    return {
        "questions": len(golds),
        "exact": round(float(np.mean([exact_match(t, [g]) for t, g in answered])), 3),
        "f1": round(float(np.mean([token_f1(t, g) for t, g in answered])), 3),
        "answered": round(float(np.mean([m > 0 for _, m in predictions])), 3),
    }


def evaluate_given_passage(
    model: torch.nn.Module, e5_dir: Path, datasets: Path, tydi_holdout: Path, limit: int = 0
) -> dict[str, dict[str, float]]:
    tokenizer = load_tokenizer(e5_dir)
    model.eval()
    figures = {}
    facqa = read_facqa(datasets / "facqa" / "valid.csv")[: limit or None]
    predictions = [read_windows(model, tokenizer, q, [p]) for q, p, _ in facqa]
    figures["facqa_valid"] = score(predictions, [p[a[0] : a[1]] for _, p, a in facqa])
    tydi = read_squad(tydi_holdout)[: limit or None]
    predictions = [
        read_windows(model, tokenizer, q, [c[s:e] for s, e, _ in windows(c)] or [c]) for _, q, c, _ in tydi
    ]
    figures["tydi_en_holdout"] = score(predictions, [c[a[0] : a[1]] for _, _, c, a in tydi])
    return figures
