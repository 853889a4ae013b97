"""The bot's replies to commands and events assembled as Telegram HTML.

Their words are in bot/telegram/texts.py."""

import html

from bot.alerts.store import Counts
from bot.answers.question import Language
from bot.answers.service import AnswerService
from bot.telegram.stats import Stats
from bot.telegram.texts import say
from index.build import BuildReport


def help_html(language: Language, examples: list[str]) -> str:
    lines = [say("help_intro_html", language), "", say("help_commands", language)]
    if examples:
        lines += ["", say("examples", language)] + [f"• {html.escape(e)}" for e in examples]
    return "\n".join(lines)


def stats_html(stats: Stats, service: AnswerService, alerts: Counts) -> str:
    answerer = service.answerer
    manifest = answerer.retriever.stored.manifest if answerer else None
    index_line = (
        f"index {html.escape(answerer.retriever.stored.name)}: {manifest.sentence_count} sentences, "
        f"{len(manifest.articles)} articles, model {html.escape(manifest.model_name)}"
        if answerer and manifest
        else "index: none loaded"
    )
    return "\n".join(
        [
            "<b>Stats</b>",
            index_line,
            f"questions: {stats.questions} (answered {stats.answered}, not found {stats.not_found})",
            (
                f"replies delivered after a retry: {stats.delivered_after_retry}, "
                f"given up: {stats.given_up}, unconfirmed: {stats.unconfirmed}"
            ),
            (
                f"alert subscribers: {alerts.chats} chats ({alerts.subscriptions} subscriptions); "
                f"alerts sent: {alerts.sent}, waiting: {alerts.pending}"
            ),
            f"uptime: {stats.uptime_seconds / 60:.0f} min",
            f"rebuild running: {'yes' if service.building else 'no'}",
        ]
    )


def one_by_one(language: Language) -> str:
    return say("one_by_one", language)


def unknown_command_html(language: Language, command: str, commands: list[tuple[str, str]]) -> str:
    head = say("unknown_command", language, command=html.escape(command[:40], quote=False))
    rows = [f"/{name} — {html.escape(description, quote=False)}" for name, description in commands]
    return "\n".join([head, *rows, say("or_ask", language)])


def build_done_html(language: Language, report: BuildReport) -> str:
    changes = [
        *(f"+ {html.escape(a)}" for a in report.added),
        *(f"~ {html.escape(a)}" for a in report.changed),
        *(f"− {html.escape(a)}" for a in report.removed),
        *(f"! {html.escape(p.path)}: {html.escape(p.reason)}" for p in report.problems),
    ]
    summary = say(
        "rebuilt",
        language,
        articles=report.articles,
        sentences=report.sentences,
        embedded=report.embedded,
        seconds=report.seconds,
    )
    return "\n".join([f"<b>{summary}</b>", *(changes or [say("no_article_changed", language)])])


def build_failed_html(language: Language, reason: str) -> str:
    return f"<b>{say('rebuild_failed', language)}</b>\n{html.escape(reason, quote=False)}"


def upload_rejected_html(language: Language, reason: str) -> str:
    return f"<b>{say('upload_rejected', language)}</b> {html.escape(reason, quote=False)}"
