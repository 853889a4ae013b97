"""Verification: is every content word of the question supported where the fact stands?

A word of the question (not the question word, not a function word) is supported by the quoted
sentence or its paragraph when one of them has
- the same word or stem (Sastrawi, as the search index stems);
- a synonym (mythes-id) or, for an English question, a translation (FreeDict and the glossary; the
  dictionaries read backwards for an Indonesian question over an English article);
- for a name, a spelling alike ("Ukraine"/"Ukraina");
- for words no lexicon knows, an e5 word vector close enough to one of the sentence's words.
A modifier that contradicts the question ("tentara Ukraina" for "tentara Rusia", "tahap kedua" for
"tahap pertama") counts against. If a word stays unsupported, the fact is not stated as the answer.
Polarity ("belum dikembalikan" for "not returned yet") is the trained reader's to read: a negation
check, measured on 2026-12-07, changed no answer of the dev and holdout sets and cost FacQA 0.026
exact match, and was removed.
"""

import difflib
import itertools
import re
from collections.abc import Callable, Iterable
from enum import StrEnum

import numpy as np
from pydantic import BaseModel, ConfigDict

from bot.answers.acronyms import acronyms, is_acronym
from bot.answers.facts import DURATION
from bot.answers.lexicon import IRREGULAR, Lexicon, english_forms
from bot.answers.question import AskedDetail, Language, QuestionAnalysis, QuestionType, canonical
from index.lexical import CHAT_SPELLINGS, FUNCTION_WORDS, WORD, Tokenizer, root_words

