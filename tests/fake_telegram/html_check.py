"""Telegram's HTML parse mode, re-implemented after tdlib's ``parse_html``.

The parser turns the HTML a bot sends into the plain text a user sees plus
MessageEntity dicts (offsets in UTF-16 code units, as in the Bot API), and
raises :class:`EntityParseError` with tdlib's wording where Telegram answers
"Bad Request: can't parse entities: ...".

``strict=True`` (the default) is stricter than tdlib in one respect: tdlib
keeps a bare ``&`` or ``>`` and an unknown entity such as ``&nbsp;`` as
literal text, but a bot that forgets to escape will sooner or later send
``&lt;`` or ``<`` from an article and get mangled text or a 400.  Failing on
the first unescaped character catches that bug in tests, where it is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_MAX_CODE_POINT = 0x10FFFF


class EntityParseError(ValueError):
    """The text would be rejected with "can't parse entities: <message>"."""


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    start: int  # UTF-16 offset in the output where the tag's content begins


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may be 2)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    # tdlib reports positions as byte offsets into the UTF-8 request text.
    return len(source[:index].encode("utf-8"))


def decode_entity(source: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``source[pos] == "&"`` like tdlib.

    Returns the character and the index after the reference, or None when
    tdlib would leave the ``&`` as a literal character.
    """
    end = pos + 1
    if end < len(source) and source[end] == "#":
        end += 1
        is_hex = end < len(source) and source[end] == "x"
        if is_hex:
            end += 1
        digits = "0123456789abcdefABCDEF" if is_hex else "0123456789"
        value = 0
        while end < len(source) and source[end] in digits:
            value = value * (16 if is_hex else 10) + int(source[end], 16)
            end += 1
            if value >= _MAX_CODE_POINT:
                return None
        if value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
            return None
        char = chr(value)
    else:
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(source[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < len(source) and source[end] == ";":
        end += 1
    return char, end


class _Parser:
    def __init__(self, source: str, strict: bool) -> None:
        self.source = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16_pos = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, message: str, index: int | None = None) -> EntityParseError:
        if index is not None:
            message += f" at byte offset {_byte_offset(self.source, index)}"
        return EntityParseError(message)

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16_pos += utf16_len(chars)

    def at_end(self) -> bool:
        return self.pos >= len(self.source)

    def peek(self) -> str:
        return "" if self.at_end() else self.source[self.pos]

    def skip_spaces(self) -> None:
        while not self.at_end() and self.source[self.pos].isspace():
            self.pos += 1

    def run(self) -> ParsedText:
        while not self.at_end():
            char = self.source[self.pos]
            if char == "&":
                self.text_entity()
            elif char == "<":
                if self.source.startswith("</", self.pos):
                    self.close_tag()
                else:
                    self.open_tag()
            else:
                if char == ">" and self.strict:
                    raise self.error('Character ">" must be escaped as "&gt;"', self.pos)
                self.emit(char)
                self.pos += 1
        if self.stack:
            raise self.error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)  # a language belongs to pre only
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def text_entity(self) -> None:
        decoded = decode_entity(self.source, self.pos)
        if decoded is None:
            if self.strict:
                raise self.error(
                    'Character "&" must be escaped as "&amp;" (or be one of &lt; &gt; '
                    "&amp; &quot; &#N; &#xN;)",
                    self.pos,
                )
            decoded = ("&", self.pos + 1)
        char, self.pos = decoded
        self.emit(char)

    def open_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        name_start = self.pos
        while not self.at_end() and not self.peek().isspace() and self.peek() != ">":
            self.pos += 1
        if self.at_end():
            raise self.error("Unclosed start tag", begin)
        name = self.source[name_start : self.pos].lower()
        if name not in ALLOWED_TAGS:
            raise self.error(f'Unsupported start tag "{name}"', begin)
        attributes = self.attributes(name, begin)
        self.stack.append(_OpenTag(name, self.tag_argument(name, attributes, begin), self.utf16_pos))

    def attributes(self, tag: str, begin: int) -> dict[str, str]:
        """Read attributes up to and including the closing ``>``."""
        found: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.at_end():
                raise self.error("Unclosed start tag", begin)
            if self.peek() == ">":
                self.pos += 1
                return found
            name_start = self.pos
            while not self.at_end() and not self.peek().isspace() and self.peek() not in "=>":
                self.pos += 1
            name = self.source[name_start : self.pos].lower()
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}"', begin)
            self.skip_spaces()
            if self.peek() != "=":
                found[name] = ""  # value-less attribute, e.g. <blockquote expandable>
                continue
            self.pos += 1
            self.skip_spaces()
            if self.at_end():
                raise self.error("Unclosed start tag", begin)
            found[name] = self.attribute_value()
            if self.at_end():
                raise self.error("Unclosed start tag", begin)

    def attribute_value(self) -> str:
        quote = self.peek()
        if quote not in ("'", '"'):
            # An unquoted value is a name token: letters, digits, '.' and '-'.
            start = self.pos
            while not self.at_end() and (
                (self.peek().isascii() and self.peek().isalnum()) or self.peek() in ".-"
            ):
                self.pos += 1
            if not self.at_end() and not self.peek().isspace() and self.peek() != ">":
                raise self.error("Unexpected end of name token", start)
            return self.source[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while not self.at_end() and self.peek() != quote:
            decoded = decode_entity(self.source, self.pos) if self.peek() == "&" else None
            if decoded is None:
                value.append(self.peek())
                self.pos += 1
            else:
                value.append(decoded[0])
                self.pos = decoded[1]
        if not self.at_end():
            self.pos += 1
        return "".join(value)

    def tag_argument(self, tag: str, attributes: dict[str, str], begin: int) -> str:
        if tag == "a":
            return attributes.get("href", "")
        if tag == "code":
            css = attributes.get("class", "")
            return css[len("language-") :] if css.startswith("language-") else ""
        if tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise self.error('Tag "span" must have class "tg-spoiler"', begin)
            return ""
        if tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise self.error("Invalid custom emoji identifier specified", begin)
            return emoji_id
        if tag == "blockquote":
            return "expandable" if "expandable" in attributes else ""
        return ""

    def close_tag(self) -> None:
        begin = self.pos
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        self.pos += 2
        name_start = self.pos
        while not self.at_end() and not self.peek().isspace() and self.peek() != ">":
            self.pos += 1
        end_name = self.source[name_start : self.pos].lower()
        self.skip_spaces()
        if self.peek() != ">":
            raise self.error("Unclosed end tag", begin)
        self.pos += 1
        opened = self.stack.pop()
        if end_name and end_name != opened.name:
            raise self.error(
                f"Unmatched end tag at byte offset {_byte_offset(self.source, begin)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        self.add_entity(opened)

    def add_entity(self, tag: _OpenTag) -> None:
        length = self.utf16_pos - tag.start
        if length <= 0:
            return  # Telegram drops empty entities rather than failing
        entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag.name], "offset": tag.start, "length": length}
        if tag.name == "a":
            if not tag.argument:
                return
            entity["url"] = tag.argument
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "blockquote" and tag.argument:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and tag.argument:
            entity["language"] = tag.argument  # kept only if a <pre> merges it
        elif tag.name == "pre":
            self.merge_inner_code(entity)
        self.entities.append(entity)

    def merge_inner_code(self, pre: dict[str, Any]) -> None:
        # <pre><code class="language-x">...</code></pre> is one pre entity.
        if not self.entities:
            return
        inner = self.entities[-1]
        if inner["type"] == "code" and (inner["offset"], inner["length"]) == (pre["offset"], pre["length"]):
            self.entities.pop()
            if inner.get("language"):
                pre["language"] = inner["language"]


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse ``source`` as Telegram HTML; raise EntityParseError if Telegram would not."""
    return _Parser(source, strict).run()
