"""helper_twins.twin_reasons on a static or class method of another module's class
(`Codes.text_of`, `Codes.counted`): read as a module-level function copied out of its class (a
class method's `cls` dropped and read as the class), it gets a twin when its queries translate; a
method with another decorator, or a class method binding `cls` again, gets none, saying why."""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.django.helper_twins import flattened, twin_name, twin_reasons

MODELS = textwrap.dedent(
    """
    from django.db import models


    class Note(models.Model):
        text = models.CharField(max_length=50)
    """
)
CODES = cst.parse_module(
    textwrap.dedent(
        """
        from notes.models import Note


        class Codes:
            @staticmethod
            def text_of(pk):
                note = Note.objects.get(pk=pk)
                return note.text

            @classmethod
            def counted(cls):
                return Note.objects.count()

            @classmethod
            def shouted(cls, pk, cls_name="x"):
                return cls.upper(cls.text_of(pk=pk), cls=cls_name)

            @classmethod
            def rebinding(cls):
                cls = Note
                return cls.objects.count()

            @staticmethod
            @property
            def decorated():
                return Note.objects.count()
        """
    )
)
IMPORTS = {"Note": "notes.models.Note"}


def test_a_querying_static_method_whose_queries_translate_gets_a_twin() -> None:
    assert twin_reasons(CODES, "Codes.text_of", IMPORTS, [MODELS]) == []
    assert twin_name("Codes.text_of") == "Codes_text_of_with_session"


def test_a_static_method_is_read_as_a_module_level_function_named_for_its_class() -> None:
    found = flattened(CODES, "Codes.text_of")
    assert found is not None
    tree, name = found
    assert name == "Codes_text_of"
    assert "\ndef Codes_text_of(pk):\n    note = Note.objects.get(pk=pk)\n" in tree.code


def test_a_querying_class_method_whose_queries_translate_gets_a_twin() -> None:
    assert twin_reasons(CODES, "Codes.counted", IMPORTS, [MODELS]) == []
    assert twin_name("Codes.counted") == "Codes_counted_with_session"


def test_a_class_method_is_read_without_cls_naming_its_class() -> None:
    found = flattened(CODES, "Codes.shouted")
    assert found is not None
    tree, name = found
    assert name == "Codes_shouted"
    assert (
        '\ndef Codes_shouted(pk, cls_name="x"):\n'
        "    return Codes.upper(Codes.text_of(pk=pk), cls=cls_name)\n"
    ) in tree.code


def test_a_class_method_binding_cls_again_or_another_decorator_gets_no_twin() -> None:
    why = (
        "is not a static or class method of a module-level class (its only decorator), or "
        "rebinds its class parameter"
    )
    for method in ("Codes.rebinding", "Codes.decorated"):
        assert twin_reasons(CODES, method, IMPORTS, [MODELS]) == [f"{method} {why}"]