# "ber-" and "ter-" words that say when, not what happens: "pertemuan berikutnya" has no verb.
TIME_ADJECTIVES = frozenset("berikutnya selanjutnya sebelumnya terakhir terbaru terdahulu".split())
# Words that join two subjects of one verb ("energi dan pelabuhan diperpanjang").
COORDINATORS = frozenset("dan serta atau and or".split())
RELATIVE_PRONOUNS = frozenset("which who whom".split())
# Question words, and the words that only name the kind of answer asked for ("berapa jumlah",
# "what year", "di kota mana"): the answer itself supports them.
QUESTION_WORDS = frozenset(
    "siapa siapakah kapan kapankah dimana dimanakah kemana darimana mana berapa berapakah seberapa "
    "apa apakah apa-apa mengapa kenapa bagaimana bilamana who whom whose when where why how what "
    "which".split()
)
ANSWER_TYPE_WORDS = frozenset(
    "jumlah banyak nama tanggal hari tahun bulan minggu pekan waktu jam pukul lama tempat lokasi kota "
    "negara provinsi kabupaten umur usia suhu temperatur siapa orang berapa number amount name names "
    "date day days "
    "year years month months week weeks age province "
    "time hour hours long place location city country many much person people total".split()
)
# Verbs that only say that an event took place or was done: the event's noun carries the meaning
# ("Kapan pertemuan diadakan?", "Where was the meeting held?").
LIGHT_WORDS = frozenset(
    "ada adakan diadakan mengadakan terjadi berlangsung dilakukan lakukan melakukan digelar menggelar "
    "dilaksanakan laksana selenggara diselenggarakan menyelenggarakan sebut disebut menyebut "
    "happen happened happens occur occurred take took taken place held hold holds do does did done "
    "get got make made be being been go went mention mentioned say said tell "
    "pihak side sides party parties".split()
)
# Chat particles ("siapa sih?", "kapan dong?") carry no content.
PARTICLES = frozenset("sih dong deh kok nih tuh lho ya kak gan min bang mbak please pls".split())
# Sastrawi's stop list, which the search index drops, also holds words a question turns on: when
# something began or ended, the next or last round, the first stage, a return. They are content here.
MEANINGFUL = frozenset(
    "akhir akhiri berakhir mengakhiri diakhiri awal berawal kembali balik mulai dimulai memulai bermula "
    "kerja bekerja masuk keluar naik berikut berikutnya selanjutnya mendatang terakhir sebelumnya "
    "pertama kedua kelima satu dua tiga empat lima besar kecil panjang baru jauh dekat usai datang tiba "
    "pihak luar sisa penting".split()
)
# English auxiliaries and pronouns the index's English stop list lacks.
ENGLISH_FUNCTION_WORDS = frozenset(
    "has have had having is are was were be been being am do does did will would shall should can could "
    "may might must there here their them they it its this that these those i you he she we us our your "
    "his her him me my so than then also just very any some all each every both either neither "
    "after before during until since within about".split()
)
CONTENT_STOPS = (FUNCTION_WORDS | ENGLISH_FUNCTION_WORDS) - MEANINGFUL
# Words of an amount that are not its noun ("1,000 more bodies", "sekitar 2 ribu jenazah"), and the
# classifiers that count any noun ("420 orang", "300 people").
NUMBER_FILLERS = frozenset(
    "ribu juta miliar ratus puluh belas lebih sekitar hampir kurang lagi sebanyak setidaknya "
    "thousand million billion hundred more than about nearly almost some over least at".split()
    + "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu "
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty".split()
)
CLASSIFIERS = frozenset("orang jiwa buah ekor unit biji people persons individuals".split())
# Units measure whatever the question asks ("Berapa bobot impaktor?" -> "362 kilogram"), and a
# question asking for a measure ("berapa luas", "how much") names no countable noun.
UNITS = frozenset(
    "persen kilogram kg gram ton meter km kilometer mil hektar hektare ha mm cm liter derajat rupiah "
    "rp dolar dollar euro yen ringgit yuan "
    "tahun bulan minggu pekan hari jam menit detik kali ribu juta miliar triliun "
    "percent per cent kilograms tons tonnes meters metres kilometers kilometres miles hectares "
    "degrees dollars "
    "years months weeks days hours minutes seconds times".split()
)
# A time unit says how long or when ("tiga hari"): it counts no prisoners.
TIME_UNITS = frozenset(
    "tahun bulan minggu pekan hari jam menit detik years months weeks days hours minutes seconds".split()
)
MEASURES = frozenset(
    "luas berat bobot tinggi panjang lebar jarak waktu lama usia umur masa durasi periode harga nilai biaya "
    "suhu kecepatan "
    "tingkat kadar "
    "besar modal dana anggaran populasi persen much area weight height length distance age term period "
    "duration price value cost "
    "temperature speed rate size".split()
)
NEGATIONS = frozenset("belum tidak bukan tak tanpa not no never yet without n't".split())
ORDINALS = frozenset(
    "pertama kesatu kedua ketiga keempat kelima keenam ketujuh kedelapan kesembilan kesepuluh terakhir "
    "first second third fourth fifth sixth seventh eighth ninth tenth last".split()
)
# Words between a noun and its modifier that do not break the pair ("Ukraine's delegation",
# "delegation of Ukraine", "delegasi dari Ukraina").
_VERB_PREFIX = re.compile(r"^(?:di|me|ber|ter)")
# "Tanggal berapa", "tahun berapa": "berapa" after a calendar word asks which date, it counts nothing.
_CALENDAR_NOUNS = frozenset("tanggal tahun bulan hari jam pukul abad".split())
_COUNT_FILLERS = frozenset(
    "banyak jumlah the of a number total kira-kira kira sekitar rata-rata kurang lebih "
    "approximately about roughly average".split()
)
_LINKERS = ("of", "the", "dari")
SAME_STEM, TRANSLATED, RELATED, SPELLED_ALIKE, SIMILAR_VECTOR = 1.0, 0.9, 0.8, 0.85, 0.75
SPELLING_MIN = 0.8
# The least letters a name shares with its people's name: "Uzbek" ("Uzbekistan"), "Ukrain" ("Ukrainian").
NAME_STEM_MIN = 4
# e5 word vectors crowd together: "civilians" is nearer "tentara" (0.886) than "sipil" (0.874).
# Only near-translations and cognates pass this (delegation/delegasi 0.968, war/perang 0.943,
# next/berikutnya 0.945); measured with the bundled model on words of the seed article.
E5_WORD_MIN = 0.935
E5_MIN_LETTERS = 4


