"""What a Django template reads of the objects a generic view gives it, read from its text:
whether SQLAlchemy rows of the generated models can stand in for Django's model instances.

The objects' names (`question`, `object`, the loop variables over `latest_question_list` or
`page_obj`) are followed through `{{ }}` and `{% %}`; each dotted read on them must be something
the generated model has as Django's has it: a column (`question.question_text`, `pk`, `id`,
`author_id`), a method or property the models rule kept (`get_absolute_url`, `__str__` for
`{{ question }}`) whose code calls no queryset method, or a foreign key to a generated model
followed by such a read (`post.author.username`, django.contrib.auth's User's columns), or a
to-many relation read as its related manager is (`.all`, `.count`, `.exists`: a foreign key's
default `question.choice_set`, a many-to-many field `post.tags`, a `related_name` the models rule
made a backref, `post.comments`), whose items are followed in `{% for %}`; a one-to-one's
`related_name` reads the related row; a page of rows is read for its own attributes
(`page.number`). Anything else is a reason to keep Django's instances, and so is a tag of SRC's
own whose code is not read, reading rows from the context or given rows it does not only hand to
the templates it renders (template_tags.py; those templates are read with them). The templates
it extends or includes are read too; a template not found in SRC is a reason.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from codemods.django.absent import absent, bound_names, plain_model, reverse_names
from codemods.django.auth_group import GROUP_CLASS
from codemods.django.custom_fields import read_custom_fields
from codemods.django.encrypted_fields import encrypted_kind
from codemods.django.model_relations import Relation, Relations
from codemods.django.run_readings import read_once
from codemods.django.shared_base import is_shared
from codemods.django.sites_site import SITE_CLASS, SITE_COLUMNS
from codemods.django.tables.models import AUTH_USER_COLUMNS, FIELDS
from codemods.django.template_tags import TagFacts, read_tags
from codemods.engine.parsed import parse_ast_shared, run_memo

TAG = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
STRING = re.compile(r"""("[^"]*"|'[^']*')""")
NAME_CHAIN = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\.\w+)*)")
REGROUP_TAG = re.compile(r"^\s*regroup\s+(\w+)\s+by\s+(\w+)\s+as\s+(\w+)\s*$")
FOR_TAG = re.compile(r"^\s*for\s+([\w\s,]+?)\s+in\s+([\w.]+)")
LOADED = re.compile(r"""^\s*(extends|include)\s+["']([^"']+)["']""")
# queryset methods: a model method calling one of these needs Django's instances
QUERY_METHODS = frozenset(
    {
        "all", "filter", "exclude", "count", "exists", "first", "last", "order_by", "aggregate",
        "annotate", "values", "values_list", "get", "create", "update", "delete", "save",
    }
)  # fmt: skip
# tags and filters of Django's own that read values only as the template language does
SAFE_TAGS = frozenset(
    {"if", "elif", "else", "endif", "for", "empty", "endfor", "url", "with", "endwith",
     "firstof", "cycle",
     "ifchanged", "endifchanged", "spaceless", "endspaceless", "filter", "endfilter",
     "blocktranslate", "blocktrans", "endblocktranslate", "endblocktrans", "plural"}
)  # fmt: skip
SAFE_FILTERS = frozenset(
    {"add", "capfirst", "center", "cut", "date", "default", "default_if_none", "dictsort",
     "divisibleby", "escape", "first", "floatformat", "force_escape", "join", "last", "length",
     "length_is", "linebreaks", "linebreaksbr", "lower", "make_list", "pluralize", "safe",
     "slice", "slugify", "stringformat", "striptags", "time", "timesince", "timeuntil", "title",
     "truncatechars", "truncatewords", "upper", "urlencode", "urlize", "wordcount", "yesno",
     "naturaltime", "naturalday", "intcomma", "escapejs", "linenumbers", "ljust", "rjust"}
)  # fmt: skip
WITH_ALIAS = re.compile(r"(\w+)=([\w.]+)")
# Django's own tags (and those of its contrib apps) that read no context beyond their arguments;
# any other tag may read the objects from the context without naming them (takes_context)
KNOWN_TAGS = SAFE_TAGS | frozenset(
    {"load", "block", "endblock", "extends", "include", "static", "get_static_prefix",
     "get_media_prefix", "csrf_token", "comment", "endcomment", "now", "trans", "translate",
     "autoescape", "endautoescape", "verbatim", "endverbatim", "templatetag", "widthratio",
     "lorem", "resetcycle", "get_current_language", "get_available_languages",
     "get_language_info", "language", "endlanguage", "regroup", "localize", "endlocalize",
     "localtime", "endlocaltime", "timezone", "endtimezone", "get_current_timezone"}
)  # fmt: skip
FILTER = re.compile(r"\|\s*(\w+)")
OPAQUE_FIELDS = frozenset({"FileField", "ImageField"})
SET_READS = frozenset({"all", "count", "exists"})  # of a reverse accessor, as the rows answer
LIST_READS = frozenset({"count", "exists", "all"})  # what Rows (runtime) answers on a list
# a page of rows (Django's `Page`, a paginator of SRC's) read for its own attributes: neither a
# QuerySet nor a list of rows has them, so a list read that way answers "" on both sides
PAGE_READS = frozenset(
    {"object_list", "number", "paginator", "num_pages", "page_range", "has_next", "has_previous",
     "has_other_pages", "next_page_number", "previous_page_number", "start_index", "end_index"}
)  # fmt: skip
AUTH_USER_FIELDS = frozenset(line.split(":", 1)[0] for line in AUTH_USER_COLUMNS)
# the generated User's methods (tables/models.py auth_user_class), Django's AbstractUser's
AUTH_USER_METHODS = frozenset({"__str__", "get_full_name", "get_short_name"})
USER_OF = "#"  # `User#1`: the generated User of the second models module, as a model's key


