"""The database itself refuses to change a signed decision, so no path around the model (a
bulk update, a raw query, a future bug) changes one: a change is a new decision that
replaces it. What may still be written on a signed decision is when and how it was told to
the client and the execution clock (carried out from, why not yet), as the model allows
(`decisions.models.WRITABLE_WHEN_SIGNED`), and its revision."""

from django.db import migrations

from tillit.lib.migrations import by_engine

FIXED = [
    "case_id",
    "kind",
    "origin",
    "what",
    "outcome",
    "starts_on",
    "ends_on",
    "grounds",
    "law_id",
    "delegation",
    "appeal_info",
    "decided_on",
    "decided_by_id",
    "signed_at",
    "replaces_id",
    "created_at",
    "submission",
]
MESSAGE = "signed decisions cannot be changed"
SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FIXED)
POSTGRES_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FIXED)
SQLITE = [
    f"""CREATE TRIGGER decision_signed_no_update BEFORE UPDATE ON decisions_decision
       WHEN OLD.signed_at IS NOT NULL AND ({SQLITE_CHANGED})
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER decision_signed_no_update"]
POSTGRES = [
    f"""CREATE FUNCTION decision_signed_immutable() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
       END $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER decision_signed_immutable BEFORE UPDATE ON decisions_decision
       FOR EACH ROW WHEN (OLD.signed_at IS NOT NULL AND ({POSTGRES_CHANGED}))
       EXECUTE FUNCTION decision_signed_immutable()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER decision_signed_immutable ON decisions_decision",
    "DROP FUNCTION decision_signed_immutable()",
]


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_laws")]
    operations = [
        by_engine(
            postgres=POSTGRES,
            sqlite=SQLITE,
            postgres_reverse=POSTGRES_REVERSE,
            sqlite_reverse=SQLITE_REVERSE,
        )
    ]
