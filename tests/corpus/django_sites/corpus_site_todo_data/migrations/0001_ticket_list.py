"""A group, its ticket list (slug `tickets`, the site's TODO_DEFAULT_LIST_SLUG) and a task on it."""

from typing import Any

from django.db import migrations

TICKET_LIST_SLUG = "tickets"


def ticket_list(apps: Any, schema_editor: Any) -> None:
    group = apps.get_model("auth", "Group").objects.create(name="Helpdesk")
    tickets = apps.get_model("todo", "TaskList").objects.create(
        name="Tickets", slug=TICKET_LIST_SLUG, group=group
    )
    apps.get_model("todo", "Task").objects.create(title="First ticket", task_list=tickets)


class Migration(migrations.Migration):
    dependencies = [("todo", "0013_assigned_to_m2m")]
    operations = [migrations.RunPython(ticket_list, migrations.RunPython.noop)]
