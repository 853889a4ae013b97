"""Passages embedded by sentence-transformers in a child process.

Serving needs only the ONNX query encoder. Importing torch for a build, or for the lead sentences by
which a feed's new entry is judged on subject, used to leave the bot holding torch's libraries for
good: 1,338 MB after a rebuild against 994 MB serving (issue 17's limit is 1.2 GB). A child process
holds them instead and exits when it has been idle for a while, and its memory goes with it.
Spawned, not forked (`index.child_process`).
"""

import logging
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

from index.child_process import ChildStopped, result_of, spawn_pool

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
IDLE_SECONDS = 120.0  # the rebuild after a feed's subject check reuses the child (its start costs ~14 s)

_loaded: dict[str, "SentenceTransformer"] = {}  # in the child: the model, once per process


class ChildDocumentModel:
    """`encode` runs in one child process, started on first use, stopped after `idle_seconds`."""

    def __init__(self, source: str, model_name: str, idle_seconds: float = IDLE_SECONDS) -> None:
        self.source = source
        self.model_name = model_name
        self.idle_seconds = idle_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._pool is not None

    def encode(self, texts: list[str], batch_size: int, show_progress: bool) -> np.ndarray:
        with self._lock:  # one child, one job at a time
            self._cancel_timer()
            if self._pool is None:
                self._pool = spawn_pool()
            job = self._pool.submit(
                encode_in_child, self.source, self.model_name, texts, batch_size, show_progress
            )
            try:
                return result_of(job, "The process that embeds passages")
            except ChildStopped:
                self._stop()
                raise
            finally:
                self._arm_timer()

    def close(self) -> None:
        """Stop the child now (the idle timer calls this); the next `encode` starts another."""
        with self._lock:
            self._cancel_timer()
            self._stop()

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
            log.info("The passage embedding process stopped; its memory is free")

    def _arm_timer(self) -> None:
        if self._pool is not None:
            self._timer = threading.Timer(self.idle_seconds, self.close)
            self._timer.daemon = True
            self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def encode_in_child(
    source: str, model_name: str, texts: list[str], batch_size: int, show_progress: bool
) -> np.ndarray:
    """Runs in the child: load the model once, embed the passages."""
    from index.embedder import load_sentence_transformer

    if source not in _loaded:
        _loaded[source] = load_sentence_transformer(source, model_name)
    return encode_passages(_loaded[source], texts, batch_size, show_progress)


def encode_passages(
    model: "SentenceTransformer", texts: list[str], batch_size: int, show_progress: bool
) -> np.ndarray:
    """Normalized float32 passage vectors, in a child or in process alike."""
    vectors = model.encode_document(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=show_progress
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)
