"""`F()` in a queryset's `update()`: the column of the model, so the database adds (one UPDATE,
no lost increment); any other `F()` keeps the view on Django's ORM."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import libcst as cst
import pytest
from sqlalchemy import BigInteger, Integer, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.django.querysets import Unconvertible, translate
from codemods.runtime.django.queries import update_rows
from tests.codemods.django.test_queries_rule import ALL_CONVERT, convert_views, project, reasons

MODELS = frozenset({"Post", "Tag", "Comment"})


def sql(queryset: str) -> str:
    return translate(cst.parse_expression(queryset), MODELS, {}).code


def test_an_f_increment_becomes_the_column_plus_one() -> None:
    assert sql('Post.objects.filter(pk=pk).update(likes=F("likes") + 1)') == (
        "update_rows(session, select(tables.Post).where(tables.Post.id == pk), "
        "likes=tables.Post.likes + 1)"
    )


def test_f_of_other_columns_numbers_and_names_combine_with_plus_minus_times() -> None:
    assert sql(
        'Post.objects.update(score=(F("likes") - F("dislikes")) * weight, n=models.F("n"))'
    ) == (
        "update_rows(session, select(tables.Post), "
        "score=(tables.Post.likes - tables.Post.dislikes) * weight, n=tables.Post.n)"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ('Post.objects.update(n=F("n") / 2)', "only +, - and * of F() convert"),
        ('Post.objects.update(n=F("author__n") + 1)', "only a field of the model itself"),
        ('Post.objects.update(n=Coalesce(F("n"), 0) + 1)', "F() inside another expression"),
        ('Post.objects.create(n=F("n"))', "F() outside update() stays"),
    ],
)
def test_other_uses_of_f_stay_on_the_orm(queryset: str, reason: str) -> None:
    with pytest.raises(Unconvertible) as refused:
        sql(queryset)
    assert str(refused.value).endswith(reason)


LIKE_VIEW = ALL_CONVERT.replace(
    "from .models import Post, Tag",
    "from django.db.models import F\n\n    from .models import Post, Tag",
).replace(
    '        return JsonResponse({"tags": Tag.objects.count()})',
    '        Tag.objects.filter(pk=1).update(hits=F("hits") + 1)\n        return JsonResponse({})',
)


def test_a_view_updating_with_f_is_converted(tmp_path: Path) -> None:
    root = project(tmp_path, LIKE_VIEW)
    code = convert_views(root)
    assert (
        "update_rows(session, select(tables.Tag).where(tables.Tag.id == 1), "
        "hits=tables.Tag.hits + 1)" in code
    )
    assert "F(" not in code
    assert reasons(root, "counts") == ("converted", [])


def test_f_in_the_filter_of_an_update_still_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    views = LIKE_VIEW.replace("filter(pk=1)", 'filter(pk=F("hits"))')
    assert reasons(project(tmp_path, views), "counts")[1][1:] == [
        "stays on Django's ORM: F(...) in a query: an ORM expression"
    ]


class Base(DeclarativeBase):
    pass


class Choice(Base):
    __tablename__ = "polls_choice"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    votes: Mapped[int] = mapped_column(Integer, default=0)


def test_sixteen_threads_incrementing_with_the_generated_update_lose_nothing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "votes.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE polls_choice (id integer PRIMARY KEY, votes integer NOT NULL)")
        db.execute("INSERT INTO polls_choice VALUES (1, 0)")
    engine = create_engine(f"sqlite:///{database}", connect_args={"timeout": 60})
    errors: list[BaseException] = []

    def voter() -> None:
        try:
            for _ in range(25):
                with Session(engine) as session:  # as the generated view's code does
                    update_rows(
                        session,
                        select(Choice).where(Choice.id == 1),
                        votes=Choice.votes + 1,
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=voter) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT votes FROM polls_choice").fetchone() == (16 * 25,)
