"""The event log: records read back in order, also when more are added after a read."""

import datetime as dt

from negotiate.eventlog import COLUMNS, EventLog, LogRecord


def test_records_are_read_back_in_order_after_later_adds():
    log = EventLog(dt.date(2025, 1, 6))
    log.add(1, "us", "accusation", "accuses CN", real=False, perceived=True)
    first = log.records
    assert first == [LogRecord(dt.date(2025, 1, 6), 1, "us", "accusation", "accuses CN", False, True)]
    log.add(3, "cn", "posture", "retaliate")
    log.add(3, "calendar", "calendar")
    records = log.records
    assert records[0] is first[0]  # built once, not again on the next read
    assert [(r.week, r.actor, r.kind, r.details, r.real, r.perceived) for r in records] == [
        (1, "us", "accusation", "accuses CN", False, True),
        (3, "cn", "posture", "retaliate", None, None),
        (3, "calendar", "calendar", "", None, None),
    ]
    assert records[1].date == "2025-01-20"
    assert len(log) == 3
    assert log.count("accusation") == 1 and log.count("posture", "us") == 0
    assert log.count("posture", "cn") == 1


def test_table_has_one_row_a_record():
    log = EventLog(dt.date(2025, 1, 6))
    assert list(log.to_frame().columns) == list(COLUMNS) and log.to_frame().empty
    log.add(0, "us", "accusation", "x", real=True, perceived=True)
    log.add(2, "cn", "talks")
    frame = log.to_frame()
    assert list(frame.columns) == list(COLUMNS)
    assert frame["date"].tolist() == ["2025-01-06", "2025-01-13"]  # week 0 is dated as week 1
    assert frame["real"].tolist()[0] is True and frame["real"].isna().tolist() == [False, True]
    assert frame["kind"].tolist() == [r.kind for r in log.records]
