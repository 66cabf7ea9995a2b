"""The append-only trigger lets the retention purge through, and nothing else.

UPDATE stays refused, always. DELETE is allowed only for a row of a day before the purge's cutoff, and
only in a transaction that announced the purge with two transaction-local settings:

    SET LOCAL dangjian.audit_purge = 'on';
    SET LOCAL dangjian.audit_purge_before = '2023-11-29';

``audit.retention.audit_purge`` is the one caller; the settings vanish at COMMIT or ROLLBACK, so no other
statement, earlier or later, in this or any other session, can delete through them, and a row on or
after the cutoff cannot be deleted even inside the purge (the cutoff itself is refused below the
retention floor by the service). Someone who can change the settings can also drop the trigger: the
hash chain, not the trigger, is what detects that (``manage.py verify_audit``).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
DECLARE
    purge_before date;
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('dangjian.audit_purge', true) = 'on' THEN
        purge_before := NULLIF(current_setting('dangjian.audit_purge_before', true), '')::date;
        IF purge_before IS NOT NULL AND OLD.chain_day IS NOT NULL AND OLD.chain_day < purge_before THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit_auditevent is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

# The function of 0002: refuses both, always (the trigger itself is unchanged).
BACKWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_auditevent is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing_events")]
    operations = [migrations.RunPython(forward, backward)]
