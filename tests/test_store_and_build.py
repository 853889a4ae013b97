"""Specification of index.store and index.build: atomic builds on disk, checked loading, reuse.

Every index here is embedded by the real bundled model; a fake embedder appears only where a
test is about files (a build that crashes while embedding).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from index import store
from index.build import LOCK_FILE, BuildBusyError, BuildError, build_index, build_lock
from index.child_process import ChildStopped
from index.e5_model import BUNDLED_MODEL_NAME
from index.search import open_retriever
from index.store import (
    BUILDS,
    KEEP_BUILDS,
    MANIFEST_FILE,
    PARAGRAPHS_FILE,
    POINTER,
    SENTENCES_FILE,
    VECTORS_FILE,
    IndexCorruptError,
    IndexMissingError,
    IndexStaleError,
    check_model,
    current_build_name,
    load_build,
    stored_vectors,
)
from tests.conftest import REPO, SEED_ID, SEEDS, copy_seed, make_settings

REBUILD = "python -m index build"
NEW_ARTICLE = "Gencatan senjata di Gaza\nKedua pihak sepakat berunding lagi. Mediator datang dari Mesir. Hasilnya belum jelas.\n"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, embedder):
    """One real build of the seed article, made once; tests get a copy of it."""
    root = tmp_path_factory.mktemp("seed_build")
    settings = make_settings(root)
    copy_seed(settings.seeds_dir)
    report = build_index(settings, embedder)
    return settings, report


@pytest.fixture
def built(settings, seed_build):
    """Isolated settings whose index dir holds a copy of the seed build (the previous index)."""
    shutil.copytree(seed_build[0].index_dir, settings.index_dir)
    return settings


def snapshot(index_dir: Path) -> dict[str, str]:
    """Every file of an index dir (the lock aside) and its sha256: to show nothing changed."""
    return {
        str(p.relative_to(index_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(index_dir.rglob("*"))
        if p.is_file() and p.name != LOCK_FILE
    }


def live_folder(index_dir: Path) -> Path:
    return index_dir / BUILDS / current_build_name(index_dir)


def staging_folders(index_dir: Path) -> list[Path]:
    return list((index_dir / BUILDS).glob(".staging-*"))


class CrashingEmbedder:
    """Stands in for a model that dies mid-build (another checksum, so nothing is reused)."""

    name = "crashing"
    checksum = "c" * 64
    dimension = 384

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def embed_documents(self, texts, batch_size=32, show_progress=False):
        raise self.error


# --- build, then load -----------------------------------------------------------------------------


def test_build_reports_articles_sentences_and_embeddings(seed_build):
    _, report = seed_build
    assert (report.articles, report.sentences, report.embedded, report.reused) == (1, 20, 20, 0)
    assert report.added == [SEED_ID]
    assert report.problems == []


def test_loaded_build_has_every_sentence_and_its_vector(built):
    stored = load_build(built.index_dir)
    assert len(stored.sentences) == 20
    assert stored.vectors.ntotal == 20
    assert stored.vectors.d == 384
    assert [s.id for s in stored.sentences] == list(range(20))
    assert len(stored.paragraphs) == 10


def test_manifest_records_model_dimension_and_article_hashes(built, embedder):
    manifest = load_build(built.index_dir).manifest
    assert manifest.model_name == BUNDLED_MODEL_NAME
    assert manifest.model_checksum == embedder.checksum
    assert manifest.dimension == 384
    seed_sha = hashlib.sha256((SEEDS / f"{SEED_ID}.txt").read_bytes()).hexdigest()
    assert manifest.articles == {SEED_ID: seed_sha}
    assert (manifest.sentence_count, manifest.paragraph_count) == (20, 10)
    assert set(manifest.files) == {VECTORS_FILE, SENTENCES_FILE, PARAGRAPHS_FILE}
    assert manifest.catalog[0].title == "Pertemuan damai Rusia dan Ukraina di Istanbul"
    assert manifest.catalog[0].sentence_count == 20


def test_the_catalog_gives_each_article_the_language_its_meta_file_gives(built):
    assert load_build(built.index_dir).manifest.catalog[0].language == "id"


def test_stored_vectors_are_the_sentence_embeddings(built, embedder):
    stored = load_build(built.index_dir)
    fresh = embedder.embed_documents([s.text for s in stored.sentences[:4]])
    cosines = np.sum(stored_vectors(stored)[:4] * fresh, axis=1)
    assert cosines.min() > 0.999


def test_the_live_build_is_named_by_the_pointer(built, seed_build):
    assert current_build_name(built.index_dir) == seed_build[1].build
    assert load_build(built.index_dir).name == seed_build[1].build


# --- bad seeds leave the existing index alone -------------------------------------------------------


def test_empty_seeds_dir_raises_build_error_and_keeps_the_index(built, embedder):
    for path in built.seeds_dir.iterdir():
        path.unlink()
    before = snapshot(built.index_dir)
    with pytest.raises(BuildError, match="No usable articles"):
        build_index(built, embedder)
    assert snapshot(built.index_dir) == before
    assert len(load_build(built.index_dir).sentences) == 20


def test_missing_seeds_dir_raises_build_error_naming_seeds_dir(built, embedder):
    shutil.rmtree(built.seeds_dir)
    before = snapshot(built.index_dir)
    with pytest.raises(BuildError, match="SEEDS_DIR"):
        build_index(built, embedder)
    assert snapshot(built.index_dir) == before


def test_all_broken_seeds_raise_build_error_naming_each_reason(built, embedder):
    for path in built.seeds_dir.iterdir():
        path.unlink()
    (built.seeds_dir / "kosong.txt").write_text("   \n\n")
    (built.seeds_dir / "gambar.txt").write_bytes(b"\x89PNG\x00\x00")
    (built.seeds_dir / "latin.txt").write_bytes(b"Caf\xe9 di Istanbul.")
    before = snapshot(built.index_dir)
    with pytest.raises(BuildError) as raised:
        build_index(built, embedder)
    message = str(raised.value)
    for expected in ("kosong.txt is empty", "gambar.txt looks like a binary file", "latin.txt is not UTF-8"):
        assert expected in message
    assert snapshot(built.index_dir) == before


def test_articles_without_sentences_raise_build_error(built, embedder):
    for path in built.seeds_dir.iterdir():
        path.unlink()
    (built.seeds_dir / "judul.md").write_text("# Hanya Judul\n## Dan Subjudul\n")
    before = snapshot(built.index_dir)
    with pytest.raises(BuildError, match="no sentences"):
        build_index(built, embedder)
    assert snapshot(built.index_dir) == before


def test_a_broken_article_is_skipped_and_reported_while_the_others_are_built(built, embedder):
    (built.seeds_dir / "rusak.txt").write_bytes(b"\x00\x01")
    report = build_index(built, embedder)
    assert report.articles == 1
    assert [(Path(p.path).name, "binary" in p.reason) for p in report.problems] == [("rusak.txt", True)]
    assert len(load_build(built.index_dir).sentences) == 20


# --- a build that fails or is killed midway ----------------------------------------------------------


@pytest.mark.parametrize(
    "error", [RuntimeError("out of memory"), KeyboardInterrupt()], ids=["error", "interrupt"]
)
def test_crash_while_embedding_keeps_the_previous_index_live_and_loadable(built, error):
    before = snapshot(built.index_dir)
    with pytest.raises(type(error)):
        build_index(built, CrashingEmbedder(error))
    assert snapshot(built.index_dir) == before
    assert len(load_build(built.index_dir).sentences) == 20
    assert staging_folders(built.index_dir) == []


def test_a_killed_embedding_process_is_a_build_error_that_keeps_the_previous_index(built):
    before = snapshot(built.index_dir)
    with pytest.raises(BuildError, match="stopped before it finished"):
        build_index(built, CrashingEmbedder(ChildStopped("embedding stopped before it finished")))
    assert snapshot(built.index_dir) == before


def test_crash_while_embedding_releases_the_build_lock(built):
    with pytest.raises(RuntimeError):
        build_index(built, CrashingEmbedder(RuntimeError("boom")))
    with build_lock(built.index_dir):
        pass


def test_failure_while_writing_removes_the_half_written_build(built, embedder, monkeypatch):
    def disk_full(path, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_write_jsonl", disk_full)
    before = snapshot(built.index_dir)
    with pytest.raises(OSError, match="No space left"):
        build_index(built, embedder)
    assert snapshot(built.index_dir) == before
    assert staging_folders(built.index_dir) == []
    assert len(load_build(built.index_dir).sentences) == 20


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import numpy as np
    from index import store

    def killed(path, rows):  # SIGKILL half way through writing the files: no cleanup can run
        os.kill(os.getpid(), signal.SIGKILL)

    store._write_jsonl = killed
    store.write_build(Path(sys.argv[1]), np.ones((3, 384), dtype=np.float32), [], [], {})
    """
)


