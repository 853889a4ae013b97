"""`/sources`: the articles newest first with outlet, date and link, a page at a time with buttons.
`/remove N` (admins): the N-th article of that list, after a confirm button, then a reindex."""

import html
import math

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.answers.question import Language
from bot.answers.recency import display_date
from bot.telegram.format import article_for_key
from bot.telegram.handlers import (
    article_hashes,
    is_admin,
    refuse,
    service_of,
    user_language,
)
from bot.telegram.library import catalog_of, newest_first, remove_and_index
from bot.telegram.texts import say
from index.models import ArticleInfo

PAGE_SIZE = 8
SOURCES_PREFIX = "src"
REMOVE_PREFIX = "rm"
CANCEL = "-"
_KEY_CHARS = 12  # an article's sha256 prefix, as the context button uses
_TITLE_CHARS = 100
_LINK_CHARS = 400  # a longer link is left out, so a page stays far below 4096 characters


def add_handlers(application: Application, group: int) -> None:
    application.add_handler(CommandHandler("sources", on_sources), group=group)
    application.add_handler(CommandHandler("remove", on_remove), group=group)
    application.add_handler(
        CallbackQueryHandler(on_sources_page, pattern=rf"^{SOURCES_PREFIX}:"), group=group
    )
    application.add_handler(
        CallbackQueryHandler(on_remove_button, pattern=rf"^{REMOVE_PREFIX}:"), group=group
    )


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        text, markup = sources_page(catalog_of(service_of(context)), 0, user_language(update))
        await message.reply_html(text, reply_markup=markup, disable_web_page_preview=True)
    raise ApplicationHandlerStop


def button_data(data: str | None) -> tuple[str, Language]:
    """A button's "prefix:value:language" callback data: its value and the language it was shown in."""
    _, value, code = ((data or "") + "::").split(":")[:3]
    return value, Language.en if code == Language.en.value else Language.id


async def on_sources_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    page, language = button_data(query.data)  # the list's language, not the presser's
    text, markup = sources_page(catalog_of(service_of(context)), int(page) if page.isdigit() else 0, language)
    await query.answer()
    await edit(query.message, text, markup)
    raise ApplicationHandlerStop


def sources_page(
    catalog: list[ArticleInfo], page: int, language: Language
) -> tuple[str, InlineKeyboardMarkup | None]:
    ordered = newest_first(catalog)
    if not ordered:
        return html.escape(say("no_sources", language)), None
    pages = math.ceil(len(ordered) / PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    first = page * PAGE_SIZE
    shown = ordered[first : first + PAGE_SIZE]
    head = say("sources_head_html", language, first=first + 1, last=first + len(shown), total=len(ordered))
    rows = [source_row(number, info, language) for number, info in enumerate(shown, start=first + 1)]
    buttons = []
    if page > 0:
        buttons.append(
            InlineKeyboardButton(
                say("previous", language), callback_data=f"{SOURCES_PREFIX}:{page - 1}:{language.value}"
            )
        )
    if page < pages - 1:
        buttons.append(
            InlineKeyboardButton(
                say("next", language), callback_data=f"{SOURCES_PREFIX}:{page + 1}:{language.value}"
            )
        )
    return "\n".join([head, *rows]), InlineKeyboardMarkup([buttons]) if buttons else None


def source_row(number: int, info: ArticleInfo, language: Language) -> str:
    """1. Title (linked) — Outlet, 19 November 2027 · 12 kalimat"""
    title = info.title if len(info.title) <= _TITLE_CHARS else info.title[: _TITLE_CHARS - 1] + "…"
    shown = html.escape(title, quote=False)
    if info.url and len(info.url) <= _LINK_CHARS:
        shown = f'<a href="{html.escape(info.url)}">{shown}</a>'
    when = display_date(info.date, language.value) or say("undated", language)
    details = ", ".join(p for p in (info.outlet, when) if p)
    count = say("sentences", language, n=info.sentence_count)
    return f"{number}. {shown} — {html.escape(details, quote=False)} · {count}"


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        raise ApplicationHandlerStop
    language = user_language(update)
    if not is_admin(update, context):
        await refuse(update)
    elif len(args := context.args or []) != 1 or not args[0].isdigit():
        await message.reply_text(say("remove_usage", language))
    else:
        await confirm_removal(message, int(args[0]), language, context)
    raise ApplicationHandlerStop


async def confirm_removal(
    message: Message, number: int, language: Language, context: ContextTypes.DEFAULT_TYPE
) -> None:
    ordered = newest_first(catalog_of(service_of(context)))
    if not 1 <= number <= len(ordered):
        await message.reply_text(say("remove_no_such", language, n=number))
        return
    info = ordered[number - 1]
    key = article_hashes(context).get(info.id, "")[:_KEY_CHARS]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    say("remove_yes", language), callback_data=f"{REMOVE_PREFIX}:{key}:{language.value}"
                ),
                InlineKeyboardButton(
                    say("remove_no", language), callback_data=f"{REMOVE_PREFIX}:{CANCEL}:{language.value}"
                ),
            ]
        ]
    )
    title = html.escape(info.title, quote=False)
    await message.reply_html(
        say("remove_confirm_html", language, n=number, title=title), reply_markup=keyboard
    )


async def on_remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    key, language = button_data(query.data)  # the question's language, not the presser's
    if not is_admin(update, context):
        await query.answer(say("admin_only", language), show_alert=True)
        raise ApplicationHandlerStop
    await query.answer()
    article = article_for_key(key, article_hashes(context)) if key != CANCEL else None
    if article is None:
        await edit(
            query.message, html.escape(say("remove_cancelled" if key == CANCEL else "remove_gone", language))
        )
        raise ApplicationHandlerStop
    title = next((i.title for i in catalog_of(service_of(context)) if i.id == article), article)
    problem = await remove_and_index(service_of(context), article)
    text = say("removed_html", language, title=html.escape(title, quote=False))
    if problem:
        text += "\n" + html.escape(say("removed_not_indexed", language, reason=problem), quote=False)
    await edit(query.message, text)
    raise ApplicationHandlerStop


async def edit(message: object, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the bot's message in place (a message too old to edit is left as it is)."""
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
