"""Lexical resources for verification: an Indonesian thesaurus and an English-Indonesian dictionary.

Both come from Debian packages, unpacked into `LEXICON_DIR` (var/lexicon) by `make run`/`make test`
through `python -m bot.answers.lexicon fetch` (apt-get download + dpkg-deb -x, no root needed):
- `mythes-id` (MPL-2.0): LibreOffice's Indonesian thesaurus, about 20,800 head words;
- `dict-freedict-eng-ind` (CC-BY-SA-3.0): FreeDict/WikDict English-Indonesian, about 10,300 head words.
A small glossary of news words those lack (bot/answers/data/glossary_en_id.txt, written for this
project) is read in any case.
Where they cannot be had, the bot still answers (same stems and e5 similarity only) and says so once
in the log.
"""

import argparse
import gzip
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGES = ("mythes-id", "dict-freedict-eng-ind")
GLOSSARY = Path(__file__).parent / "data" / "glossary_en_id.txt"
THESAURUS = Path("usr/share/mythes/th_id_ID_v2.dat")
DICTIONARY_INDEX = Path("usr/share/dictd/freedict-eng-ind.index")
DICTIONARY_DATA = Path("usr/share/dictd/freedict-eng-ind.dict.dz")
# A thesaurus line lists one sense; lines of antonyms are not synonyms.
_ANTONYM = "[ant]"
_NUMBERED = re.compile(r"^\d+\.\s+")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
# Thesaurus head words with more senses than this are too vague to vouch for another word
# ("ada", "buat"): their synonyms are kept only from their first senses.
MAX_SENSES = 3


class Lexicon:
    """Synonyms of Indonesian words and Indonesian translations of English words (lowercase)."""

    def __init__(self, synonyms: dict[str, frozenset[str]], translations: dict[str, frozenset[str]]) -> None:
        self.synonyms = _symmetric(synonyms)  # "mayat" lists "jenazah"; "jenazah" lists nothing
        self.translations = translations
        reverse: dict[str, set[str]] = {}
        for english, words in translations.items():
            for word in words:
                reverse.setdefault(word, set()).add(english)
        self.english = {word: frozenset(found) for word, found in reverse.items()}

    @classmethod
    def empty(cls) -> "Lexicon":
        return cls({}, {})

    def synonyms_of(self, word: str) -> frozenset[str]:
        return self.synonyms.get(word, frozenset())

    def english_of(self, word: str) -> frozenset[str]:
        """English words an Indonesian word translates (the dictionaries read backwards)."""
        return self.english.get(word, frozenset())

    def translate(self, english: str) -> frozenset[str]:
        """Indonesian words for an English word, trying its plain forms (bodies -> body)."""
        found: set[str] = set()
        for form in english_forms(english):
            found |= self.translations.get(form, frozenset())
        return frozenset(found)


def english_forms(word: str) -> list[str]:
    """The word and the forms it may be inflected from: -s, -es, -ies, -ed, -ing, -'s."""
    w = word.lower().replace("’", "'")
    forms = [w, *IRREGULAR.get(w, ())]
    if w.endswith("'s"):
        w = w[:-2]
        forms.append(w)
    rules = (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
    )
    for suffix, replacement in rules:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: len(w) - len(suffix)] + replacement
            forms.append(stem)
            if len(stem) > 3 and stem[-1] == stem[-2] and replacement == "":  # stopped -> stop
                forms.append(stem[:-1])
    return forms


def english_inflections(word: str) -> list[str]:
    """The regular forms of an English base word (observer -> observers; monitor -> monitored)."""
    w = word.lower()
    stem = w.removesuffix("e")
    plural = (
        w[:-1] + "ies"
        if w.endswith("y") and w[-2:-1] not in "aeiou"
        else w + ("es" if w.endswith(("s", "x", "ch", "sh")) else "s")
    )
    return [w, plural, stem + "ed", stem + "ing"]


# English irregular verb forms (grammar, not vocabulary of any article).
IRREGULAR = {
    "led": ("lead",),
    "held": ("hold",),
    "began": ("begin",),
    "begun": ("begin",),
    "took": ("take",),
    "taken": ("take",),
    "met": ("meet",),
    "said": ("say",),
    "went": ("go",),
    "gone": ("go",),
    "fought": ("fight",),
    "brought": ("bring",),
    "made": ("make",),
    "gave": ("give",),
    "given": ("give",),
    "sent": ("send",),
    "left": ("leave",),
    "kept": ("keep",),
    "won": ("win",),
    "lost": ("lose",),
    "chose": ("choose",),
    "chosen": ("choose",),
    "spoke": ("speak",),
    "spoken": ("speak",),
    "came": ("come",),
    "became": ("become",),
    "told": ("tell",),
    "found": ("find",),
    "set": ("set",),
    "ran": ("run",),
    "died": ("die",),
    "dead": ("die",),
    "thought": ("think",),
    "bought": ("buy",),
    "paid": ("pay",),
    "built": ("build",),
    "broke": ("break",),
    "broken": ("break",),
    "struck": ("strike",),
    "hit": ("hit",),
    "wrote": ("write",),
    "written": ("write",),
    "drew": ("draw",),
    "drawn": ("draw",),
    "flew": ("fly",),
    "freed": ("free",),
    "agreed": ("agree",),
    "men": ("man",),
    "women": ("woman",),
    "people": ("person", "people"),
    "children": ("child",),
    "wounded": ("wound", "wounded"),
}


