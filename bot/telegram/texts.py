"""Every fixed reply of the Telegram layer (commands, articles and feeds, delivery), in Indonesian
and English; the answers' own phrases are in bot/answers/texts.py.

Keys ending in "_html" hold Telegram HTML; values put into them are escaped by the caller.
"""

from bot.answers.question import Language
from bot.answers.texts import localized
from index.fetch import FetchFailure

ID, EN = Language.id, Language.en

PHRASES: dict[str, dict[Language, str]] = {
    "help_intro_html": {
        ID: "<b>Runding</b> menjawab pertanyaan tentang perundingan damai dari artikel berita yang "
        "sudah dibacanya, dengan mengutip kalimat aslinya dan menyebut sumbernya. Kalau artikel "
        "tidak memuat jawabannya, Runding mengatakannya.\n\nTulis pertanyaan dalam bahasa Indonesia "
        "atau Inggris. Di grup, sebut @nama bot atau balas pesannya. Di chat mana pun: "
        "<code>@nama_bot pertanyaan</code>.",
        EN: "<b>Runding</b> answers questions about peace negotiations from the news articles it has "
        "read, quoting the original sentence and naming its source. When the articles do not say, "
        "it tells you so.\n\nAsk in Indonesian or English. In groups, mention the bot or reply to it. "
        "In any chat: <code>@bot_name question</code>.",
    },
    "help_commands": {
        ID: "/sources — artikel yang sudah dibaca\n/timeline &lt;pokok bahasan&gt; — satu fakta dari setiap "
        "laporan, dari yang terlama\n/follow — kabar setiap laporan baru "
        "(/follow topik: hanya tentang topik itu)\n/help — bantuan ini",
        EN: "/sources — the articles it has read\n/timeline &lt;subject&gt; — one fact from every report, "
        "oldest first\n/follow — a message for every new report "
        "(/follow subject: only about that subject)\n/help — this help",
    },
    "examples": {ID: "Contoh:", EN: "Examples:"},
    "timeline_usage": {
        ID: "Kirim /timeline diikuti pokok bahasan atau pertanyaan, misalnya: /timeline tawanan",
        EN: "Send /timeline followed by a subject or a question, e.g. /timeline prisoners",
    },
    "rebuilt": {
        ID: (
            "Indeks dibangun ulang: {articles} artikel, {sentences} kalimat ({embedded} baru), "
            "{seconds:.1f} detik."
        ),
        EN: "Index rebuilt: {articles} articles, {sentences} sentences ({embedded} new), {seconds:.1f} s.",
    },
    "no_article_changed": {ID: "Tidak ada artikel yang berubah.", EN: "No article changed."},
    "rebuild_failed": {
        ID: "Pembangunan indeks gagal; indeks lama tetap dipakai.",
        EN: "The rebuild failed; the previous index keeps serving.",
    },
    "rebuild_started": {
        ID: "Membangun ulang indeks… Pertanyaan tetap dijawab selama proses ini.",
        EN: "Rebuilding the index… Questions are still answered meanwhile.",
    },
    "rebuild_busy": {
        ID: "Indeks sedang dibangun ulang; tunggu sampai selesai.",
        EN: "A rebuild is already running; please wait until it finishes.",
    },
    "admin_only": {
        ID: "Maaf, perintah ini hanya untuk admin.",
        EN: "Sorry, this command is for admins only.",
    },
    "text_only": {
        ID: "Saya hanya bisa membaca pertanyaan berupa teks. Silakan ketik pertanyaan Anda.",
        EN: "I can only read text questions. Please type your question.",
    },
    "something_went_wrong": {
        ID: "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
        EN: "Sorry, something went wrong. Please try again in a moment.",
    },
    "context_gone": {
        ID: "Konteks ini sudah tidak tersedia (artikelnya berubah).",
        EN: "This context is no longer available (the article has changed).",
    },
    "inline_not_found": {ID: "Tidak ditemukan di artikel", EN: "Not found in the articles"},
    "upload_refused": {
        ID: "Hanya admin yang dapat menambahkan artikel.",
        EN: "Only admins can add articles.",
    },
    "upload_saved": {
        ID: "Artikel disimpan sebagai {name}. Membangun ulang indeks…",
        EN: "Article saved as {name}. Rebuilding the index…",
    },
    "upload_rejected": {ID: "Artikel tidak dapat ditambahkan:", EN: "The article cannot be added:"},
    "add_usage": {
        ID: "Kirim /add diikuti tautan artikel, misalnya: /add https://contoh.id/berita",
        EN: "Send /add followed by an article's link, e.g. /add https://example.com/news",
    },
    "fetching": {ID: "Mengambil artikel…", EN: "Fetching the article…"},
    "added_html": {ID: "<b>Artikel ditambahkan</b>", EN: "<b>Article added</b>"},
    "sentences": {ID: "{n} kalimat", EN: "{n} sentences"},
    "saved_not_indexed": {
        ID: "Artikel disimpan, tetapi indeks belum dibangun ulang ({reason}). Coba /reindex sebentar lagi.",
        EN: "The article is saved but the index was not rebuilt ({reason}). Try /reindex in a moment.",
    },
    "not_added_html": {ID: "<b>Artikel tidak ditambahkan.</b>", EN: "<b>The article was not added.</b>"},
    "duplicate": {
        ID: "Berita ini sudah ada: {title} ({why}).",
        EN: "This story is already stored: {title} ({why}).",
    },
    "no_text": {ID: "Halaman ini tidak memuat teks artikel.", EN: "No article text was found on this page."},
    "forward_not_channel": {
        ID: "Hanya pos yang diteruskan dari kanal yang bisa ditambahkan sebagai artikel.",
        EN: "Only posts forwarded from a channel can be added as articles.",
    },
    "forward_empty": {ID: "Pos ini tidak berisi teks.", EN: "This post has no text."},
    "remove_usage": {
        ID: "Kirim /remove diikuti nomor artikel dari /sources, misalnya: /remove 2",
        EN: "Send /remove followed by the article's number in /sources, e.g. /remove 2",
    },
    "remove_no_such": {
        ID: "Tidak ada artikel nomor {n}. Lihat /sources.",
        EN: "There is no article {n}. See /sources.",
    },
    "remove_confirm_html": {
        ID: "Hapus artikel {n}: <b>{title}</b>?",
        EN: "Remove article {n}: <b>{title}</b>?",
    },
    "remove_yes": {ID: "Ya, hapus", EN: "Yes, remove"},
    "remove_no": {ID: "Batal", EN: "Cancel"},
    "removed_html": {ID: "<b>Artikel dihapus:</b> {title}", EN: "<b>Article removed:</b> {title}"},
    "removed_not_indexed": {
        ID: "Berkasnya dihapus, tetapi indeks belum dibangun ulang ({reason}). Coba /reindex sebentar lagi.",
        EN: "The files are removed but the index was not rebuilt ({reason}). Try /reindex in a moment.",
    },
    "remove_cancelled": {ID: "Tidak ada yang dihapus.", EN: "Nothing was removed."},
    "remove_gone": {ID: "Artikel itu sudah tidak ada.", EN: "That article is no longer there."},
    "sources_head_html": {
        ID: "<b>Artikel, terbaru dulu</b> ({first}–{last} dari {total}):",
        EN: "<b>Articles, newest first</b> ({first}–{last} of {total}):",
    },
    "no_sources": {ID: "Belum ada artikel yang diindeks.", EN: "No articles are indexed yet."},
    "undated": {ID: "tanpa tanggal", EN: "undated"},
    "previous": {ID: "‹ Sebelumnya", EN: "‹ Previous"},
    "next": {ID: "Berikutnya ›", EN: "Next ›"},
    "feeds_usage": {
        ID: (
            "/feeds — daftar feed\n/feeds add URL — tambah feed RSS/Atom\n"
            "/feeds remove N — hapus feed nomor N"
        ),
        EN: "/feeds — the feeds\n/feeds add URL — add an RSS/Atom feed\n/feeds remove N — remove feed N",
    },
    "feeds_none": {ID: "Belum ada feed.", EN: "No feeds yet."},
    "feeds_head_html": {
        ID: "<b>Feed</b> (diperiksa tiap {minutes} menit):",
        EN: "<b>Feeds</b> (checked every {minutes} min):",
    },
    "feed_added_html": {
        ID: "<b>Feed ditambahkan:</b> {title} ({entries} entri sekarang; entri baru diperiksa "
        "tiap {minutes} menit)",
        EN: "<b>Feed added:</b> {title} ({entries} entries now; new entries are checked every {minutes} min)",
    },
    "feed_exists": {ID: "Feed ini sudah ada.", EN: "This feed is already there."},
    "feed_bad": {ID: "Feed tidak dapat dibaca: {reason}", EN: "The feed cannot be read: {reason}"},
    "feed_removed_html": {ID: "<b>Feed dihapus:</b> {title}", EN: "<b>Feed removed:</b> {title}"},
    "feed_no_such": {ID: "Tidak ada feed nomor {n}.", EN: "There is no feed {n}."},
    "feed_report_html": {ID: "<b>Dari feed {feed}:</b>", EN: "<b>From the feed {feed}:</b>"},
    "follow_all": {
        ID: "Anda akan mendapat pesan setiap kali laporan baru masuk. /unfollow untuk berhenti.",
        EN: "You will get a message whenever a new report comes in. /unfollow to stop.",
    },
    "follow_subject_html": {
        ID: "Anda akan mendapat pesan setiap kali laporan baru tentang <b>{subject}</b> masuk. "
        "/following menampilkan langganan Anda.",
        EN: "You will get a message whenever a new report about <b>{subject}</b> comes in. "
        "/following shows what you follow.",
    },
    "follow_bad_subject": {
        ID: "Topiknya harus berupa kata, paling banyak 60 huruf, misalnya: /follow tawanan",
        EN: "The subject must be words, at most 60 characters, e.g. /follow prisoners",
    },
    "follow_too_many": {
        ID: "Anda sudah mengikuti {n} topik, batasnya. Hapus satu dengan /unfollow topik.",
        EN: "You already follow {n} subjects, the limit. Remove one with /unfollow subject.",
    },
    "unfollowed_all": {
        ID: "Langganan dihentikan: tidak ada pesan laporan baru lagi.",
        EN: "Unsubscribed: no more messages about new reports.",
    },
    "unfollowed_subject_html": {
        ID: "Anda tidak lagi mengikuti <b>{subject}</b>.",
        EN: "You no longer follow <b>{subject}</b>.",
    },
    "not_following": {
        ID: "Anda belum mengikuti apa pun. /follow untuk mulai.",
        EN: "You do not follow anything. /follow to start.",
    },
    "not_following_subject_html": {
        ID: "Anda tidak mengikuti <b>{subject}</b>. /following menampilkan langganan Anda.",
        EN: "You do not follow <b>{subject}</b>. /following shows what you follow.",
    },
    "following_head": {ID: "Anda mengikuti:", EN: "You follow:"},
    "following_all": {ID: "semua laporan baru", EN: "every new report"},
    "alert_head_html": {ID: "🔔 <b>Laporan baru</b>", EN: "🔔 <b>New report</b>"},
    "alert_about_html": {ID: "Tentang: {subjects}", EN: "About: {subjects}"},
    "alert_facts": {ID: "Fakta utama:", EN: "Key facts:"},
    "one_by_one": {
        Language.id: (
            "Pertanyaan Anda banyak sekali sekaligus: saya jawab satu per satu, sesuai urutannya. "
            "Mohon tunggu."
        ),
        Language.en: (
            "That is a lot of questions at once: I will answer them one by one, in order. Please wait."
        ),
    },
    "unknown_command": {
        Language.id: "Perintah {command} tidak saya kenal. Perintah yang ada:",
        Language.en: "I do not know the command {command}. The commands are:",
    },
    "or_ask": {
        Language.id: "Atau tulis saja pertanyaan Anda.",
        Language.en: "Or just write your question.",
    },
}