@dataclass
class ModelFacts:
    """What a generated model has as its Django twin has it, read from the legacy source."""

    columns: set[str] = field(default_factory=set)
    methods: set[str] = field(default_factory=set)  # kept by the models rule, no query in them
    strings: set[str] = field(default_factory=set)  # those of `methods` giving only strings
    to_one: dict[str, str] = field(default_factory=dict)  # foreign key -> generated model
    # to-many reads answering as Django's related managers -> the related model: Django's
    # default reverse accessors of foreign keys (`choice_set`, which the runtime gives the rows:
    # generic.attach_related_sets), many-to-many fields and the reverse accessors the models rule
    # generates (`related_name`, a many-to-many's `post_set`), read as related.RelatedList
    to_many: dict[str, str] = field(default_factory=dict)
    # columns Django reads as objects of its own (a FileField's FieldFile: `.url`, `.size`)
    opaque: set[str] = field(default_factory=set)
    # every name its class body binds (fields, methods, constants), and whether it is built on
    # `models.Model` alone: then a name it does not bind is none of its instances' (absent.py)
    defined: set[str] = field(default_factory=set)
    plain: bool = False
    # what any model of SRC may add to it: `related_name`s, reverse one-to-one accessors
    foreign: frozenset[str] = frozenset()


def read_models(sources: list[str], relations: Relations) -> dict[str, ModelFacts]:
    """Per model class of the legacy models modules, its `ModelFacts` (and django.contrib.auth's
    User, which the models rule generates for the foreign keys to it); read once a run for the
    same `relations` (read_relations': one a run), which no caller changes."""
    key = ("read_models", tuple(sources))
    return read_once(key, relations, (), lambda: _read_models(sources, relations), _as_read)


def _as_read(facts: dict[str, ModelFacts]) -> dict[str, ModelFacts]:
    return facts