class Token(BaseModel):
    """A word of a text with what it may be matched as (lowercase word, stem, English base forms)."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    keys: frozenset[str]
    capitalized: bool


class QuestionWord(BaseModel):
    """A content word of the question and every form in which a text may carry it."""

    model_config = ConfigDict(frozen=True)

    text: str
    position: int
    keys: frozenset[str]
    translated: frozenset[str] = frozenset()
    related: frozenset[str]
    name: bool
    ordinal: bool = False
    # A verb ties the fact to the question ("Kapan perang dimulai?"): it must be in the sentence.
    verb: bool = False
    # Light words ("diadakan", "held") are not required.
    optional: bool = False


class QuestionWords(BaseModel):
    model_config = ConfigDict(frozen=True)

    words: tuple[QuestionWord, ...]
    # The noun a how-many question counts ("berapa tawanan", "how many observers", "berapa kali").
    counted: QuestionWord | None = None
    # (noun, modifier) pairs: "delegasi Ukraina", "Russian soldiers", "tahap pertama".
    modified: tuple[tuple[QuestionWord, QuestionWord], ...] = ()
    # (subject, verb) pairs: "perang dimulai", "the war start".
    subjects: tuple[tuple[QuestionWord, QuestionWord], ...] = ()
    # A when-question ("kapan", "what time"; not "berapa lama"): a bare duration does not answer it.
    asks_when: bool = False


class Check(StrEnum):
    """The checks a span the reader found must pass before it is stated (READER_CHECKS)."""

    COUNTED = "counted"  # "7.000 jenazah tentara" counts bodies, not soldiers
    MODIFIER = "modifier"  # "delegasi Rusia" does not answer a question about "delegasi Ukraina"
    NAMES = "names"  # "in Istanbul": the sentence, its paragraph or its article's title names Istanbul
    COVERAGE = "coverage"  # half of the question's words (of two or more) in its context, one in the sentence
    DURATION = "duration"  # "tiga hari" says how long, not when: a when-question's fact is no bare duration


class Verification(BaseModel):
    """Which question words the text supports, and what speaks against the fact."""

    supported: list[str]
    missing: list[str]
    contradicted: list[str]
    # An amount answers a how-many question only if it counts the asked noun.
    counted_ok: bool = True
    # The reader's margin was high enough to state the span at all.
    stated: bool = True
    names_ok: bool = True
    covered: bool = True
    # A when-question's fact says when: "Selasa, 11 Juli 2028", "sepuluh hari setelah ...", not "tiga hari".
    says_when: bool = True

    @property
    def passed(self) -> bool:
        checks_pass = not self.contradicted and self.counted_ok and self.names_ok and self.covered
        return self.stated and checks_pass and self.says_when

    @property
    def on_subject(self) -> bool:
        """The text speaks of the question's subject: some of its words are there."""
        return bool(self.supported)


WordVectors = Callable[[list[str]], np.ndarray]


