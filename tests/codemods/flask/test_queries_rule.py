"""The queries rule: Flask-SQLAlchemy queries in views -> select() on a session dependency."""

from pathlib import Path

import pytest

from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.rules.queries import QueriesRule
from tests.codemods.support import convert

RULES = [QueriesRule]


def view(line: str) -> str:
    return f'@bp.route("/x/<int:pid>")\ndef x(pid):\n    return {line}\n'


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("db.get_or_404(Product, pid)", "get_or_404(session, Product, pid)"),
        ("Product.query.get_or_404(pid)", "get_or_404(session, Product, pid)"),
        ("Product.query.get(pid)", "session.get(Product, pid)"),
        ("Product.query.all()", "session.scalars(select(Product)).all()"),
        (
            "Product.query.filter_by(sku=s).order_by(Product.id).first()",
            "session.scalars(select(Product).filter_by(sku=s).order_by(Product.id)).first()",
        ),
        (
            "Order.query.filter_by(id=pid).first_or_404()",
            "first_or_404(session, select(Order).filter_by(id=pid))",
        ),
        (
            "Product.query.filter(Product.stock > 0).count()",
            "count(session, select(Product).filter(Product.stock > 0))",
        ),
        ("db.session.get(Product, pid)", "session.get(Product, pid)"),
        # still a query (iterated, chained later): SQLAlchemy's legacy Query, as Model.query is
        (
            "[c.id for c in Category.query.order_by(Category.name)]",
            "[c.id for c in session.query(Category).order_by(Category.name)]",
        ),
        (
            "db.session.execute(db.select(Product.id)).all()",
            "session.execute(select(Product.id)).all()",
        ),
    ],
)
def test_query_shapes(legacy: str, expected: str) -> None:
    code, _, _ = convert(view(legacy), RULES)
    assert f"return {expected}" in code
    assert "session: Annotated[Session, Depends(get_session)]" in code
    assert "from .database import get_session" in code


def test_unknown_query_methods_are_left_for_the_leftovers_rule() -> None:
    code, _, _ = convert(view("Product.query.paginate(page=1)"), RULES)
    assert "Product.query.paginate(page=1)" in code


def test_the_session_module_is_generated_beside_the_package() -> None:
    from codemods.engine.runner import transform_source
    from codemods.engine.state import state_of
    from codemods.flask.registry import REGISTRY

    _, context = transform_source(view("db.get_or_404(Product, pid)"), REGISTRY.rules)
    database = state_of(context).extra_files["database.py"]
    assert "async def get_session(request: Request) -> Session:" in database
    assert "return request_session(request)" in database


def test_a_view_binding_its_own_session_gets_no_session_dependency() -> None:
    code, _, _ = convert(
        '@bp.route("/users")\n'
        "def users():\n"
        "    with session_scope() as session:\n"
        "        return session.query(User).all()\n",
        RULES,
    )
    assert "Depends(get_session)" not in code
    assert "def users():" in code


def test_the_session_comes_from_its_own_module_when_the_package_has_a_database_module(
    tmp_path: Path,
) -> None:
    # lemur has `lemur/database.py`: its converted twin would hide the generated `get_session`.
    (tmp_path / "database.py").write_text("def get(model, id): ...\n")
    state = {"module_path": ("views.py",), "analysis": FlaskAnalysis(root=tmp_path)}
    code, _, _ = convert(view("Product.query.get(pid)"), RULES, **state)
    assert "from .strangler_database import get_session" in code


def test_the_session_comes_from_the_generated_database_module_otherwise(tmp_path: Path) -> None:
    state = {"module_path": ("views.py",), "analysis": FlaskAnalysis(root=tmp_path)}
    code, _, _ = convert(view("Product.query.get(pid)"), RULES, **state)
    assert "from .database import get_session" in code
