"""Two imports at once (issue 8 item 7): both succeed, the second queued behind the first
and told so; the audit chain stays whole."""

from __future__ import annotations

import threading

import pytest

import import_fixture as fx
from scoring import audit, bootstrap, db, receipts, writer
from scoring.importer import import_files


def _products(directory, inst_id: str, n: int):
    rows = [{"product_id": f"P{inst_id}{i}", "inst_id": inst_id, "name": f"产品{i}", "category": "other",
             "launched_on": "2025-01-0{}".format(1 + i % 9), "innovative": "false"} for i in range(n)]
    return fx.write_all(directory, {"products": rows})


def test_two_banks_importing_at_the_same_moment_both_succeed(tmp_path):
    con = bootstrap.connect(tmp_path / "w.duckdb", demo_if_missing=False)
    assert import_files(con, fx.write_all(tmp_path / "base")).ok
    waited, reports = [], {}

    def bank(inst_id: str) -> None:
        reports[inst_id] = receipts.submit(con, _products(tmp_path / inst_id, inst_id, 200), user=inst_id,
                                               inst_id=inst_id, on_wait=lambda: waited.append(inst_id))

    threads = [threading.Thread(target=bank, args=(inst,)) for inst in ("B1", "B2")]
    with writer.exclusive():  # a third import is writing: both must queue behind it
        for t in threads:
            t.start()
        for _ in range(200):
            if len(waited) == 2:
                break
            threading.Event().wait(0.05)
    for t in threads:
        t.join(60)
    assert sorted(waited) == ["B1", "B2"], "each user was told the import is queued"
    assert all(r.ok for r in reports.values()), [r.to_text() for r in reports.values()]
    assert con.execute("select inst_id, count(*) from products where product_id like 'PB%' group by 1 order by 1"
                       ).fetchall() == [("B1", 200), ("B2", 200)]


@pytest.mark.slow  # threads importing and publishing on one database file
def test_overlapping_imports_with_replacements_keep_one_audit_chain(tmp_path):
    """Without queuing, two imports committing together conflict on the data version ("Conflict
    on update"); queued, both land, and their replaced rows form one unbroken chain."""
    con = bootstrap.connect(tmp_path / "w.duckdb", demo_if_missing=False)
    assert import_files(con, fx.write_all(tmp_path / "base")).ok
    renamed = {}
    for inst in ("B1", "B2"):
        assert receipts.submit(con, _products(tmp_path / f"a{inst}", inst, 300), user=inst, inst_id=inst).ok
        renamed[inst] = _products(tmp_path / f"b{inst}", inst, 300)
        text = renamed[inst][0].read_text(encoding="utf-8-sig").replace("产品", "新产品")
        renamed[inst][0].write_text(text, encoding="utf-8-sig")  # new names: every row is replaced and audited
    reports = []
    barrier = threading.Barrier(2)

    def bank(inst_id: str) -> None:
        barrier.wait()
        reports.append(receipts.submit(con, renamed[inst_id], user=inst_id, inst_id=inst_id))

    threads = [threading.Thread(target=bank, args=(inst,)) for inst in ("B1", "B2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(reports) == 2 and all(r.ok for r in reports), [r.to_text() for r in reports]
    assert sorted(r.files[0].replaced for r in reports) == [300, 300]
    verdict = audit.verify(con, audit.IMPORTS)
    assert verdict.ok and verdict.rows == 600


def test_after_an_import_each_cached_question_is_recomputed_once_not_once_per_session(tmp_path, monkeypatch):
    """Cached results key on the data version: after an import, sessions asking the same
    question at the same moment wait for one computation (Streamlit's per-key lock) instead
    of each recomputing it."""
    from ui import data

    path = tmp_path / "c.duckdb"
    bootstrap.connect(path, demo_if_missing=False).close()
    monkeypatch.setenv(db.DB_ENV, str(path))
    calls = []

    def slow_question(con):
        calls.append(1)
        threading.Event().wait(0.3)
        return con.execute("select count(*) from districts").fetchall()[0][0]

    def sessions(n: int) -> list:
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(data.load(slow_question, scope=None)))
                   for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        return answers

    assert sessions(8) == [41] * 8 and len(calls) == 1
    with data.cursor() as cur:
        db.bump_data_version(cur)  # what an import does
    assert sessions(8) == [41] * 8 and len(calls) == 2


@pytest.mark.slow  # threads importing and publishing on one database file
def test_publishing_queues_behind_a_writer_and_says_so(tmp_path):
    """Publishing writes next year's cooperating list and the data version, as an import does: from the
    runs page it takes the writer lock too (issue 8), so it waits for an import in progress."""
    import evaluation_fixture as ev
    from scoring import runs

    con = ev.build(bootstrap.connect(tmp_path / "p.duckdb", demo_if_missing=False))
    draft = runs.evaluate_and_store(con, ev.YEAR, draws=0)
    waited, published = threading.Event(), []
    cursor = con.cursor()
    publisher = threading.Thread(target=lambda: published.append(
        writer.publish(cursor, draft.run_id, on_wait=waited.set)))
    with writer.exclusive():  # an import is writing
        publisher.start()
        assert waited.wait(30), "the user is told the publication is queued"
        assert not runs.load_run(con, draft.run_id).published, "nothing is published while the import writes"
    publisher.join(60)
    assert published and published[0].published and runs.load_run(con, draft.run_id).published