class WordSupport:
    """Matches question words to texts. Holds the lexicon, the stemmer and a cache of e5 word
    vectors (bounded; one per Answerer, so it goes with the index it serves)."""

    CACHE_LIMIT = 50_000

    def __init__(
        self,
        tokenizer: Tokenizer,
        lexicon: Lexicon,
        embed_words: WordVectors | None = None,
        names: Iterable[str] = (),
    ) -> None:
        self.tokenizer = tokenizer
        self.lexicon = lexicon
        self.embed_words = embed_words
        self.names = frozenset(n.lower() for n in names)
        self._vectors: dict[str, np.ndarray] = {}
        self._english_by_stem: dict[str, frozenset[str]] | None = None

    def _english_of(self, word: str) -> frozenset[str]:
        """English for an Indonesian word or its stem ("disepakati" -> "pakat" <- "sepakat" -> agree)."""
        if self._english_by_stem is None:
            by_stem: dict[str, set[str]] = {}
            for indonesian, english in self.lexicon.english.items():
                by_stem.setdefault(self.tokenizer.stem(indonesian), set()).update(english)
            self._english_by_stem = {k: frozenset(v) for k, v in by_stem.items()}
        return self.lexicon.english_of(word) | self._english_by_stem.get(word, frozenset())

    # --- texts ------------------------------------------------------------------------------

    def tokens(self, text: str) -> list[Token]:
        return [self._token(m, text) for m in WORD.finditer(text)]

    def _token(self, match: re.Match[str], text: str) -> Token:
        word = match.group()
        lower = word.lower()
        keys = {lower, self.tokenizer.stem(lower), *english_forms(lower), *self.lexicon.translate(lower)}
        if lower.endswith("nya") and len(lower) > 5:  # "berikutnya" is "berikut" + -nya
            keys.add(lower[:-3])
        sentence_start = match.start() == 0 or text[: match.start()].rstrip().endswith(
            (".", "!", "?", '"', "“")
        )
        return Token(
            text=word,
            start=match.start(),
            end=match.end(),
            keys=frozenset(keys),
            capitalized=word[:1].isupper() and not sentence_start,
        )

    # --- questions --------------------------------------------------------------------------

    def question_words(self, analysis: QuestionAnalysis) -> QuestionWords:
        english = analysis.language == Language.en
        words: list[QuestionWord] = []
        matches = list(WORD.finditer(analysis.text))
        lowered = [_plain(m.group()) for m in matches]
        auxiliary = english and any(w in ("do", "does", "did") for w in lowered)
        for position, (match, lower) in enumerate(zip(matches, lowered)):
            typed = match.group() if lower == match.group().lower() else lower
            if lower in NEGATIONS or lower.endswith("n't"):  # polarity is the reader's to read
                continue
            if lower in ORDINALS:
                words.append(self._question_word(typed, position, english, ordinal=True))
            elif lower in LIGHT_WORDS or (
                lower.endswith("nya") and lower[:-3] in LIGHT_WORDS
            ):  # "diadakannya"
                words.append(
                    self._question_word(typed, position, english).model_copy(update={"optional": True})
                )
            elif _is_content(lower):
                word = self._question_word(typed, position, english)
                before = lowered[max(0, position - 2) : position]
                words.append(word.model_copy(update={"verb": self._is_verb(lower, english, before)}))
        if auxiliary:  # "When did the war start?": the last word after do/did is the verb
            last = max(
                (i for i, w in enumerate(words) if not (w.optional or w.name or w.ordinal)), default=None
            )
            if last is not None:
                words[last] = words[last].model_copy(update={"verb": True})
        counted = self._counted(matches, english)
        required = [w for w in words if not w.optional]
        pairs = _modified_pairs(required, lowered, modifier_first=english)
        subjects = [
            (a, b)
            for a, b in itertools.pairwise(required)
            if b.verb and not (a.verb or a.name or a.ordinal) and b.position - a.position == 1
        ]
        return QuestionWords(
            words=tuple(words),
            modified=tuple(pairs),
            subjects=tuple(subjects),
            counted=counted,
            asks_when=analysis.type is QuestionType.when and analysis.detail is not AskedDetail.duration,
        )

    def _is_verb(self, lower: str, english: bool, before: list[str]) -> bool:
        """The predicate: Indonesian affixed verbs ("dimulai"), English past forms and infinitives;
        not a verb that describes a noun ("jenazah yang dikembalikan", "the bodies that were returned")."""
        if any(w in ("yang", "that", "which", "who") for w in before) or lower in TIME_ADJECTIVES:
            return False
        if english:
            return lower.endswith("ed") or lower in IRREGULAR or before[-1:] == ["to"]
        return bool(_VERB_PREFIX.match(lower)) and self.tokenizer.stem(lower) != lower

    def _counted(self, matches: list[re.Match[str]], english: bool) -> QuestionWord | None:
        """The noun counted: the first after "berapa" (Indonesian puts the head first: "berapa
        tentara Rusia"), the last of the run after "how many" (English puts it last: "how many
        Russian prisoners were ...")."""
        lowered = [_plain(m.group()) for m in matches]
        for i, word in enumerate(lowered):
            if word in ("berapa", "seberapa") or (
                word == "how" and lowered[i + 1 : i + 2] in (["many"], ["much"])
            ):
                if i > 0 and lowered[i - 1] in _CALENDAR_NOUNS:
                    return None
                start = i + (2 if word == "how" else 1)
                rest = [j for j in range(start, len(lowered)) if lowered[j] not in _COUNT_FILLERS]
                if not rest or lowered[rest[0]] in QUESTION_WORDS:
                    return None
                head = rest[0]
                if (
                    lowered[head] in MEASURES or self.tokenizer.stem(lowered[head]) in MEASURES
                ):  # "ketinggian"
                    return None  # a measure, not a countable noun: the unit answers it
                if english:
                    run = _english_noun_run(lowered, rest[0])
                    head = run[-1] if run else head
                text = matches[head].group()
                if not english and text.lower().endswith("kah") and len(text) > 6:  # "Berapa orangkah"
                    text = text[:-3]
                return self._question_word(text, head, english)
        return None

    def counts(self, counted: QuestionWord, answer: list[Token], clause: list[Token]) -> bool:
        """An amount counts the asked noun: its own noun carries it ("7.000 jenazah tentara" counts
        bodies, not soldiers; "12 warga sipil" counts no prisoners); a bare number ("300") or a
        classifier ("420 orang") leaves the noun to its clause."""
        nouns = [t for t in answer if not _is_number_word(t.text)]
        if nouns and nouns[0].text.lower() in ("twice", "thrice", "once"):
            return bool(counted.keys & {"kali", "time", "times"})
        if nouns and self.support(counted, nouns[:1]) > 0:
            return True
        first = nouns[0].text.lower() if nouns else ""
        if first in CLASSIFIERS or first in UNITS:
            return _unit_counts(first, counted)
        if nouns:
            # Indonesian puts the head noun first ("jenazah tentara"); English last ("three online groups")
            return is_english(clause) and any(self.support(counted, [t]) > 0 for t in nouns)
        following = _noun_after(answer, clause)
        if following:  # the span is the bare number of a noun beside it: "four | stages"
            unit = following[0].text.lower()
            if unit in CLASSIFIERS or unit in UNITS:
                return _unit_counts(unit, counted)
            heads = following if is_english(clause) else following[:1]
            # word vectors too: the noun may be in the other language ("observers", "pengamat")
            return any(self.support(counted, [t], vectors=True) > 0 for t in heads)
        return self.support(counted, clause) > 0

    def _question_word(self, word: str, position: int, english: bool, ordinal: bool = False) -> QuestionWord:
        lower = word.lower()
        stem = self.tokenizer.stem(lower)
        keys = {lower} if ordinal else {lower, stem}  # "kedua" stems to "dua": an ordinal is no number
        related: set[str] = set()
        translated: set[str] = set()
        if english:
            keys |= set(english_forms(lower))
            # Translations only: their synonyms too are two hops away ("body" -> "badan" -> "akademi").
            for indonesian in self.lexicon.translate(lower):
                translated |= {indonesian} if ordinal else {indonesian, self.tokenizer.stem(indonesian)}
        else:
            for form in {lower, stem}:
                # "mulai" lists "dari" and "sejak": function words vouch for nothing
                synonyms = [s for s in self.lexicon.synonyms_of(form) if s not in CONTENT_STOPS]
                # the synonym, and its stem unless that is a function word ("bersama" -> "sama")
                related |= set(synonyms) | {self.tokenizer.stem(s) for s in synonyms} - CONTENT_STOPS
                translated |= {e for s in self._english_of(form) for e in english_forms(s)}
        # A capital in a question marks a name unless the word is a dictionary word ("Menteri").
        name = (word[:1].isupper() and position > 0 and lower not in root_words()) or lower in self.names
        return QuestionWord(
            text=word,
            position=position,
            keys=frozenset(keys),
            translated=frozenset(translated - keys),
            related=frozenset(related - keys - translated),
            name=name and not ordinal,
            ordinal=ordinal,
        )

    # --- support ----------------------------------------------------------------------------

    def support(self, word: QuestionWord, tokens: list[Token], vectors: bool = False) -> float:
        """How well the tokens carry the word: 1 same stem, 0.9 translation, 0.8 synonym, 0.85
        spelled alike (names), 0.75 e5 word similarity (only with `vectors`), else 0."""
        keys = frozenset().union(*(t.keys for t in tokens)) if tokens else frozenset()
        if word.keys & keys:
            return SAME_STEM
        if word.translated & keys:
            return TRANSLATED
        if word.related & keys:
            return RELATED
        if word.name and any(
            _spelled_alike(word.text, t.text) for t in tokens if t.capitalized or t.text[:1].isupper()
        ):
            return SPELLED_ALIKE
        if word.name and is_acronym(word.text) and word.text in acronyms(t.text for t in tokens):
            return SPELLED_ALIKE  # "IAEA" where the text writes the name out
        known = word.translated or word.related  # a word the lexicons know is absent when they do not match
        if vectors and not known and self.embed_words is not None and self._similar_vector(word.text, tokens):
            return SIMILAR_VECTOR
        return 0.0

    def carries(self, word: QuestionWord, sentence: list[Token], context: list[Token]) -> bool:
        """The sentence (by e5 vectors too) or its context (paragraph and title) supports the word;
        the context first, as the paragraph holds the sentence and needs no vectors."""
        return bool(self.support(word, context) or self.support(word, sentence, vectors=True))

    def _similar_vector(self, word: str, tokens: list[Token]) -> bool:
        if len(word) < E5_MIN_LETTERS or word[:1].isdigit():
            return False
        others = sorted(
            {
                t.text.lower()
                for t in tokens
                if len(t.text) >= E5_MIN_LETTERS
                and not t.text[:1].isdigit()
                and t.text.lower() not in CONTENT_STOPS
            }
        )
        if not others:
            return False
        vectors = self._word_vectors([word.lower(), *others])
        return bool(np.max(vectors[1:] @ vectors[0]) >= E5_WORD_MIN)

    def _word_vectors(self, words: list[str]) -> np.ndarray:
        assert self.embed_words is not None
        new = [w for w in dict.fromkeys(words) if w not in self._vectors]
        if new:
            if len(self._vectors) + len(new) > self.CACHE_LIMIT:
                self._vectors.clear()
            self._vectors.update(zip(new, self.embed_words(new)))
        return np.stack([self._vectors[w] for w in words])

    def contradictions(
        self, words: QuestionWords, tokens: list[Token], span: tuple[int, int] = (0, 0)
    ) -> list[str]:
        """Modifiers in the text that clash with the question's: the text's noun carries another
        name or ordinal than the question gives it, and nowhere the question's own. A word the
        question itself writes beside the noun or in the modifier's name is no rival ("Badan Pusat
        Statistik (BPS)"), nor is a word of the answer (`span`, offsets): "which airport replaces
        Polonia?" is answered by another airport."""
        clashes = []
        for noun, modifier in words.modified:
            own = [w for w in words.words if w.position in _name_run(modifier, list(words.words))]
            own += [w for w in words.words if abs(w.position - noun.position) == 1]
            # the noun may be written twice: "orangutan Sumatera menurut ahli orangutan dari Belanda"
            again = [w.position for w in words.words if w.text.lower() == noun.text.lower() and w is not noun]
            own += [w for w in words.words if any(0 < abs(w.position - p) <= 2 for p in again)]
            for i, token in enumerate(tokens):
                if self.support(noun, [token]) < TRANSLATED:  # a synonym may be another sense
                    continue
                beside = _neighbours(tokens, i)
                if any(self.support(modifier, [b]) > 0 for b in beside):
                    continue
                rival = [
                    b
                    for b in beside
                    if self._same_class(modifier, b)
                    and self.support(modifier, [b]) == 0
                    and not _same_stem_name(modifier.text, b.text)
                    and not span[0] <= b.start < span[1]
                    and not any(self.support(w, [b]) for w in own)
                    and not self._listed_with(modifier, tokens, tokens.index(b))
                ]
                if rival:
                    clashes.append(f"{token.text} {rival[0].text}")
        clashes += self._subject_clashes(words, tokens)
        return clashes

    def _subject_clashes(self, words: QuestionWords, tokens: list[Token]) -> list[str]:
        """The text's verb has another subject right before it: "perundingan dimulai" does not say
        when "perang dimulai"."""
        clashes = []
        for _subject, verb in words.subjects:
            for i, token in enumerate(tokens):
                if i == 0 or self.support(verb, [token]) < TRANSLATED or not _adjacent(tokens[i - 1], token):
                    continue
                before = tokens[i - 1]
                lower = before.text.lower()
                # a light verb makes one verb with the next word ("take effect"), it is no subject
                if (
                    lower in CONTENT_STOPS
                    or lower in RELATIVE_PRONOUNS  # "drugs which treat": the subject is before it
                    or lower in LIGHT_WORDS
                    or lower in self.names
                    or lower[:1].isdigit()
                ):
                    continue
                if not any(self.support(w, [before]) for w in words.words) and not self._coordinated(
                    words, tokens[: i - 1]
                ):
                    clashes.append(f"{before.text} {token.text}")
        return clashes

    def _covers(self, required: list[QuestionWord], supported: list[str], sentence: list[Token]) -> bool:
        """Half of the question's words are in the sentence or its context, and one of them is in
        the sentence itself: a title that speaks of an exchange does not make its ceasefire
        sentence answer "how long did the exchange last?". Half of a one-word question is no
        measure ("Where were the negotiations held?")."""
        if len(required) < 2:
            return True
        half = 2 * len(supported) >= len(required)
        # a word carried nowhere was already looked for in the sentence (`carries`)
        return half and any(self.support(w, sentence, vectors=True) for w in required if w.text in supported)

    def _coordinated(self, words: QuestionWords, before: list[Token]) -> bool:
        """A word of the question is the verb's subject too, joined by "dan"/"and": "fasilitas
        energi dan pelabuhan diperpanjang" says how long the energy truce was extended, asked as
        "gencatan senjata energi diperpanjang" or as "the energy ceasefire extended"."""
        if len(before) < 2 or before[-1].text.lower() not in COORDINATORS:
            return False
        joined = before[-2]
        return _adjacent(joined, before[-1]) and any(
            self.support(w, [joined]) >= TRANSLATED for w in words.words
        )

    def _listed_with(self, modifier: QuestionWord, tokens: list[Token], first: int) -> bool:
        """The name at `first` heads a list that holds the question's: "Danau Beratan, Buyan, dan
        Tamblingan" names Danau Tamblingan too, "delegasi Rusia dan Ukraina" the Ukrainian one."""
        for k in range(first + 1, len(tokens)):
            token = tokens[k]
            if token.start - tokens[k - 1].end > 2:  # more than ", " between: the list has ended
                return False
            if token.text.lower() in COORDINATORS:
                continue
            if not token.capitalized:
                return False
            if self.support(modifier, [token]) > 0:
                return True
        return False

    def _same_class(self, modifier: QuestionWord, token: Token) -> bool:
        """A rival modifier is of the same kind: another name, or another ordinal."""
        lower = token.text.lower()
        if modifier.ordinal:
            return lower in ORDINALS
        named = token.capitalized or (token.text[:1].isupper() and lower in self.names)
        return named and lower not in FUNCTION_WORDS and lower not in ORDINALS

    def verify(
        self,
        words: QuestionWords,
        clause: list[Token],
        sentence: list[Token],
        context: list[Token],
        span: list[Token],
        checks: frozenset[Check] = frozenset(Check),
    ) -> Verification:
        """The question words the sentence or its context (paragraph, title) supports, and the
        `checks` that speak against the span: a clashing modifier in its clause, an amount of
        another noun than the one asked for, a name the question gives and the text does not."""
        required = [w for w in words.words if not w.optional]
        supported = [w.text for w in required if self.carries(w, sentence, context)]
        amount = bool(span) and any(t.text[:1].isdigit() or _is_number_word(t.text) for t in span)
        counted_ok = (
            Check.COUNTED not in checks
            or words.counted is None
            # "berapa tawanan" is answered by an amount, and one of prisoners
            or (amount and self.counts(words.counted, span, clause))
        )
        missing = [w for w in required if w.text not in supported]
        return Verification(
            supported=supported,
            missing=[w.text for w in missing],
            contradicted=(
                self.contradictions(words, clause, _offsets(span)) if Check.MODIFIER in checks else []
            ),
            counted_ok=counted_ok,
            names_ok=Check.NAMES not in checks or not _unnamed(missing, supported, required),
            covered=Check.COVERAGE not in checks or self._covers(required, supported, sentence),
            says_when=Check.DURATION not in checks or not words.asks_when or not _bare_duration(span),
        )


