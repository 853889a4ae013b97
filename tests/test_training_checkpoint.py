"""Training resumes from its checkpoint only when the checkpoint is of the same run (seed)."""

from pathlib import Path

import pytest
import torch

from training.train import load_checkpoint


def test_no_checkpoint_means_a_fresh_start(tmp_path: Path) -> None:
    assert load_checkpoint(tmp_path / "checkpoint.pt", seed=13) is None


def test_a_checkpoint_of_the_same_seed_is_resumed(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.pt"
    torch.save({"step": 100, "seed": 14}, path)
    state = load_checkpoint(path, seed=14)
    assert state is not None and state["step"] == 100


def test_a_checkpoint_of_another_seed_stops_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.pt"
    torch.save({"step": 100, "seed": 13}, path)
    with pytest.raises(ValueError, match="seed 13: give --work another folder"):
        load_checkpoint(path, seed=14)


def test_a_checkpoint_from_before_seeds_were_recorded_counts_as_the_default_seed(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.pt"
    torch.save({"step": 100}, path)
    assert load_checkpoint(path, seed=13) is not None
    with pytest.raises(ValueError):
        load_checkpoint(path, seed=14)
