"""store.py: schema and migrations, refusing files that are not ours, reviews, undo, attempts, mock sessions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tfprep import srs
from tfprep.bank.model import Card
from tfprep.errors import StoreError
from tfprep.paths import Paths
from tfprep.store import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Store, migrate

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CARD = Card(
    id="en.attention.why-sqrt-dk",
    question="Why divide by √d_k?",
    answer="variance",
    line=12,
    tags=("attention", "softmax"),
    source="questions/en/attention.md",
    deck="Attention",
    lang="en",
)

# The v1 schema exactly as first released. Frozen here on purpose: a later edit of MIGRATIONS[0] must not
# silently change what old databases look like.
V1_DDL = """
CREATE TABLE cards (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, due TEXT NOT NULL, question TEXT NOT NULL DEFAULT '',
    deck TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', line INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]', lang TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL
);
CREATE INDEX cards_due ON cards(due);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT, card_id TEXT NOT NULL REFERENCES cards(id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), reviewed_at TEXT NOT NULL, duration_ms INTEGER,
    prev_state INTEGER NOT NULL, state_before TEXT, state_after TEXT NOT NULL
);
CREATE INDEX reviews_card ON reviews(card_id, id);
CREATE INDEX reviews_time ON reviews(reviewed_at);
"""


def rate(store: Store, card: Card = CARD, rating: int = 3, at: datetime = T0) -> int:
    """Rate `card` the way the quiz does; returns the review id."""
    sched = srs.make_scheduler(fuzz=False)
    js = store.card_states([card.id]).get(card.id)
    before = None if js is None else srs.state_from_json(js)
    after = srs.review(sched, before, rating, at)
    return store.record_review(
        card,
        rating=rating,
        reviewed_at=at,
        state_before=js,
        state_after=srs.state_to_json(after),
        due=after.due,
        prev_state=srs.state_kind(before),
        duration_ms=1234,
    )


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# -- the file ------------------------------------------------------------------------------------------


def test_new_database_is_marked_ours_in_wal_mode(home):
    with Store.open(Paths(home)) as s:
        assert s.schema_version == SCHEMA_VERSION == 4
    db = home / "tfprep.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"cards", "reviews", "attempts", "mock_sessions"} <= tables(db)


def test_open_creates_the_home_folder(tmp_path):
    paths = Paths(tmp_path / "not" / "yet")
    with Store.open(paths):
        pass
    assert paths.db.is_file()


def test_open_existing_does_not_create(tmp_path):
    paths = Paths(tmp_path / "nothing")
    assert Store.open_existing(paths) is None
    assert not paths.home.exists()


def test_an_empty_file_is_initialised(home):
    (home / "tfprep.db").touch()
    with Store.open(Paths(home)) as s:
        assert s.schema_version == SCHEMA_VERSION


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1234")
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('precious')")
    conn.close()


def _plain_sqlite(path: Path) -> None:  # application_id 0, but tables: still someone else's
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE cards (id INTEGER)")
    conn.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _text(path: Path) -> None:
    path.write_text("my notes, not a database\n")


def _corrupt_tfprep(path: Path) -> None:
    with Store.connect(path) as s:
        for i in range(300):
            rate(s, Card(id=f"c{i}", question="q" * 200, answer="a", line=i))
    with sqlite3.connect(path) as conn:  # fold the WAL into the main file, then damage a page in the middle
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    assert len(data) > 8 * 4096
    data[3 * 4096 : 5 * 4096] = os.urandom(2 * 4096)
    path.write_bytes(bytes(data))


def _newer_tfprep(path: Path) -> None:
    with Store.connect(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_foreign_sqlite, "not a tfprep database"),
        (_plain_sqlite, "not a tfprep database"),
        (_random_bytes, "not a tfprep database"),
        (_text, "not a tfprep database"),
        (_corrupt_tfprep, "damaged"),
        (_newer_tfprep, "newer tfprep"),
    ],
)
def test_a_file_that_is_not_ours_is_refused_and_left_untouched(home, make, words):
    db = home / "tfprep.db"
    make(db)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    before = db.read_bytes()
    with pytest.raises(StoreError) as info:
        Store.open(Paths(home))
    message = str(info.value)
    assert words in message
    assert str(db) in message
    assert "\n" not in message
    assert "TFPREP_HOME" in message or "upgrade" in message
    assert db.read_bytes() == before
    assert hashlib.sha256(db.read_bytes()).digest() == hashlib.sha256(before).digest()


def test_a_directory_at_the_db_path_is_refused(home):
    (home / "tfprep.db").mkdir()
    with pytest.raises(StoreError, match="directory"):
        Store.open(Paths(home))


# -- migrations ----------------------------------------------------------------------------------------


def _db_at_version(path: Path, version: int) -> None:
    """A database as an older tfprep left it: the first `version` migrations, plus some data."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=version)
    conn.close()


