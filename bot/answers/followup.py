"""Follow-up questions: a short message that leans on the previous question is completed from it.

Pure and Telegram-free: the previous turn (its analysis and answer) plus the new message give a
completed question, or None with the reason. Four kinds of follow-up are completed, in Indonesian
and English; anything else stands on its own and is never merged:

- an entity swapped:  "Kalau Ukraina?", "Dan di Jenewa?", "What about Ukraine?"
- a modifier added:   "Yang belum?", "And the ones not returned?"
- a question word:    "Kapan?", "Di mana?", "Why?"
- a pronoun:          "Siapa yang mengusulkannya?" (or a left-out subject: "Jam berapa dimulai?")

A message is a follow-up only when it says so (an opener such as "kalau"/"what about", a lone
question word, a leading "yang"/"the ones", a pronoun, a verb without its subject) and carries at
most a few content words of its own; a question with its own subject is answered as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from bot.answers.answer import Answer, AnswerKind
from bot.answers.question import (
    Language,
    QuestionAnalysis,
    QuestionType,
    SmallTalk,
    function_word_weights,
    question_word_span,
)
from index.lexical import CHAT_SPELLINGS, WORD, Tokenizer

if TYPE_CHECKING:
    from bot.answers.answering import Answerer

# A follow-up adds at most this many content words of its own ("Yang belum dikembalikan Rusia?");
# a swapped entity at most two ("Kalau delegasi Ukraina?").
MAX_FRAGMENT_WORDS = 3
MAX_ENTITY_WORDS = 2
# Words that mark a message as leaning on the previous one (the follow-up's own vocabulary, not
# the articles'); longest first, so "bagaimana dengan" wins over a lone "bagaimana".
OPENERS = (
    ("and", "what", "about"),
    ("and", "how", "about"),
    ("bagaimana", "dengan"),
    ("gimana", "dengan"),
    ("what", "about"),
    ("how", "about"),
    ("what", "of"),
    ("and", "for"),
    ("kalau",),
    ("kalo",),
    ("klo",),
    ("kl",),
    ("dan",),
    ("terus",),
    ("trus",),
    ("lalu",),
    ("sedangkan",),
    ("soal",),
    ("untuk",),
    ("and",),
    ("for",),
    ("then",),
)
MODIFIER_HEADS = (("and", "the", "ones"), ("and", "those"), ("the", "ones"), ("those",), ("ones",), ("yang",))
PRONOUNS = frozenset("dia ia mereka beliau it they them he she him her its their this that".split())
PERSONAL_PRONOUNS = frozenset("dia ia beliau he she him her".split())
PLACE_PREPOSITIONS = frozenset("di ke dari pada in at on from to near".split())
DETERMINERS = frozenset("the a an".split())
EN_AUX = frozenset("is are was were did do does has have had will would can could".split())
# Words that end the noun phrase a follow-up leans on ("tahap pertama pertukaran | setelah Jenewa").
BREAK_WORDS = (
    frozenset(
        "yang untuk oleh dengan setelah sebelum selama sejak dalam antara of for by with after "
        "before during since".split()
    )
    | PLACE_PREPOSITIONS
    | DETERMINERS
    | PRONOUNS
    | EN_AUX
)
STATE_WORDS = frozenset("belum sudah masih sedang tidak not already still yet".split())
QUESTION_WORDS = frozenset(
    "siapa kapan dimana mana berapa mengapa kenapa bagaimana apa apakah who what when where "
    "why how which many much".split()
)
# Words a follow-up is made of besides its own content.
FILLERS = (
    PRONOUNS
    | EN_AUX
    | STATE_WORDS
    | DETERMINERS
    | PLACE_PREPOSITIONS
    | QUESTION_WORDS
    | frozenset(
        "yang itu ini tersebut sih dong deh ya kah nya lagi juga saja and or dan atau so then of for "
        "about ones".split()
    )
)
# Verbs that only say "it took place" ("Kapan itu terjadi?", "Where did it happen?"): the pronoun
# stands for the whole previous question, which keeps its own verb.
EVENT_VERBS = frozenset("terjadi berlangsung happen happened occur occurred do".split())
# The ending of a verb that a "yang"/"the ones" modifier keeps from the previous question.
ID_VERB_PREFIXES = ("di", "me", "ber", "ter")
WH_PHRASES: dict[QuestionType, dict[Language, str]] = {
    QuestionType.who: {Language.id: "Siapa", Language.en: "Who"},
    QuestionType.when: {Language.id: "Kapan", Language.en: "When"},
    QuestionType.where: {Language.id: "Di mana", Language.en: "Where"},
    QuestionType.how_many: {Language.id: "Berapa", Language.en: "How many"},
    QuestionType.why: {Language.id: "Mengapa", Language.en: "Why"},
    QuestionType.how: {Language.id: "Bagaimana", Language.en: "How"},
    QuestionType.what: {Language.id: "Apa", Language.en: "What"},
}


class Reason(StrEnum):
    """Why a message was completed, or why it was not."""

    ENTITY = "entity swapped"
    MODIFIER = "modifier added"
    QUESTION_WORD = "question word"
    PRONOUN = "pronoun or left-out subject"
    STANDS_ALONE = "stands on its own"
    NO_CONTEXT = "no previous question"
    NOT_A_QUESTION = "small talk or empty"
    NOTHING_TO_SWAP = "nothing in the previous question to swap"


class Turn(BaseModel):
    """What a conversation remembers of its last question: the analysis and the answer."""

    model_config = ConfigDict(frozen=True)

    analysis: QuestionAnalysis
    language: Language  # the language of the conversation: the reply's
    fact: str = ""


class Completion(BaseModel):
    question: str | None  # None: answer the message as it stands
    reason: Reason
    language: Language | None = None  # the reply's language when completed


@dataclass(frozen=True, slots=True)
class _Word:
    norm: str
    raw: str
    start: int
    end: int


def complete(previous: Turn | None, message: QuestionAnalysis, tokenizer: Tokenizer) -> Completion:
    """The question the message asks, completed from the previous one when it is a follow-up."""
    if message.is_empty or message.small_talk is not None or message.language == Language.other:
        return Completion(question=None, reason=Reason.NOT_A_QUESTION)
    if previous is None or previous.analysis.language == Language.other:  # nothing to complete in
        return Completion(question=None, reason=Reason.NO_CONTEXT)
    # "he", "dia": the person a who-question was answered with
    person = previous.fact if previous.analysis.type == QuestionType.who else ""
    question, reason = _completed(previous.analysis, message, tokenizer, person)
    if question is None:
        return Completion(question=None, reason=reason)
    return Completion(question=question, reason=reason, language=reply_language(previous, message))


def reply_language(previous: Turn, message: QuestionAnalysis) -> Language:
    """The conversation's language, unless the follow-up is clearly in the other one (it has
    that language's function words and none of the conversation's)."""
    if message.language in (previous.language, Language.other):
        return previous.language
    weight_id, weight_en = function_word_weights(message.text)
    own, conversation = (weight_en, weight_id) if message.language == Language.en else (weight_id, weight_en)
    return message.language if own > 0 and conversation == 0 else previous.language


@dataclass(frozen=True, slots=True)
class _Reading:
    """The parts of a message the rules look at."""

    text: str
    opener: int  # words of a leading "kalau", "what about", ...
    rest: list[_Word]  # the words after the opener
    modifier: int  # words of a leading "yang", "the ones", ... in `rest`
    wh: tuple[int, int, QuestionType] | None  # the message's own question word
    content: list[_Word]  # its own words (not question words, pronouns, particles)
    pronoun: _Word | None


def _read(message: QuestionAnalysis, tokenizer: Tokenizer) -> _Reading:
    words = _words(message.text)
    opener = _lead(words, OPENERS)
    rest = words[opener:]
    modifier = _lead(rest, MODIFIER_HEADS)
    wh = question_word_span(message.text) if opener == 0 or not _is_opener_wh(words, opener) else None
    if wh is not None and wh[0] < (rest[0].start if rest else len(message.text)):
        wh = None  # "what" of "what about" belongs to the opener
    content = [w for w in rest[modifier:] if _is_content(w, tokenizer, wh)]
    pronoun = next((w for w in rest if _is_pronoun(w, tokenizer)), None)
    return _Reading(message.text, opener, rest, modifier, wh, content, pronoun)


def _completed(
    prev: QuestionAnalysis, message: QuestionAnalysis, tokenizer: Tokenizer, person: str = ""
) -> tuple[str | None, Reason]:
    """Which kind of follow-up the message is, tried from the most explicit sign to the least."""
    read = _read(message, tokenizer)
    wh, content, pronoun = read.wh, read.content, read.pronoun
    if len(content) > MAX_FRAGMENT_WORDS:
        return None, Reason.STANDS_ALONE
    if read.modifier and wh is None:
        return _with_modifier(prev, read.text[read.rest[read.modifier - 1].end :], tokenizer), Reason.MODIFIER
    if wh is not None and _is_about_the_event(read) and all(w.norm in EVENT_VERBS for w in content):
        return _with_question_word(prev, message, wh), Reason.QUESTION_WORD
    asks = wh is not None or message.type == QuestionType.yes_no  # "Can it be extended?"
    if pronoun is not None and asks and len([w for w in content if w is not pronoun]) <= MAX_ENTITY_WORDS:
        referent = person if pronoun.norm in PERSONAL_PRONOUNS and person else None
        return _or_nothing(_with_referent(prev, read.text, pronoun, tokenizer, referent), Reason.PRONOUN)
    if (
        wh is not None
        and message.language == Language.id
        and len(content) == 1
        and not read.opener
        and _is_id_verb(content[0].norm, tokenizer)
    ):  # "Jam berapa dimulai?": the subject left out
        return _or_nothing(_with_subject(prev, read.text, content[0], tokenizer), Reason.PRONOUN)
    if wh is not None and any(w.start >= wh[1] for w in content):
        return None, Reason.STANDS_ALONE  # "Kalau boleh tahu, siapa yang menjadi mediator di Doha?"
    if read.opener and 0 < len(content) <= MAX_ENTITY_WORDS:
        return _or_nothing(_swapped(prev, message, read, tokenizer), Reason.ENTITY)
    return None, Reason.STANDS_ALONE


def _is_about_the_event(read: _Reading) -> bool:
    """No pronoun, or one that stands for the whole previous question ("Where did it happen?",
    "Why did they do it?"), not for a thing in it ("How long was it?")."""
    if read.pronoun is None:
        return True
    return any(
        w.norm in EVENT_VERBS or (w.norm in {"do", "does", "did"} and w.start > read.pronoun.start)
        for w in read.rest
    )


def _swapped(
    prev: QuestionAnalysis, message: QuestionAnalysis, read: _Reading, tokenizer: Tokenizer
) -> str | None:
    """ "Kalau Ukraina?", and "Kalau Ukraina, siapa?" (a swap and a question word)."""
    end = read.wh[0] if read.wh else len(read.text)
    swapped = _with_entity(prev, read.text[read.rest[0].start : end].strip(" ,?!."), tokenizer)
    if swapped is None or read.wh is None:
        return swapped
    return _with_question_word(prev.model_copy(update={"text": swapped}), message, read.wh)


def _or_nothing(question: str | None, reason: Reason) -> tuple[str | None, Reason]:
    return (question, reason) if question else (None, Reason.NOTHING_TO_SWAP)


# -- the four completions ------------------------------------------------------------------------


def _with_entity(prev: QuestionAnalysis, fragment: str, tokenizer: Tokenizer) -> str | None:
    """ "Kalau Ukraina?": the previous question's name of the same kind replaced ("Dan di Jenewa?":
    its place, or the place added; "Kalau jenazah?": the noun it asked about)."""
    while _words(fragment) and _words(fragment)[0].norm in DETERMINERS:  # the previous text keeps its own
        fragment = fragment[_words(fragment)[0].end :].strip()
    words, new = _words(prev.text), _words(fragment)
    if not new:
        return None
    if new[0].norm in PLACE_PREPOSITIONS:
        place = next(
            (
                i
                for i, w in enumerate(words)
                if w.norm in PLACE_PREPOSITIONS and i + 1 < len(words) and _is_name(words[i + 1])
            ),
            None,
        )
        if place is None:
            return _ask(prev.text.rstrip(" ?!.") + " " + fragment)
        return _replace(prev.text, words[place].start, _name_run(words, place + 1).end, fragment)
    if any(_is_name(w) for w in new) and _name_runs(words):  # "Kalau usulan Rusia?": the name is what changes
        first_name = next(i for i, w in enumerate(new) if _is_name(w))
        new = new[first_name : _name_run_index(new, first_name) + 1]
        fragment = fragment[new[0].start : new[-1].end]
        names = _name_runs(words)
        plain = [r for r in names if r[0] == 0 or words[r[0] - 1].norm not in PLACE_PREPOSITIONS]
        if not names:
            return None
        first, last = (plain or names)[0]
        if len(new) == 1 and last > first:  # "Komisioner Hak Asasi Manusia Ukraina" + "Rusia"
            first = last
        return _replace(prev.text, words[first].start, words[last].end, fragment)
    head = _head_noun(prev, tokenizer)
    return _replace(prev.text, head[0], head[1], fragment) if head else None


def _with_modifier(prev: QuestionAnalysis, modifier: str, tokenizer: Tokenizer) -> str:
    """ "Yang belum?" after "Berapa jenazah yang dijanjikan Rusia untuk dikembalikan?" ->
    "Berapa jenazah yang belum dikembalikan?": the asked noun, the new modifier, and the previous
    question's last verb when the modifier has none of its own."""
    modifier = modifier.strip(" ,?!.")
    words = _words(prev.text)
    head = _head_noun(prev, tokenizer)
    own_words = [w for w in _words(modifier) if w.norm not in STATE_WORDS and tokenizer.tokens(w.norm)]
    verb = "" if own_words else _last_verb(words, prev.language, tokenizer)
    if prev.language == Language.en:
        stem = prev.text[: head[1]] if head else prev.text.rstrip(" ?!.")
        first = _words(modifier)[0].norm if _words(modifier) else ""
        link = " were" if first in STATE_WORDS or first.endswith("ed") else ""
        return _ask(f"{stem}{link} {modifier} {verb}".strip())
    yang = next((w for w in words if w.norm == "yang"), None)
    if yang is None:  # no clause to take a verb from: "... berapa jenazah yang belum?"
        return _ask(f"{prev.text.rstrip(' ?!.')} yang {modifier}")
    return _ask(f"{prev.text[: yang.start].rstrip()} yang {modifier} {verb}".strip())


