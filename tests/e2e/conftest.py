"""End-to-end fixtures: `python -m bot` as a subprocess against the local fake Bot API server.

One bot process per test module (startup costs 10-20 s: torch import and model load). Every
process gets its own tmp seeds folder (a copy of the repo's seeds/) and index folder, and the
shared model cache of the repo (var/models), so the model is made once per machine.
Its stdout and stderr go to a log file; at teardown the log must not contain the token.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `tests.fake_telegram` and `bot` are imported from the repo
    sys.path.insert(0, str(REPO))

from bot.settings import Settings
from tests.fake_telegram import FakeTelegram

SEEDS = REPO / "seeds"
MODEL_CACHE = REPO / "var" / "models"  # shared with the other tests: the model is made once
PYTHON = sys.executable
ADMIN_ID = 111
SECOND_ADMIN_ID = 112
ADMIN_IDS = f"{ADMIN_ID},{SECOND_ADMIN_ID}"
USER_ID = 222  # never an admin
BOT_USERNAME = "runding_test_bot"
SEED_TITLE = "Pertemuan damai Rusia dan Ukraina di Istanbul"
STARTUP_TIMEOUT = 180.0  # generous: a cold model cache is converted once (~5 s more)
ANSWER_TIMEOUT = 30.0


# -- environment ---------------------------------------------------------------------------


def clean_environ() -> dict[str, str]:
    """The test runner's environment without any of the product's settings (no leaks in)."""
    names = {name.upper() for name in Settings.model_fields}
    return {k: v for k, v in os.environ.items() if k.upper() not in names}


def bot_env(
    root: Path, token: str, base_url: str, admin_ids: str = ADMIN_IDS, **extra: str
) -> dict[str, str]:
    env = clean_environ()
    env.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=base_url,
        ADMIN_IDS=admin_ids,
        SEEDS_DIR=str(root / "seeds"),
        INDEX_DIR=str(root / "index"),
        MODEL_CACHE_DIR=str(MODEL_CACHE),
        LEXICON_DIR=str(REPO / "var" / "lexicon"),  # where `make test` unpacks them, as for users
        INDEX_POLL_SECONDS="0.5",
        LOG_LEVEL="INFO",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def new_root(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A tmp folder holding a copy of the repo's seeds/ and an index folder without an index.

    The bot runs with this folder as its working directory, so no `.env` of the repo is read.
    The index folder gets the background-sentence vectors a bot of this session already
    computed (bot/service.py caches them there, keyed by model and file): that saves each
    later process ~10 s of embedding, and the first process still computes them itself.
    """
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(SEEDS, root / "seeds")
    (root / "index").mkdir()
    for cached in _background_cache(tmp_path_factory).glob("background-*.npy"):
        shutil.copy(cached, root / "index" / cached.name)
    return root


def remember_background_vectors(tmp_path_factory: pytest.TempPathFactory, index_dir: Path) -> None:
    for computed in index_dir.glob("background-*.npy"):
        shutil.copy(computed, _background_cache(tmp_path_factory) / computed.name)


def _background_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "background-cache"
    cache.mkdir(exist_ok=True)
    return cache


# -- the bot process -------------------------------------------------------------------------