def _read_models(sources: list[str], relations: Relations) -> dict[str, ModelFacts]:
    classes: list[ast.ClassDef] = []
    modules: dict[int, ast.Module] = {}  # id of a class -> its module
    users: dict[str, str] = {}  # model class -> the key of its models module's own User
    shared = is_shared(sources)
    for index, source in enumerate(sources):
        try:
            tree = parse_ast_shared(source)
        except SyntaxError:
            continue
        own = [node for node in tree.body if isinstance(node, ast.ClassDef)]
        classes += own
        modules.update({id(node): tree for node in own})
        # one User per models module, or one for all when they share a base
        user = "User" if shared else f"User{USER_OF}{index}"
        users |= {node.name: user for node in own}
    foreign = reverse_names(sources)
    found = {
        node.name: ModelFacts(
            columns={"pk", "id"},
            defined=bound_names(node),
            plain=plain_model(node),
            foreign=foreign,
        )
        for node in classes
    }
    custom = read_custom_fields(sources, frozenset(FIELDS))
    for model, fields in relations.items():
        if model in users and any(r.to_user and r.mapped for r in fields.values()):
            found.setdefault(
                users[model],
                ModelFacts(columns={"pk", *AUTH_USER_FIELDS}, methods=set(AUTH_USER_METHODS)),
            )
    _add_to_many(found, relations, users)
    # django.contrib.sites' Site, generated for the relations to it and the current site
    found.setdefault(SITE_CLASS, ModelFacts(columns={"pk", *SITE_COLUMNS}, methods={"__str__"}))
    for node in classes:
        facts = found[node.name]
        fields = relations.get(node.name, {})
        for item in node.body:
            if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call):
                for target in item.targets:
                    if not isinstance(target, ast.Name):
                        continue
                    relation = fields.get(target.id)
                    kind = ast.unparse(item.value.func).rsplit(".", 1)[-1]
                    if kind == "encrypt":  # a column of Django's stored values
                        kind = encrypted_kind(item.value, modules[id(node)]) or kind
                    if relation is None and (kind in FIELDS or kind in custom):
                        facts.columns.add(target.id)  # the models rule made it a column
                        if kind in OPAQUE_FIELDS:
                            facts.opaque.add(target.id)
                        if _has_display(item.value):
                            facts.methods.add(f"get_{target.id}_display")
                    elif relation is not None and relation.to_one:
                        facts.columns.add(f"{target.id}_id")
                        if relation.mapped and relation.target:
                            facts.to_one[target.id] = _target(node.name, relation, users)
            elif isinstance(item, ast.FunctionDef) and not _queries(
                item, set(facts.to_many), _standard_modules(modules[id(node)])
            ):
                facts.methods.add(item.name)
        facts.methods -= _reading_kept_fields(node, facts)
        facts.strings = string_methods(node, modules[id(node)]) & facts.methods
    return found


def _ends_in_return(body: list[ast.stmt]) -> bool:
    """Whether every path through `body` ends in `return` or `raise` (no implicit None)."""
    last = body[-1] if body else None
    if isinstance(last, ast.Return | ast.Raise):
        return True
    if isinstance(last, ast.If):
        return _ends_in_return(last.body) and _ends_in_return(last.orelse)
    return False


# calls giving a string whatever they are given
STRING_CALLS = frozenset({"str", "force_str", "repr"})
STRING_METHODS = frozenset({"format", "join"})  # of a string literal: `"{0}".format(x)`


def string_methods(node: ast.ClassDef, module: ast.Module) -> set[str]:
    """The methods of the class whose every `return` gives a string (a literal, an f-string,
    `str()`/`force_str()`, a literal's `.format()`/`.join()` or `%`, or a call of such a method
    on `self` or of such a function of the module): a filter of SRC gets the same value from a
    row as from Django's instance."""
    methods = {i.name: i for i in node.body if isinstance(i, ast.FunctionDef)}
    functions = {i.name: i for i in module.body if isinstance(i, ast.FunctionDef)}
    known: dict[int, bool] = {}

    def gives(function: ast.FunctionDef) -> bool:
        if id(function) not in known:
            known[id(function)] = False  # a call back into itself proves nothing
            returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
            known[id(function)] = (
                _ends_in_return(function.body)
                and not any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(function))
                and all(r.value is not None and is_string(r.value) for r in returns)
            )
        return known[id(function)]

    def is_string(value: ast.expr) -> bool:
        if isinstance(value, ast.JoinedStr):
            return True
        if isinstance(value, ast.Constant):
            return isinstance(value.value, str)
        if isinstance(value, ast.IfExp):
            return is_string(value.body) and is_string(value.orelse)
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mod):
            return isinstance(value.left, ast.Constant) and isinstance(value.left.value, str)
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if isinstance(func, ast.Name):
            if func.id in STRING_CALLS:
                return True
            return func.id in functions and gives(functions[func.id])
        if not isinstance(func, ast.Attribute):
            return False
        if func.attr in STRING_METHODS:
            return isinstance(func.value, ast.Constant) and isinstance(func.value.value, str)
        if isinstance(func.value, ast.Name) and func.value.id == "self":
            return func.attr in methods and gives(methods[func.attr])
        return False

    return {name for name, method in methods.items() if gives(method)}


