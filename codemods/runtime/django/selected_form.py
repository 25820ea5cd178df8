"""Django's `CreateView`/`UpdateView` saving SQLAlchemy rows through their ModelForm's twin
(`SessionModelForm`, forms.py). Permanent while the forms and templates stay Django's.

    class TagUpdate(SelectedForm, UpdateView):
        model = tables.Tag
        form_class = TagFormWithSession
        success_url = reverse_lazy("tags")

Django's own generic code runs unchanged: the object looked up by pk/slug (and its 404) on the
rows (`SelectedObjects`), the form built with the row as `instance` and re-rendered with its
errors (200), `form_valid` saving it (`form.save()`: the row, committed) and the redirect to
`get_success_url()`. What changes is what the form is built from and what the redirect reads:

- the form (the codemod's `form_class`, the ModelForm's twin) is given the route's session
  (`session=`);
- `success_url` is formatted with the saved object's field values (`"/tags/{id}/"`), as Django
  formats it with the instance's `__dict__`; without one, the row's `get_absolute_url()`, else
  Django's `ImproperlyConfigured`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from codemods.runtime.django.form_choices import django_instance
from codemods.runtime.django.generic import SelectedObjects, django_model

NO_URL = (
    "No URL to redirect to.  Either provide a url or define a get_absolute_url method on the "
    "Model."
)  # Django's ModelFormMixin message


class SelectedForm(SelectedObjects):
    """A mixin put before Django's `CreateView`/`UpdateView`: the object is a row, the form its
    ModelForm's twin on the route's session."""

    success_url: Any
    object: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["session"] = self.session
        return kwargs

    def get_success_url(self) -> str:
        if self.success_url:
            table: Any = type(self.object)
            model = django_model(table)
            values = django_instance(model, self.object).__dict__
            return str(self.success_url).format(**values)
        absolute = getattr(self.object, "get_absolute_url", None)
        if absolute is None:
            raise ImproperlyConfigured(NO_URL)
        url: str = absolute()
        return url
