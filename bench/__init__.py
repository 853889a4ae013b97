"""Benchmarks; results go to bench/results/ (git-ignored)."""