def load_lexicon(directory: Path, glossary: Path = GLOSSARY) -> Lexicon:
    """The lexicon unpacked in `directory` plus the glossary; the glossary alone (with a warning)
    when the Debian packages are missing."""
    translations = read_glossary(glossary)
    try:
        synonyms = read_thesaurus(directory / THESAURUS)
        dictionary = read_dictionary(directory / DICTIONARY_INDEX, directory / DICTIONARY_DATA)
    except (OSError, ValueError) as error:
        log.warning(
            "No thesaurus or dictionary in %s (%s): verification uses stems, the glossary and e5 only. "
            "Run `python -m bot.answers.lexicon fetch %s` to install them.",
            directory,
            error,
            directory,
        )
        return Lexicon({}, translations)
    for english, words in dictionary.items():
        translations[english] = translations.get(english, frozenset()) | words
    return Lexicon(synonyms, translations)


def read_glossary(path: Path) -> dict[str, frozenset[str]]:
    """`english: indonesian, indonesian` lines; '#' starts a comment."""
    glossary: dict[str, frozenset[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        english, _, words = line.partition(":")
        if line.startswith("#") or not words:
            continue
        glossary[english.strip().lower()] = frozenset(
            w.strip().lower() for w in words.split(",") if w.strip()
        )
    return glossary


def _symmetric(synonyms: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    both: dict[str, set[str]] = {head: set(words) for head, words in synonyms.items()}
    for head, words in synonyms.items():
        for word in words:
            both.setdefault(word, set()).add(head)
    return {head: frozenset(words) for head, words in both.items()}


def read_thesaurus(path: Path) -> dict[str, frozenset[str]]:
    """mythes format: `word|N`, then N lines `[pos]|syn|syn|...` (ISO-8859-1)."""
    lines = path.read_text(encoding="iso-8859-1").splitlines()[1:]  # the first line names the encoding
    synonyms: dict[str, set[str]] = {}
    i = 0
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        senses = lines[i + 1 : i + 1 + int(count)]
        i += 1 + int(count)
        words = synonyms.setdefault(head.lower(), set())
        for sense in senses[:MAX_SENSES]:
            if not sense.startswith(_ANTONYM):
                words.update(w.lower() for w in sense.split("|")[1:] if " " not in w)
    return {head: frozenset(words - {head}) for head, words in synonyms.items() if words}


def read_dictionary(index_path: Path, data_path: Path) -> dict[str, frozenset[str]]:
    """dictd format: an index of `headword<TAB>offset<TAB>length` (base64 numbers) into the
    gzip-readable data; an entry's translations are its first line after the head, or its
    numbered lines when it has several senses (the other lines are English glosses)."""
    data = gzip.decompress(data_path.read_bytes())
    translations: dict[str, set[str]] = {}
    for line in index_path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database") or " " in parts[0]:
            continue
        entry = data[_number(parts[1]) : _number(parts[1]) + _number(parts[2])].decode("utf-8", "replace")
        body = entry.splitlines()[1:]
        numbered = [_NUMBERED.sub("", b) for b in body if _NUMBERED.match(b)]
        chosen = numbered or body[:1]
        words = {w.strip().lower() for b in chosen for w in b.split(",")}
        translations.setdefault(parts[0].lower(), set()).update(w for w in words if w and " " not in w)
    return {head: frozenset(words) for head, words in translations.items() if words}


def _number(text: str) -> int:
    value = 0
    for char in text:
        value = value * 64 + _B64[char]
    return value


def fetch(directory: Path) -> bool:
    """Download the Debian packages and unpack them into `directory` (no root: apt-get download
    and dpkg-deb -x). False, with the reason logged, where apt is missing or the mirror unreachable."""
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        log.warning("apt-get/dpkg-deb not found: the lexicons are not installed (the bot works without them)")
        return False
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        if not _download(Path(tmp)):
            return False
        for deb in Path(tmp).glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(directory)], check=True)
    return (directory / THESAURUS).exists() and (directory / DICTIONARY_INDEX).exists()


def _succeeds(command: list[str], folder: Path) -> bool:
    """A failure is reported by the caller, once, so the exit status is read, not raised."""
    return subprocess.run(command, cwd=folder, capture_output=True, check=False).returncode == 0


def _download(folder: Path) -> bool:
    command = ["apt-get", "download", *PACKAGES]
    if _succeeds(command, folder):
        return True
    # A fresh machine may not have package lists yet; as root they can be fetched.
    if _succeeds(["apt-get", "update"], folder) and _succeeds(command, folder):
        return True
    log.warning(
        "apt-get download %s failed: the lexicons are not installed (the bot works without them)",
        " ".join(PACKAGES),
    )
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.answers.lexicon", description=__doc__)
    parser.add_argument("command", choices=["fetch"])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    ok = fetch(args.directory)
    print(f"lexicons {'installed in' if ok else 'NOT installed in'} {args.directory}")
    return 0  # the bot works without them; `make` must not stop here


if __name__ == "__main__":
    sys.exit(main())