def _unit_counts(unit: str, counted: QuestionWord) -> bool:
    """A classifier or unit counts the asked noun ("10 orang" the people the sentence speaks of,
    "362 kilogram" weighs), but a time unit only a time noun: "tiga hari" counts no prisoners."""
    return unit not in TIME_UNITS or bool(counted.keys & TIME_UNITS)


def _bare_duration(span: list[Token]) -> bool:
    """The span only says how long: "tiga hari", "selama 90 hari", "six months" (not "sepuluh hari
    setelah perundingan berakhir", which says when)."""
    return bool(span) and DURATION.fullmatch(" ".join(t.text for t in span)) is not None


def _unnamed(missing: list[QuestionWord], supported: list[str], required: list[QuestionWord]) -> bool:
    """A name the question gives is missing, and no name beside it in the question is there:
    "Grup Radja" is named where the text says "Radja", "Wilson W Wenas" where it says "Wilson"."""
    named_there = {w.position for w in required if w.name and w.text in supported}
    for word in (w for w in missing if w.name):
        run = _name_run(word, required)
        if not run & named_there:
            return True
    return False


def _offsets(span: list[Token]) -> tuple[int, int]:
    return (span[0].start, span[-1].end) if span else (0, 0)


def _name_run(word: QuestionWord, words: list[QuestionWord]) -> set[int]:
    """The positions of the names written next to each other around `word` in the question."""
    names = {w.position for w in words if w.name}
    run = {word.position}
    for step in (-1, 1):
        position = word.position + step
        while position in names:
            run.add(position)
            position += step
    return run


