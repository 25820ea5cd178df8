"""django.contrib.sites' `Site` on the generated models (sites_site.py): a relation of SRC to it is
a relationship to `SitesSite` on `django_site`, and a lookup through it (django-newsletter's
`site__id=...`) a statement, no longer a bare column the queries rule refuses to traverse."""

from __future__ import annotations

import libcst as cst

from codemods.django.model_relations import read_relations
from codemods.django.querysets import translate
from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import convert, load

SITE_IMPORT = "from django.contrib.sites.models import Site\n"
NEWSLETTER_MODELS = (
    f"{SITE_IMPORT}from django.db import models\n\n"
    "class Newsletter(models.Model):\n"
    "    site = models.ManyToManyField(Site)\n"
    "    visible = models.BooleanField(default=True)\n\n"
    "class Submission(models.Model):\n"
    "    site = models.ForeignKey(Site, null=True, on_delete=models.CASCADE)\n"
)


def generated(code: str, name: str) -> object:
    # Django's Site class cannot be imported without settings: the generated one replaces it
    return load(code.replace(SITE_IMPORT, ""), name)


def test_a_many_to_many_to_djangos_site_was_no_relationship_and_is_one_now() -> None:
    code, _ = convert(NEWSLETTER_MODELS, [DjangoModelsRule])
    assert "site: the related model is not generated" not in code
    assert "class SitesSite(DjangoEquality, Base):" in code
    assert '__tablename__ = "django_site"' in code
    assert 'site: Mapped[list["SitesSite"]] = relationship("SitesSite", secondary=' in code
    module = generated(code, "generated_sites_m2m")
    newsletter = module.Newsletter  # type: ignore[attr-defined]
    assert newsletter.site.property.mapper.class_ is module.SitesSite  # type: ignore[attr-defined]


def test_the_link_tables_site_column_is_named_as_djangos() -> None:
    code, _ = convert(NEWSLETTER_MODELS, [DjangoModelsRule])
    assert 'Column("site_id", Integer, ForeignKey("django_site.id"), nullable=False' in code
    assert "sitessite_id" not in code


def test_a_key_to_djangos_site_is_a_relationship_to_its_row() -> None:
    code, _ = convert(NEWSLETTER_MODELS, [DjangoModelsRule])
    assert (
        'site_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("django_site.id"),'
        " nullable=True, index=True)"
    ) in code
    assert 'site: Mapped["SitesSite | None"] = relationship("SitesSite"' in code


def test_a_site_model_of_src_is_not_taken_for_djangos() -> None:
    code, _ = convert(
        "from django.db import models\n\n"
        "class Site(models.Model):\n    domain = models.CharField(max_length=9)\n\n"
        "class Page(models.Model):\n"
        "    site = models.ForeignKey(Site, on_delete=models.CASCADE)\n",
        [DjangoModelsRule],
    )
    assert "SitesSite" not in code
    assert 'relationship("Site", foreign_keys=[site_id])' in code


def test_a_lookup_through_the_sites_is_a_statement() -> None:
    relations = read_relations([NEWSLETTER_MODELS])
    assert relations["Newsletter"]["site"].target == "SitesSite"
    code = translate(
        cst.parse_expression("Newsletter.objects.filter(visible=True, site__id=site.id)"),
        frozenset({"Newsletter", "Submission"}),
        relations,
    ).code
    assert code == (
        "session.scalars(ordered(select(tables.Newsletter).where("
        "tables.Newsletter.visible.is_(True), related(tables.Newsletter.site, id=site.id)"
        "))).all()"
    )


def test_a_many_to_many_to_djangos_group_links_by_group_id_as_djangos_table() -> None:
    code, _ = convert(
        "from django.contrib.auth.models import Group\nfrom django.db import models\n\n"
        "class Team(models.Model):\n"
        "    groups = models.ManyToManyField(Group)\n",
        [DjangoModelsRule],
    )
    assert 'Column("group_id", Integer, ForeignKey("auth_group.id"), nullable=False' in code
    assert "authgroup_id" not in code
