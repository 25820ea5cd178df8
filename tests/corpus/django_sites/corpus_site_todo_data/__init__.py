"""The rows a project using django-todo has before anyone calls it: a group, the ticket list its
README asks for (the list `TODO_DEFAULT_LIST_SLUG` names, made before public tickets can be
filed) and a task on that list, written by a data migration as a project would ship them."""