def test_build_killed_while_writing_leaves_the_previous_index_whole(built):
    before = snapshot(built.index_dir)
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(built.index_dir)],
        check=False,
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert len(staging_folders(built.index_dir)) == 1  # what the kill left behind ...
    after = {k: v for k, v in snapshot(built.index_dir).items() if not k.startswith(f"{BUILDS}/.staging-")}
    assert after == before  # ... is all it changed
    assert len(load_build(built.index_dir).sentences) == 20


def test_next_build_removes_what_a_killed_build_left_behind(built, embedder):
    leftover = built.index_dir / BUILDS / ".staging-killed"
    leftover.mkdir()
    (leftover / VECTORS_FILE).write_bytes(b"half")
    build_index(built, embedder)
    assert staging_folders(built.index_dir) == []


# --- damaged, missing and stale indexes ---------------------------------------------------------------


@pytest.mark.parametrize("file_name", [VECTORS_FILE, SENTENCES_FILE, PARAGRAPHS_FILE])
def test_truncated_index_file_raises_index_corrupt_error_with_the_fix(built, file_name):
    path = live_folder(built.index_dir) / file_name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexCorruptError) as raised:
        load_build(built.index_dir)
    assert file_name in str(raised.value)
    assert REBUILD in str(raised.value)


def test_deleted_index_file_raises_index_corrupt_error(built):
    (live_folder(built.index_dir) / VECTORS_FILE).unlink()
    with pytest.raises(IndexCorruptError, match=REBUILD):
        load_build(built.index_dir)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: "{}", id="fields-missing"),
        pytest.param(lambda text: "\x00\x01garbage", id="garbage"),
    ],
)
def test_damaged_manifest_raises_index_corrupt_error(built, damage):
    path = live_folder(built.index_dir) / MANIFEST_FILE
    path.write_text(damage(path.read_text()))
    with pytest.raises(IndexCorruptError, match="manifest.*" + REBUILD):
        load_build(built.index_dir)


