"""/follow, /follow <subject>, /unfollow [subject] and /following: a chat's alert subscriptions
(kept in the alert store, bot/alerts/store.py; the alerts themselves: bot/telegram/alerts.py)."""

import html
from dataclasses import dataclass

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.alerts.store import ALL_REPORTS, AlertStore
from bot.alerts.subjects import SubjectMatcher, normalize_subject
from bot.answers.question import Language
from bot.telegram.alerts import store_of
from bot.telegram.handlers import user_language
from bot.telegram.texts import say

MAX_SUBJECTS = 20  # per chat: enough to follow a negotiation closely, not a way to fill the store


def add_handlers(application: Application) -> None:
    application.add_handler(CommandHandler("follow", on_follow))
    application.add_handler(CommandHandler("unfollow", on_unfollow))
    application.add_handler(CommandHandler("following", on_following))


def subject_of(context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The subject after the command; ALL_REPORTS when there is none; None when it is unusable."""
    args = context.args or []
    if not args:
        return ALL_REPORTS
    subject = normalize_subject(" ".join(args))
    return subject if subject is not None and SubjectMatcher.words(subject) else None


@dataclass(frozen=True)
class SubjectCommand:
    """A /follow or /unfollow in a chat: where to reply, in which language, and its subject."""

    message: Message
    chat_id: int
    language: Language
    subject: str
    store: AlertStore


async def subject_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> SubjectCommand | None:
    """The command with a usable subject; None when there is nothing to do (no message or chat) or
    when the subject is unusable, which the reply has then said."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    language = user_language(update)
    subject = subject_of(context)
    if subject is None:
        await message.reply_text(say("follow_bad_subject", language))
        return None
    return SubjectCommand(message, chat.id, language, subject, store_of(context.application))


async def on_follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = await subject_command(update, context)
    if command is None:
        return
    message, language, subject = command.message, command.language, command.subject
    current = command.store.subscriptions(command.chat_id)
    if (
        subject != ALL_REPORTS
        and subject not in {s.subject for s in current}
        and len(current) >= MAX_SUBJECTS
    ):
        await message.reply_text(say("follow_too_many", language, n=MAX_SUBJECTS))
        return
    command.store.subscribe(command.chat_id, subject, language.value)
    if subject == ALL_REPORTS:
        await message.reply_text(say("follow_all", language))
    else:
        await message.reply_html(
            say("follow_subject_html", language, subject=html.escape(subject, quote=False))
        )


async def on_unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = await subject_command(update, context)
    if command is None:
        return
    message, language, subject = command.message, command.language, command.subject
    if subject == ALL_REPORTS:
        removed = command.store.unsubscribe(command.chat_id)
        await message.reply_text(say("unfollowed_all" if removed else "not_following", language))
    else:
        escaped = html.escape(subject, quote=False)
        unfollowed = command.store.unsubscribe(command.chat_id, subject)
        key = "unfollowed_subject_html" if unfollowed else "not_following_subject_html"
        await message.reply_html(say(key, language, subject=escaped))


async def on_following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    language = user_language(update)
    subscriptions = store_of(context.application).subscriptions(chat.id)
    if not subscriptions:
        await message.reply_text(say("not_following", language))
        return
    rows = [f"• {s.subject or say('following_all', language)}" for s in subscriptions]
    await message.reply_text("\n".join([say("following_head", language), *rows]))
