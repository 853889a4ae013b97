"""One answer, two renderings: Telegram HTML and plain text for the terminal.

The templates build lines of styled segments once; each renderer only decides how a style
looks, so the two outputs cannot drift apart.
"""

import html
from enum import Enum

from bot.answers.answer import Answer, AnswerKind, Quote
from bot.answers.question import Language
from bot.answers.recency import display_date, short_date
from bot.answers.texts import ASKED_LEAD, FACT_LEAD, MISSING_DETAIL, SMALL_TALK, phrase
from bot.answers.timeline import TimelineEntry

TELEGRAM_LIMIT = 4096


class Style(Enum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"


Segment = tuple[str, Style] | tuple[str, Style, str]  # text, style[, link]
Line = list[Segment]


def render_html(answer: Answer) -> str:
    return "\n".join("".join(_html_segment(s) for s in line) for line in answer_lines(answer))


def render_plain(answer: Answer) -> str:
    return "\n".join("".join(_plain_segment(s) for s in line) for line in answer_lines(answer))


def answer_lines(answer: Answer) -> list[Line]:
    """The template for each kind of answer."""
    lang = answer.reply_language
    lines: list[Line] = []
    if answer.question_cut:
        lines += [[(phrase("question_cut", lang, limit=len(answer.question)), Style.ITALIC)], []]
    if answer.language == Language.other and answer.kind != AnswerKind.EMPTY:
        name = answer.other_language or "another language"
        lines += [[(phrase("other_language", lang, name=name), Style.ITALIC)], []]
    if answer.read_as:  # a completed follow-up shows its reading, so a wrong one can be corrected
        lines += [[(phrase("read_as", lang, question=answer.read_as), Style.ITALIC)], []]
    if answer.kind == AnswerKind.ANSWER:
        lines += _found_lines(answer, lang)
    elif answer.kind == AnswerKind.TIMELINE:
        lines += timeline_lines(answer.timeline, lang, answer.question)
    elif answer.kind == AnswerKind.PARTIAL and answer.quotes:
        lines += _partial_lines(answer, lang)
    elif answer.kind == AnswerKind.SMALL_TALK and answer.small_talk:
        lines += [[(SMALL_TALK[answer.small_talk][lang], Style.PLAIN)], *_suggestion_lines(answer, lang)]
    elif answer.kind == AnswerKind.NOT_FOUND:
        lines += [[(not_found_text(answer), Style.PLAIN)], *_suggestion_lines(answer, lang)]
    elif answer.kind == AnswerKind.EMPTY:
        lines += [[(phrase("empty", lang), Style.PLAIN)], *_suggestion_lines(answer, lang)]
    else:
        lines += [[(phrase("unavailable", lang), Style.PLAIN)]]
    return lines


def not_found_text(answer: Answer) -> str:
    """Says what is missing when it is known ("no hour is given"), else that nothing answers."""
    lang = answer.reply_language
    if answer.missing_detail is not None:
        return MISSING_DETAIL[answer.missing_detail][lang]
    return phrase("not_found", lang)


def _found_lines(answer: Answer, lang: Language) -> list[Line]:
    lead = FACT_LEAD.get(answer.question_type)
    if answer.fact and lead:
        head: Line = [(f"{lead[lang]}: ", Style.PLAIN), (answer.fact, Style.BOLD)]
    else:
        head = [(phrase("according", lang), Style.PLAIN)]
    if answer.as_of:  # a latest/next question: the fact is the newest report's, and says so
        head.append(
            (" " + phrase("as_of", lang, date=display_date(answer.as_of, lang.value) or ""), Style.PLAIN)
        )
    lines: list[Line] = [head, []]
    for quote in answer.quotes:
        if quote.earlier:
            earlier = display_date(quote.date, lang.value) or ""
            lines.append([(phrase("earlier", lang, date=earlier), Style.ITALIC)])
        lines += [_quote_line(quote), _source_line(quote, lang), []]
    return lines[:-1]


def timeline_lines(entries: list[TimelineEntry], lang: Language, question: str) -> list[Line]:
    """One line per article, oldest first: date · title (linked) — fact in bold; or that none
    answers the question (named, so a /timeline subject that matched nothing can be reworded)."""
    if not entries:
        return [[(phrase("timeline_none", lang, question=question), Style.PLAIN)]]
    lines: list[Line] = [[(phrase("timeline_head", lang, n=len(entries)), Style.PLAIN)], []]
    for entry in entries:
        when = short_date(entry.date, lang.value) or phrase("undated", lang)
        title: Segment = (entry.title, Style.PLAIN, entry.url) if entry.url else (entry.title, Style.PLAIN)
        lines.append([(f"{when} · ", Style.PLAIN), title, (" — ", Style.PLAIN), (entry.fact, Style.BOLD)])
    return lines


def _partial_lines(answer: Answer, lang: Language) -> list[Line]:
    """What the articles do not say, then what they do, with the quote; nothing in bold."""
    if lang == Language.en and answer.question.strip():
        head = phrase("partial_question", lang, question=answer.question.strip().rstrip("?") + "?")
    elif answer.missing:
        lead = ASKED_LEAD.get(answer.question_type, {}).get(lang, "")
        head = phrase("partial", lang, asked=f"{lead}{answer.missing}")
    else:
        head = phrase("partial_unnamed", lang)
    said = (
        phrase("mentioned", lang, fact=answer.mentioned)
        if answer.mentioned
        else phrase("mentioned_quote", lang)
    )
    lines: list[Line] = [[(f"{head} {said}", Style.PLAIN)], []]
    for quote in answer.quotes:
        lines += [_quote_line(quote.model_copy(update={"highlight": None})), _source_line(quote, lang), []]
    return lines[:-1]


def _quote_line(quote: Quote) -> Line:
    if quote.highlight is None:
        return [(f"“{quote.text}”", Style.PLAIN)]
    start, end = quote.highlight
    return [
        ("“" + quote.text[:start], Style.PLAIN),
        (quote.text[start:end], Style.BOLD),
        (quote.text[end:] + "”", Style.PLAIN),
    ]


def _source_line(quote: Quote, lang: Language) -> Line:
    """— Title (linked when the URL is known), paragraph N · Outlet, 19 November 2027"""
    where = f", {phrase('paragraph', lang)} {quote.paragraph}"
    published = ", ".join(p for p in (quote.outlet, display_date(quote.date, lang.value)) if p)
    after = where + (f" · {published}" if published else "")
    if quote.url:
        return [("— ", Style.ITALIC), (quote.title, Style.ITALIC, quote.url), (after, Style.ITALIC)]
    return [(f"— {quote.title}{after}", Style.ITALIC)]


def _suggestion_lines(answer: Answer, lang: Language) -> list[Line]:
    if not answer.suggestions:
        return []
    items: list[Line] = [[(f"• {s}", Style.PLAIN)] for s in answer.suggestions]
    return [[], [(phrase("try_asking", lang), Style.PLAIN)], *items]


def _html_segment(segment: Segment) -> str:
    text = html.escape(segment[0], quote=False)
    if len(segment) == 3:
        text = f'<a href="{html.escape(segment[2])}">{text}</a>'
    if segment[1] == Style.BOLD:
        return f"<b>{text}</b>"
    if segment[1] == Style.ITALIC:
        return f"<i>{text}</i>"
    return text


def _plain_segment(segment: Segment) -> str:
    return f"*{segment[0]}*" if segment[1] == Style.BOLD else segment[0]
