"""`python -m bot` as a child process against a local Bot API server, for benchmarks and load
tests: how long it takes to start, and how much memory it holds."""

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.fake_telegram import FakeTelegram

REPO = Path(__file__).resolve().parents[1]


class BotProcess:
    def __init__(self, fake: FakeTelegram, root: Path, admin_ids: str = "111", **settings: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=fake.token,
            TELEGRAM_API_BASE_URL=fake.base_url,
            ADMIN_IDS=admin_ids,
            SEEDS_DIR=str(root / "seeds"),
            INDEX_DIR=str(root / "index"),
            MODEL_CACHE_DIR=str(REPO / "var" / "models"),
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(REPO),
        )
        env.update(settings)
        self.fake = fake
        self.log_path = root / "bot.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def wait_until_polling(self, timeout: float = 180.0) -> float:
        """Seconds from process start to its first getUpdates (it is then serving)."""
        deadline = time.perf_counter() + timeout
        while not self.fake.calls("getUpdates"):
            if self.process.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"the bot did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.02)
        return time.perf_counter() - self.started

    def rss_mb(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20

    def stop(self) -> int:
        self.process.terminate()
        try:
            code = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log.close()
        return code
