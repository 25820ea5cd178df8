"""The demo data `manage.py seed` writes, as plain data.

No Django imports here: the test suite reads these tables to know what the seeded database holds,
also when it runs over HTTP against a server it cannot query.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

PUBLISHED = "published"
DRAFT = "draft"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    email: str
    is_staff: bool = False


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    author: str
    status: str
    tags: list[str] = field(default_factory=list)
    created: datetime = datetime(2023, 1, 1, tzinfo=UTC)

    @property
    def body(self) -> str:
        return (
            f"{self.title}. This is a demo post of the legacy blog, written by {self.author}.\n\n"
            "It exists so that lists, filters and pagination have something to show."
        )


@dataclass(frozen=True)
class DemoComment:
    post: str
    author_name: str
    email: str
    body: str
    approved: bool


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


ADMIN = DemoUser("admin", "admin-secret", "admin@blog.example", is_staff=True)
ALICE = DemoUser("alice", "alice-secret", "alice@blog.example")
BOB = DemoUser("bob", "bob-secret", "bob@blog.example")
USERS = [ADMIN, ALICE, BOB]

TAGS = {
    "python": "Python",
    "django": "Django",
    "web": "Web",
    "testing": "Testing",
    "databases": "Databases",
}

POSTS = [
    DemoPost(
        "welcome-to-the-blog", "Welcome to the blog", "admin", PUBLISHED, ["web"], _at("2023-01-09")
    ),
    DemoPost(
        "getting-started-with-django",
        "Getting started with Django",
        "alice",
        PUBLISHED,
        ["python", "django", "web"],
        _at("2023-02-14"),
    ),
    DemoPost(
        "python-virtual-environments",
        "Python virtual environments",
        "alice",
        PUBLISHED,
        ["python"],
        _at("2023-03-21"),
    ),
    DemoPost(
        "testing-django-views",
        "Testing Django views",
        "alice",
        PUBLISHED,
        ["python", "django", "testing"],
        _at("2023-05-02"),
    ),
    DemoPost(
        "postgres-for-django-developers",
        "PostgreSQL for Django developers",
        "bob",
        PUBLISHED,
        ["django", "databases"],
        _at("2023-06-18"),
    ),
    DemoPost(
        "sqlite-in-production",
        "SQLite in production",
        "bob",
        PUBLISHED,
        ["databases"],
        _at("2023-08-07"),
    ),
    DemoPost(
        "writing-pytest-fixtures",
        "Writing pytest fixtures",
        "alice",
        PUBLISHED,
        ["python", "testing"],
        _at("2023-09-12"),
    ),
    DemoPost(
        "class-based-views-explained",
        "Class-based views explained",
        "alice",
        PUBLISHED,
        ["python", "django"],
        _at("2023-11-03"),
    ),
    DemoPost(
        "caching-http-responses",
        "Caching HTTP responses",
        "admin",
        PUBLISHED,
        ["web"],
        _at("2024-01-15"),
    ),
    DemoPost(
        "django-forms-in-depth",
        "Django forms in depth",
        "alice",
        PUBLISHED,
        ["python", "django"],
        _at("2024-02-20"),
    ),
    DemoPost(
        "database-migrations-without-downtime",
        "Database migrations without downtime",
        "bob",
        PUBLISHED,
        ["django", "databases"],
        _at("2024-03-28"),
    ),
    DemoPost(
        "type-hints-in-practice",
        "Type hints in practice",
        "alice",
        PUBLISHED,
        ["python"],
        _at("2024-04-30"),
    ),
    DemoPost(
        "property-based-testing",
        "Property-based testing",
        "bob",
        PUBLISHED,
        ["python", "testing"],
        _at("2024-06-11"),
    ),
    DemoPost(
        "csrf-in-plain-words",
        "CSRF in plain words",
        "admin",
        PUBLISHED,
        ["web", "django"],
        _at("2024-07-19"),
    ),
    DemoPost(
        "async-views-in-django",
        "Async views in Django",
        "alice",
        PUBLISHED,
        ["python", "django", "web"],
        _at("2024-09-05"),
    ),
    DemoPost(
        "indexes-that-matter",
        "Indexes that matter",
        "bob",
        PUBLISHED,
        ["databases"],
        _at("2024-10-22"),
    ),
    DemoPost(
        "packaging-python-projects",
        "Packaging Python projects",
        "alice",
        PUBLISHED,
        ["python"],
        _at("2025-01-13"),
    ),
    DemoPost(
        "end-to-end-tests-that-last",
        "End-to-end tests that last",
        "alice",
        PUBLISHED,
        ["testing", "web"],
        _at("2025-02-27"),
    ),
    DemoPost(
        "query-counting-in-tests",
        "Query counting in tests",
        "bob",
        PUBLISHED,
        ["django", "testing", "databases"],
        _at("2025-04-08"),
    ),
    DemoPost(
        "deploying-with-gunicorn",
        "Deploying with gunicorn",
        "admin",
        PUBLISHED,
        ["python", "web"],
        _at("2025-05-30"),
    ),
    DemoPost("notes-on-htmx", "Notes on htmx", "alice", DRAFT, ["web"], _at("2025-06-15")),
    DemoPost(
        "orm-performance-checklist",
        "ORM performance checklist",
        "alice",
        DRAFT,
        ["django", "databases"],
        _at("2025-07-01"),
    ),
    DemoPost(
        "upcoming-python-release",
        "The upcoming Python release",
        "bob",
        DRAFT,
        ["python"],
        _at("2025-07-20"),
    ),
    DemoPost("site-roadmap", "Site roadmap", "admin", DRAFT, [], _at("2025-08-02")),
    DemoPost(
        "fixtures-vs-factories",
        "Fixtures versus factories",
        "bob",
        DRAFT,
        ["testing"],
        _at("2025-08-25"),
    ),
]

COMMENTS = [
    DemoComment(
        "getting-started-with-django",
        "Maria",
        "maria@example.com",
        "Exactly what I needed, thanks.",
        True,
    ),
    DemoComment("getting-started-with-django", "Tom", "", "Could you cover the admin next?", True),
    DemoComment(
        "getting-started-with-django",
        "Ines",
        "ines@example.com",
        "The settings part helped a lot.",
        True,
    ),
    DemoComment(
        "getting-started-with-django", "Spammer", "spam@example.com", "Buy cheap watches.", False
    ),
    DemoComment(
        "testing-django-views", "Priya", "", "pytest-django makes this so much nicer.", True
    ),
    DemoComment(
        "testing-django-views", "Luis", "luis@example.com", "What about class-based views?", True
    ),
    DemoComment("welcome-to-the-blog", "Ada", "", "Welcome!", True),
    DemoComment("welcome-to-the-blog", "Anonymous", "", "First?", False),
]


def published_posts(tag: str | None = None, year: int | None = None) -> list[DemoPost]:
    """The seeded published posts, newest first (the blog's ordering), optionally filtered."""
    posts = [post for post in POSTS if post.status == PUBLISHED]
    if tag is not None:
        posts = [post for post in posts if tag in post.tags]
    if year is not None:
        posts = [post for post in posts if post.created.year == year]
    return sorted(posts, key=lambda post: post.created, reverse=True)


def post(slug: str) -> DemoPost:
    return next(post for post in POSTS if post.slug == slug)


def approved_comments(slug: str) -> list[DemoComment]:
    return [comment for comment in COMMENTS if comment.post == slug and comment.approved]