FETCH_FAILURES: dict[FetchFailure, dict[Language, str]] = {
    FetchFailure.BAD_URL: {
        ID: "Tautan tidak bisa dipakai: {detail}.",
        EN: "The link cannot be used: {detail}.",
    },
    FetchFailure.FORBIDDEN_ADDRESS: {
        ID: "Alamat ini ada di jaringan lokal atau pribadi dan tidak boleh diambil ({detail}).",
        EN: "This address is on a local or private network and may not be fetched ({detail}).",
    },
    FetchFailure.TIMEOUT: {
        ID: "Halaman tidak selesai dimuat dalam batas waktu ({detail}).",
        EN: "The page did not load within the time limit ({detail}).",
    },
    FetchFailure.HTTP_STATUS: {
        ID: "Situs menjawab dengan galat: {detail}.",
        EN: "The site answered with an error: {detail}.",
    },
    FetchFailure.NOT_HTML: {
        ID: "Tautan ini bukan halaman web: {detail}.",
        EN: "This link is not a web page: {detail}.",
    },
    FetchFailure.TOO_LARGE: {ID: "Halaman terlalu besar: {detail}.", EN: "The page is too large: {detail}."},
    FetchFailure.REDIRECT_LOOP: {
        ID: "Tautan ini berputar dalam pengalihan tanpa akhir (redirect loop).",
        EN: "The link redirects in a loop.",
    },
    FetchFailure.TOO_MANY_REDIRECTS: {
        ID: "Terlalu banyak pengalihan ({detail}).",
        EN: "Too many redirects ({detail}).",
    },
    FetchFailure.UNREACHABLE: {
        ID: "Situs tidak dapat dihubungi: {detail}.",
        EN: "The site cannot be reached: {detail}.",
    },
}


def say(key: str, language: Language, **values: object) -> str:
    return localized(PHRASES[key], language, **values)


def fetch_failure(failure: FetchFailure, detail: str, language: Language) -> str:
    return localized(FETCH_FAILURES[failure], language, detail=detail)