@pytest.mark.parametrize("version", range(0, SCHEMA_VERSION))
def test_migrates_from_every_earlier_version(home, version):
    db = home / "tfprep.db"
    _db_at_version(db, version)
    if version >= 1:
        with sqlite3.connect(db) as conn:  # data written by that version, with its own tables only
            conn.execute(
                "INSERT INTO cards (id, state, due, question, tags, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    "old",
                    '{"x": 1}',
                    T0.isoformat(timespec="microseconds"),
                    "Old question?",
                    '["attention"]',
                    T0.isoformat(),
                ),
            )
            conn.execute(
                "INSERT INTO reviews (card_id, rating, reviewed_at, prev_state, state_after) VALUES (?,?,?,?,?)",
                ("old", 3, T0.isoformat(timespec="microseconds"), 0, '{"x": 1}'),
            )
        conn.close()
    if version >= 2:
        with sqlite3.connect(db) as conn:
            conn.execute(
                "INSERT INTO attempts (drill, verdict, passed, total, created_at, code) VALUES (?,?,?,?,?,?)",
                ("softmax", "passed", 3, 3, T0.isoformat(timespec="microseconds"), "def softmax(x): ..."),
            )
        conn.close()
    with Store.open(Paths(home)) as s:
        assert s.schema_version == SCHEMA_VERSION
        if version >= 1:
            assert s.card("old").question == "Old question?"
            assert s.card("old").tags == ("attention",)
            assert [r.rating for r in s.reviews()] == [3]
        if version >= 2:
            assert [a.code for a in s.attempts()] == ["def softmax(x): ..."]
        s.record_attempt("layernorm", verdict="passed", passed=3, total=3, created_at=T0, code="x = 1")
        s.save_mock_session("m1", round="r1", started_at=T0)
        assert s.attempts()[-1].drill == "layernorm" and s.mock_session("m1") is not None
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_migrates_a_v1_database_made_with_the_frozen_v1_ddl(home):
    db = home / "tfprep.db"
    conn = sqlite3.connect(db)
    conn.executescript(V1_DDL)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    sched = srs.make_scheduler(fuzz=False)
    state = srs.state_to_json(srs.review(sched, None, 4, T0))
    conn.execute(
        "INSERT INTO cards (id, state, due, question, deck, source, line, tags, lang, updated_at)"
        " VALUES ('k', ?, ?, 'Q?', 'Deck', 'a.md', 3, '[\"llm\"]', 'en', ?)",
        (state, (T0 + timedelta(days=8)).isoformat(timespec="microseconds"), T0.isoformat()),
    )
    conn.execute(
        "INSERT INTO reviews (card_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after)"
        " VALUES ('k', 4, ?, 900, 0, NULL, ?)",
        (T0.isoformat(timespec="microseconds"), state),
    )
    conn.commit()
    conn.close()
    with Store.open(Paths(home)) as s:
        assert s.schema_version == SCHEMA_VERSION
        c = s.card("k")
        assert (c.question, c.deck, c.source, c.line, c.tags, c.lang) == (
            "Q?",
            "Deck",
            "a.md",
            3,
            ("llm",),
            "en",
        )
        assert c.due == T0 + timedelta(days=8)
        (r,) = s.reviews()
        assert (r.card_id, r.rating, r.duration_ms, r.prev_state) == ("k", 4, 900, 0)
        assert srs.state_from_json(s.card_states()["k"]).to_dict() == srs.state_from_json(state).to_dict()
    assert {"attempts", "mock_sessions"} <= tables(db)


def test_migration_list_and_version_agree():
    assert len(MIGRATIONS) == SCHEMA_VERSION
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn) == SCHEMA_VERSION
    assert migrate(conn) == SCHEMA_VERSION  # idempotent


