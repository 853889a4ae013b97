"""Conversations in Telegram: a private chat, or one user in a group, remembers its last question
for CONVERSATION_MINUTES so that a short follow-up is completed from it (bot/answers/followup.py).

Everything lives in the Application's chat_data, in memory only:
- chat_data["conversations"]: the last turn of each user of the chat, expiring;
- chat_data["anchors"]: the turn behind each of the bot's recent answers in the chat, so that a
  Telegram reply to an answer is a follow-up of that answer even after other messages or after
  the conversation expired (the last ANCHORS_PER_CHAT answers, for ANCHOR_HOURS).
Question texts are logged at DEBUG only.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.answers.answer import Answer
from bot.answers.followup import Turn, answer_turn
from bot.answers.service import AnswerService
from bot.conversation import Conversations

log = logging.getLogger(__name__)
ANCHORS_PER_CHAT = 50
ANCHOR_HOURS = 24
SWEEP_SECONDS = 60  # how often every chat's expired turns are dropped
Anchors = OrderedDict[int, tuple[Turn, float]]


async def answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str
) -> tuple[Answer, Turn | None]:
    """The answer to a question in its conversation, and the turn it leaves (for `anchor`)."""
    service: AnswerService = context.application.bot_data["service"]
    answerer = service.answerer  # one read: a swap in between cannot mix two indexes
    chat, chat_data = update.effective_chat, context.chat_data
    if answerer is None or chat is None or chat_data is None:
        return await asyncio.to_thread(service.answer, question), None
    memory = _memory(chat_data, service)
    key = _key(update, chat.id)
    previous = _anchored(update, context, chat_data) or memory.last(key)
    reply, turn = await asyncio.to_thread(answer_turn, answerer, question, previous)
    if turn is not previous:  # small talk in between keeps the question and its time
        memory.remember(key, turn)
    if reply.read_as:
        log.debug("Read %r as %r", question, reply.read_as)
    _sweep(context)
    return reply, (turn if turn is not previous else None)


def anchor(context: ContextTypes.DEFAULT_TYPE, sent: list[Message], turn: Turn | None) -> None:
    """Remember which turn the bot's messages answered, for replies to them."""
    if turn is None or context.chat_data is None:
        return
    anchors = _anchors(context.chat_data)
    expires = time.monotonic() + ANCHOR_HOURS * 3600
    for message in sent:
        anchors[message.message_id] = (turn, expires)
    while len(anchors) > ANCHORS_PER_CHAT:
        anchors.popitem(last=False)


def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start (not /help, which shares its handler): the user's conversation starts afresh."""
    message = update.effective_message
    if message is None or not (message.text or "").lower().startswith("/start"):
        return
    conversations = context.chat_data.get("conversations") if context.chat_data is not None else None
    if conversations is not None and update.effective_user is not None:
        conversations.forget(update.effective_user.id)


def _key(update: Update, chat_id: int) -> int:
    """One user in a chat: in a private chat the chat itself, in a group each member apart."""
    user = update.effective_user
    return user.id if user is not None else chat_id


def _anchored(update: Update, context: ContextTypes.DEFAULT_TYPE, chat_data: dict[Any, Any]) -> Turn | None:
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    held = _anchors(chat_data).get(replied.message_id)
    return held[0] if held and held[1] > time.monotonic() else None


def _memory(chat_data: dict[Any, Any], service: AnswerService) -> Conversations:
    memory = chat_data.get("conversations")
    if memory is None:
        memory = chat_data["conversations"] = Conversations(service.settings.conversation_minutes)
    return memory


def _anchors(chat_data: dict[Any, Any]) -> Anchors:
    return chat_data.setdefault("anchors", OrderedDict())


def _sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Expired turns and anchors leave every chat, not only the chats that write again. Runs on
    the event loop between awaits, so no handler changes chat_data meanwhile."""
    now = time.monotonic()
    bot_data = context.application.bot_data
    if now < bot_data.get("conversations_swept", 0.0) + SWEEP_SECONDS:
        return
    bot_data["conversations_swept"] = now
    for chat_data in context.application.chat_data.values():
        memory = chat_data.get("conversations")
        if memory is not None:
            memory.sweep()
        anchors: Anchors = chat_data.get("anchors", OrderedDict())
        for message_id in [m for m, (_, expires) in anchors.items() if expires <= now]:
            del anchors[message_id]
