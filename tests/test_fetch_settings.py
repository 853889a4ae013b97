"""The fetch settings as an operator writes them in `.env`."""

from __future__ import annotations

import ipaddress

import pytest

from index.settings import IndexSettings


def test_empty_values_mean_no_extra_ca_and_no_allowed_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FETCH_CA_BUNDLE", "")
    monkeypatch.setenv("FETCH_ALLOWED_NETWORKS", "")
    settings = IndexSettings(_env_file=None)
    assert settings.fetch_ca_bundle is None and settings.fetch_allowed_networks == ()
    assert settings.allow_private_urls is False


def test_allowed_networks_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FETCH_ALLOWED_NETWORKS", "10.20.0.0/16, fd00:1::/64")
    assert IndexSettings(_env_file=None).fetch_allowed_networks == (
        ipaddress.ip_network("10.20.0.0/16"),
        ipaddress.ip_network("fd00:1::/64"),
    )


def test_a_wrong_network_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FETCH_ALLOWED_NETWORKS", "intranet")
    with pytest.raises(ValueError):
        IndexSettings(_env_file=None)
