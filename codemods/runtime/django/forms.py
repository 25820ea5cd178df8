"""A Django `ModelForm` that reads and writes SQLAlchemy rows instead of Django's model instances.

The generated twin of a ModelForm puts `SessionModelForm` before the legacy form:

    class NotificationFormWithSession(SessionModelForm, NotificationForm):
        table = tables.TopicNotification

    form = NotificationFormWithSession(data=request.POST, instance=notification, session=session)

Everything a person sees stays Django's: the fields the ModelForm takes from the model, their
widgets, labels and messages, `clean_<field>`/`clean()`, `form.errors` and the form re-rendered
with them in the template. What changes is where the data comes from and goes to:

- `instance=` is a row of `table` (the generated model on the same table and columns); the form
  gets an unsaved Django instance holding the row's values, as if Django had loaded it;
- `save()` writes through `session`: the values Django's `save()` would write (the form's fields,
  the model's defaults for a new row, `auto_now`/`auto_now_add` by Django's own `pre_save`) are
  set on the row (a new one of `table` when there was no instance), which is committed at once
  (Django's autocommit) and returned; `save(commit=False)` returns the row unsaved.

The codemod uses it only for forms whose validation queries nothing but their model choice
fields (`choices`, form_choices.py) and Django's unique checks of unique fields and
`unique_together` (`validate_unique`, run on the session: unique_checks.py): no other relation
field, no unique relation or `UniqueConstraint`.
Transitional: it goes with the legacy project, when a person ports the form to the Pydantic model.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from codemods.runtime.django.form_choices import Statement, django_instance, session_choices
from codemods.runtime.django.instances import save as save_row
from codemods.runtime.django.unique_checks import session_unique_errors


class SessionModelForm:
    table: ClassVar[type[Any]]
    choices: ClassVar[dict[str, Statement]] = {}  # model choice fields checked on the session
    _meta: Any  # the ModelForm's options (Django's)
    instance: Any
    errors: Any

    def __init__(self, *args: Any, session: Session, instance: Any = None, **kwargs: Any) -> None:
        self.session = session
        self.row = instance
        django_instance = self._django_instance(instance)
        self.init_arguments = self._legacy_arguments(args, {"instance": django_instance, **kwargs})
        super().__init__(*args, instance=django_instance, **kwargs)  # type: ignore[call-arg]
        session_choices(self, self.choices, session)

    def _legacy_arguments(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """The legacy form's `__init__` arguments by name (`{"user": request.user, ...}`), as it
        is called: a choice method built from them (`_choices_of_group(user)`) gets the same
        values the legacy `__init__` built its queryset from."""
        legacy_init = super().__init__  # the legacy form's, next in the twin's MRO
        try:
            bound = inspect.signature(legacy_init).bind(*args, **kwargs)
        except TypeError:
            return {}  # the legacy __init__ refuses them too, in a moment
        bound.apply_defaults()
        return dict(bound.arguments)

    def _get_validation_exclusions(self) -> set[str]:
        # Django's model validation of a foreign key queries its ORM; the field checked the key
        # on the session already
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return exclude | set(self.choices)

    def validate_unique(self) -> None:
        """Django's unique checks (unique fields, `unique_together`), queried on the session."""
        # Django's exclusions: a foreign key checked on the session is still in its groups
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        error = session_unique_errors(self.instance, self.table, self.session, exclude)
        if error is not None:
            self._update_errors(error)  # type: ignore[attr-defined]

    def _django_instance(self, row: Any) -> Any:
        """An unsaved Django instance holding `row`'s values (None for a new row)."""
        if row is None:
            return None
        instance = django_instance(self._meta.model, row)
        self._links_of(row, instance)
        return instance

    def save(self, commit: bool = True) -> Any:
        if self.errors:
            action = "created" if self.instance._state.adding else "changed"
            raise ValueError(
                f"The {self.instance._meta.object_name} could not be {action} because the data "
                "didn't validate."
            )
        adding = self.row is None
        row = self.table() if adding else self.row
        for field in self.instance._meta.concrete_fields:
            if field.primary_key and getattr(self.instance, field.attname) is None:
                continue  # the database gives it
            value = field.pre_save(self.instance, adding)  # auto_now(_add) as Django sets them
            if hasattr(self.table, field.attname):
                setattr(row, field.attname, value)
        self.row = row
        if commit:
            save_row(self.session, row)
            self.instance.pk = getattr(row, self.instance._meta.pk.attname, None)
            self.instance._state.adding = False
        self.save_m2m = self._save_links
        if commit:
            self._save_links()
        return row

    def _save_links(self) -> None:
        """Django's `save_m2m()`: each many-to-many field of the form's model that the form has
        and cleaned gets the chosen rows as its links, written through the association table
        (the generated model's relationship) and committed."""
        linked = False
        for field in self.instance._meta.many_to_many:
            name = field.name
            if name not in self.fields or name not in self.cleaned_data:  # type: ignore[attr-defined]
                continue
            relation = getattr(self.table, name)
            target = relation.property.mapper.class_
            chosen = self.cleaned_data[name]  # type: ignore[attr-defined]
            rows = [self.session.get(target, obj.pk) for obj in chosen]
            setattr(self.row, name, [row for row in rows if row is not None])
            linked = True
        if linked:
            self.session.commit()  # the links alone, as Django's save_m2m writes no row

    def _links_of(self, row: Any, instance: Any) -> None:
        """The rows a many-to-many field of `row` links, as Django's prefetched objects of
        `instance`: the form's initial value reads them without Django's ORM."""
        cache = getattr(instance, "_prefetched_objects_cache", {})
        for field in instance._meta.many_to_many:
            related = getattr(row, field.name, None)
            if related is None:
                continue
            model = field.related_model
            linked = model._default_manager.none()
            linked._result_cache = [django_instance(model, each) for each in related]
            linked._prefetch_done = True
            cache[field.name] = linked
        instance._prefetched_objects_cache = cache
