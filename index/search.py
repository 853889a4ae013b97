"""Hybrid retrieval: dense (FAISS) and lexical (BM25) scores fused into one ranking."""

from enum import StrEnum
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.lexical import LexicalIndex, Tokenizer, expand_chat_spellings
from index.models import Hit, Paragraph, Sentence
from index.store import StoredIndex, check_model, load_build

DENSE_CANDIDATES = 100
# BM25 is scaled to [0, 1] per query and added with this weight to the cosine; measured on
# tests/data/eval_questions.jsonl (docs/evaluation.md).
LEXICAL_WEIGHT = 0.10


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    LEXICAL = "lexical"


class Retriever:
    """Searches one stored index; build a new Retriever for a new index (it is immutable)."""

    def __init__(self, stored: StoredIndex, embedder: Embedder, tokenizer: Tokenizer) -> None:
        self.stored = stored
        self.embedder = embedder
        self.lexical = LexicalIndex([s.text for s in stored.sentences], tokenizer)
        self._paragraphs = {(p.article_id, p.number): p for p in stored.paragraphs}

    @property
    def sentences(self) -> list[Sentence]:
        return self.stored.sentences

    def paragraph(self, article_id: str, number: int) -> Paragraph | None:
        return self._paragraphs.get((article_id, number))

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector; chat spellings are expanded first, as for BM25."""
        return self.embedder.embed_queries([expand_chat_spellings(query)])

    def search(
        self,
        query: str,
        k: int = 5,
        mode: SearchMode = SearchMode.HYBRID,
        query_vector: np.ndarray | None = None,
        lexical_query: str | None = None,
    ) -> list[Hit]:
        """The k best sentences for a query, best first; pass query_vector if already embedded,
        and lexical_query to match words other than the query's (its translations)."""
        if not self.sentences or not query.strip():
            return []
        if mode == SearchMode.LEXICAL:
            dense: dict[int, float] = {}
        else:
            dense = self.dense_scores(query_vector if query_vector is not None else self.embed_query(query))
        lexical = self.lexical.scores(lexical_query or query) if mode != SearchMode.DENSE else None
        fused = self._fuse(dense, lexical, mode)
        best = self._distinct(sorted(fused.items(), key=lambda item: item[1], reverse=True), k)
        return [
            Hit(
                sentence=self.sentences[i],
                score=float(score),
                dense_score=dense.get(i),
                lexical_score=float(lexical[i]) if lexical is not None else None,
            )
            for i, score in best
        ]

    def _distinct(self, ranked: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
        """The first k with different wording: one sentence carried by two articles (a wire
        story printed twice) is shown once, from the better-ranked article."""
        seen: set[str] = set()
        kept = []
        for i, score in ranked:
            wording = " ".join(self.sentences[i].text.casefold().split())
            if wording not in seen:
                seen.add(wording)
                kept.append((i, score))
                if len(kept) == k:
                    break
        return kept

    def dense_scores(self, vector: np.ndarray) -> dict[int, float]:
        count = min(DENSE_CANDIDATES, self.stored.vectors.ntotal)
        scores, ids = self.stored.vectors.search(vector, count)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}

    @staticmethod
    def _fuse(dense: dict[int, float], lexical: np.ndarray | None, mode: SearchMode) -> dict[int, float]:
        if mode == SearchMode.DENSE or lexical is None:
            return dense
        top = float(lexical.max()) if len(lexical) else 0.0
        scaled = lexical / top if top > 0 else lexical
        if mode == SearchMode.LEXICAL:
            return {int(i): float(scaled[i]) for i in np.flatnonzero(lexical)}
        floor = min(dense.values(), default=0.0)
        candidates = set(dense) | {int(i) for i in np.flatnonzero(lexical)}
        return {i: dense.get(i, floor) + LEXICAL_WEIGHT * float(scaled[i]) for i in candidates}


def open_retriever(index_dir: Path, embedder: Embedder, tokenizer: Tokenizer | None = None) -> Retriever:
    """Load the live build, check it was made with this model, and make it searchable."""
    return searchable(load_build(index_dir), embedder, tokenizer)


def searchable(stored: StoredIndex, embedder: Embedder, tokenizer: Tokenizer | None = None) -> Retriever:
    """A loaded build made searchable, once it is known to come from this model."""
    check_model(stored, embedder.name, embedder.checksum)
    return Retriever(stored, embedder, tokenizer or Tokenizer())
