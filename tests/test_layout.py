"""The house holds: floors (who may import whom), the same modules in every app, and every
scoped model with its FilterSet, Serializer and page URL names. Read from the real source."""

import ast
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import NoReverseMatch, reverse

import shouwang
from shouwang.core.models import ScopedModel

SRC = Path(shouwang.__file__).resolve().parent

# ARCHITECTURE.md: a lower floor never imports a higher one; apps on one floor do not import
# each other (they talk through signals and core's registries).
FLOORS = [
    {"core"}, {"policies"}, {"obligations"}, {"registers"}, {"resources", "duty"}, {"plans"}, {"patrols"},
    {"inspections"}, {"schools"}, {"incidents"}, {"briefings", "audit"},
]
FLOOR = {app: i for i, floor in enumerate(FLOORS) for app in floor}
# Project modules beside the apps: the Celery app is infrastructure under every app; the URL
# confs, settings and the command line sit above them all.
INFRASTRUCTURE = {"celery", "testing"}
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists())

REQUIRED = ["apps.py", "choices.py", "models", "services.py", "filtersets.py", "forms.py", "views", "urls.py", "api",
            "demo.py", "templates"]
# What an app may lack, and why.
EXEMPT = {
    # reads every app's obligations (audit/queries.py); stores and writes nothing of its own
    "audit": {"models", "services.py", "filtersets.py", "demo.py"},
}


def _modules(app):
    for path in sorted((SRC / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _parse(path):
    """The module's syntax tree. CPython 3.11 before 3.11.9 keeps the AST converter's recursion
    depth in global state, so a parse racing another thread's (3.11's tracebacks parse source
    to draw their carets) can raise a spurious SystemError (gh-106905): parse again."""
    source = path.read_text()
    try:
        return ast.parse(source, str(path))
    except SystemError:
        return ast.parse(source, str(path))


def _imports(path):
    """(line, imported dotted module) for every import in the file, function-local ones too."""
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(SRC.parent).parts[:-1])
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module


def upward_imports():
    found = []
    for app in APPS:
        for path in _modules(app):
            for line, module in _imports(path):
                parts = module.split(".")
                if parts[0] != "shouwang" or len(parts) < 2:
                    continue
                target = parts[1]
                if target == app or target in INFRASTRUCTURE:
                    continue
                where = f"{path.relative_to(SRC)}:{line} imports {module}"
                if target not in FLOOR:
                    found.append(f"{where} (project module above the apps)")
                elif FLOOR[target] > FLOOR[app]:
                    found.append(f"{where} (a higher floor)")
                elif FLOOR[target] == FLOOR[app]:
                    found.append(f"{where} (an app on the same floor)")
    return found


def test_every_app_has_a_floor():
    assert set(APPS) <= set(FLOOR), set(APPS) - set(FLOOR)


def test_no_app_imports_a_higher_floor_or_a_sibling():
    assert upward_imports() == []


def test_the_floor_check_catches_an_upward_import(tmp_path, monkeypatch):
    # The check itself can fail: a registers module importing incidents is found.
    fake = tmp_path / "shouwang"
    (fake / "registers").mkdir(parents=True)
    (fake / "registers" / "apps.py").write_text("")
    (fake / "registers" / "bad.py").write_text("def f():\n    from shouwang.incidents.models import Incident\n")
    (fake / "incidents").mkdir()
    (fake / "incidents" / "apps.py").write_text("")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "SRC", fake)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "APPS", ["incidents", "registers"])
    assert upward_imports() == ["registers/bad.py:2 imports shouwang.incidents.models (a higher floor)"]


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_house_modules(app):
    folder = SRC / app
    missing = [m for m in REQUIRED if m not in EXEMPT.get(app, set())
               and not (folder / m).exists() and not (folder / f"{m}.py").exists()]
    assert missing == [], f"{app} lacks {missing}"
    assert (folder / "locale").exists() or app == "core", f"{app} has no catalogue"


def _scoped_models():
    return sorted((m for m in django_apps.get_models() if issubclass(m, ScopedModel)), key=lambda m: m._meta.label)


def _declared(module_suffix, attribute):
    """Models named by `Meta.model` of the FilterSets / Serializers across the apps."""
    import importlib
    import inspect

    found = set()
    for app in APPS:
        for name in module_suffix:
            try:
                module = importlib.import_module(f"shouwang.{app}.{name}")
            except ModuleNotFoundError:
                continue
            for _n, cls in inspect.getmembers(module, inspect.isclass):
                meta = getattr(cls, attribute, None)
                model = getattr(meta, "model", None)
                if model is not None:
                    found.add(model)
    return found


def test_every_scoped_model_has_a_filterset_and_a_serializer():
    filtersets = _declared(["filtersets"], "Meta")
    serializers = _declared(["api.serializers"], "Meta")
    no_filterset = [m._meta.label for m in _scoped_models() if m not in filtersets]
    no_serializer = [m._meta.label for m in _scoped_models() if m not in serializers]
    assert no_filterset == [] and no_serializer == [], (no_filterset, no_serializer)


def test_page_url_names_follow_app_model_verb():
    # Every scoped model that has a page has its list and detail under <app>:<model>_<verb>.
    wrong = []
    for model in _scoped_models():
        app, name = model._meta.app_label, model._meta.model_name
        url_base = getattr(model, "url_base", None) or f"{app}:{name}"
        try:
            reverse(f"{url_base}_list")
        except NoReverseMatch:
            continue  # no pages of its own (shown on its parent's page)
        for verb in ("detail",):
            try:
                reverse(f"{url_base}_{verb}", args=[1])
            except NoReverseMatch:
                wrong.append(f"{url_base}_{verb}")
    assert wrong == []


# The obligation engine's read surface is its queryset's methods: other apps never filter its
# columns themselves nor make an Obligation by id.
OBLIGATION_COLUMNS = {"kind", "key", "met_at", "waived_at", "due_at", "opens_at", "window_start", "subject_type",
                      "subject_id", "jurisdiction", "rule", "responsible_person", "responsible_unit"}


def _rooted_at_obligation(node):
    while isinstance(node, (ast.Call, ast.Attribute)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return isinstance(node, ast.Name) and node.id == "Obligation"


def raw_obligation_reads(apps=None):
    found = []
    for app in apps or APPS:
        if app == "obligations":
            continue
        for path in _modules(app):
            for node in ast.walk(_parse(path)):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Name) and func.id == "Obligation" and node.keywords:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} builds an Obligation")
                elif (isinstance(func, ast.Attribute) and func.attr in {"filter", "exclude", "get", "update"}
                      and _rooted_at_obligation(func.value)):
                    columns = {k.arg.split("__")[0] for k in node.keywords if k.arg}
                    if columns & OBLIGATION_COLUMNS:
                        found.append(f"{path.relative_to(SRC)}:{node.lineno} filters {sorted(columns)}")
    return found


def test_no_app_reads_raw_obligation_columns():
    assert raw_obligation_reads() == []


def test_the_obligation_check_catches_a_raw_filter(tmp_path, monkeypatch):
    fake = tmp_path / "shouwang" / "briefings"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("x = Obligation.objects.pending().filter(due_at__lt=1)\ny = Obligation(pk=3)\n"
                                 "z = Obligation.objects.with_keys(['a']).filter(pk=1)\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "SRC", tmp_path / "shouwang")
    assert raw_obligation_reads(["briefings"]) == ["briefings/bad.py:1 filters ['due_at']",
                                                   "briefings/bad.py:2 builds an Obligation"]