def _reading_kept_fields(node: ast.ClassDef, facts: ModelFacts) -> set[str]:
    """The methods of a model reading `self.<name>` where `name` is a field the models rule
    kept as written, not a column (`host = encrypt(models.CharField())`: a Django field object
    on the row, not the instance's value), directly or through another such method."""
    kept = {
        target.id
        for item in node.body
        if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call)
        for target in item.targets
        if isinstance(target, ast.Name)
        and target.id not in facts.columns
        and target.id not in facts.to_one
        and target.id not in facts.to_many
    }
    reads = {
        item.name: {
            n.attr
            for n in ast.walk(item)
            if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name)
            and n.value.id == "self"
        }
        for item in node.body
        if isinstance(item, ast.FunctionDef)
    }
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, attributes in reads.items():
            if name not in found and attributes & (kept | found):
                found.add(name)
                changed = True
    return found


def _has_display(field: ast.Call) -> bool:
    """Whether the models rule gives the field `get_<name>_display()`: choices named or
    written as a list."""
    return any(
        keyword.arg == "choices" and isinstance(keyword.value, ast.Name | ast.List | ast.Tuple)
        for keyword in field.keywords
    )


def _target(model: str, relation: Relation, users: dict[str, str]) -> str:
    """The key of a relation's target: for the user, the User of `model`'s own models module
    (each generated models module has its own, with only that module's reverse accessors)."""
    if relation.to_user and model in users:
        return users[model]
    return relation.target or ""


def _add_to_many(found: dict[str, ModelFacts], relations: Relations, users: dict[str, str]) -> None:
    """The to-many reads the rows answer as Django's related managers (and a one-to-one
    field's `related_name`, the related row, as Django's reverse accessor): Django's default
    reverse accessor of a foreign key (`choice_set`, given by the runtime), the generated
    relationships of a many-to-many field (`post.tags`) and the reverse accessors the models rule
    gives as backrefs (a `related_name`: `post.comments`; a many-to-many's `tag.post_set`)."""
    for model, fields in relations.items():
        for name, relation in fields.items():
            target = found.get(_target(model, relation, users)) if relation.mapped else None
            if target is None:
                continue
            related = relation.related_name
            if related is not None and (related == "+" or related.endswith("+")):
                continue
            if relation.kind == "OneToOneField":
                if related is not None:  # a backref with uselist=False: the row or None
                    target.to_one[related] = model
                continue
            if relation.kind == "ManyToManyField":
                if model in found:
                    found[model].to_many[name] = _target(model, relation, users)
                if relation.target == model and related is None:
                    continue  # symmetrical: no reverse accessor
                target.to_many[related or f"{model.lower()}_set"] = model
            elif related is not None:
                target.to_many[related] = model
            elif not relation.to_user:  # the runtime gives generated models only a `_set`
                target.to_many[f"{model.lower()}_set"] = model


