"""The access log is append-only in the database itself: UPDATE and DELETE of its rows,
of the clients a row listed, of the seals and of the tombstones are refused by triggers
on PostgreSQL and SQLite, as signed journal entries' updates are (clients/0003).

One path is let through: a row (and what it listed) may be deleted while a tombstone for
it stands under an open removal (audit_removedrow, audit_removal). Only
tillit.audit.removal.remove writes them, opening and closing the removal in one
transaction; a closed removal cannot be changed again, nor deleted. Test databases are
flushed past these triggers (tillit/audit/testing.py); TRUNCATE, which PostgreSQL's test
flush uses, is a table owner's privilege and leaves the seals behind it, so
`audit_verify` finds it.

Creating a trigger takes a brief lock on its table and reads no rows.
"""

from django.db import migrations

from tillit.lib.migrations import by_engine

REFUSED = "the access log is append-only"

GATE = """EXISTS (SELECT 1 FROM audit_removedrow r JOIN audit_removal m ON m.id = r.removal_id
                  WHERE r.log_id = OLD.{column} AND m.open)"""

SQLITE = [
    f"""CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
        WHEN NOT {GATE.format(column="id")}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_listed_no_delete BEFORE DELETE ON audit_listed
        WHEN NOT {GATE.format(column="log_id")}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_removedrow_no_update BEFORE UPDATE ON audit_removedrow
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_removedrow_no_delete BEFORE DELETE ON audit_removedrow
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_removal_closed BEFORE UPDATE ON audit_removal
        WHEN NOT OLD.open OR OLD.id != NEW.id
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER audit_removal_no_delete BEFORE DELETE ON audit_removal
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
SQLITE_NAMES = [sql.split()[2] for sql in SQLITE]

POSTGRES = [
    f"""CREATE FUNCTION audit_refuse() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
        END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION audit_log_delete() RETURNS trigger AS $$
        BEGIN
          IF {GATE.format(column="id")} THEN RETURN OLD; END IF;
          RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
        END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION audit_listed_delete() RETURNS trigger AS $$
        BEGIN
          IF {GATE.format(column="log_id")} THEN RETURN OLD; END IF;
          RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
       FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
    """CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslog
       FOR EACH ROW EXECUTE FUNCTION audit_log_delete()""",
    """CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed
       FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
    """CREATE TRIGGER audit_listed_no_delete BEFORE DELETE ON audit_listed
       FOR EACH ROW EXECUTE FUNCTION audit_listed_delete()""",
    """CREATE TRIGGER audit_seal_no_change BEFORE UPDATE OR DELETE ON audit_seal
       FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
    """CREATE TRIGGER audit_removedrow_no_change BEFORE UPDATE OR DELETE ON audit_removedrow
       FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
    """CREATE TRIGGER audit_removal_closed BEFORE UPDATE ON audit_removal
       FOR EACH ROW WHEN (NOT OLD.open OR OLD.id <> NEW.id) EXECUTE FUNCTION audit_refuse()""",
    """CREATE TRIGGER audit_removal_no_delete BEFORE DELETE ON audit_removal
       FOR EACH ROW EXECUTE FUNCTION audit_refuse()""",
]
POSTGRES_TRIGGERS = {
    "audit_accesslog_no_update": "audit_accesslog",
    "audit_accesslog_no_delete": "audit_accesslog",
    "audit_listed_no_update": "audit_listed",
    "audit_listed_no_delete": "audit_listed",
    "audit_seal_no_change": "audit_seal",
    "audit_removedrow_no_change": "audit_removedrow",
    "audit_removal_closed": "audit_removal",
    "audit_removal_no_delete": "audit_removal",
}
POSTGRES_REVERSE = [f"DROP TRIGGER {name} ON {table}" for name, table in POSTGRES_TRIGGERS.items()]
POSTGRES_REVERSE += [
    "DROP FUNCTION audit_refuse()",
    "DROP FUNCTION audit_log_delete()",
    "DROP FUNCTION audit_listed_delete()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_chain_and_review")]
    operations = [
        by_engine(
            postgres=POSTGRES,
            sqlite=SQLITE,
            postgres_reverse=POSTGRES_REVERSE,
            sqlite_reverse=[f"DROP TRIGGER {name}" for name in SQLITE_NAMES],
        )
    ]
