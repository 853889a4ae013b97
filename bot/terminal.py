"""A chat in the terminal with the same answers as in Telegram (no token needed)."""

import sys
from typing import TextIO

from bot.answers.answer import Answer
from bot.answers.question import Language
from bot.answers.render import render_plain
from bot.answers.service import AnswerService
from bot.conversation import Conversations, converse

CONVERSATION = "terminal"  # the terminal chat is one conversation

PROMPT = "\nAnda / You > "
SUBSCRIPTION_COMMANDS = ("/follow", "/unfollow", "/following")
TELEGRAM_ONLY = (
    "Langganan laporan baru (/follow) hanya ada di Telegram: bot mengirim pesan saat artikel baru masuk, "
    "dan terminal tidak bisa menerimanya.\n"
    "Subscriptions to new reports (/follow) need Telegram: the bot sends a message when a new article "
    "comes in, which a terminal cannot receive. Set TELEGRAM_BOT_TOKEN to run the bot there."
)
BANNER = (
    "Runding — tanya jawab tentang perundingan damai / questions about peace negotiations.\n"
    "No TELEGRAM_BOT_TOKEN is set, so this is a chat in the terminal with the same answers.\n"
    "Type a question in Indonesian or English; an empty line or Ctrl-D quits.\n"
    "Across rounds, ask e.g. 'Berapa tawanan yang ditukar di setiap putaran?' or type "
    "'/timeline <subject>'. Following new reports (/follow) needs the Telegram bot."
)
TIMELINE_COMMAND = "/timeline"


def chat(service: AnswerService, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    print(BANNER, file=stdout)
    memory = Conversations(service.settings.conversation_minutes)
    suggestions = service.answerer.suggestions(Language.id) if service.answerer else []
    for example in suggestions:
        print(f"  • {example}", file=stdout)
    while True:
        print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or not line.strip():
            print("Sampai jumpa! / Goodbye!", file=stdout)
            return
        if line.split()[0].lower() in SUBSCRIPTION_COMMANDS:
            print(TELEGRAM_ONLY, file=stdout, flush=True)
            continue
        service.reload_if_changed()
        print(render_plain(reply(service, memory, line.rstrip("\n"))), file=stdout, flush=True)


def reply(service: AnswerService, memory: Conversations, line: str) -> Answer:
    """`/timeline <subject>` as in Telegram; anything else is a question in the conversation."""
    command, _, subject = line.strip().partition(" ")
    if command.lower() == TIMELINE_COMMAND and service.answerer is not None and subject.strip():
        return service.answerer.timeline_of(subject)
    return converse(service, memory, CONVERSATION, line)
