"""The own-imports rule: the legacy package imported by its absolute name -> relative imports."""

from codemods.flask.rules.own_imports import OwnImportsRule
from tests.codemods.support import convert

PACKAGE = {"source_package": "shop"}


def test_the_package_itself_becomes_the_current_package() -> None:
    code, _, _ = convert("from shop import create_app\n", [OwnImportsRule], **PACKAGE)
    assert code == "from . import create_app\n"


def test_a_module_of_the_package_becomes_a_sibling() -> None:
    code, _, _ = convert("from shop.models import User\n", [OwnImportsRule], **PACKAGE)
    assert code == "from .models import User\n"


def test_a_module_in_a_subfolder_goes_up_one_level_per_folder() -> None:
    nested = {**PACKAGE, "module_path": ("api", "views.py")}
    code, _, _ = convert("from shop.models import User\n", [OwnImportsRule], **nested)
    assert code == "from ..models import User\n"


def test_other_packages_and_relative_imports_are_left_alone() -> None:
    source = "from shopping import cart\nfrom .models import User\nfrom flask import Flask\n"
    code, _, _ = convert(source, [OwnImportsRule], **PACKAGE)
    assert code == source


def test_an_aliased_import_of_a_module_of_the_package_becomes_relative() -> None:
    # changedetection.io's factory: `import changedetectionio.blueprint.ui as ui` in its body
    source = "def create_app():\n    import shop.blueprint.ui as ui\n    import shop.api as api\n"
    code, _, _ = convert(source, [OwnImportsRule], **PACKAGE)
    assert code == ("def create_app():\n    from .blueprint import ui\n    from . import api\n")


def test_a_plain_import_of_a_module_of_the_package_is_left_alone() -> None:
    source = "import shop.models\nimport shop.models as models, os\n"
    code, _, _ = convert(source, [OwnImportsRule], **PACKAGE)
    assert code == source