def _with_question_word(
    prev: QuestionAnalysis, message: QuestionAnalysis, wh: tuple[int, int, QuestionType]
) -> str:
    """ "Di mana?" after "Kapan pertemuan damai diadakan?" -> "Di mana pertemuan damai diadakan?"."""
    phrase = message.text[wh[0] : wh[1]]
    if message.language != prev.language:
        phrase = WH_PHRASES.get(wh[2], WH_PHRASES[QuestionType.what])[prev.language]
    phrase = phrase[:1].upper() + phrase[1:]
    old = question_word_span(prev.text)
    words = _words(prev.text)
    if old is not None and prev.text[old[0] : old[1]].lower() == phrase.lower():  # "Kalau Ukraina, siapa?"
        return prev.text
    if old is None:  # a yes/no question: its "apakah"/auxiliary gives way to the question word
        opens_yes_no = bool(words) and (words[0].norm == "apakah" or words[0].norm in EN_AUX)
        body = prev.text[words[1].start :] if opens_yes_no and len(words) > 1 else prev.text
        return _ask(f"{phrase} {body.rstrip(' ?!.')}")
    after = prev.text[old[1] :].strip()
    before = prev.text[: old[0]].strip()
    tail = _words(after)
    if tail and tail[0].norm == "yang":  # "Siapa yang memimpin" -> "Kapan memimpin"
        after = after[tail[0].end :].strip()
    elif old[2] == QuestionType.how_many and prev.language == Language.id:  # "Berapa tawanan yang ditukar"
        after = re.sub(r"\byang\s+", "", after, count=1)
    elif old[2] == QuestionType.how_many and len(tail) > 1:
        aux = next((i for i, w in enumerate(tail) if w.norm in EN_AUX), None)
        if aux is not None:
            moved, head, rest = (
                tail[aux],
                after[: tail[aux].start].strip(),
                after[tail[aux].end :].strip(" ?!."),
            )
            if moved.norm in {"is", "are", "was", "were"}:  # "How many prisoners were exchanged"
                after = f"{moved.raw} {head} {rest}"
            else:  # "How many bodies did Russia promise to return": the counted noun is the object
                after = f"{moved.raw} {rest} {head}"
    return _ask(" ".join(p for p in (before, phrase, after.rstrip(" ?!.")) if p))


