"""The list stamp also follows a community's tags (added, renamed,
used, deleted): the list's tag filter shows them, most used first. The
same triggers as 0005's on conversations, on the tag table."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER conversations_list_stamp_tag_insert "
    "AFTER INSERT ON {tag} BEGIN "
    "INSERT INTO {stamp} (community_id, n) VALUES (NEW.community_id, 1) "
    "ON CONFLICT (community_id) DO UPDATE SET n = n + 1; END;",
    "CREATE TRIGGER conversations_list_stamp_tag_delete "
    "AFTER DELETE ON {tag} BEGIN "
    "INSERT INTO {stamp} (community_id, n) VALUES (OLD.community_id, 1) "
    "ON CONFLICT (community_id) DO UPDATE SET n = n + 1; END;",
    "CREATE TRIGGER conversations_list_stamp_tag_update "
    "AFTER UPDATE ON {tag} BEGIN "
    "INSERT INTO {stamp} (community_id, n) "
    "SELECT OLD.community_id, 1 UNION SELECT NEW.community_id, 1 "
    "ON CONFLICT (community_id) DO UPDATE SET n = n + 1; END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS conversations_list_stamp_tag_insert;",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_tag_delete;",
    "DROP TRIGGER IF EXISTS conversations_list_stamp_tag_update;",
]
# 0005's function reads only community_id, which tags have too.
POSTGRESQL = [
    """
    CREATE CONSTRAINT TRIGGER conversations_list_stamp_tag
    AFTER INSERT OR UPDATE OR DELETE ON {tag}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    EXECUTE FUNCTION conversations_list_stamp();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS conversations_list_stamp_tag ON {tag};",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(
                f"No list stamp triggers for {vendor}: only SQLite and "
                "PostgreSQL are supported."
            )
        names = {
            "stamp": apps.get_model("conversations", "ListStamp")._meta.db_table,
            "tag": apps.get_model("conversations", "Tag")._meta.db_table,
        }
        for sql in statements[vendor]:
            schema_editor.execute(sql.format(**names))

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0005_list_stamp'),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
