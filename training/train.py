"""Fine-tune e5-small into the span reader on the CPU, resumable from the last checkpoint.

Every tensor but the word embeddings trains (NOTES: 0.10-0.12 s an example on two cores with batches
of 16 bucketed by length). A checkpoint is written every CHECKPOINT_STEPS steps and at each epoch's
end; a run started again with the same data resumes from it.
"""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from bot.answers.span_model import (
    FROZEN,
    encode_pair,
    load_bert,
    load_tokenizer,
    pad,
    span_model,
    trained_tensors,
)
from training.data import Example

log = logging.getLogger(__name__)
CHECKPOINT_STEPS = 100


@dataclass(frozen=True)
class Feature:
    ids: list[int]
    start: int  # token index of the answer's start; 0 (`<s>`) for no answer
    end: int


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 6e-5
    warmup: float = 0.06
    weight_decay: float = 0.01
    seed: int = 13
    threads: int = 2


def to_feature(tokenizer: Any, example: Example) -> Feature | None:
    """Token positions of the answer; None when the answer was cut off by truncation."""
    encoded = encode_pair(tokenizer, example.question, example.passage)
    if example.answer is None:
        return Feature(encoded.ids, 0, 0)
    a_start, a_end = example.answer
    tokens = [i for i, (s, e) in enumerate(encoded.offsets) if s < a_end and a_start < e]
    if not tokens:
        return None
    return Feature(encoded.ids, encoded.passage_offset + tokens[0], encoded.passage_offset + tokens[-1])


def batches(features: list[Feature], size: int, rng: random.Random) -> list[list[Feature]]:
    """Batches of similar length (less padding), in random order."""
    order = sorted(features, key=lambda f: (len(f.ids), rng.random()))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def tensors(batch: list[Feature]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    ids, mask = (torch.from_numpy(a) for a in pad([f.ids for f in batch]))
    starts = torch.tensor([f.start for f in batch])
    ends = torch.tensor([f.end for f in batch])
    return ids, mask, starts, ends


def train(e5_dir: Path, examples: list[Example], work_dir: Path, config: TrainConfig) -> torch.nn.Module:
    """Train (or resume) and return the model; checkpoints go to `work_dir`."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    tokenizer = load_tokenizer(e5_dir)
    features = [f for f in (to_feature(tokenizer, e) for e in examples) if f is not None]
    log.info("%d features from %d examples", len(features), len(examples))
    model = span_model(load_bert(e5_dir))
    for name, parameter in model.bert.named_parameters():
        parameter.requires_grad = name not in FROZEN
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=config.weight_decay)
    steps_per_epoch = math.ceil(len(features) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warmup = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    checkpoint = work_dir / "checkpoint.pt"
    done = 0
    if (state := load_checkpoint(checkpoint, config.seed)) is not None:
        model.load_state_dict(state["model"], strict=False)
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        done = state["step"]
        log.info("resuming at step %d of %d", done, total)
    model.train()
    started, losses = time.perf_counter(), []
    for epoch in range(config.epochs):
        plan = batches(features, config.batch_size, random.Random(config.seed + epoch))
        for index, batch in enumerate(plan):
            step = epoch * steps_per_epoch + index
            if step < done:
                continue
            ids, mask, starts, ends = tensors(batch)
            logits = model(ids, mask)
            loss = (
                torch.nn.functional.cross_entropy(logits[..., 0], starts)
                + torch.nn.functional.cross_entropy(logits[..., 1], ends)
            ) / 2
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(float(loss))
            if (step + 1) % 20 == 0:
                rate = (time.perf_counter() - started) / max(1, step + 1 - done)
                log.info(
                    "epoch %d step %d/%d loss %.3f (%.2f s/step)",
                    epoch + 1,
                    step + 1,
                    total,
                    float(np.mean(losses[-20:])),
                    rate,
                )
            if (step + 1) % CHECKPOINT_STEPS == 0 or index + 1 == len(plan):
                _save_checkpoint(checkpoint, model, optimizer, schedule, step + 1, config.seed)
    model.eval()
    return model


def load_checkpoint(path: Path, seed: int) -> dict[str, Any] | None:
    """The state saved at `path` to resume from; None when there is none. Raises ValueError for a
    checkpoint of another seed: that is another run, and resuming it would return that run's model."""
    if not path.exists():
        return None
    state: dict[str, Any] = torch.load(path, weights_only=False)
    saved = state.get("seed", TrainConfig.seed)
    if saved != seed:
        raise ValueError(f"{path} is of seed {saved}: give --work another folder")
    return state


def _save_checkpoint(
    path: Path, model: torch.nn.Module, optimizer: Any, schedule: Any, step: int, seed: int
) -> None:
    tmp = path.with_suffix(".tmp")
    state = {
        "model": trained_tensors(model),
        "optimizer": optimizer.state_dict(),
        "schedule": schedule.state_dict(),
        "step": step,
        "seed": seed,
    }
    torch.save(state, tmp)
    tmp.replace(path)