def _with_referent(
    prev: QuestionAnalysis, text: str, pronoun: _Word, tokenizer: Tokenizer, referent: str | None = None
) -> str | None:
    """ "Siapa yang mengusulkannya?" after "Berapa kelompok kerja daring yang dibentuk?" ->
    "Siapa yang mengusulkan kelompok kerja daring?"; "What did he say?" after "Who chaired the
    session?" -> "What did <the person answered> say?"."""
    if referent is None:
        own_place = any(
            w.norm in PLACE_PREPOSITIONS and _is_name(n) for w, n in zip(_words(text), _words(text)[1:])
        )
        head = _head_noun(prev, tokenizer, with_place=not own_place)  # "Who led it in Vienna?" has its own
        referent = prev.text[head[0] : head[1]] if head else None
    if referent is None:
        return None
    if pronoun.norm.endswith("nya") and pronoun.norm not in PRONOUNS:
        return _replace(text, pronoun.start, pronoun.end, f"{pronoun.raw[:-3]} {referent}")
    return _replace(text, pronoun.start, pronoun.end, referent)


def _with_subject(prev: QuestionAnalysis, text: str, verb: _Word, tokenizer: Tokenizer) -> str | None:
    """ "Jam berapa dimulai?" after "Kapan tahap pertama pertukaran dilakukan?" -> "Jam berapa tahap
    pertama pertukaran dimulai?"; "Siapa yang memimpin?" -> "Siapa yang memimpin <the subject>?"."""
    head = _head_noun(prev, tokenizer)
    if head is None:
        return None
    subject = prev.text[head[0] : head[1]]
    before = text[: verb.start].rstrip()
    if _words(before) and _words(before)[-1].norm == "yang":
        return _ask(f"{text[: verb.end]} {subject}")
    return _ask(f"{before} {subject} {text[verb.start :]}")


