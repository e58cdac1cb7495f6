"""conversations.ListStamp and the triggers that keep it (see its model).

On SQLite the triggers run at once, row by row (one writer at a time).
On PostgreSQL they are deferred to the commit: the stamp's row is then
locked only while the transaction commits, after it has taken every
other lock it needs, so two transactions that change conversations of
one community never wait for each other in a cycle; and a statement (or
the commit) bumps each community once, however many rows it changes.
"""

from django.conf import settings
from django.db import migrations, models

def _sqlite_bump(rows: str) -> str:
    return (
        f"INSERT INTO {{stamp}} (community_id, n) {rows} "
        "ON CONFLICT (community_id) DO UPDATE SET n = n + 1;"
    )


SQLITE = [
    "CREATE TRIGGER conversations_list_stamp_insert "
    "AFTER INSERT ON {conversation} BEGIN "
    + _sqlite_bump("VALUES (NEW.community_id, 1)")
    + " END;",
    "CREATE TRIGGER conversations_list_stamp_delete "
    "AFTER DELETE ON {conversation} BEGIN "
    + _sqlite_bump("VALUES (OLD.community_id, 1)")
    + " END;",
    "CREATE TRIGGER conversations_list_stamp_update "
    "AFTER UPDATE ON {conversation} BEGIN "
    + _sqlite_bump(
        "SELECT OLD.community_id, 1 UNION SELECT NEW.community_id, 1"
    )
    + " END;",
    "CREATE TRIGGER conversations_list_stamp_author "
    "AFTER UPDATE OF display_name, email ON {user} "
    "WHEN OLD.display_name IS NOT NEW.display_name "
    "OR OLD.email IS NOT NEW.email BEGIN "
    + _sqlite_bump(
        "SELECT DISTINCT community_id, 1 FROM {conversation} "
        "WHERE author_id = NEW.id"
    )
    + " END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS conversations_list_stamp_insert;",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_delete;",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_update;",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_author;",
]

# A transaction-local setting per community remembers the statement that
# last bumped it (statement_timestamp(): the COMMIT's, for the deferred
# events), so a bulk change bumps it once.
POSTGRESQL = [
    """
    CREATE FUNCTION conversations_bump_list_stamp(community bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        name text := 'practica.list_stamp_' || community;
        now text := statement_timestamp()::text;
    BEGIN
        IF community IS NULL OR current_setting(name, true) = now THEN
            RETURN;
        END IF;
        PERFORM set_config(name, now, true);
        INSERT INTO {stamp} (community_id, n) VALUES (community, 1)
        ON CONFLICT (community_id) DO UPDATE SET n = {stamp}.n + 1;
    END $$;
    """,
    """
    CREATE FUNCTION conversations_list_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM conversations_bump_list_stamp(OLD.community_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            PERFORM conversations_bump_list_stamp(NEW.community_id);
        END IF;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE FUNCTION conversations_list_stamp_author() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM conversations_bump_list_stamp(community_id)
        FROM (SELECT DISTINCT community_id FROM {conversation}
              WHERE author_id = NEW.id) AS authored;
        RETURN NULL;
    END $$;
    """,
    """
    CREATE CONSTRAINT TRIGGER conversations_list_stamp
    AFTER INSERT OR UPDATE OR DELETE ON {conversation}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION conversations_list_stamp();
    """,
    """
    CREATE CONSTRAINT TRIGGER conversations_list_stamp_author
    AFTER UPDATE OF display_name, email ON {user}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
          OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION conversations_list_stamp_author();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS conversations_list_stamp ON {conversation};",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_author ON {user};",
    "DROP FUNCTION IF EXISTS conversations_list_stamp();",
    "DROP FUNCTION IF EXISTS conversations_list_stamp_author();",
    "DROP FUNCTION IF EXISTS conversations_bump_list_stamp(bigint);",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(
                f"No list stamp triggers for {vendor}: only SQLite and "
                "PostgreSQL are supported."
            )
        names = {
            "stamp": apps.get_model("conversations", "ListStamp")._meta.db_table,
            "conversation": apps.get_model(
                "conversations", "Conversation"
            )._meta.db_table,
            "user": apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table,
        }
        for sql in statements[vendor]:
            schema_editor.execute(sql.format(**names))

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0004_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ListStamp',
            fields=[
                ('community_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('n', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
