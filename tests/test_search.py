"""index.search over a real build: what a query gets back."""

from index.build import build_index
from index.search import SearchMode, open_retriever

PRISONERS = (
    "Pertukaran ini melibatkan 1.200 tawanan perang, sebuah langkah signifikan yang dapat "
    "membuka peluang lebih lanjut untuk negosiasi."
)
# A second outlet printing the same wire sentence word for word.
REPRINT = f"Pertukaran tawanan di Istanbul\nKedua delegasi bertemu lagi. {PRISONERS} Hasilnya belum jelas.\n"


def test_a_sentence_carried_by_two_articles_is_retrieved_once(settings, embedder):
    (settings.seeds_dir / "reprint.txt").write_text(REPRINT, encoding="utf-8")
    build_index(settings, embedder)
    retriever = open_retriever(settings.index_dir, embedder)
    assert sum(s.text == PRISONERS for s in retriever.sentences) == 2
    for mode in SearchMode:
        texts = [
            hit.sentence.text
            for hit in retriever.search("Berapa tawanan perang yang ditukar?", k=5, mode=mode)
        ]
        assert texts.count(PRISONERS) == 1, mode
        assert len(texts) == len(set(texts)) == 5, mode