# -- reading the previous question ---------------------------------------------------------------


def _head_noun(
    prev: QuestionAnalysis, tokenizer: Tokenizer, with_place: bool = True
) -> tuple[int, int] | None:
    """Offsets of what the previous question asked about: the noun after its question word
    ("Berapa *tawanan perang* yang"), after "the" ("Who led *the Russian delegation*"), or its first
    run of content words that are not verbs ("Siapa yang memimpin *delegasi Rusia*")."""
    words = _words(prev.text)
    span = question_word_span(prev.text)
    after = [w for w in words if span is None or w.start >= span[1]]
    runs: list[list[_Word]] = [[]]
    for i, word in enumerate(after):
        if word.norm in DETERMINERS and runs[-1]:
            runs.append([])
        inside = (
            bool(runs[-1])
            and i + 1 < len(after)
            and _is_noun_like(after[i + 1], prev.language, tokenizer)
            and word.norm not in BREAK_WORDS
        )  # "kelompok kerja daring": "kerja" is a stop word
        if _is_noun_like(word, prev.language, tokenizer) or inside:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r]
    if not runs:
        return None
    if prev.language == Language.en and span and span[2] not in (QuestionType.how_many, QuestionType.what):
        determined = [
            r
            for r in runs
            if any(w.norm in DETERMINERS for w in words if r[0].start - 5 <= w.start < r[0].start)
        ]
        runs = determined or runs
    first = runs[0]
    if (
        prev.language == Language.en
        and first[-1] is after[-1]
        and len(first) > 1
        and any(w.norm in EN_AUX for w in after if w.start < first[0].start)
    ):
        first = first[:-1]  # "will the ceasefire last": the last word is the verb
    start, end = first[0].start, first[-1].end
    index = words.index(first[0])
    if prev.language == Language.en and index > 0 and words[index - 1].norm in DETERMINERS:
        start = words[index - 1].start  # "the energy ceasefire"
    following = words.index(first[-1]) + 1
    if (
        with_place
        and following + 1 < len(words)
        and words[following].norm in PLACE_PREPOSITIONS
        and _is_name(words[following + 1])
    ):
        end = _name_run(words, following + 1).end  # "pertemuan di Jenewa"
    return start, end


