"""Sentences in, normalized vectors out: a thin layer over sentence-transformers."""

import logging
import os
from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer
from transformers.utils import logging as hf_logging

from index.e5_model import BUNDLED_MODEL_NAME, ensure_e5_model, model_checksum
from index.settings import IndexSettings

log = logging.getLogger(__name__)


class EmbeddingModelError(RuntimeError):
    """The configured model cannot be loaded; the message names EMBEDDING_MODEL."""


class Embedder:
    """Embeds questions and passages with the model's own prompts (e5: "query: "/"passage: ")."""

    def __init__(self, model: SentenceTransformer, name: str, checksum: str) -> None:
        self.model = model
        self.name = name
        self.checksum = checksum
        self.dimension = int(model.get_embedding_dimension() or 0)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._as_float32(self.model.encode_query(texts, normalize_embeddings=True))

    def embed_documents(self, texts: list[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode_document(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=show_progress
        )
        return self._as_float32(vectors)

    @staticmethod
    def _as_float32(vectors: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(vectors, dtype=np.float32)


def resolve_model_dir(settings: IndexSettings) -> Path | None:
    """The local folder of the configured model, making the bundled one if needed."""
    if settings.embedding_model == BUNDLED_MODEL_NAME:
        return ensure_e5_model(settings.model_cache_dir)
    path = Path(settings.embedding_model).expanduser()
    return path if path.is_dir() else None


def load_embedder(settings: IndexSettings) -> Embedder:
    """Load the configured model from disk only; there is no network to download from."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    hf_logging.disable_progress_bar()  # a bar per load clutters the bot's log and the terminal chat
    model_dir = resolve_model_dir(settings)
    source = str(model_dir) if model_dir else settings.embedding_model
    try:
        model = SentenceTransformer(source, device="cpu", local_files_only=True)
    except Exception as error:  # sentence-transformers raises many types for a bad model
        raise EmbeddingModelError(
            f"EMBEDDING_MODEL={settings.embedding_model!r} could not be loaded from disk "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
            f"Use {BUNDLED_MODEL_NAME!r} (made offline) or a local sentence-transformers folder."
        ) from error
    checksum = model_checksum(model_dir) if model_dir else settings.embedding_model
    log.info("Embedding model %s loaded (dimension %d)", settings.embedding_model, model.get_embedding_dimension())
    return Embedder(model, settings.embedding_model, checksum)
