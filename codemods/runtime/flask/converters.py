"""The app's own Werkzeug URL converters (`app.url_map.converters["b64"] = Base64Converter`) as
Starlette convertors, registered by name before the routes that use them (`{pk:b64}`).

The convertor keeps the converter's regex, hands the view what its `to_python` returns, and
builds URLs with its `to_url`. A value `to_python` refuses with Werkzeug's `ValidationError`
does not match the route, as in Werkzeug (the router tries the next route, else 404): Starlette
would answer 500 for an error raised while matching, so `convert` answers `NO_MATCH` and
`FlaskRoute` treats a route holding it as not matched (`refuses_match`).
"""

from __future__ import annotations

from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from werkzeug.routing import BaseConverter, Map, ValidationError

NO_MATCH: Any = object()  # what `convert` gives for a value the converter refuses
REFUSED = "strangler.converter_refused"  # set in the scope when a route's converter refused


class WerkzeugConvertor(Convertor[Any]):
    def __init__(self, converter: BaseConverter) -> None:
        self.converter = converter
        # the converter's own regex: per instance, where Starlette's convertors set a class's
        self.regex = converter.regex  # type: ignore[misc]

    def convert(self, value: str) -> Any:
        try:
            return self.converter.to_python(value)
        except ValidationError:
            return NO_MATCH

    def to_string(self, value: Any) -> str:
        return str(self.converter.to_url(value))


def register_converter(name: str, converter_class: type[BaseConverter]) -> None:
    """`app.url_map.converters[name] = converter_class`, for the routes declared after it."""
    register_url_convertor(name, WerkzeugConvertor(converter_class(Map())))


def has_werkzeug_convertors(convertors: dict[str, Convertor[Any]]) -> bool:
    return any(isinstance(c, WerkzeugConvertor) for c in convertors.values())


def refuses_match(path_params: dict[str, Any]) -> bool:
    """Whether a converter refused one of the route's values (see `NO_MATCH`)."""
    return any(value is NO_MATCH for value in path_params.values())