def _is_noun_like(word: _Word, language: Language, tokenizer: Tokenizer) -> bool:
    if not tokenizer.tokens(word.norm) or word.norm in FILLERS:
        return False
    if language == Language.en:
        return not word.norm.endswith("ed") and word.norm not in {"led", "held", "said", "told", "made"}
    return not _is_id_verb(word.norm, tokenizer)


def _is_id_verb(norm: str, tokenizer: Tokenizer) -> bool:
    """An affixed Indonesian verb ("dipimpin", "berjanji", "mengusulkan"): a verb prefix that the
    stemmer removes, and no noun ending "-an" ("pertemuan") unless it is a "-kan" verb."""
    if not norm.startswith(ID_VERB_PREFIXES) or tokenizer.stem(norm) == norm:
        return False
    return not norm.endswith("an") or (norm.startswith(("di", "me")) and norm.endswith("kan"))


def _last_verb(words: list[_Word], language: Language, tokenizer: Tokenizer) -> str:
    for word in reversed(words):
        if language == Language.en and (word.norm.endswith("ed") or word.norm in {"returned", "led", "held"}):
            return word.raw
        if language == Language.id and _is_id_verb(word.norm, tokenizer):
            return word.raw
    if language == Language.en and words:  # "promise to return": the verb ends the question
        return words[-1].raw
    return ""