def _plain(word: str) -> str:
    """Lowercase, in its formal spelling: "thn" -> "tahun", "yg" -> "yang"."""
    lower = word.lower().replace("’", "'")
    return CHAT_SPELLINGS.get(lower) or canonical(lower)


def is_english(tokens: list[Token]) -> bool:
    """Whether a clause is English: more of its words are English function words."""
    english = sum(
        t.text.lower() in ("the", "of", "a", "an", "and", "to", "in", "was", "were", "is", "with")
        for t in tokens
    )
    indonesian = sum(
        t.text.lower() in ("yang", "dan", "di", "ke", "dari", "dengan", "untuk", "ini", "itu") for t in tokens
    )
    return english > indonesian


def _english_noun_run(lowered: list[str], start: int) -> list[int]:
    """The words of the noun phrase after "how many": up to a function word or a verb form."""
    run = []
    for j in range(start, len(lowered)):
        word = lowered[j]
        if (
            word in CONTENT_STOPS
            or word in QUESTION_WORDS
            or word in LIGHT_WORDS
            or (j > start and word.endswith("ed"))
        ):
            break
        run.append(j)
    # "how many observers monitor the ceasefire": a word with an object after it is the verb
    if len(run) > 1 and lowered[run[-1] + 1 : run[-1] + 2] in (["the"], ["a"], ["an"]):
        run.pop()
    return run