def test_deleted_manifest_raises_index_corrupt_error(built):
    (live_folder(built.index_dir) / MANIFEST_FILE).unlink()
    with pytest.raises(IndexCorruptError, match="no manifest"):
        load_build(built.index_dir)


def test_unreadable_vectors_with_a_matching_checksum_raise_index_corrupt_error(built):
    folder = live_folder(built.index_dir)
    (folder / VECTORS_FILE).write_bytes(b"not a faiss index")
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    manifest["files"][VECTORS_FILE] = hashlib.sha256(b"not a faiss index").hexdigest()
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="cannot be read.*" + REBUILD):
        load_build(built.index_dir)


def test_manifest_that_disagrees_with_the_vectors_raises_index_corrupt_error(built):
    path = live_folder(built.index_dir) / MANIFEST_FILE
    manifest = json.loads(path.read_text())
    manifest["dimension"] = 768
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="does not match its manifest"):
        load_build(built.index_dir)


@pytest.mark.parametrize(
    "pointer", [b"20990101T000000000000Z\n", b"\xff\xfe\x00garbage"], ids=["unknown", "garbage"]
)
def test_pointer_to_no_build_raises_index_corrupt_error(built, pointer):
    (built.index_dir / POINTER).write_bytes(pointer)
    with pytest.raises(IndexCorruptError, match=REBUILD):
        load_build(built.index_dir)


