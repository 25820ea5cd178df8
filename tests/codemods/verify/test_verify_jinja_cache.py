"""Templates the verification compiled in an earlier run come from its cache
(`codemods/engine/verify/jinja_cache.py`): the same template in an environment with the same
settings is compiled once, and gets the file name of the run that loads it; other settings,
filters or sources compile again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.ext
import pytest

from codemods.engine.verify.jinja_cache import compiling_through


class Compiles:
    """`Environment.compile` through the cache in `folder`, counting the real compilations."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original: Callable[..., Any] = jinja2.Environment.compile

        def counted(*arguments: Any) -> Any:
            self.count += 1
            return original(*arguments)

        monkeypatch.setattr(jinja2.Environment, "compile", compiling_through(folder, counted))


def render(environment: jinja2.Environment, source: str, filename: str) -> str:
    code = environment.compile(source, "page.html", filename)
    template = jinja2.Template.from_code(environment, code, environment.globals)
    return template.render(name="shop")


def test_the_same_template_is_compiled_once_and_gets_each_runs_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(tmp_path, monkeypatch)
    source = "{% for i in range(2) %}<b>{{ name }}</b>{% endfor %}"
    first = render(jinja2.Environment(), source, "/run-1/templates/page.html")
    code = jinja2.Environment().compile(source, "page.html", "/run-2/templates/page.html")
    second = render(jinja2.Environment(), source, "/run-2/templates/page.html")
    assert first == second == "<b>shop</b><b>shop</b>"
    assert compiles.count == 1
    assert code.co_filename == "/run-2/templates/page.html"


def test_other_settings_compile_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiles = Compiles(tmp_path, monkeypatch)
    source = "{% if name %}\n{{ name }}\n{% endif %}\n"
    plain = render(jinja2.Environment(), source, "page.html")
    trimmed = render(jinja2.Environment(trim_blocks=True), source, "page.html")
    assert (plain, trimmed) == ("\nshop\n", "shop\n")
    assert compiles.count == 2


def test_a_filter_run_at_compile_time_that_changed_compiles_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(tmp_path, monkeypatch)
    source = '{{ "a"|shout }}'  # a constant: Jinja applies the filter while compiling
    loud = jinja2.Environment()
    loud.filters["shout"] = lambda text: text.upper() + "!"
    quiet = jinja2.Environment()
    quiet.filters["shout"] = lambda text: text + "."
    assert (render(loud, source, "page.html"), render(quiet, source, "page.html")) == ("A!", "a.")
    assert compiles.count == 2


def test_an_extension_whose_code_changed_compiles_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiles = Compiles(tmp_path, monkeypatch)

    class Upper(jinja2.ext.Extension):
        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return source.upper()

    class Lower(jinja2.ext.Extension):  # the same extension, edited between two runs
        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return source.lower()

    Lower.__qualname__ = Lower.__name__ = Upper.__qualname__
    source = "Shop"
    upper = render(jinja2.Environment(extensions=[Upper]), source, "page.html")
    lower = render(jinja2.Environment(extensions=[Lower]), source, "page.html")
    assert (upper, lower) == ("SHOP", "shop")
    assert compiles.count == 2
