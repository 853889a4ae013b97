"""Admin commands for the index: `python -m index build` and `python -m index search "..."`."""

import argparse
import logging
import sys

from index.articles import ArticleError
from index.settings import IndexSettings, SettingsError, load_settings
from index.store import IndexProblem, load_build

# The model stack (torch, sentence-transformers) takes seconds to import: it is imported only
# by the commands that need it, so a wrong setting or a missing index is reported at once.
SEARCH_MODES = ("hybrid", "dense", "lexical")  # index.search.SearchMode's values


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(IndexSettings)
        return args.command(args, settings)
    except Exception as error:
        if not _expected(error):
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2


def _expected(error: Exception) -> bool:
    """Errors whose message says what to fix: one line, no traceback."""
    if isinstance(error, (SettingsError, IndexProblem, ArticleError)):
        return True
    from index.build import BuildError
    from index.embedder import EmbeddingModelError

    return isinstance(error, (BuildError, EmbeddingModelError))


def build(args: argparse.Namespace, settings: IndexSettings) -> int:
    from index.build import build_index
    from index.embedder import load_embedder

    report = build_index(settings, load_embedder(settings, passages_in_child=False), show_progress=True)
    for problem in report.problems:
        print(f"skipped {problem.path}: {problem.reason}")
    print(
        f"Built {report.build}: {report.articles} articles, {report.sentences} sentences "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s "
        f"into {settings.index_dir}"
    )
    return 0


def search(args: argparse.Namespace, settings: IndexSettings) -> int:
    stored = load_build(settings.index_dir)  # a missing or damaged index fails before the model loads
    from index.embedder import load_embedder
    from index.search import SearchMode, searchable

    retriever = searchable(stored, load_embedder(settings, passages_in_child=False))
    for rank, hit in enumerate(
        retriever.search(args.question, k=args.k, mode=SearchMode(args.mode)), start=1
    ):
        s = hit.sentence
        dense = f"{hit.dense_score:.3f}" if hit.dense_score is not None else "-"
        lexical = f"{hit.lexical_score:.2f}" if hit.lexical_score is not None else "-"
        print(f"{rank}. [{hit.score:.3f} dense {dense} bm25 {lexical}] {s.text}")
        print(f"   — {s.title}, paragraph {s.paragraph} ({s.article_id})")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    commands = parser.add_subparsers(required=True)
    build_cmd = commands.add_parser("build", help="embed every sentence of SEEDS_DIR into INDEX_DIR")
    build_cmd.set_defaults(command=build)
    search_cmd = commands.add_parser("search", help="print the best sentences for a question")
    search_cmd.add_argument("question")
    search_cmd.add_argument("-k", type=int, default=5, help="how many sentences (default 5)")
    search_cmd.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
    search_cmd.set_defaults(command=search)
    return parser


if __name__ == "__main__":
    sys.exit(main())