def test_no_index_raises_index_missing_error_with_the_fix(tmp_path):
    with pytest.raises(IndexMissingError) as raised:
        load_build(tmp_path / "index")
    assert str(tmp_path / "index") in str(raised.value)
    assert REBUILD in str(raised.value)


def test_empty_pointer_is_no_index(built):
    (built.index_dir / POINTER).write_text("\n")
    with pytest.raises(IndexMissingError):
        load_build(built.index_dir)


def test_index_built_with_another_model_raises_index_stale_error(built):
    stored = load_build(built.index_dir)
    with pytest.raises(IndexStaleError) as raised:
        check_model(stored, "/models/other", "0" * 64)
    message = str(raised.value)
    assert "EMBEDDING_MODEL" in message and BUNDLED_MODEL_NAME in message and "/models/other" in message
    assert REBUILD in message


def test_index_built_with_this_model_passes_the_model_check(built, embedder):
    check_model(load_build(built.index_dir), embedder.name, embedder.checksum)


def test_opening_an_index_with_another_model_raises_index_stale_error(built):
    other = SimpleNamespace(name="/models/other", checksum="0" * 64)
    with pytest.raises(IndexStaleError):
        open_retriever(built.index_dir, other)


# --- reuse, concurrency, pruning -------------------------------------------------------------------------


def test_rebuild_of_unchanged_seeds_reuses_every_embedding(built, embedder):
    report = build_index(built, embedder)
    assert (report.embedded, report.reused, report.sentences) == (0, 20, 20)
    assert (report.added, report.removed, report.changed) == ([], [], [])


def test_rebuild_makes_a_new_live_build_with_the_same_vectors(built, embedder, seed_build):
    old = stored_vectors(load_build(built.index_dir))
    report = build_index(built, embedder)
    assert report.build != seed_build[1].build
    assert current_build_name(built.index_dir) == report.build
    np.testing.assert_array_equal(stored_vectors(load_build(built.index_dir)), old)


def test_adding_an_article_embeds_only_its_sentences(built, embedder):
    (built.seeds_dir / "gaza.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = build_index(built, embedder)
    assert (report.embedded, report.reused, report.sentences) == (3, 20, 23)
    assert report.added == ["gaza"]
    assert len(load_build(built.index_dir).sentences) == 23


def test_changing_one_sentence_embeds_only_that_sentence(built, embedder):
    path = built.seeds_dir / f"{SEED_ID}.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("1.200 tawanan", "1.300 tawanan"), encoding="utf-8"
    )
    report = build_index(built, embedder)
    assert (report.embedded, report.reused) == (1, 19)
    assert report.changed == [SEED_ID]


def test_removing_an_article_is_reported(built, embedder):
    (built.seeds_dir / "gaza.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    build_index(built, embedder)
    (built.seeds_dir / "gaza.txt").unlink()
    report = build_index(built, embedder)
    assert report.removed == ["gaza"]
    assert report.embedded == 0


def test_concurrent_build_raises_build_busy_error_and_changes_nothing(built, embedder):
    before = snapshot(built.index_dir)
    with open(built.index_dir / LOCK_FILE, "w") as other_build:
        fcntl.flock(other_build, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildBusyError, match="Another index build is running"):
            build_index(built, embedder)
    assert snapshot(built.index_dir) == before


def test_old_builds_are_pruned_to_keep_builds(built, embedder):
    names = [build_index(built, embedder).build for _ in range(KEEP_BUILDS + 1)]
    kept = sorted(p.name for p in (built.index_dir / BUILDS).iterdir())
    assert kept == names[-KEEP_BUILDS:]
    assert current_build_name(built.index_dir) == names[-1]
