"""A built index on disk: FAISS vectors, sentence and paragraph metadata, and a manifest.

Each build is written into its own folder and made live by replacing the `CURRENT` pointer
with one atomic rename, so a build that fails or is killed midway leaves the previous index
whole, and a reader never sees half a build.
"""

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import faiss
import numpy as np
from pydantic import BaseModel, ValidationError

from index.files import write_atomically
from index.models import Manifest, Paragraph, Sentence

log = logging.getLogger(__name__)
RowT = TypeVar("RowT", bound=BaseModel)

POINTER = "CURRENT"
BUILDS = "builds"
VECTORS_FILE = "vectors.faiss"
SENTENCES_FILE = "sentences.jsonl"
PARAGRAPHS_FILE = "paragraphs.jsonl"
MANIFEST_FILE = "manifest.json"
KEEP_BUILDS = 2
REBUILD_HINT = "Rebuild it with: python -m index build"
# Exact search is fast enough below this many vectors (single-query p50 ~5 ms at 50k here);
# above, an IVF index keeps queries fast: recall@10 >= 0.988 from 50k to 1M, p50 <= 1.5 ms at
# 1M (python -m bench.scale; docs/evaluation.md).
EXACT_SEARCH_LIMIT = 50_000
IVF_PROBES = 64
IVF_TRAINING_PER_LIST = 40


class IndexProblem(RuntimeError):
    """Base of the index problems; the message says what is wrong and how to fix it."""


class IndexMissingError(IndexProblem):
    pass


class IndexCorruptError(IndexProblem):
    pass


class IndexStaleError(IndexProblem):
    pass


@dataclass(frozen=True)
class StoredIndex:
    """A loaded build: everything a search needs, read-only once loaded."""

    name: str
    vectors: faiss.Index
    sentences: list[Sentence]
    paragraphs: list[Paragraph]
    manifest: Manifest


def current_build_name(index_dir: Path) -> str | None:
    """The live build's folder name, or None; cheap enough to poll for shell rebuilds."""
    try:
        # errors="replace": a garbled pointer is reported as a corrupt index by load_build.
        return (index_dir / POINTER).read_text(encoding="utf-8", errors="replace").strip() or None
    except FileNotFoundError:
        return None


def make_vector_index(vectors: np.ndarray) -> faiss.Index:
    """Inner product over normalized vectors (cosine): exact when small, IVF when large.

    IVF with flat storage returns stored vectors exactly, so rebuilds can reuse them.
    """
    dimension = vectors.shape[1]
    if len(vectors) <= EXACT_SEARCH_LIMIT:
        index: faiss.Index = faiss.IndexFlatIP(dimension)
    else:
        lists = int(4 * np.sqrt(len(vectors)))
        # An IndexIVFFlat at run time; faiss's type hints only know the base Index.
        ivf: Any = faiss.index_factory(dimension, f"IVF{lists},Flat", faiss.METRIC_INNER_PRODUCT)
        ivf.cp.niter = 10  # k-means on a sample: ~1.5 min at 1M vectors on 2 cores
        sample = np.random.default_rng(0).choice(len(vectors), IVF_TRAINING_PER_LIST * lists, replace=False)
        ivf.train(vectors[np.sort(sample)])
        ivf.nprobe = IVF_PROBES  # saved in the index file
        index = ivf
    index.add(vectors)
    return index


