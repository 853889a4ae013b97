"""Where the benchmarks leave their figures: JSON files under bench/results/ (git ignores them)."""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS_DIR = REPO / "bench" / "results"


def write_figures(figures: dict, path: Path) -> int:
    """Write the figures as JSON and say where; the exit code of a benchmark that got this far."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(REPO)}")
    return 0
