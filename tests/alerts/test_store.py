"""The alert store: subscriptions, announced articles, and an outbox that survives a crash."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.alerts.store import ALL_REPORTS, Alert, AlertStore, RowState


def test_subscriptions_survive_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "alerts.sqlite3"
    AlertStore(path).subscribe(7, "tawanan", "id")
    AlertStore(path).subscribe(8, ALL_REPORTS, "en")
    assert [(s.chat_id, s.subject, s.language) for s in AlertStore(path).subscriptions()] == [
        (7, "tawanan", "id"),
        (8, ALL_REPORTS, "en"),
    ]


def test_following_the_same_subject_twice_keeps_one_subscription(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    assert store.subscribe(7, "tawanan", "id") is True
    assert store.subscribe(7, "tawanan", "en") is False
    assert [(s.subject, s.language) for s in store.subscriptions(7)] == [("tawanan", "en")]


def test_unfollow_removes_one_subject_or_all(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    for subject in (ALL_REPORTS, "tawanan", "gencatan senjata"):
        store.subscribe(7, subject, "id")
    assert store.unsubscribe(7, "tawanan") == 1
    assert store.unsubscribe(7, "tawanan") == 0
    assert store.unsubscribe(7) == 2 and store.subscriptions(7) == []


def test_alerts_are_queued_once_per_chat_and_article(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    alert = Alert(chat_id=7, article_id="a1", text="new")
    assert store.announce(["a1"], [alert]) == 1
    assert store.announce(["a1"], [alert]) == 0
    assert store.announced() == {"a1"} and [r.chat_id for r in store.pending()] == [7]


def test_after_a_crash_between_two_sends_only_the_unsent_alert_is_pending(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    store = AlertStore(path)
    store.announce(["a1"], [Alert(chat_id=c, article_id="a1", text=f"to {c}") for c in (1, 2, 3)])
    first = store.pending()[0]
    store.mark_sent(first.id)
    del store  # the process dies here: nothing is closed or flushed by hand
    after = AlertStore(path)
    assert [r.chat_id for r in after.pending()] == [2, 3]
    assert after.counts().sent == 1


def test_an_article_and_its_alerts_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")

    def alerts_then_a_crash() -> Iterator[Alert]:
        yield Alert(chat_id=1, article_id="a1", text="x")
        raise RuntimeError("the process dies while the alerts are written")

    with pytest.raises(RuntimeError):
        store.announce(["a1"], alerts_then_a_crash())
    assert store.announced() == set() and store.pending() == []


def test_a_chat_that_blocked_the_bot_loses_its_subscriptions_and_waiting_alerts(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    store.subscribe(7, ALL_REPORTS, "id")
    store.subscribe(8, ALL_REPORTS, "id")
    store.announce(
        ["a1", "a2"], [Alert(chat_id=c, article_id=a, text="x") for c in (7, 8) for a in ("a1", "a2")]
    )
    assert store.forget_chat(7, "Forbidden: bot was blocked by the user") == 1
    assert {s.chat_id for s in store.subscriptions()} == {8}
    assert {r.chat_id for r in store.pending()} == {8}


def test_a_finished_alert_does_not_change_state_again(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    store.announce(["a1"], [Alert(chat_id=7, article_id="a1", text="x")])
    row = store.pending()[0]
    store.finish(row.id, RowState.UNCONFIRMED)
    store.mark_sent(row.id)
    assert store.pending() == [] and store.counts().sent == 0


def test_counts_name_chats_subscriptions_and_alerts(tmp_path: Path) -> None:
    store = AlertStore(tmp_path / "a.sqlite3")
    store.subscribe(7, ALL_REPORTS, "id")
    store.subscribe(7, "tawanan", "id")
    store.subscribe(8, "tawanan", "en")
    store.announce(["a1"], [Alert(chat_id=7, article_id="a1", text="x")])
    counts = store.counts()
    assert (counts.chats, counts.subscriptions, counts.pending, counts.sent) == (2, 3, 1, 0)