def _standard_modules(module: ast.Module) -> frozenset[str]:
    """The standard library's modules the module imports by their name (`import os`)."""
    return frozenset(
        alias.name
        for node in module.body
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.asname is None and alias.name in sys.stdlib_module_names
    )


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _queries(
    function: ast.FunctionDef, to_many: set[str], standard: frozenset[str] = frozenset()
) -> bool:
    """Whether a model method queries: anything but reads of its own to-many relations
    (`self.choice_set.all()`, `self.tags.count()`, `.exists()`), which the rows answer, and
    the functions of the standard library's modules it imports (`os.remove(path)`)."""
    allowed: set[int] = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in SET_READS
            and isinstance(node.value, ast.Attribute)
            and (node.value.attr.endswith("_set") or node.value.attr in to_many)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "self"
        ):
            allowed |= {id(node), id(node.value)}
    for node in ast.walk(function):
        if id(node) in allowed or not isinstance(node, ast.Attribute):
            continue
        if _root(node) in standard:
            continue
        if node.attr == "objects" or node.attr.endswith("_set") or node.attr in QUERY_METHODS:
            return True
        if node.attr in to_many:
            return True
    return False


def template_file(root: Path, name: str) -> Path | None:
    """The template `name` in a `templates` folder of SRC (the first, in path order)."""
    for folder in template_folders(root):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def template_folders(root: Path) -> tuple[Path, ...]:
    """The `templates` folders of SRC, in path order; within a run, searched for once (a
    template's reads are followed from every view rendering it)."""
    memo = run_memo()
    key = (template_folders, str(root))
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    found = tuple(folder for folder in sorted(root.rglob("templates")) if folder.is_dir())
    if memo is not None:
        memo[key] = found
    return found


@dataclass
class Reads:
    """The names of a template's context standing for model objects and for lists of them."""

    objects: dict[str, str] = field(default_factory=dict)  # name -> model class
    lists: dict[str, str] = field(default_factory=dict)  # name -> model class of its rows
    # the lists are Python lists (a function view's `session.scalars(...).all()`), not the
    # runtime's Rows: `{{ rows.count }}` renders "" from a list (its `count` wants an argument)
    plain: bool = False
    # lists of a function view that answer `count`, `exists` and `all` all the same (the
    # runtime's context_rows: a template's context given a queryset variable)
    rows: set[str] = field(default_factory=set)