def test_a_failed_migration_leaves_the_version_alone(monkeypatch, tmp_path):
    import tfprep.store.schema as store_mod

    db = tmp_path / "x.db"
    _db_at_version(db, 1)
    monkeypatch.setattr(
        store_mod, "MIGRATIONS", [*MIGRATIONS[:1], "CREATE TABLE attempts (id); SYNTAX ERROR;"]
    )
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        store_mod.migrate(conn, target=2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "attempts" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


# -- reviews and undo ----------------------------------------------------------------------------------


def test_a_review_saves_card_metadata_and_state(mem_store):
    rid = rate(mem_store, rating=4)
    (c,) = mem_store.cards()
    assert (c.id, c.question, c.deck, c.source, c.line, c.tags, c.lang) == (
        CARD.id,
        CARD.question,
        "Attention",
        CARD.source,
        12,
        ("attention", "softmax"),
        "en",
    )
    assert c.due == T0 + timedelta(days=8)
    (r,) = mem_store.reviews()
    assert (r.id, r.rating, r.prev_state, r.state_before, r.duration_ms) == (rid, 4, srs.NEW, None, 1234)
    assert r.reviewed_at == T0


def test_card_rows_keep_the_last_seen_question(mem_store):
    rate(mem_store)
    edited = Card(
        id=CARD.id, question="Why √d_k, really?", answer="", line=40, tags=("attention",), deck="Att"
    )
    rate(mem_store, edited, at=T0 + timedelta(minutes=10))
    c = mem_store.card(CARD.id)
    assert (c.question, c.line, c.tags, c.deck) == ("Why √d_k, really?", 40, ("attention",), "Att")
    assert len(mem_store.reviews(card_id=CARD.id)) == 2


def test_undo_restores_the_previous_state_and_deletes_the_review(mem_store):
    rate(mem_store, rating=3)
    state_after_first = mem_store.card_states()[CARD.id]
    due_after_first = mem_store.card(CARD.id).due
    second = rate(mem_store, rating=1, at=T0 + timedelta(minutes=10))
    assert mem_store.card_states()[CARD.id] != state_after_first
    undone = mem_store.undo_review(second)
    assert undone.id == second and undone.rating == 1
    assert mem_store.card_states()[CARD.id] == state_after_first
    assert mem_store.card(CARD.id).due == due_after_first
    assert [r.rating for r in mem_store.reviews()] == [3]


def test_undo_of_a_first_review_makes_the_card_new_again(mem_store):
    rate(mem_store)
    assert mem_store.undo_review() is not None
    assert mem_store.cards() == [] and mem_store.reviews() == []
    assert mem_store.undo_review() is None  # nothing left


def test_only_the_latest_review_of_a_card_can_be_undone(mem_store):
    first = rate(mem_store)
    rate(mem_store, at=T0 + timedelta(minutes=10))
    with pytest.raises(StoreError, match="latest"):
        mem_store.undo_review(first)
    assert len(mem_store.reviews()) == 2


def test_new_cards_since_counts_first_reviews(mem_store):
    rate(mem_store, Card(id="a", question="a", answer="", line=1), at=T0 - timedelta(days=1))
    rate(mem_store, Card(id="b", question="b", answer="", line=1), at=T0)
    rate(mem_store, Card(id="b", question="b", answer="", line=1), at=T0 + timedelta(minutes=1))  # not new
    rate(mem_store, Card(id="c", question="c", answer="", line=1), at=T0 + timedelta(hours=1))
    assert mem_store.new_cards_since(T0) == 2
    assert mem_store.new_cards_since(T0 - timedelta(days=2)) == 3


def test_reviews_survive_reopening(home):
    with Store.open(Paths(home)) as s:
        rate(s)
        rate(s, at=T0 + timedelta(minutes=10))
    with Store.open(Paths(home)) as s:
        assert [r.rating for r in s.reviews()] == [3, 3]
        assert s.review_count() == 2


def test_a_failed_write_is_rolled_back(mem_store):
    with pytest.raises(sqlite3.IntegrityError):
        mem_store.record_review(
            CARD, rating=3, reviewed_at=T0, state_before=None, state_after=None, due=T0, prev_state=0
        )
    assert mem_store.cards() == [] and mem_store.reviews() == []


# -- attempts and mock sessions ------------------------------------------------------------------------


def test_attempts_keep_the_code(mem_store):
    code = "def softmax(x):\n    return x\n"
    aid = mem_store.record_attempt(
        "softmax",
        verdict="failed",
        passed=1,
        total=4,
        duration_s=0.8,
        seed=7,
        created_at=T0,
        submission_path="/w/softmax.py",
        code=code,
    )
    (a,) = mem_store.attempts("softmax")
    assert a.id == aid and a.code == code and a.seed == 7 and a.passed == 1 and a.total == 4
    assert a.submission_sha256 == hashlib.sha256(code.encode()).hexdigest()
    assert a.submission_path == "/w/softmax.py" and a.created_at == T0
    assert mem_store.attempts("other") == []


def test_drill_summary(mem_store):
    add = mem_store.record_attempt
    add("softmax", verdict="failed", passed=1, total=4, duration_s=2.0, created_at=T0)
    add("softmax", verdict="passed", passed=4, total=4, duration_s=3.0, created_at=T0)
    add("softmax", verdict="passed", passed=4, total=4, duration_s=1.5, created_at=T0)
    add("attention", verdict="timeout", passed=0, total=5, duration_s=10.0, created_at=T0)
    summary = mem_store.drill_summary(["softmax", "attention", "layernorm"])
    assert summary == {
        "softmax": {"status": "solved", "best_time": 1.5, "attempts": 3},
        "attention": {"status": "attempted", "best_time": None, "attempts": 1},
        "layernorm": {"status": "new", "best_time": None, "attempts": 0},
    }
    assert mem_store.drill_summary() == {k: v for k, v in summary.items() if k != "layernorm"}


def test_mock_sessions(mem_store):
    mem_store.save_mock_session("s1", round="basics", lang="en", started_at=T0)
    mem_store.save_mock_session("s2", round="llm", lang="zh", started_at=T0 + timedelta(days=1))
    mem_store.save_mock_session(
        "s1",
        round="basics",
        lang="en",
        started_at=T0,
        ended_at=T0 + timedelta(minutes=45),
        complete=True,
        score=7.5,
        report={"covered": ["a"], "missed": ["b"]},
    )
    s1 = mem_store.mock_session("s1")
    assert s1.complete and s1.score == 7.5 and s1.ended_at == T0 + timedelta(minutes=45)
    assert s1.report == {"covered": ["a"], "missed": ["b"]}
    assert [m.id for m in mem_store.mock_sessions()] == ["s2", "s1"]
    assert mem_store.mock_session("nope") is None