class BotProcess:
    """`python -m <module> ...` with its output in a log file."""

    def __init__(
        self, root: Path, env: dict[str, str], args: tuple[str, ...] = ("-m", "bot"), name: str = "bot"
    ):
        self.root = root
        self.env = env
        self.log_path = root / f"{name}.log"
        self._log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [PYTHON, *args], cwd=root, env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_until_polling(self, fake: FakeTelegram, timeout: float = STARTUP_TIMEOUT) -> None:
        """Until the bot's first getUpdates; fails at once (with the log) if the bot dies."""
        deadline = time.monotonic() + timeout
        while not fake.calls("getUpdates"):
            if not self.alive():
                pytest.fail(f"the bot exited with {self.process.returncode} before polling:\n{self.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the bot did not start polling within {timeout} s:\n{self.tail()}")
            time.sleep(0.1)

    def wait_for_log(self, pattern: str, timeout: float = ANSWER_TIMEOUT, start: int = 0) -> re.Match[str]:
        """Wait until the log (from character `start`) matches the regex."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.log()[start:])
            if found:
                return found
            if time.monotonic() > deadline:
                pytest.fail(f"no {pattern!r} in the bot log within {timeout} s:\n{self.tail()}")
            time.sleep(0.05)

    def wait_for_exit(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the process did not exit within {timeout} s:\n{self.tail()}")

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, as a service manager stops the bot; the exit code."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return -9

    def close(self) -> None:
        if self.alive():
            self.process.kill()
            self.process.wait()
        self._log_file.close()

    def tail(self, chars: int = 4000) -> str:
        return self.log()[-chars:]

    def assert_no_secret(self, token: str) -> None:
        """Neither the token nor its secret part (after the colon) is in the output."""
        text = self.log()
        secret = token.split(":", 1)[1]
        assert token not in text, f"the token leaked into {self.log_path}"
        assert secret not in text, f"the token's secret leaked into {self.log_path}"


# -- shared module fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(bot_username=BOT_USERNAME) as server:
        # The admins have opened a chat with the bot, so admin commands can be set for them.
        server.add_chat(ADMIN_ID)
        server.add_chat(SECOND_ADMIN_ID)
        yield server


@pytest.fixture(scope="module")
def bot(
    fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[BotProcess]:
    """One bot process for the whole module, on its own seeds and index."""
    root = new_root(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1])
    extra: dict[str, str] = getattr(request.module, "BOT_SETTINGS", {})  # a module's own settings
    process = BotProcess(root, bot_env(root, fake.token, fake.base_url, **extra))
    try:
        process.wait_until_polling(fake)
        remember_background_vectors(tmp_path_factory, root / "index")
        yield process
        code = process.terminate()
        assert code == 0, f"the bot exited with {code} on SIGTERM:\n{process.tail()}"
    finally:
        process.close()
        process.assert_no_secret(fake.token)


# -- helpers for tests -----------------------------------------------------------------------


def ask(
    fake: FakeTelegram,
    chat_id: int,
    user_id: int,
    text: str,
    count: int = 1,
    timeout: float = ANSWER_TIMEOUT,
    **kwargs: Any,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Send a message and wait for `count` bot messages after it: (question, replies)."""
    question = fake.send_text(chat_id, user_id, text, **kwargs)
    replies = fake.wait_for_messages(chat_id, count, timeout=timeout, after_message_id=question["message_id"])
    return question, replies


def settle(fake: FakeTelegram, seconds: float = 0.7) -> None:
    """Let the bot confirm every update and finish what it does with them."""
    # Polled: the fake does not signal a confirmation (the next getUpdates) to its waiters.
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while fake.pending_updates():
        if time.monotonic() > deadline:
            pytest.fail(f"the bot did not confirm {len(fake.pending_updates())} update(s)")
        time.sleep(0.05)
    time.sleep(seconds)


def write_bulk_article(seeds_dir: Path, name: str, sentences: int, seed: int) -> Path:
    """An article of `sentences` distinct, never-seen sentences: it takes seconds to embed
    (about 100 sentences a second on 2 cores), so a rebuild stays busy for a while."""
    rng = random.Random(seed)
    words = [
        "pengamat",
        "mediator",
        "delegasi",
        "wilayah",
        "perbatasan",
        "bantuan",
        "konvoi",
        "logistik",
        "pengungsi",
        "rekonstruksi",
        "jembatan",
        "pelabuhan",
        "gudang",
        "sekolah",
        "klinik",
    ]
    lines = [f"Laporan pemantauan {name}"]
    per_paragraph = 10
    for paragraph in range(sentences // per_paragraph):
        row = []
        for n in range(per_paragraph):
            i = paragraph * per_paragraph + n
            a, b, c = rng.sample(words, 3)
            row.append(
                f"Catatan {name} nomor {i} menyebut {a} dan {b} di sektor {c} "
                f"berubah sebanyak {rng.randint(10, 99_999)} unit pada pekan ke-{i % 52 + 1}."
            )
        lines.append(" ".join(row))
    path = seeds_dir / f"{name}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_lock_held_by(pid: int, index_dir: Path) -> bool:
    """True while process `pid` holds the index build lock (index/build.py: flock on
    INDEX_DIR/.build.lock), read from /proc/locks without touching the lock."""
    lock = index_dir / ".build.lock"
    try:
        inode = lock.stat().st_ino
    except FileNotFoundError:
        return False
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and str(pid) in fields and any(f.endswith(f":{inode}") for f in fields):
            return True
    return False


def wait_for_build_lock(pid: int, index_dir: Path, timeout: float = ANSWER_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not build_lock_held_by(pid, index_dir):
        if time.monotonic() > deadline:
            pytest.fail(f"process {pid} did not start a build within {timeout} s")
        time.sleep(0.01)


def current_manifest(index_dir: Path) -> dict[str, Any]:
    import json

    name = (index_dir / "CURRENT").read_text().strip()
    return json.loads((index_dir / "builds" / name / "manifest.json").read_text())