def template_problems(
    root: Path, name: str, reads: Reads, models: dict[str, ModelFacts]
) -> list[str]:
    """Why the template `name` (and those it extends or includes, and those SRC's tags render
    with the rows it hands them) needs Django's instances."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    queue = [(name, reads)]
    tags = read_tags(root)
    while queue:
        current, given = queue.pop()
        key = (current, repr(given))
        if key in seen:
            continue
        seen.add(key)
        path = template_file(root, current)
        if path is None:
            problems.append(f"template {current} is not in SRC: what it reads is not known")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            problems.append(f"template {current} cannot be read")
            continue
        found, loaded, rendered = _problems(current, text, given, models, tags)
        problems += found
        queue += [(template, given) for template in loaded] + rendered
    return problems


def template_texts(root: Path, name: str) -> list[str]:
    """The text of the template `name` of SRC and of those it extends, includes or has SRC's
    tags render (what `template_problems` reads; a template not in SRC is left out)."""
    texts: list[str] = []
    seen: set[str] = set()
    queue = [name]
    tags = read_tags(root)
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        path = template_file(root, current)
        try:
            text = path.read_text(encoding="utf-8") if path is not None else None
        except (OSError, UnicodeDecodeError):
            text = None
        if text is None:
            continue
        texts.append(text)
        _, loaded, rendered = _problems(current, text, Reads(), {}, tags)
        queue += loaded + [template for template, _ in rendered]
    return texts


def _problems(
    template: str,
    text: str,
    reads: Reads,
    models: dict[str, ModelFacts],
    tags: dict[str, TagFacts],
) -> tuple[list[str], list[str], list[tuple[str, Reads]]]:
    objects = dict(reads.objects)
    groups: dict[str, str] = {}  # {% regroup rows by f as name %}: name -> the rows' model
    sections: dict[str, str] = {}  # a loop over such a name: its variable -> the rows' model
    problems: list[str] = []
    loaded: list[str] = []
    rendered: list[tuple[str, Reads]] = []
    for match in TAG.finditer(text):
        variable, block = match.group(1), match.group(2)
        content = STRING.sub('""', variable if variable is not None else block)
        if block is not None:
            tag = content.split()[0] if content.split() else ""
            load = LOADED.match(match.group(2))
            if load and "with" in content.split()[1:]:  # {% include "t" with a=b c=d only %}
                given, problem = _included(content, objects, reads, models)
                if problem is None:
                    rendered.append((load.group(2), given))
                else:
                    problems.append(f"template {template} {problem}")
                continue
            if load:
                loaded.append(load.group(2))
            elif tag in ("extends", "include"):
                problems.append(f"template {template} {tag}s a template named by a variable")
            if tag not in KNOWN_TAGS:
                facts = tags.get(tag)
                if facts is None:
                    problems.append(
                        f"template {template} uses {{% {tag} %}}, a tag of its own: it may read "
                        "the objects from the context"
                    )
                else:
                    found, renders = _tag_problems(template, content, facts, objects, reads, models)
                    problems += found
                    rendered += renders
                continue
            grouped = REGROUP_TAG.match(content)
            if grouped:
                found_group = _regrouped(grouped, reads, models)
                if found_group is not None:  # read as Django's {% regroup %} reads the rows
                    groups[grouped.group(3)] = found_group
                    continue
            loop = FOR_TAG.match(content)
            if loop and loop.group(2) in groups:  # for section in section_list
                for target in loop.group(1).replace(",", " ").split():
                    sections[target] = groups[loop.group(2)]
                continue
            if loop and loop.group(2).split(".")[0] in sections:
                source = loop.group(2).split(".")
                if source[1:] != ["list"]:
                    problems.append(f"template {template} loops over {loop.group(2)}")
                    continue
                for target in loop.group(1).replace(",", " ").split():
                    objects[target] = sections[source[0]]
                continue
            if loop:
                source = loop.group(2).split(".")
                model = reads.lists.get(source[0])
                owner = models.get(objects.get(source[0], ""))
                if (
                    owner is not None
                    and len(source) == 3
                    and source[2] == "all"
                    and source[1] in owner.to_many
                ):  # for choice in question.choice_set.all
                    for target in loop.group(1).replace(",", " ").split():
                        objects[target] = owner.to_many[source[1]]
                if model is not None and (len(source) == 1 or source[1:] == ["object_list"]):
                    for target in loop.group(1).replace(",", " ").split():
                        objects[target] = model
                    content = content[: loop.start(2)] + content[loop.end(2) :]
        if block is not None and content.split()[:1] == ["with"]:
            for alias, value in WITH_ALIAS.findall(content):
                parts = value.split(".")
                if parts[0] in objects and len(parts) == 1:
                    objects[alias] = objects[parts[0]]  # {% with q=question %}
                elif parts[0] in reads.lists and len(parts) == 2 and parts[1].isdigit():
                    objects[alias] = reads.lists[parts[0]]  # {% with q=questions.0 %}
        used = {c.group(1) for c in NAME_CHAIN.finditer(content)} & {*objects, *reads.lists}
        if used and block is not None and content.split()[0] not in SAFE_TAGS:
            tag = content.split()[0]
            problems.append(
                f"template {template} passes {', '.join(sorted(used))} to {{% {tag} %}}"
            )
            continue
        unknown = [f for f in FILTER.findall(content) if f not in SAFE_FILTERS]
        if used and unknown and not _filters_a_column(content, objects, reads, models):
            problems.append(
                f"template {template} filters {', '.join(sorted(used))} with {', '.join(unknown)}"
            )
            continue
        for chain in NAME_CHAIN.finditer(content):
            head, rest = chain.group(1), [p for p in chain.group(2).split(".") if p]
            if head in objects:
                problem = _read_problem(objects[head], head, rest, models)
            elif head == "page_obj":
                continue  # Django's Page: its attributes are Django's own
            elif head in sections:  # a {% regroup %} section: its grouper, shown as Django's
                grouper = rest in ([], ["grouper"])
                problem = (
                    None
                    if grouper
                    else f"{head}.{'.'.join(rest)}: not a read of a regrouped section"
                )
            elif head in reads.lists and rest and rest[0].isdigit():  # an item: a row
                problem = _read_problem(reads.lists[head], f"{head}.{rest[0]}", rest[1:], models)
            elif head in reads.lists:
                answered = (
                    PAGE_READS
                    if reads.plain and head not in reads.rows
                    else LIST_READS | PAGE_READS
                )
                bad = rest and rest[0] not in answered
                problem = f"{head}.{rest[0]}: not a read of a list of rows" if bad else None
            else:
                continue
            if problem:
                problems.append(f"template {template} reads {problem}")
    return problems, loaded, rendered


def _regrouped(found: re.Match[str], reads: Reads, models: dict[str, ModelFacts]) -> str | None:
    """The model of the rows `{% regroup rows by f as name %}` groups, when Django's tag reads
    the same of them as of its instances: `f` a column, or a foreign key to a model whose
    `str()` the generated row has as Django's (a `__str__` kept, auth's Group); None otherwise.
    Its sections compare groupers with `==`, which the rows answer by primary key as Django's
    instances do (DjangoEquality)."""
    rows, field_name = found.group(1), found.group(2)
    model = reads.lists.get(rows)
    facts = models.get(model or "")
    if model is None or facts is None or field_name in facts.opaque:
        return None
    if field_name in facts.columns:
        return model
    target = facts.to_one.get(field_name)
    related = models.get(target or "")
    if target == GROUP_CLASS or (related is not None and "__str__" in related.methods):
        return model
    return None


def _included(
    content: str, objects: dict[str, str], reads: Reads, models: dict[str, ModelFacts]
) -> tuple[Reads, str | None]:
    """What `{% include "t" with a=b c=d [only] %}` gives the included template: the rows in
    reach where it stands (the loop's too; none with `only`), `a` standing for the rows `b`
    stands for, or for no rows when `b` is none (`None`, a string, another name); `a=b.k` with
    `k` a chain of foreign keys to generated models (`u=c.user`) stands for the row at its end,
    as Django's related instance; (_, why) when an alias is given any other read of rows."""
    words = content.split()
    given = words[words.index("with") + 1 :]
    only = "only" in given
    found = Reads(
        {} if only else dict(objects),
        {} if only else dict(reads.lists),
        plain=reads.plain,
        rows=set() if only else set(reads.rows),
    )
    for word in given:
        alias, _, value = word.partition("=")
        if not value:
            continue
        head, *rest = value.split(".")
        found.objects.pop(alias, None)
        found.lists.pop(alias, None)
        if head in objects or head in reads.lists:
            if rest:
                target = _to_one_end(objects.get(head), rest, models)
                if target is None:
                    return found, f"passes {value} to {{% include %}} as {alias}"
                found.objects[alias] = target
            elif head in objects:
                found.objects[alias] = objects[head]
            else:
                found.lists[alias] = reads.lists[head]
    return found, None


def _to_one_end(model: str | None, chain: list[str], models: dict[str, ModelFacts]) -> str | None:
    """The generated model at the end of `chain`, foreign keys from `model`'s rows; None when a
    link is anything else."""
    for part in chain:
        facts = models.get(model or "")
        if facts is None or part not in facts.to_one:
            return None
        model = facts.to_one[part]
    return model


def _tag_problems(
    template: str,
    content: str,
    tag: TagFacts,
    objects: dict[str, str],
    reads: Reads,
    models: dict[str, ModelFacts],
) -> tuple[list[str], list[tuple[str, Reads]]]:
    """What a tag of SRC (template_tags.py) is given of the rows: the context keys it reads
    must hold none; an argument reading rows must be the value of a column of a row (`u.pk`),
    or name rows given to a parameter the tag only hands to the templates it renders, which
    are then read with them under that parameter's key."""
    name, *words = content.split()
    rows = {*objects, *reads.lists}
    read = sorted(tag.context_keys & rows)
    if read:
        return [f"template {template} uses {{% {name} %}}, which reads {', '.join(read)}"], []
    if tag.literal:  # its words stay strings: no value of the template reaches it
        return [], []
    if words[-2:-1] == ["as"]:
        words = words[:-2]
    rendered: list[tuple[str, Reads]] = []
    for index, word in enumerate(words):
        keyword, _, value = word.rpartition("=") if "=" in word else ("", "", word)
        used = {c.group(1) for c in NAME_CHAIN.finditer(value)} & rows
        if not used or _column_value(value, objects, models):
            continue  # a column's value: the tag gets the same Python value from both rows
        parameter = keyword or _positional(tag.parameters, index)
        key = tag.forwards.get(parameter or "")
        if key is None or value not in rows or not tag.templates:
            handed = tag.handed.get(parameter or "")
            lead = tag.leads.get(parameter or "")
            why = (
                f", which hands it to {handed}() (what that reads is not followed)"
                if handed
                else ""
            )
            if handed and lead is not None:
                calls = ", ".join(f"{name} of {module}" for name, module in lead.reaches)
                why = f", which hands it to {handed}() of {lead.module}" + (
                    f", which calls {calls}" if calls else ""
                )
                why += ": what they read of it is not followed"
            return [
                f"template {template} passes {', '.join(sorted(used))} to {{% {name} %}}{why}"
            ], []
        given = Reads(plain=reads.plain)
        if value in objects:
            given.objects[key] = objects[value]
        else:
            given.lists[key] = reads.lists[value]
        rendered += [(rendering, given) for rendering in tag.templates]
    return [], rendered


def _positional(parameters: tuple[str, ...], index: int) -> str | None:
    for position, parameter in enumerate(parameters):
        if parameter.startswith("*"):
            return parameter[1:]
        if position == index:
            return parameter
    return None


def _filters_a_column(
    content: str, objects: dict[str, str], reads: Reads, models: dict[str, ModelFacts]
) -> bool:
    """Whether a `{{ }}` filters only the value of a column of a row (`t.last_active|since`)
    or of a method of it giving only strings (`message.obfuscated_sender|or_me:user`): a filter
    of SRC then gets the same Python value from both rows."""
    value, _, filters = content.partition("|")
    rows = {*objects, *reads.lists}
    if {c.group(1) for c in NAME_CHAIN.finditer(filters)} & rows:
        return False
    return _column_value(value.strip(), objects, models)


def _column_value(value: str, objects: dict[str, str], models: dict[str, ModelFacts]) -> bool:
    """Whether `value` reads the value of a column of a row, through its foreign keys or not
    (`t.last_active`, `u.pk`, `c.user.pk`): the same Python value from both rows."""
    chain = NAME_CHAIN.fullmatch(value)
    if chain is None:
        return False
    head, rest = chain.group(1), [p for p in chain.group(2).split(".") if p]
    facts = models.get(objects.get(head, ""))
    for index, part in enumerate(rest):
        if facts is None:
            return False
        if part in facts.to_one:
            facts = models.get(facts.to_one[part])
            continue
        given = (part in facts.columns and part not in facts.opaque) or part in facts.strings
        return given and index == len(rest) - 1
    return False


def _read_problem(
    model: str, head: str, rest: list[str], models: dict[str, ModelFacts]
) -> str | None:
    facts = models.get(model)
    path = head
    for index, part in enumerate(rest):
        path = f"{path}.{part}"
        following = rest[index + 1 :]
        if facts is None:
            return None  # a column's value: Python reads it the same on both sides
        if part in facts.opaque and following:
            return (
                f"{path}.{following[0]}: a {model} field Django reads as an object of its own "
                "(FieldFile)"
            )
        if part in facts.columns or part in facts.methods:
            facts = None
            continue
        if part in facts.to_one:
            model = facts.to_one[part]
            facts = models.get(model)
            if facts is None:
                return f"{path}: a model the codemod does not read"
            continue
        if part in facts.to_many:
            if not following or following[0] not in SET_READS or len(following) > 1:
                return f"{path}: a related manager read other than .all, .count or .exists"
            return None
        if absent(facts, part):  # Django's string_if_invalid, on both sides
            return None
        shown = model.split(USER_OF, 1)[0]
        return f"{path}: not a column, a foreign key or a method of {shown} without a query"
    return None
