"""The legacy tables this package reads and writes, mapped with SQLAlchemy 2.0 under Django's
table and column names (blog/models.py, django.contrib.auth and sessions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


post_tags = Table(
    "blog_post_tags",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("blog_post.id"), nullable=False),
    Column("tag_id", ForeignKey("blog_tag.id"), nullable=False),
)


class User(Base):
    __tablename__ = "auth_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150))
    password: Mapped[str] = mapped_column(String(128))
    is_staff: Mapped[bool]
    is_active: Mapped[bool]


class Tag(Base):
    __tablename__ = "blog_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    slug: Mapped[str] = mapped_column(String(50))


class Post(Base):
    __tablename__ = "blog_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    author: Mapped[User] = relationship(lazy="joined")
    # Tag's Meta.ordering is ["name"]: post.tags.all() comes back in name order
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags, order_by=Tag.name)


class Comment(Base):
    __tablename__ = "blog_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("blog_post.id"))
    approved: Mapped[bool]


class DjangoSession(Base):
    __tablename__ = "django_session"

    session_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    session_data: Mapped[str] = mapped_column(Text)
    expire_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))
