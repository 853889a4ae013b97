"""The article set changing under a running bot: /reindex, uploads, and a rebuild from the shell.

One `python -m bot` process serves the module; its tmp seeds folder grows from test to test
(run in file order), which the assertions take into account.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from bot.answers.question import Language
from bot.telegram.replies import one_by_one
from tests.e2e.conftest import (
    ADMIN_ID,
    ANSWER_TIMEOUT,
    BOT_USERNAME,
    PYTHON,
    SECOND_ADMIN_ID,
    USER_ID,
    BotProcess,
    ask,
    build_lock_held_by,
    current_manifest,
    settle,
    wait_for_build_lock,
    write_bulk_article,
)
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e

BUILD_TIMEOUT = 120.0
REPORT_ID = re.compile(
    r"Indeks dibangun ulang: (\d+) artikel, (\d+) kalimat \((\d+) baru\), (\d+\.\d) detik\."
)
REPORT_EN = re.compile(r"Index rebuilt: (\d+) articles, (\d+) sentences \((\d+) new\), (\d+\.\d) s\.")
STARTED_ID = "Membangun ulang indeks… Pertanyaan tetap dijawab selama proses ini."
BUSY_ID = "Indeks sedang dibangun ulang; tunggu sampai selesai."

JENEWA = """Perundingan gencatan senjata Vardenia dan Osterlund di Jenewa
Perundingan gencatan senjata antara Vardenia dan Osterlund berlangsung di Jenewa pada tanggal 5 Maret 2028. \
Delegasi Vardenia dipimpin oleh Menteri Luar Negeri Lorenzo Vettel, sedangkan delegasi Osterlund dipimpin oleh \
Duta Besar Ingrid Halvorsen.
Kedua pihak sepakat membuka kembali 14 perlintasan perbatasan untuk bantuan kemanusiaan. Para mediator dari \
Swiss menyebut kesepakatan ini sebagai langkah pertama menuju perdamaian yang langgeng.
Perundingan lanjutan dijadwalkan berlangsung di Wina pada bulan Mei 2028.
"""
JENEWA_TITLE = "Perundingan gencatan senjata Vardenia dan Osterlund di Jenewa"
DOHA = """Pembicaraan damai Meridia dan Tarvosi di Doha
Pembicaraan damai antara pemerintah Meridia dan gerakan Tarvosi digelar di Doha pada 9 Oktober 2028 dengan \
mediasi Qatar. Dalam pembicaraan itu, kedua pihak menyepakati pembebasan 312 sandera secara bertahap.
Gerakan Tarvosi diwakili oleh juru runding senior Kalisto Marwen. Pemerintah Meridia berjanji menarik \
pasukannya dari lembah Sarvan dalam waktu 60 hari.
"""


def seeds(bot: BotProcess) -> Path:
    return bot.root / "seeds"


def index_dir(bot: BotProcess) -> Path:
    return bot.root / "index"


def seed_files(bot: BotProcess) -> list[str]:
    """Everything in the seeds folder, hidden (partial) files included."""
    return sorted(p.name for p in seeds(bot).iterdir())


def test_reindex_by_an_admin_replies_started_then_a_report(fake: FakeTelegram, bot: BotProcess) -> None:
    before = (index_dir(bot) / "CURRENT").read_text()
    _, (started, report) = ask(
        fake, ADMIN_ID, ADMIN_ID, "/reindex", count=2, language_code="id", timeout=BUILD_TIMEOUT
    )
    assert started["text"] == STARTED_ID
    found = REPORT_ID.search(report["text"])
    assert found, report["text"]
    articles, sentences, new, _seconds = found.groups()
    assert (int(articles), int(sentences), int(new)) == (
        1,
        current_manifest(index_dir(bot))["sentence_count"],
        0,
    )
    assert "Tidak ada artikel yang berubah." in report["text"]
    assert (index_dir(bot) / "CURRENT").read_text() != before  # a new build is live
    assert fake.errors() == []


def test_reindex_by_a_non_admin_is_refused_politely_and_logged(fake: FakeTelegram, bot: BotProcess) -> None:
    before = (index_dir(bot) / "CURRENT").read_text()
    log_start = len(bot.log())
    _, (reply,) = ask(fake, USER_ID, USER_ID, "/reindex")
    assert reply["text"] == "Sorry, this command is for admins only."
    bot.wait_for_log(
        rf"WARNING bot\.telegram\.handlers: Refused admin command from user {USER_ID}", start=log_start
    )
    settle(fake)
    assert len(fake.sent_messages(USER_ID)) == 1
    assert (index_dir(bot) / "CURRENT").read_text() == before


def test_reindex_while_a_shell_build_holds_the_lock_is_told_to_wait(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    """`python -m index build` holds INDEX_DIR/.build.lock; the test holds it the same way."""
    with open(index_dir(bot) / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            _, (started, busy) = ask(fake, ADMIN_ID, ADMIN_ID, "/reindex", count=2, language_code="id")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    assert started["text"] == STARTED_ID
    assert busy["text"] == BUSY_ID
    assert fake.errors() == []


def test_second_reindex_while_one_runs_is_told_to_wait(fake: FakeTelegram, bot: BotProcess) -> None:
    # 250 new sentences keep the first rebuild embedding for a few seconds.
    write_bulk_article(seeds(bot), "pemantauan_a", 250, seed=1)
    first = fake.send_text(ADMIN_ID, ADMIN_ID, "/reindex", language_code="id")
    (started,) = fake.wait_for_messages(ADMIN_ID, 1, after_message_id=first["message_id"])
    assert started["text"] == STARTED_ID
    wait_for_build_lock(bot.pid, index_dir(bot))  # the first rebuild is running now
    _, (busy,) = ask(fake, SECOND_ADMIN_ID, SECOND_ADMIN_ID, "/reindex", language_code="id")
    assert busy["text"] == BUSY_ID
    _, report = fake.wait_for_messages(
        ADMIN_ID, 2, timeout=BUILD_TIMEOUT, after_message_id=first["message_id"]
    )
    found = REPORT_ID.search(report["text"])
    assert found, report["text"]
    assert found.group(1) == "2" and "+ pemantauan_a" in report["text"]
    assert int(found.group(3)) == 250
    settle(fake)
    # The refused /reindex started nothing: one reply to it, one report in all.
    assert len(fake.sent_messages(SECOND_ADMIN_ID)) == 1
    assert fake.errors() == []


def test_questions_during_a_reindex_are_all_answered(fake: FakeTelegram, bot: BotProcess) -> None:
    """30 questions from six users arrive while a rebuild runs; each gets exactly one answer.

    They are spread over five groups, where answers quote their question (so each answer maps
    to its question) and stay within Telegram's 20 messages a minute per group, which the
    bot's AIORateLimiter enforces (typing actions count too).
    """
    groups = [-1_009_876_543_210 - n for n in range(5)]
    for number, group in enumerate(groups):
        fake.add_chat(group, "supergroup", title=f"Pemantau {number}")
    questions = {
        "Berapa tawanan perang yang ditukar?": "1.200 tawanan perang",
        "siapa yang memimpin delegasi Rusia?": "Ajudan Kepresidenan",
        "Kapan pertemuan damai diadakan?": "23 Juli 2027",
    }
    texts = list(questions)
    write_bulk_article(seeds(bot), "pemantauan_b", 500, seed=2)  # seconds of embedding
    command = fake.send_text(ADMIN_ID, ADMIN_ID, "/reindex", language_code="id")
    fake.wait_for_messages(ADMIN_ID, 1, after_message_id=command["message_id"])
    wait_for_build_lock(bot.pid, index_dir(bot))
    sent = []
    for i in range(30):
        group, user, text = groups[i % len(groups)], 601 + i % 6, texts[i % len(texts)]
        sent.append((fake.send_text(group, user, f"@{BOT_USERNAME} {text}", language_code="id"), text))
        time.sleep(0.03)
    assert build_lock_held_by(bot.pid, index_dir(bot)), "the rebuild ended before the questions were all sent"
    _, report = fake.wait_for_messages(
        ADMIN_ID, 2, timeout=BUILD_TIMEOUT, after_message_id=command["message_id"]
    )
    assert "+ pemantauan_b" in report["text"]
    # A user whose questions queue up while the rebuild slows answers is told, once, that they
    # come one by one (bot/telegram/turns.py): that note is not an answer.
    notes = {one_by_one(Language.id), one_by_one(Language.en)}

    def answers_in(chat: int) -> list[dict]:
        return [r for r in fake.sent_messages(chat) if r["text"] not in notes]

    fake.wait_until(lambda: sum(len(answers_in(g)) for g in groups) >= 30, BUILD_TIMEOUT, "30 answers")
    settle(fake, 1.0)
    for question, text in sent:
        chat = question["chat"]["id"]
        answers = [r for r in answers_in(chat) if r["reply_to_message_id"] == question["message_id"]]
        assert len(answers) == 1, f"{len(answers)} answers to message {question['message_id']} in chat {chat}"
        assert questions[text] in answers[0]["text"]
    assert sum(len(answers_in(g)) for g in groups) == 30
    assert fake.errors() == []


def test_admin_upload_is_saved_indexed_and_answered(fake: FakeTelegram, bot: BotProcess) -> None:
    question = "Berapa perlintasan perbatasan yang dibuka kembali?"
    _, (before,) = ask(fake, USER_ID, USER_ID, question, language_code="id")
    assert "14 perlintasan" not in before["text"] and "<b>" not in before["raw_text"]  # no fact stated
    data = JENEWA.encode("utf-8")
    upload = fake.send_document(ADMIN_ID, ADMIN_ID, "jenewa.txt", data, mime_type="text/plain")
    saved, report = fake.wait_for_messages(
        ADMIN_ID, 2, timeout=BUILD_TIMEOUT, after_message_id=upload["message_id"]
    )
    assert saved["text"] == "Article saved as jenewa.txt. Rebuilding the index…"
    found = REPORT_EN.search(report["text"])
    assert found, report["text"]
    assert "+ jenewa" in report["text"]
    assert (seeds(bot) / "jenewa.txt").read_bytes() == data
    meta = json.loads((seeds(bot) / "jenewa.meta.json").read_text(encoding="utf-8"))
    assert meta["title"] == JENEWA_TITLE
    assert f"uploaded via Telegram by user {ADMIN_ID}" in meta["source"]
    assert not [name for name in seed_files(bot) if name.startswith(".")]  # no partial files
    assert len(fake.calls("(download)")) == 1  # fetched from /file/bot<token>/...
    _, (answer,) = ask(fake, USER_ID, USER_ID, question, language_code="id")
    assert "<b>14</b>" in answer["raw_text"]
    assert f"{JENEWA_TITLE}, paragraf 3" in answer["text"]
    assert fake.errors() == []


def test_upload_by_a_non_admin_is_refused(fake: FakeTelegram, bot: BotProcess) -> None:
    before = seed_files(bot)
    log_start = len(bot.log())
    upload = fake.send_document(
        USER_ID, USER_ID, "rahasia.txt", b"Artikel rahasia tentang perundingan.", mime_type="text/plain"
    )
    (reply,) = fake.wait_for_messages(USER_ID, 1, after_message_id=upload["message_id"])
    assert reply["text"] == "Only admins can add articles."
    bot.wait_for_log(
        rf"WARNING bot\.telegram\.handlers: Refused an article upload from user {USER_ID}", start=log_start
    )
    settle(fake)
    assert seed_files(bot) == before
    assert len(fake.calls("(download)")) == 1  # only the admin's upload was ever fetched
    assert fake.errors() == []


def test_non_utf8_upload_is_rejected_with_a_clear_message_and_nothing_saved(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    before = seed_files(bot)
    builds_before = sorted(p.name for p in (index_dir(bot) / "builds").iterdir())
    data = "Perundingan damai di Malmö berlangsung pada 3 Juni 2028.".encode("latin-1")
    upload = fake.send_document(ADMIN_ID, ADMIN_ID, "malmo.txt", data, mime_type="text/plain")
    (reply,) = fake.wait_for_messages(ADMIN_ID, 1, after_message_id=upload["message_id"])
    assert reply["text"].startswith("The article cannot be added: malmo.txt is not UTF-8 text (byte 0xf6")
    assert "save it as UTF-8" in reply["text"]
    settle(fake)
    assert (
        len(fake.sent_messages(ADMIN_ID))
        == len([m for m in fake.sent_messages(ADMIN_ID) if m["message_id"] < upload["message_id"]]) + 1
    )
    assert seed_files(bot) == before
    assert sorted(p.name for p in (index_dir(bot) / "builds").iterdir()) == builds_before  # no rebuild
    assert fake.errors() == []


def test_index_rebuilt_from_the_shell_is_picked_up_without_restart(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    question = "Siapa yang mewakili gerakan Tarvosi?"
    _, (before,) = ask(fake, USER_ID, USER_ID, question, language_code="id")
    assert "Kalisto Marwen" not in before["text"]
    (seeds(bot) / "doha.txt").write_text(DOHA, encoding="utf-8")
    log_start = len(bot.log())
    build = subprocess.run(
        [PYTHON, "-m", "index", "build"],
        check=False,  # the tests read the exit status
        cwd=bot.root,
        env=bot.env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    output = build.stdout + build.stderr
    assert build.returncode == 0, output
    assert fake.token.split(":", 1)[1] not in output
    name = re.search(r"Built (\S+): (\d+) articles", output)
    assert name, output
    assert int(name.group(2)) == len(list(seeds(bot).glob("*.txt")))
    bot.wait_for_log(rf"Serving index {name.group(1)} ", timeout=ANSWER_TIMEOUT, start=log_start)
    _, (answer,) = ask(fake, USER_ID, USER_ID, question, language_code="id")
    # "Kalisto Marwen" or "juru runding senior Kalisto Marwen": the span's start differs by CPU
    assert answer["text"].startswith("Siapa: ") and "Kalisto Marwen" in answer["text"].split("\n", 1)[0]
    assert "Pembicaraan damai Meridia dan Tarvosi di Doha, paragraf 3" in answer["text"]
    assert bot.alive()
    assert fake.errors() == []
