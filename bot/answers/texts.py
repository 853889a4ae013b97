"""Every fixed phrase of the answers, in Indonesian and English (the Telegram layer's own
replies are in bot/telegram/texts.py)."""

from bot.answers.question import AskedDetail, Language, QuestionType, SmallTalk

ID, EN = Language.id, Language.en

FACT_LEAD: dict[QuestionType, dict[Language, str]] = {
    QuestionType.who: {ID: "Siapa", EN: "Who"},
    QuestionType.when: {ID: "Kapan", EN: "When"},
    QuestionType.where: {ID: "Di mana", EN: "Where"},
    QuestionType.how_many: {ID: "Jumlahnya", EN: "How many"},
    QuestionType.what: {ID: "Jawabannya", EN: "Answer"},
}

# Partial answers: "Artikel tidak menyebut jumlah korban sipil. Yang disebut: 1.200 tawanan perang."
ASKED_LEAD: dict[QuestionType, dict[Language, str]] = {
    QuestionType.who: {ID: "siapa ", EN: "who "},
    QuestionType.when: {ID: "kapan ", EN: "when "},
    QuestionType.where: {ID: "di mana ", EN: "where "},
    QuestionType.how_many: {ID: "jumlah ", EN: "how many "},
}

MISSING_DETAIL: dict[AskedDetail, dict[Language, str]] = {
    AskedDetail.year: {
        ID: "Maaf, artikel yang saya baca tidak menyebut tahunnya.",
        EN: "Sorry, the articles I have read do not give the year.",
    },
    AskedDetail.clock_time: {
        ID: "Maaf, artikel yang saya baca tidak menyebut jam atau pukulnya.",
        EN: "Sorry, the articles I have read do not give the time of day.",
    },
    AskedDetail.duration: {
        ID: "Maaf, artikel yang saya baca tidak menyebut berapa lama.",
        EN: "Sorry, the articles I have read do not say how long.",
    },
    AskedDetail.person_name: {
        ID: "Maaf, artikel yang saya baca tidak menyebut nama orangnya.",
        EN: "Sorry, the articles I have read do not give the person's name.",
    },
}

PHRASES: dict[str, dict[Language, str]] = {
    "according": {ID: "Menurut artikel:", EN: "According to the article:"},
    "source": {ID: "Sumber", EN: "Source"},
    "paragraph": {ID: "paragraf", EN: "paragraph"},
    "not_found": {
        ID: "Maaf, artikel yang saya baca tidak memuat jawaban untuk pertanyaan itu.",
        EN: "Sorry, the articles I have read do not answer that question.",
    },
    "partial": {ID: "Artikel tidak menyebut {asked}.", EN: "The articles do not say {asked}."},
    # English questions invert their verb ("how long did each round last"): quoted whole, they read as
    # a person would write them; an Indonesian question's words keep statement order.
    "partial_question": {
        ID: "Artikel tidak menjawab “{question}”.",
        EN: "The articles do not answer “{question}”.",
    },
    "partial_unnamed": {
        ID: "Artikel tidak menjawab pertanyaan itu dengan tepat.",
        EN: "The articles do not answer that exactly.",
    },
    "mentioned": {ID: "Yang disebut: {fact}.", EN: "What they do give: {fact}."},
    "mentioned_quote": {ID: "Yang disebut artikel:", EN: "What the articles do say:"},
    "try_asking": {ID: "Anda bisa bertanya, misalnya:", EN: "You could ask, for example:"},
    "empty": {
        ID: "Tulis pertanyaan tentang perundingan damai dari artikel yang saya baca.",
        EN: "Type a question about the peace talks in the articles I have read.",
    },
    "unavailable": {
        ID: "Indeks artikel belum siap. Admin dapat membangunnya dengan /reindex.",
        EN: "The article index is not ready yet. An admin can build it with /reindex.",
    },
    "question_cut": {
        ID: "(Pertanyaan Anda panjang sekali; saya hanya membaca {limit} karakter pertamanya.)",
        EN: "(Your question was very long; I read only its first {limit} characters.)",
    },
    "other_language": {
        ID: "Saya menjawab dalam bahasa Indonesia atau Inggris.",
        EN: "I answer in Indonesian or English ({name} detected).",
    },
    "read_as": {ID: "Saya membaca: {question}", EN: "I read this as: {question}"},
    "as_of": {
        ID: "(laporan terbaru yang menyebutnya: {date})",
        EN: "(the latest report that says so: {date})",
    },
    "earlier": {ID: "Sebelumnya, laporan {date}:", EN: "Earlier, the report of {date}:"},
    "timeline_head": {
        ID: "Dari laporan ke laporan ({n} artikel, dari yang terlama):",
        EN: "Report by report ({n} articles, oldest first):",
    },
    "timeline_none": {
        ID: "Maaf, tidak ada artikel yang saya baca yang menjawab “{question}”.",
        EN: "Sorry, none of the articles I have read answers “{question}”.",
    },
    "undated": {ID: "tanpa tanggal", EN: "undated"},
}

SMALL_TALK: dict[SmallTalk, dict[Language, str]] = {
    SmallTalk.greeting: {
        ID: "Halo! Saya Runding. Tanyakan apa saja tentang perundingan damai yang diberitakan "
        "artikel-artikel yang saya baca; saya menjawab dengan mengutip kalimatnya.",
        EN: "Hello! I am Runding. Ask me about the peace negotiations in the news articles I have "
        "read; I answer by quoting their sentences.",
    },
    SmallTalk.thanks: {ID: "Sama-sama! Silakan bertanya lagi.", EN: "You're welcome! Ask me anything else."},
    SmallTalk.capabilities: {
        ID: "Saya menjawab pertanyaan tentang perundingan damai dari artikel berita yang saya baca "
        "(siapa, kapan, di mana, berapa, apa, mengapa), dengan kutipan kalimat dan sumbernya. "
        "Kalau artikelnya tidak memuat jawabannya, saya katakan terus terang.",
        EN: "I answer questions about peace negotiations from the news articles I have read (who, "
        "when, where, how many, what, why), quoting the sentence and its source. When the articles "
        "do not say, I tell you so.",
    },
    SmallTalk.farewell: {ID: "Sampai jumpa!", EN: "Goodbye!"},
}


def localized(texts: dict[Language, str], language: Language, **values: object) -> str:
    """The text in the reply language (English for any other), with its values filled in."""
    text = texts[language if language in (ID, EN) else EN]
    return text.format(**values) if values else text


def phrase(key: str, language: Language, **values: str | float) -> str:
    return localized(PHRASES[key], language, **values)
