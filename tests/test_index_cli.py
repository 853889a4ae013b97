"""Specification of `python -m index build|search`: what an admin sees, in a shell and on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import index.__main__ as cli
from index.search import SearchMode
from tests.conftest import MODEL_CACHE, REPO, copy_seed

QUESTION = "Berapa tawanan perang yang ditukar?"
REBUILD = "python -m index build"
SETTINGS_VARS = ("SEEDS_DIR", "INDEX_DIR", "MODEL_CACHE_DIR", "EMBEDDING_MODEL", "EMBEDDING_BATCH_SIZE")


def cli_env(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env.update(
        SEEDS_DIR=str(root / "seeds"),
        INDEX_DIR=str(root / "index"),
        MODEL_CACHE_DIR=str(MODEL_CACHE),
        PYTHONPATH=str(REPO),
        **extra,
    )
    return env


def run_cli(root: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m index ...` in `root` (so no .env of the repo is read), as an admin runs it."""
    return subprocess.run(
        [sys.executable, "-m", "index", *args],
        check=False,
        cwd=root,
        env=cli_env(root, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    """`python -m index build` of the seed article, run once for this module."""
    root = tmp_path_factory.mktemp("cli")
    copy_seed(root / "seeds")
    return SimpleNamespace(root=root, build=run_cli(root, "build"))


@pytest.fixture
def in_process(tmp_path, monkeypatch):
    """Run cli.main in this process (the model is already loaded) with env settings for tmp_path."""
    monkeypatch.chdir(tmp_path)
    for name, value in cli_env(tmp_path).items():
        if name in SETTINGS_VARS:
            monkeypatch.setenv(name, value)
    for name in SETTINGS_VARS:
        if name not in ("SEEDS_DIR", "INDEX_DIR", "MODEL_CACHE_DIR"):
            monkeypatch.delenv(name, raising=False)
    (tmp_path / "seeds").mkdir()
    return tmp_path


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- the shell: build, then search ----------------------------------------------------------------


def test_build_exits_0_and_says_what_it_built(shell):
    assert shell.build.returncode == 0, shell.build.stderr
    assert "1 articles, 20 sentences (20 embedded, 0 reused)" in shell.build.stdout
    assert str(shell.root / "index") in shell.build.stdout


def test_search_prints_the_prisoners_of_war_sentence_first(shell):
    done = run_cli(shell.root, "search", QUESTION)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("1. ")
    assert "1.200 tawanan perang" in lines[0]
    assert "Pertemuan damai Rusia dan Ukraina di Istanbul, paragraph 4" in lines[1]


# --- the shell: failures are one clear line, exit code 2 ----------------------------------------------


def test_search_without_an_index_exits_2_with_one_line_naming_the_fix(tmp_path):
    done = run_cli(tmp_path, "search", QUESTION)
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "There is no index" in line and REBUILD in line
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("EMBEDDING_BATCH_SIZE", "abc"), ("EMBEDDING_BATCH_SIZE", "0"), ("EMBEDDING_MODEL", "")],
)
def test_wrong_setting_exits_2_with_one_line_naming_it(tmp_path, name, value):
    done = run_cli(tmp_path, "build", **{name: value})
    assert done.returncode == 2
    assert f"Setting {name} is wrong" in one_error_line(done.stderr)
    assert "Traceback" not in done.stderr


def test_help_needs_no_settings_and_lists_the_commands(tmp_path):
    done = run_cli(tmp_path, "--help", EMBEDDING_BATCH_SIZE="abc")
    assert done.returncode == 0
    assert "build" in done.stdout and "search" in done.stdout


# --- the same commands in process (the loaded model is reused) -------------------------------------------


def test_build_of_empty_seeds_exits_2_with_the_reason(in_process, embedder, monkeypatch, capsys):
    monkeypatch.setattr("index.embedder.load_embedder", lambda settings, passages_in_child: embedder)
    assert cli.main(["build"]) == 2
    assert "No usable articles" in one_error_line(capsys.readouterr().err)


def test_unknown_embedding_model_exits_2_naming_embedding_model(in_process, monkeypatch, capsys):
    copy_seed(in_process / "seeds")
    monkeypatch.setenv("EMBEDDING_MODEL", "/nonexistent")
    assert cli.main(["build"]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: EMBEDDING_MODEL='/nonexistent' could not be loaded")
    assert not (in_process / "index").exists()


def test_search_of_an_index_built_with_another_model_exits_2_naming_embedding_model(
    shell, monkeypatch, capsys
):
    monkeypatch.setenv("INDEX_DIR", str(shell.root / "index"))
    monkeypatch.chdir(shell.root)
    other = SimpleNamespace(name="/models/other", checksum="0" * 64)
    monkeypatch.setattr("index.embedder.load_embedder", lambda settings, passages_in_child: other)
    assert cli.main(["search", QUESTION]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "EMBEDDING_MODEL is '/models/other'" in line and REBUILD in line


def test_search_modes_are_the_retrievers_modes():
    assert cli.SEARCH_MODES == tuple(mode.value for mode in SearchMode)
