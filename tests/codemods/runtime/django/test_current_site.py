"""`current_site` (runtime sites.py) against Django's `get_current_site` on one database: the same
site for `SITE_ID`, for the request's host (any case, with or without its port), and the same
`Site.DoesNotExist` when none matches. Django runs in a process of its own, with
django.contrib.sites installed and migrated (the blog's settings, the tests', have no sites)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

from tests.codemods.support import REPO_ROOT

SCRIPT = """
    import json, sys
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.sites"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}},
        ALLOWED_HOSTS=["*"],
        SITE_ID=int(sys.argv[2]) if sys.argv[2] else None,
    )
    if not sys.argv[2]:
        del settings.SITE_ID
    django.setup()
    from django.contrib.sites.models import Site
    from django.contrib.sites.shortcuts import get_current_site
    from django.core.management import call_command
    from django.test import RequestFactory
    from sqlalchemy import Integer, String, create_engine
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    from codemods.django.sites_site import sites_site_class
    from codemods.runtime.django.rows import DjangoEquality
    from codemods.runtime.django.sites import current_site

    call_command("migrate", verbosity=0)
    Site.objects.all().delete()  # the default one migrate made (at SITE_ID)
    Site.objects.create(pk=1, domain="example.com", name="one")
    Site.objects.create(pk=2, domain="News.Example.org", name="two")

    class Base(DeclarativeBase):
        pass

    names = dict(
        Base=Base, DjangoEquality=DjangoEquality, Mapped=Mapped,
        mapped_column=mapped_column, Integer=Integer, String=String,
    )
    exec(sites_site_class(), names)
    session = Session(create_engine(f"sqlite:///{sys.argv[1]}"))

    def answer(find):
        try:
            site = find()
        except Site.DoesNotExist as error:
            return ["DoesNotExist", str(error)]
        return [site.id, site.domain, site.name, str(site)]

    found = {}
    for host in sys.argv[3:]:
        request = RequestFactory().get("/", HTTP_HOST=host)
        Site.objects.clear_cache()
        found[host] = [
            answer(lambda: get_current_site(request)),
            answer(lambda: current_site(session, request, names["SitesSite"])),
        ]
    print(json.dumps(found))
"""


def both_sides(tmp_path: Path, site_id: str, *hosts: str) -> dict[str, list[list[object]]]:
    """{host: [Django's answer, the runtime's]} on a fresh database."""
    database = tmp_path / f"sites{site_id}-{len(list(tmp_path.iterdir()))}.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", dedent(SCRIPT), str(database), site_id, *hosts],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, list[list[object]]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_with_site_id_both_sides_answer_that_site_whatever_the_host(tmp_path: Path) -> None:
    found = both_sides(tmp_path, "2", "example.com", "testserver")
    for django, runtime in found.values():
        assert runtime == django == [2, "News.Example.org", "two", "News.Example.org"]


def test_without_site_id_both_sides_find_the_site_of_the_hosts_domain(tmp_path: Path) -> None:
    found = both_sides(tmp_path, "", "news.example.org", "NEWS.example.org:8000", "example.com")
    assert found["news.example.org"][0][0] == 2
    assert found["NEWS.example.org:8000"][0][0] == 2
    assert found["example.com"][0][0] == 1
    for django, runtime in found.values():
        assert runtime == django


def test_a_site_id_or_host_no_site_has_is_djangos_does_not_exist(tmp_path: Path) -> None:
    for site_id, host in (("9", "example.com"), ("", "elsewhere.net")):
        django, runtime = both_sides(tmp_path, site_id, host)[host]
        assert django[0] == "DoesNotExist"
        assert runtime == django
