"""How every entry point starts: the model, and a loaded index (built first if there is none)."""

import logging

import faiss

from bot.answers.service import AnswerService
from bot.settings import Settings
from index.store import IndexMissingError, current_build_name, load_build

log = logging.getLogger(__name__)


def start_service(settings: Settings) -> AnswerService:
    """Load the model and the index, building the index first if there is none yet."""
    # One query at a time: a second FAISS thread only adds overhead (bench/scale.py).
    faiss.omp_set_num_threads(1)
    service = AnswerService.from_settings(settings)
    if current_build_name(settings.index_dir) is None:
        log.info("No index in %s yet: building it from %s", settings.index_dir, settings.seeds_dir)
        report = service.rebuild()
        log.info(
            "Built %d sentences from %d articles in %.1f s", report.sentences, report.articles, report.seconds
        )
    service.reload_if_changed()
    if service.answerer is None:
        # Re-raise the real reason (corrupt, stale) with its fix.
        load_build(settings.index_dir)
        raise IndexMissingError(service.problem or f"No usable index in {settings.index_dir}.")
    return service
