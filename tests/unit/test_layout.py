"""The layout is the architecture: layers import downwards, never in circles."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# From the bottom up; a module may import its own layer and the layers below it.
LAYERS = (
    ("assistant.content",),
    ("assistant.nlu", "assistant.dialogue"),
    ("assistant.privacy",),
    ("assistant.server",),
    ("actions", "web"),
    ("ops",),
    ("tools",),
)
PACKAGES = ("assistant", "actions", "web", "ops", "tools")
# Kept one release so that models trained before the move still load.
OLD_COMPONENT_PATH = "assistant.emergency_override"


def module_name(path: Path) -> str:
    """Return the dotted module name of a source file."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Return every module of the project's packages by its dotted name."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the project modules a file imports (at any depth of its code)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {name for name in names if name in modules}
    return found


def layer_of(module: str) -> int | None:
    """Return the layer number of a module (None: outside every layer)."""
    for number, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    return None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) for name, path in modules.items()}


def test_every_module_lives_in_a_layer(graph: dict[str, set[str]]) -> None:
    outside = {
        m for m in graph if layer_of(m) is None and "." in m and m != OLD_COMPONENT_PATH
    }
    assert outside == set()


def test_no_import_from_a_lower_layer_to_a_higher_one(
    graph: dict[str, set[str]],
) -> None:
    upward = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if module != OLD_COMPONENT_PATH
        and (layer_of(module) or 0) < (layer_of(target) or 0)
    ]
    assert upward == []


def test_packages_of_one_layer_do_not_import_each_other(
    graph: dict[str, set[str]],
) -> None:
    sideways = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if layer_of(module) == layer_of(target) is not None
        and module.split(".")[0] != target.split(".")[0]
    ]
    assert sideways == []


def test_no_import_circles(graph: dict[str, set[str]]) -> None:
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for target in graph.get(start, ()):
            if target == goal or (
                target not in seen and reaches(target, goal, seen | {target})
            ):
                return True
        return False

    circles = [m for m in graph if reaches(m, m, {m})]
    assert circles == []


def test_every_package_says_what_it_holds() -> None:
    for package in PACKAGES:
        for init in (ROOT / package).rglob("__init__.py"):
            docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
            assert docstring, f"{init.relative_to(ROOT)} has no opening docstring"


def test_conftests_import_no_bench_or_scale_tooling() -> None:
    for conftest in (ROOT / "tests").rglob("conftest.py"):
        tree = ast.parse(conftest.read_text(encoding="utf-8"))
        for node in tree.body:  # module level: what collecting the folder imports
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("tools.bench", "tools.scale"))
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
                assert not any(
                    n.startswith(("tools.bench", "tools.scale")) for n in names
                )


def test_the_old_component_path_still_names_the_components() -> None:
    from assistant.emergency_override import EmergencyOverride, ScopeGuard
    from assistant.nlu import emergency_override

    assert EmergencyOverride is emergency_override.EmergencyOverride
    assert ScopeGuard is emergency_override.ScopeGuard


def referenced_paths(text: str, base: str) -> list[str]:
    """Return the project files a shell script or make recipe names by path."""
    found = [
        base + match for match in re.findall(r'\$\(dirname "\$0"\)/([\w./-]+)', text)
    ]
    found += re.findall(r"^\t(?:exec )?((?:scripts|tools)/[\w./-]+\.sh)", text, re.M)
    return found


@pytest.mark.parametrize(
    "source",
    ["Makefile", *(str(p.relative_to(ROOT)) for p in ROOT.glob("tools/**/*.mk"))]
    + [
        str(p.relative_to(ROOT)) for p in ROOT.glob("**/*.sh") if ".venv" not in p.parts
    ],
)
def test_scripts_name_files_that_exist(source: str) -> None:
    """Every script a make recipe or shell script calls by path is where it says."""
    text = (ROOT / source).read_text(encoding="utf-8")
    base = str(Path(source).parent) + "/"
    missing = [
        path
        for path in referenced_paths(text, base)
        if not (ROOT / path).resolve().is_file()
    ]
    assert missing == []
