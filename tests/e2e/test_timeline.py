"""`/timeline <subject>` through `python -m bot` against the local Bot API server, over the seed
and every later round's report (tests/data/articles and tests/data/rounds) in the bot's seeds."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import (
    REPO,
    BotProcess,
    ask,
    bot_env,
    new_root,
    remember_background_vectors,
)
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
TELEGRAM_LIMIT = 4096


@pytest.fixture(scope="module")
def bot(fake: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    """The conftest's bot, with every round's report among its seeds."""
    root = new_root(tmp_path_factory, "timeline")
    for folder in ("articles", "rounds"):
        for path in (REPO / "tests" / "data" / folder).iterdir():
            shutil.copy(path, root / "seeds" / path.name)
    process = BotProcess(root, bot_env(root, fake.token, fake.base_url))
    try:
        process.wait_until_polling(fake)
        remember_background_vectors(tmp_path_factory, root / "index")
        yield process
        assert process.terminate() == 0
    finally:
        process.close()
        process.assert_no_secret(fake.token)


def test_timeline_gives_one_dated_linked_line_per_article_oldest_first(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    _, (reply,) = ask(fake, 701, 701, "/timeline tempat perundingan", language_code="id", timeout=60)
    html = reply["raw_text"]
    assert len(html) <= TELEGRAM_LIMIT
    lines = re.findall(r"^(\d{1,2} \w{3} \d{4}) · (.+?) — <b>(.+?)</b>$", html, flags=re.MULTILINE)
    assert len(lines) >= 2
    assert lines[0][0] == "23 Jul 2027"  # Istanbul, the first round
    assert lines[-1][0] == "12 Jul 2028"  # Geneva, the seventh
    assert '<a href="https://kabardiplomasi.example/2028/07/12/putaran-ketujuh-jenewa">' in html
    assert fake.errors() == []


def test_timeline_of_a_subject_no_article_speaks_of_says_so(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (reply,) = ask(
        fake, 702, 702, "/timeline harga gandum di pasar Chicago", language_code="id", timeout=60
    )
    assert (
        reply["text"]
        == "Maaf, tidak ada artikel yang saya baca yang menjawab “harga gandum di pasar Chicago”."
    )


def test_timeline_without_a_subject_explains_how_to_use_it(fake: FakeTelegram, bot: BotProcess) -> None:
    _, (reply,) = ask(fake, 703, 703, "/timeline", language_code="en")
    assert reply["text"].startswith("Send /timeline followed by a subject")
    assert fake.errors() == []
