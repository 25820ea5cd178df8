"""One saved query whose SQL runs on the default connection (no connection of its own)."""

from django.db import migrations


def save_query(apps, schema_editor):  # type: ignore[no-untyped-def]
    query = apps.get_model("explorer", "Query")
    query.objects.using(schema_editor.connection.alias).create(
        title="Users", sql="SELECT id, username FROM auth_user ORDER BY id", description=""
    )


class Migration(migrations.Migration):
    dependencies = [("explorer", "0028_promptlog_database_connection_promptlog_user_request")]
    operations = [migrations.RunPython(save_query, migrations.RunPython.noop)]
