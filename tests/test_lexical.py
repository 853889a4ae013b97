"""The lexical tokenizer: chat Indonesian meets the articles' formal words on one stem."""

import pytest

from index.lexical import Tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize(
    ("chat", "formal"),
    [
        ("ngusulin", "mengusulkan"),
        ("dituker", "ditukar"),
        ("balikin", "dibalikkan"),
        ("dikembaliin", "dikembalikan"),
        ("diwakilin", "diwakili"),
        ("nyerang", "menyerang"),
        ("ngirim", "mengirim"),
        ("ngedukung", "mendukung"),
        ("dapet", "mendapat"),
    ],
)
def test_chat_forms_share_the_formal_stem(tokenizer, chat, formal):
    assert tokenizer.stem(chat) == tokenizer.stem(formal)


@pytest.mark.parametrize("name", ["istanbul", "ukraina", "medinsky", "negosiasi"])
def test_words_outside_the_dictionary_stay_as_they_are(tokenizer, name):
    assert tokenizer.stem(name) == name


def test_formal_words_stem_as_sastrawi_stems_them(tokenizer):
    assert tokenizer.stem("perundingannya") == "runding"
