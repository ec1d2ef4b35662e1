"""What users ask and how they rate answers, in SQLite, so moderators can grow the knowledge.

Privacy: no user, role, channel or guild ids, and no names. Questions keep their
time, platform, text (mentions scrubbed), outcome, fact and confidence. A vote
keeps a voter key only so that each person has one (changeable) vote per answer;
see `QuestionLog._voter_key` for why that key cannot be turned back into an id.

Robustness: logging must never cost an answer. Every write catches database
errors (locked, full, read-only), logs the first one and carries on; a corrupt
file is moved aside and a fresh database started, and so is a file deleted
while the bot runs (SQLite would go on writing into the deleted file unseen).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .mentions import scrub_mentions

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_RETENTION_DAYS = 90
BUSY_TIMEOUT_MS = 50  # a locked database gives up quickly instead of holding up an answer
# Until version 4 votes were keyed by an HMAC whose key lived in this file beside the database.
OLD_VOTER_KEY_FILE = "voter-salt"

# Each entry moves the schema one version up; never edit a released entry, add one.
MIGRATIONS = [
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at REAL NOT NULL,
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        question TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('answered', 'clarify', 'no_answer')),
        fact_id TEXT,
        confidence REAL NOT NULL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    """,
    """
    CREATE TABLE feedback (
        question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        fact_id TEXT NOT NULL,
        voted_at REAL NOT NULL,
        PRIMARY KEY (question_id, voter)
    );
    """,
    # Mentions kept user, role and channel ids in the question text until version 3.
    """
    UPDATE questions SET question = scrub_mentions(question) WHERE question LIKE '%<%>%';
    """,
    # Questions kept their guild channel's id until version 4, and votes a voter key that the key
    # file beside the database could match against a guild's member ids: both go.
    """
    ALTER TABLE questions DROP COLUMN channel;
    UPDATE feedback SET voter = lower(hex(randomblob(16)));
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: float
    platform: str
    question: str
    status: str
    fact_id: str | None
    confidence: float


class QuestionLog:
    def __init__(self, path: Path, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.path = path
        self.retention_days = retention_days
        self._lock = threading.Lock()
        self._warned = False
        self._key = secrets.token_bytes(32)  # this run's voter key: memory only, see _voter_key
        self._connection: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) of the file the connection writes to
        _forget_old_voter_key_file(path)
        self._guard(self._open, None)
        self.prune()

    # ----------------------------------------------------------- connection
    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._connection = self._connect()
        except sqlite3.DatabaseError as error:
            if "not a database" not in str(error) and "malformed" not in str(error):
                raise
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.error("question log %s is corrupt (%s); moved it to %s and started afresh", self.path, error, aside)
            os.replace(self.path, aside)
            self._connection = self._connect()
        self._file = _file_identity(self.path)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        connection.create_function("scrub_mentions", 1, scrub_mentions, deterministic=True)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        _migrate(connection)
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._reopen_if_gone()
            if self._connection is None:
                raise sqlite3.OperationalError("the question log is not open")
            with self._connection:
                yield self._connection

    def _reopen_if_gone(self) -> None:
        """A deleted or replaced file would swallow every later question and vote: start a new one."""
        if self._connection is None or _file_identity(self.path) == self._file:
            return
        log.warning("question log %s was deleted or replaced while the bot ran; started a new one", self.path)
        self.close()
        self._open()

    def _guard(self, action: Callable[[], T], fallback: T) -> T:
        """Run a database action; on failure log once and return `fallback`."""
        try:
            return action()
        except (sqlite3.Error, OSError) as error:
            if not self._warned:
                log.warning("question log %s unavailable (%s); answering goes on without it", self.path, error)
                self._warned = True
            return fallback

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --------------------------------------------------------------- writes
    def record(self, platform: str, question: str, status: str, fact_id: str | None, confidence: float) -> int | None:
        """Store one question; returns its id, or None when the log is unavailable."""
        def insert() -> int | None:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO questions (asked_at, platform, question, status, fact_id, confidence)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (time.time(), platform, scrub_mentions(question)[:2000], status, fact_id, confidence),
                )
                return cursor.lastrowid

        return self._guard(insert, None)

    def vote(self, question_id: int, voter: str, up: bool) -> bool:
        """One vote per person per answer; voting again changes it. False if not stored."""
        def upsert() -> bool:
            with self._transaction() as db:
                row = db.execute("SELECT fact_id FROM questions WHERE id = ?", (question_id,)).fetchone()
                if row is None or row[0] is None:
                    return False
                db.execute(
                    "INSERT INTO feedback (question_id, voter, vote, fact_id, voted_at) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (question_id, voter)"
                    " DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                    (question_id, self._voter_key(question_id, voter), 1 if up else -1, row[0], time.time()),
                )
                return True

        return self._guard(upsert, False)

    def prune(self) -> int:
        """Delete questions (and their votes) older than the retention period."""
        cutoff = time.time() - self.retention_days * 86400

        def delete() -> int:
            with self._transaction() as db:
                return db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

        return self._guard(delete, 0)

    # ---------------------------------------------------------------- reads
    def questions(self, since: float = 0.0) -> list[LoggedQuestion]:
        def select() -> list[LoggedQuestion]:
            with self._transaction() as db:
                rows = db.execute(
                    "SELECT id, asked_at, platform, question, status, fact_id, confidence"
                    " FROM questions WHERE asked_at >= ? ORDER BY asked_at DESC", (since,)
                ).fetchall()
            return [LoggedQuestion(*row) for row in rows]

        return self._guard(select, [])

    def votes_by_fact(self) -> list[tuple[str, int, int]]:
        """(fact id, thumbs down, thumbs up), most thumbs down first."""
        def select() -> list[tuple[str, int, int]]:
            with self._transaction() as db:
                return db.execute(
                    "SELECT fact_id, SUM(vote < 0), SUM(vote > 0) FROM feedback GROUP BY fact_id"
                    " ORDER BY SUM(vote < 0) DESC, SUM(vote > 0) ASC, fact_id"
                ).fetchall()

        return self._guard(select, [])

    @property
    def available(self) -> bool:
        return self._connection is not None

    # -------------------------------------------------------------- privacy
    def _voter_key(self, question_id: int, voter: str) -> str:
        """Who voted on this answer, as a key that cannot be turned back into a Discord id.

        A hash of the id alone could be reversed by hashing every member id of the guild (they
        are public to members), and so could a keyed hash whose key is stored on disk. This key
        (HMAC) lives only in this process's memory and dies with it, so the stored keys match no
        id afterwards; the answer's id is hashed in too, so one person's votes on different
        answers cannot even be linked to each other. The price: after a restart a person's click
        on an old answer counts as a new vote — acceptable for a hint to moderators, not a ballot.
        """
        message = f"{question_id}:{voter}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to date. Each migration commits together with its version number, so a
    failure leaves the database at the previous version, whole, to retry on the next open. After
    any migration VACUUM and a checkpoint rewrite the file at once, so that dropped ids linger
    neither in free pages nor in old pages waiting for the write-ahead log."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version, SCHEMA_VERSION):
        try:
            connection.executescript(f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;")
        except sqlite3.Error:
            connection.rollback()
            raise
    if version < SCHEMA_VERSION:
        connection.execute("VACUUM")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _forget_old_voter_key_file(path: Path) -> None:
    """The key file older versions kept beside the database could link stored votes to member ids;
    the migration to version 4 re-keys those votes at random, and the file is no use to anyone."""
    with contextlib.suppress(OSError):
        path.with_name(OLD_VOTER_KEY_FILE).unlink(missing_ok=True)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)
