"""The bot's fixed replies to commands and events, in Indonesian and English, as Telegram HTML."""

import html

from bot.answer import Answer
from bot.question import Language
from bot.service import AnswerService
from bot.stats import Stats
from index.build import BuildReport
from index.models import ArticleInfo

ID, EN = Language.id, Language.en


def _pick(language: Language, indonesian: str, english: str) -> str:
    return english if language == EN else indonesian


def help_html(language: Language, examples: list[str]) -> str:
    intro = _pick(
        language,
        "<b>Runding</b> menjawab pertanyaan tentang perundingan damai dari artikel berita yang "
        "sudah dibacanya, dengan mengutip kalimat aslinya dan menyebut sumbernya. Kalau artikel "
        "tidak memuat jawabannya, Runding mengatakannya.\n\nTulis pertanyaan dalam bahasa Indonesia "
        "atau Inggris. Di grup, sebut @nama bot atau balas pesannya. Di chat mana pun: "
        "<code>@nama_bot pertanyaan</code>.",
        "<b>Runding</b> answers questions about peace negotiations from the news articles it has "
        "read, quoting the original sentence and naming its source. When the articles do not say, "
        "it tells you so.\n\nAsk in Indonesian or English. In groups, mention the bot or reply to it. "
        "In any chat: <code>@bot_name question</code>.",
    )
    commands = _pick(
        language,
        "/sources — artikel yang sudah dibaca\n/help — bantuan ini",
        "/sources — the articles it has read\n/help — this help",
    )
    lines = [intro, "", commands]
    if examples:
        lines += ["", _pick(language, "Contoh:", "Examples:")] + [f"• {html.escape(e)}" for e in examples]
    return "\n".join(lines)


def sources_html(language: Language, catalog: list[ArticleInfo]) -> str:
    if not catalog:
        return _pick(language, "Belum ada artikel yang diindeks.", "No articles are indexed yet.")
    head = _pick(language, "<b>Artikel yang sudah dibaca:</b>", "<b>Articles read:</b>")
    unit = _pick(language, "kalimat", "sentences")
    rows = []
    for number, info in enumerate(catalog, start=1):
        title = html.escape(info.title, quote=False)
        if info.url:
            title = f'<a href="{html.escape(info.url)}">{title}</a>'
        date = f", {html.escape(info.date)}" if info.date else ""
        rows.append(f"{number}. {title}{date} — {info.sentence_count} {unit}")
    return "\n".join([head, *rows])


def stats_html(stats: Stats, service: AnswerService) -> str:
    answerer = service.answerer
    manifest = answerer.retriever.stored.manifest if answerer else None
    index_line = (
        f"index {html.escape(answerer.retriever.stored.name)}: {manifest.sentence_count} sentences, "
        f"{len(manifest.articles)} articles, model {html.escape(manifest.model_name)}"
        if answerer and manifest else "index: none loaded"
    )
    return "\n".join([
        "<b>Stats</b>",
        index_line,
        f"questions: {stats.questions} (answered {stats.answered}, not found {stats.not_found})",
        f"uptime: {stats.uptime_seconds / 60:.0f} min",
        f"rebuild running: {'yes' if service.building else 'no'}",
    ])


def build_done_html(language: Language, report: BuildReport) -> str:
    changes = [
        *(f"+ {html.escape(a)}" for a in report.added),
        *(f"~ {html.escape(a)}" for a in report.changed),
        *(f"− {html.escape(a)}" for a in report.removed),
        *(f"! {html.escape(p.path)}: {html.escape(p.reason)}" for p in report.problems),
    ]
    summary = _pick(
        language,
        f"Indeks dibangun ulang: {report.articles} artikel, {report.sentences} kalimat "
        f"({report.embedded} baru), {report.seconds:.1f} detik.",
        f"Index rebuilt: {report.articles} articles, {report.sentences} sentences "
        f"({report.embedded} new), {report.seconds:.1f} s.",
    )
    if not changes:
        changes = [_pick(language, "Tidak ada artikel yang berubah.", "No article changed.")]
    return "\n".join([f"<b>{summary}</b>", *changes])


def build_failed_html(language: Language, reason: str) -> str:
    head = _pick(language, "Pembangunan indeks gagal; indeks lama tetap dipakai.",
                 "The rebuild failed; the previous index keeps serving.")
    return f"<b>{head}</b>\n{html.escape(reason, quote=False)}"


def build_started(language: Language) -> str:
    return _pick(language, "Membangun ulang indeks… Pertanyaan tetap dijawab selama proses ini.",
                 "Rebuilding the index… Questions are still answered meanwhile.")


def build_busy(language: Language) -> str:
    return _pick(language, "Indeks sedang dibangun ulang; tunggu sampai selesai.",
                 "A rebuild is already running; please wait until it finishes.")


def admin_only(language: Language) -> str:
    return _pick(language, "Maaf, perintah ini hanya untuk admin.", "Sorry, this command is for admins only.")


def text_only(language: Language) -> str:
    return _pick(language, "Saya hanya bisa membaca pertanyaan berupa teks. Silakan ketik pertanyaan Anda.",
                 "I can only read text questions. Please type your question.")


def something_went_wrong(language: Language) -> str:
    return _pick(language, "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
                 "Sorry, something went wrong. Please try again in a moment.")


def context_gone(language: Language) -> str:
    return _pick(language, "Konteks ini sudah tidak tersedia (artikelnya berubah).",
                 "This context is no longer available (the article has changed).")


def inline_title(answer: Answer) -> str:
    return _pick(answer.reply_language, "Tidak ditemukan di artikel", "Not found in the articles")


def upload_refused(language: Language) -> str:
    return _pick(language, "Hanya admin yang dapat menambahkan artikel.", "Only admins can add articles.")


def upload_saved(language: Language, name: str) -> str:
    return _pick(language, f"Artikel disimpan sebagai {name}. Membangun ulang indeks…",
                 f"Article saved as {name}. Rebuilding the index…")


def upload_rejected_html(language: Language, reason: str) -> str:
    head = _pick(language, "Artikel tidak dapat ditambahkan:", "The article cannot be added:")
    return f"<b>{head}</b> {html.escape(reason, quote=False)}"
