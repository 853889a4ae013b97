"""Subscriptions, the articles already announced, and the outbox of alerts, in one SQLite file.

Why an outbox: the alerts for a new article are written (one row per subscriber, in the same
transaction that marks the article as announced) before anything is sent. The sender marks a row
sent once Telegram has confirmed it. A crash between two sends therefore loses nothing (the unsent
rows are still there at the next start) and repeats nothing (the sent ones are marked). The one
window left is between Telegram's confirmation and the commit of `mark_sent`, microseconds long.

Each call opens its own short connection (WAL: readers never wait for the writer), so the store
can be used from the event loop and from worker threads alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

ALL_REPORTS = ""  # the subject of a subscription to every new report

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL,
    subject TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, subject)
);
CREATE TABLE IF NOT EXISTS announced (
    article_id TEXT PRIMARY KEY,
    announced_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    done_at TEXT,
    reason TEXT,
    UNIQUE (chat_id, article_id)
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (state, id);
"""


class RowState(StrEnum):
    PENDING = "pending"  # to send (again, after a restart or a long outage)
    SENT = "sent"  # Telegram confirmed it
    UNCONFIRMED = "unconfirmed"  # sent, no answer came: it may have arrived, so it is not sent again
    FAILED = "failed"  # Telegram refused it for good (400), or the chat blocked the bot (403)


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    subject: str  # ALL_REPORTS for every report
    language: str


@dataclass(frozen=True)
class Alert:
    """One message for one chat: what the outbox holds."""

    chat_id: int
    article_id: str
    text: str


@dataclass(frozen=True)
class OutboxRow:
    id: int
    chat_id: int
    article_id: str
    text: str


@dataclass(frozen=True)
class Counts:
    chats: int
    subscriptions: int
    pending: int
    sent: int


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AlertStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")  # stored in the file: once is enough
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a process crash loses no commit
            with db:
                yield db
        finally:
            db.close()

    # -- subscriptions -------------------------------------------------------------------------

    def subscribe(self, chat_id: int, subject: str, language: str) -> bool:
        """True when it is new (a repeated /follow changes nothing but the language)."""
        with self._connect() as db:
            found = db.execute(
                "SELECT 1 FROM subscriptions WHERE chat_id = ? AND subject = ?", (chat_id, subject)
            ).fetchone()
            db.execute(
                "INSERT INTO subscriptions (chat_id, subject, language, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (chat_id, subject) DO UPDATE SET language = excluded.language",
                (chat_id, subject, language, now()),
            )
            return found is None

    def unsubscribe(self, chat_id: int, subject: str | None = None) -> int:
        """Remove one subscription, or all of the chat's (subject None); how many were removed."""
        with self._connect() as db:
            if subject is None:
                cursor = db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
            else:
                cursor = db.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ? AND subject = ?", (chat_id, subject)
                )
            return cursor.rowcount

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        """A chat's subscriptions (every chat's when None), oldest first."""
        query = "SELECT chat_id, subject, language FROM subscriptions"
        args: tuple[int, ...] = ()
        if chat_id is not None:
            query, args = query + " WHERE chat_id = ?", (chat_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY created_at, rowid", args).fetchall()
        return [Subscription(chat_id=c, subject=s, language=lang) for c, s, lang in rows]

    def forget_chat(self, chat_id: int, reason: str) -> int:
        """A chat that blocked the bot: its subscriptions go and its waiting alerts fail.

        Returns the number of subscriptions removed."""
        with self._connect() as db:
            removed = db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)).rowcount
            db.execute(
                "UPDATE outbox SET state = ?, done_at = ?, reason = ? WHERE chat_id = ? AND state = ?",
                (RowState.FAILED, now(), reason, chat_id, RowState.PENDING),
            )
            return removed

    # -- new articles --------------------------------------------------------------------------

    def announced(self) -> set[str]:
        with self._connect() as db:
            return {row[0] for row in db.execute("SELECT article_id FROM announced")}

    def announce(self, article_ids: Iterable[str], alerts: Iterable[Alert]) -> int:
        """Mark the articles announced and queue their alerts, in one transaction; alerts queued.

        An alert already queued for the same chat and article is not queued twice."""
        stamp = now()
        with self._connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO announced (article_id, announced_at) VALUES (?, ?)",
                [(article_id, stamp) for article_id in article_ids],
            )
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO outbox (chat_id, article_id, text, created_at) VALUES (?, ?, ?, ?)",
                [(a.chat_id, a.article_id, a.text, stamp) for a in alerts],
            )
            return db.total_changes - before

    # -- the outbox ----------------------------------------------------------------------------

    def pending(self, limit: int = 10_000) -> list[OutboxRow]:
        """Alerts still to send, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, chat_id, article_id, text FROM outbox WHERE state = ? ORDER BY id LIMIT ?",
                (RowState.PENDING, limit),
            ).fetchall()
        return [OutboxRow(id=i, chat_id=c, article_id=a, text=t) for i, c, a, t in rows]

    def finish(self, row_id: int, state: RowState, reason: str | None = None) -> None:
        """Record what became of one alert (only a pending one changes)."""
        with self._connect() as db:
            db.execute(
                "UPDATE outbox SET state = ?, done_at = ?, reason = ? WHERE id = ? AND state = ?",
                (state, now(), reason, row_id, RowState.PENDING),
            )

    def mark_sent(self, row_id: int) -> None:
        self.finish(row_id, RowState.SENT)

    def counts(self) -> Counts:
        with self._connect() as db:
            chats, subscriptions = db.execute(
                "SELECT COUNT(DISTINCT chat_id), COUNT(*) FROM subscriptions"
            ).fetchone()
            states = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        return Counts(
            chats=chats,
            subscriptions=subscriptions,
            pending=states.get(RowState.PENDING, 0),
            sent=states.get(RowState.SENT, 0),
        )