def write_build(
    index_dir: Path,
    vectors: np.ndarray,
    sentences: list[Sentence],
    paragraphs: list[Paragraph],
    manifest_fields: dict,
) -> str:
    """Write a complete build and make it current; returns the build's name."""
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=builds))
    try:
        faiss.write_index(make_vector_index(vectors), str(staging / VECTORS_FILE))
        _write_jsonl(staging / SENTENCES_FILE, sentences)
        _write_jsonl(staging / PARAGRAPHS_FILE, paragraphs)
        files = {f: _sha256(staging / f) for f in (VECTORS_FILE, SENTENCES_FILE, PARAGRAPHS_FILE)}
        for file_name in files:  # on disk before CURRENT can point at them (power loss)
            _fsync(staging / file_name)
        manifest = Manifest(files=files, **manifest_fields)
        write_atomically(staging / MANIFEST_FILE, manifest.model_dump_json(indent=2).encode())
        os.rename(staging, builds / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync(builds)  # the renamed folder is on disk before CURRENT names it
    _point_to(index_dir, name)
    _prune(builds, keep=name)
    return name


def load_build(index_dir: Path) -> StoredIndex:
    """Load and verify the live build, or raise an error that says how to fix it."""
    name = current_build_name(index_dir)
    if name is None:
        raise IndexMissingError(f"There is no index in {index_dir}. {REBUILD_HINT}")
    folder = index_dir / BUILDS / name
    if not folder.is_dir():
        raise IndexCorruptError(
            f"{index_dir / POINTER} names the build {name!r}, which is not in {index_dir / BUILDS}. "
            f"{REBUILD_HINT}"
        )
    manifest = _read_manifest(folder)
    for file_name, digest in manifest.files.items():
        if not (folder / file_name).is_file() or _sha256(folder / file_name) != digest:
            raise IndexCorruptError(
                f"The index file {folder / file_name} is missing or damaged. {REBUILD_HINT}"
            )
    try:
        vectors = faiss.read_index(str(folder / VECTORS_FILE))
        sentences = _read_jsonl(folder / SENTENCES_FILE, Sentence)
        paragraphs = _read_jsonl(folder / PARAGRAPHS_FILE, Paragraph)
    except (RuntimeError, ValueError, ValidationError) as error:
        raise IndexCorruptError(f"The index in {folder} cannot be read ({error}). {REBUILD_HINT}") from error
    if vectors.ntotal != len(sentences) or vectors.d != manifest.dimension:
        raise IndexCorruptError(f"The index in {folder} does not match its manifest. {REBUILD_HINT}")
    return StoredIndex(
        name=name, vectors=vectors, sentences=sentences, paragraphs=paragraphs, manifest=manifest
    )


def check_model(stored: StoredIndex, model_name: str, model_checksum: str) -> None:
    """An index is only searchable with the model that built it."""
    if stored.manifest.model_checksum != model_checksum:
        raise IndexStaleError(
            f"The index was built with the model {stored.manifest.model_name!r} "
            f"(checksum {stored.manifest.model_checksum[:12]}), but EMBEDDING_MODEL is {model_name!r} "
            f"(checksum {model_checksum[:12]}). {REBUILD_HINT}"
        )


def stored_vectors(stored: StoredIndex) -> np.ndarray:
    """The vectors of a build, in sentence order (to reuse unchanged sentences' embeddings)."""
    if stored.vectors.ntotal == 0:
        return np.zeros((0, stored.vectors.d), dtype=np.float32)
    return stored.vectors.reconstruct_n(0, stored.vectors.ntotal)


def _read_manifest(folder: Path) -> Manifest:
    try:
        return Manifest.model_validate_json((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorruptError(f"The index in {folder} has no manifest. {REBUILD_HINT}") from None
    except (ValueError, ValidationError, UnicodeDecodeError):
        raise IndexCorruptError(f"The manifest of the index in {folder} is damaged. {REBUILD_HINT}") from None


def remove_staging_leftovers(index_dir: Path) -> None:
    """Delete half-written builds left by a killed build; call only while holding the build lock."""
    builds = index_dir / BUILDS
    if builds.is_dir():
        for leftover in builds.glob(".staging-*"):
            log.info("Removing %s, left by a build that did not finish", leftover)
            shutil.rmtree(leftover, ignore_errors=True)


def _point_to(index_dir: Path, name: str) -> None:
    write_atomically(index_dir / POINTER, f"{name}\n".encode())


def _prune(builds: Path, keep: str) -> None:
    """Keep the newest builds (a reader may still be loading the previous one)."""
    finished = sorted(p for p in builds.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in finished[:-KEEP_BUILDS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_jsonl(path: Path, rows: Sequence[BaseModel]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(row.model_dump_json() + "\n" for row in rows)


def _read_jsonl(path: Path, model: type[RowT]) -> list[RowT]:
    with open(path, encoding="utf-8") as handle:
        return [model.model_validate_json(line) for line in handle if line.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