def _noun_after(answer: list[Token], clause: list[Token]) -> list[Token]:
    """The words right after a bare number up to a function word or punctuation ("four stages over",
    "900 tawanan perang"): the noun it counts, which the reader left out of the span."""
    if not answer:
        return []
    after = [t for t in clause if t.start >= answer[-1].end]
    run: list[Token] = []
    for token in after[:5]:  # "300 wounded and seriously ill soldiers"
        previous = run[-1] if run else answer[-1]
        lower = token.text.lower()
        joined = bool(run) and lower in COORDINATORS
        if (
            not _adjacent(previous, token)
            or (lower in FUNCTION_WORDS and not joined)
            or _is_number_word(lower)
        ):
            break
        run.append(token)
    return [t for t in run if t.text.lower() not in COORDINATORS]


def _is_number_word(text: str) -> bool:
    lower = text.lower()
    return lower[:1].isdigit() or lower in NUMBER_FILLERS


def _is_content(lower: str) -> bool:
    # "berapakah", "siapakah": the question word with its particle
    base = lower[:-3] if lower.endswith("kah") and lower[:-3] in QUESTION_WORDS | ANSWER_TYPE_WORDS else lower
    return not (
        base in CONTENT_STOPS
        or base in QUESTION_WORDS
        or base in PARTICLES
        or base in ANSWER_TYPE_WORDS
        or base in LIGHT_WORDS
        or base in ("s", "'s")
    )