# -- words -----------------------------------------------------------------------------------------


def _words(text: str) -> list[_Word]:
    return [
        _Word(CHAT_SPELLINGS.get(m.group().lower(), m.group().lower()), m.group(), m.start(), m.end())
        for m in WORD.finditer(text)
    ]


def _lead(words: list[_Word], phrases: tuple[tuple[str, ...], ...]) -> int:
    """How many words at the start form one of the phrases."""
    norms = tuple(w.norm for w in words)
    return next((len(p) for p in phrases if norms[: len(p)] == p and len(norms) > len(p) - 1), 0)


def _is_opener_wh(words: list[_Word], opener: int) -> bool:
    """True when the opener itself holds the question word ("what about", "bagaimana dengan")."""
    return any(w.norm in {"what", "how", "bagaimana", "gimana"} for w in words[:opener])


def _is_content(word: _Word, tokenizer: Tokenizer, wh: tuple[int, int, QuestionType] | None) -> bool:
    """A word the message says of its own. Not the stop-word list: it holds verbs ("tiba",
    "mulai") that make a question of their own."""
    if wh is not None and wh[0] <= word.start < wh[1]:
        return False
    return word.norm not in FILLERS and any(ch.isalnum() for ch in word.norm)


def _is_pronoun(word: _Word, tokenizer: Tokenizer) -> bool:
    """ "dia", "it", or a word carrying "-nya" that the stemmer strips ("mengusulkannya")."""
    if word.norm in PRONOUNS:
        return True
    return (
        len(word.norm) > 5
        and word.norm.endswith("nya")
        and bool(tokenizer.tokens(word.norm))
        and tokenizer.stem(word.norm) != word.norm
    )


def _is_name(word: _Word) -> bool:
    return word.raw[:1].isupper()


def _name_runs(words: list[_Word]) -> list[tuple[int, int]]:
    """Runs of capitalised words after the first word (which is capitalised anyway)."""
    runs: list[tuple[int, int]] = []
    i = 1
    while i < len(words):
        if _is_name(words[i]):
            end = _name_run_index(words, i)
            runs.append((i, end))
            i = end + 1
        else:
            i += 1
    return runs


def _name_run_index(words: list[_Word], i: int) -> int:
    while i + 1 < len(words) and _is_name(words[i + 1]):
        i += 1
    return i


def _name_run(words: list[_Word], i: int) -> _Word:
    return words[_name_run_index(words, i)]


def _replace(text: str, start: int, end: int, new: str) -> str:
    return _ask(text[:start] + new + text[end:])


def _ask(text: str) -> str:
    """One space between words, a capital first letter and one question mark at the end."""
    text = re.sub(r"\s+", " ", text).strip(" ,?!.")
    return text[:1].upper() + text[1:] + "?"


# -- a turn of a conversation ---------------------------------------------------------------------


def answer_turn(answerer: Answerer, text: str, previous: Turn | None) -> tuple[Answer, Turn | None]:
    """The answer to a message in a conversation, and what the conversation remembers after it:
    the new turn for a question, nothing after a greeting, the previous turn after small talk."""
    analysis = answerer.analyze(text)
    completion = complete(previous, analysis, answerer.retriever.lexical.tokenizer)
    if completion.question is None:
        answer = answerer.answer(text)
    else:
        answer = answerer.answer(completion.question).model_copy(
            update={"question": text, "read_as": completion.question, "language": completion.language}
        )
    return answer, next_turn(answer, analysis, completion, previous, answerer)


def next_turn(
    answer: Answer,
    analysis: QuestionAnalysis,
    completion: Completion,
    previous: Turn | None,
    answerer: Answerer,
) -> Turn | None:
    if analysis.small_talk == SmallTalk.greeting:
        return None  # "Halo" starts afresh
    if (
        answer.kind in (AnswerKind.SMALL_TALK, AnswerKind.EMPTY, AnswerKind.UNAVAILABLE)
        or analysis.language == Language.other
    ):
        return previous
    asked = answerer.analyze(completion.question) if completion.question else analysis
    return Turn(analysis=asked, language=answer.reply_language, fact=answer.stated_fact)
