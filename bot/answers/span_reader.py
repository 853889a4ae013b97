"""The trained reader at answer time: a question and passages in, each passage's best span out.

Each passage (a retrieved sentence, alone or with its neighbours) is read in its own ONNX Runtime
call: the int8 model quantizes its activations with one scale per call, so a passage read in a batch
got a margin that depended on the passages beside it. Alone, a passage reads the same wherever it is
found, and no call pays for padding (bench: answer p50 48.7 ms, against 57-61 ms batched).
A span's margin is its start + end logit over the `<s>` (no-answer) logits of the same passage:
above 0 the reader thinks the passage answers the question.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from bot.answers.span_model import Encoded, best_span, encode_pair, pad
from index.e5_model import e5_tokenizer

if TYPE_CHECKING:
    import onnxruntime

log = logging.getLogger(__name__)


class Span(BaseModel):
    """The best answer span of one passage: character offsets into it, and its margin."""

    model_config = ConfigDict(frozen=True)

    passage: int
    start: int
    end: int
    margin: float


def onnx_session(onnx_file: Path, threads: int = 2) -> onnxruntime.InferenceSession:
    import onnxruntime

    from index.e5_model import session_options

    return onnxruntime.InferenceSession(
        str(onnx_file), session_options(threads), providers=["CPUExecutionProvider"]
    )


class SpanReader:
    def __init__(self, e5_dir: Path, onnx_file: Path, threads: int = 2) -> None:
        self._tokenizer = e5_tokenizer(e5_dir)  # the query encoder's own: one copy of 290 MB
        # One ONNX thread a call, `threads` calls at once: a passage of 50 tokens is too small to
        # split well between two cores (three passages: 41.7 ms against 46.6 ms on this machine).
        self._session = onnx_session(onnx_file, 1)
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="reader")

    def read(self, question: str, passages: list[str]) -> list[Span]:
        """Each passage's best span, in the order given (a passage with no tokens is left out)."""
        encoded = [encode_pair(self._tokenizer, question, p) for p in passages]
        read = self._pool.map(self._read_one, passages, encoded)
        return [span.model_copy(update={"passage": row}) for row, spans in enumerate(read) for span in spans]

    def _read_one(self, passage: str, pair: Encoded) -> list[Span]:
        ids, mask = pad([pair.ids])
        logits = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        return decode_spans([passage], [pair], logits)


def decode_spans(passages: list[str], encoded: list[Encoded], logits: np.ndarray) -> list[Span]:
    """Each passage's best span from the reader's start/end logits [passages, tokens, 2] (a passage
    with no tokens is left out). The training figures decode torch's logits the same way."""
    spans = []
    for row, e in enumerate(encoded):
        first, last = e.passage_offset, e.passage_offset + len(e.offsets)
        if last <= first:
            continue
        start, end = logits[row, :, 0], logits[row, :, 1]
        i, j, score = best_span(start, end, first, last)
        # a token's offsets take the space before it
        begin = skip_space(passages[row], e.offsets[i - first][0])
        begin, finish = whole_words(passages[row], begin, max(begin, e.offsets[j - first][1]))
        spans.append(
            Span(passage=row, start=begin, end=finish, margin=round(float(score - start[0] - end[0]), 4))
        )
    return spans


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the whole words it cuts: a span may start or end on a word piece
    ("puluh hari" of "sepuluh hari", "200" of "1.200"), and a fact is stated in words."""
    while 0 < start < end and _inside_word(text, start):
        start -= 1
    while start < end < len(text) and _inside_word(text, end):
        end += 1
    return start, end


def _inside_word(text: str, i: int) -> bool:
    """Whether offset `i` falls inside a word or a number ("1.200", "3,5"), not between two."""
    before, after = text[i - 1], text[i]
    if before.isalnum() and after.isalnum():
        return True
    in_number = before in ".," and after.isdigit() and i > 1 and text[i - 2].isdigit()
    return in_number or (after in ".," and before.isdigit() and i + 1 < len(text) and text[i + 1].isdigit())


def skip_space(text: str, offset: int) -> int:
    """The first offset from `offset` that is not whitespace."""
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def load_span_reader(e5_dir: Path) -> SpanReader | None:
    """The reader, exported on first use; None (with a clear log line) when it cannot be had, so the
    bot still answers with quotes and no bold fact."""
    from bot.answers.reader_export import ReaderUnavailable, ensure_reader_export

    try:
        return SpanReader(e5_dir, ensure_reader_export(e5_dir))
    except (ReaderUnavailable, OSError, RuntimeError, ValueError) as error:
        log.error(
            "The trained reader is unavailable (%s). Answers quote sentences without a bold fact. "
            "Restore bot/answers/reader_weights/ from the repository (or run `make reader`).",
            error,
        )
        return None
