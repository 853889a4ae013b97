"""The chat in the terminal (bot/terminal.py) is one conversation: follow-ups are completed."""

from __future__ import annotations

import io

from bot.answers.service import AnswerService
from bot.terminal import PROMPT, chat


def test_the_terminal_chat_completes_a_follow_up_and_shows_its_reading(service: AnswerService):
    typed = "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?\nYang belum?\n\n"
    out = io.StringIO()
    chat(service, io.StringIO(typed), out)
    first, follow_up = out.getvalue().split(PROMPT)[1:3]
    assert "Saya membaca" not in first
    assert follow_up.startswith("Saya membaca: Berapa jenazah yang belum dikembalikan?\n\nJumlahnya: *3.000")