def _modified_pairs(
    words: list[QuestionWord], lowered: list[str], modifier_first: bool
) -> list[tuple[QuestionWord, QuestionWord]]:
    """A name or ordinal right beside its noun: after it in Indonesian ("delegasi Ukraina"), before
    it in English ("Russian soldiers", "Ukraine's delegation") or after "of" ("delegation of Ukraine")."""
    pairs = []
    for i, word in enumerate(words):
        if not (word.name or word.ordinal):
            continue
        for j in (i + 1, i - 1) if modifier_first else (i - 1,):
            if not 0 <= j < len(words) or words[j].name or words[j].ordinal or words[j].verb:
                continue
            low, high = sorted((words[j].position, word.position))
            between = lowered[low + 1 : high]
            linked = between in ([], ["s"]) if j > i else between in ([], ["of"], ["of", "the"], ["dari"])
            if linked:
                pairs.append((words[j], word))
                break
    return pairs


def _neighbours(tokens: list[Token], i: int) -> list[Token]:
    """The words on each side of token i, looking past "of", "the", "dari", "'s", not past
    punctuation ("Selama perundingan, Rusia ..." does not make Russia's talks)."""
    found = []
    for step in (-1, 1):
        j, last = i + step, i
        while (
            0 <= j < len(tokens)
            and tokens[j].text.lower() in _LINKERS + ("s",)
            and _adjacent(tokens[last], tokens[j])
        ):
            last, j = j, j + step
        if 0 <= j < len(tokens) and _adjacent(tokens[last], tokens[j]):
            found.append(tokens[j])
    return found


def _adjacent(a: Token, b: Token) -> bool:
    """One space or an apostrophe between two words, no punctuation."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return second.start - first.end <= 1


def _same_stem_name(a: str, b: str) -> bool:
    """A name and its people or language: "Uzbekistan" and "Uzbek", "Ukraine" and "Ukrainian"."""
    shorter, longer = sorted((a.lower(), b.lower()), key=len)
    stem = shorter.rstrip("aeiou")  # "Ukraina" and "Ukrainian"; "Iran" and "Iraq" differ
    return len(longer) > len(shorter) and len(stem) >= NAME_STEM_MIN and longer.startswith(stem)


def _spelled_alike(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a[:1] == b[:1] and difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_MIN
