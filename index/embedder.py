"""Sentences in, normalized vectors out.

Passages are embedded with sentence-transformers. Questions, one at a time on the bot's hot
path, go through an ONNX Runtime export of the same model when the bundled model is used
(4-bit weights, cosine 0.9998 to the sentence-transformers vectors, about a third of torch's
latency): sentence-transformers' own ONNX backend needs optimum-onnx, which does not support
transformers 5. The sentence-transformers model then runs in a child process, only when passages
need embedding (a build; see `index.document_process`), which keeps the bot's start fast and its
memory small.
"""

import ctypes
import gc
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.document_process import ChildDocumentModel, encode_passages
from index.e5_model import (
    BUNDLED_MODEL_NAME,
    OnnxEncoder,
    ensure_e5_model,
    ensure_onnx_export,
    recorded_checksum,
)
from index.settings import IndexSettings, QueryBackend

if TYPE_CHECKING:  # imported when first needed: torch and transformers cost ~400 MB and seconds
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


class EmbeddingModelError(RuntimeError):
    """The configured model cannot be loaded; the message names EMBEDDING_MODEL."""


class Embedder:
    """Embeds questions and passages with the model's own prompts (e5: "query: "/"passage: ")."""

    def __init__(
        self,
        name: str,
        checksum: str,
        load_model: "Callable[[], SentenceTransformer]",
        query_encoder: OnnxEncoder | None = None,
        model_dir: Path | None = None,
        document_model: ChildDocumentModel | None = None,
    ) -> None:
        self.name = name
        self.model_dir = model_dir  # the bundled e5 folder, checked once at load; None for another model
        self.checksum = checksum
        self._load_model = load_model
        self._model: SentenceTransformer | None = None
        self._model_lock = threading.Lock()
        self._query_encoder = query_encoder
        self._document_model = document_model  # passages in a child process, when questions need no torch
        dimension = query_encoder.dimension if query_encoder else self.model.get_embedding_dimension()
        if dimension is None:
            raise EmbeddingModelError(f"The embedding model {name} does not say its vectors' dimension.")
        self.dimension: int = dimension

    @property
    def model(self) -> "SentenceTransformer":
        """The sentence-transformers model, loaded on first use."""
        with self._model_lock:
            if self._model is None:
                self._model = self._load_model()
            return self._model

    def release_document_model(self) -> None:
        """Free the sentence-transformers model once a build is done, where questions have their own
        encoder: serving never uses it, and the next build loads it again (a process that has built
        its index held 1,746 MB, then 1,338 MB; torch's libraries stay loaded). A child process that
        embeds the passages stops by itself once idle: a rebuild often follows a feed's subject check."""
        if self._query_encoder is None or self._document_model is not None:
            return
        with self._model_lock:
            self._model = None
        gc.collect()
        _return_freed_memory()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if self._query_encoder is not None:
            return self._as_float32(self._query_encoder.encode_query(texts))
        return self._as_float32(self.model.encode_query(texts, normalize_embeddings=True))

    def embed_documents(
        self, texts: list[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._document_model is not None:
            return self._document_model.encode(texts, batch_size, show_progress)
        return encode_passages(self.model, texts, batch_size, show_progress)

    @staticmethod
    def _as_float32(vectors: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _return_freed_memory() -> None:
    """glibc keeps freed heap for reuse; hand it back to the system (about 300 MB of the above).
    Elsewhere (no glibc) the memory is reused by the process instead."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def load_embedder(settings: IndexSettings, passages_in_child: bool = True) -> Embedder:
    """Load the configured model from disk only; there is no network to download from.
    `passages_in_child`: a long-running process (the bot) embeds passages in a child process; a
    one-off build from the shell has nothing to keep small and saves the child's start."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if settings.embedding_model == BUNDLED_MODEL_NAME:
        return _bundled_embedder(settings, passages_in_child)
    path = Path(settings.embedding_model).expanduser()
    source = str(path) if path.is_dir() else settings.embedding_model
    embedder = Embedder(
        settings.embedding_model,
        _checksum_of(path, settings),
        lambda: load_sentence_transformer(source, settings.embedding_model),
    )
    log.info("Embedding model %s loaded (dimension %d)", settings.embedding_model, embedder.dimension)
    return embedder


def _bundled_embedder(settings: IndexSettings, passages_in_child: bool) -> Embedder:
    model_dir = ensure_e5_model(settings.model_cache_dir)
    checksum = recorded_checksum(model_dir)
    load = lambda: load_sentence_transformer(str(model_dir), BUNDLED_MODEL_NAME)
    encoder = _onnx_query_encoder(model_dir) if settings.query_backend == QueryBackend.ONNX else None
    if encoder is None:  # torch embeds questions and passages, in process
        return Embedder(BUNDLED_MODEL_NAME, checksum, load, model_dir=model_dir)
    log.info("Embedding model %s ready (ONNX Runtime for questions)", BUNDLED_MODEL_NAME)
    documents = ChildDocumentModel(str(model_dir), BUNDLED_MODEL_NAME) if passages_in_child else None
    return Embedder(
        BUNDLED_MODEL_NAME,
        checksum,
        load,
        query_encoder=encoder,
        model_dir=model_dir,
        document_model=documents,
    )


def _onnx_query_encoder(model_dir: Path) -> OnnxEncoder | None:
    """The ONNX query encoder; None, with one logged error, when its export fails: the bot still
    answers, with torch embedding the questions (slower, more memory)."""
    try:
        return OnnxEncoder(model_dir, ensure_onnx_export(model_dir, quantized=True))
    except (RuntimeError, OSError) as error:  # a killed child (ChildStopped), a probe off torch, a full disk
        log.error(
            "The query model's ONNX export failed (%s); questions are embedded with torch instead. "
            "Free memory or disk and restart to export it again.",
            error,
        )
        return None


def load_sentence_transformer(source: str, model_name: str) -> "SentenceTransformer":
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a bar per load clutters the bot's log and the terminal chat
    try:
        return SentenceTransformer(source, device="cpu", local_files_only=True)
    except Exception as error:  # sentence-transformers raises many types for a bad model
        raise EmbeddingModelError(
            f"EMBEDDING_MODEL={model_name!r} could not be loaded from disk "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
            f"Use {BUNDLED_MODEL_NAME!r} (made offline) or a local sentence-transformers folder."
        ) from error


def _checksum_of(path: Path, settings: IndexSettings) -> str:
    from index.e5_model import model_checksum

    return model_checksum(path) if path.is_dir() else settings.embedding_model
