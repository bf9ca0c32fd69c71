"""The catalogue against domain.yml, the follow-up tables, the actions and the code."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.content import catalogue
from assistant.content.catalogue import (
    NON_CONTENT,
    SMALL_TALK,
    SUBJECT_TABLE,
    SUBJECTS,
    UNANSWERED,
    group_of,
    is_content_topic,
    response_name,
    subject_of_topic,
    topic_of,
    topics,
)
from assistant.content.domain_terms import term_groups
from assistant.content.responses import load_responses
from assistant.content.suggestions import payload_for, payload_topic
from assistant.content.topic_resolution import AFTER_TOPIC, FOLLOW_UPS, SUBJECT_DEFAULT

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_FILE = Path(catalogue.__file__).resolve()
DOMAIN_TOPICS = topics(load_responses())
CONTENT = [t for t in DOMAIN_TOPICS if t not in NON_CONTENT]
# Words that only a copy of the subject list spells out together.
SUBJECT_WORDS = {
    *SUBJECTS,
    *(s.label for s in SUBJECT_TABLE),
    *(p for s in SUBJECT_TABLE for p in s.prefixes),
}


# --- the domain -------------------------------------------------------------------


def test_every_content_topic_belongs_to_exactly_one_subject() -> None:
    assert CONTENT
    for topic in CONTENT:
        owners = [s.id for s in SUBJECT_TABLE if topic.startswith(s.prefixes)]
        assert len(owners) == 1, (topic, owners)
        assert subject_of_topic(topic) == owners[0]


def test_content_and_non_content_do_not_overlap() -> None:
    assert not any(is_content_topic(t) for t in NON_CONTENT)
    assert set(CONTENT).isdisjoint(NON_CONTENT)


def test_every_non_content_topic_has_a_response() -> None:
    assert NON_CONTENT <= set(DOMAIN_TOPICS)
    assert SMALL_TALK | UNANSWERED <= NON_CONTENT


def test_every_domain_topic_is_listed_once() -> None:
    assert len(DOMAIN_TOPICS) == len(set(DOMAIN_TOPICS))


def test_every_subject_has_content() -> None:
    assert {subject_of_topic(t) for t in CONTENT} == set(SUBJECTS)


# --- response names ---------------------------------------------------------------


@pytest.mark.parametrize("topic", DOMAIN_TOPICS)
def test_response_names_and_topics_round_trip(topic: str) -> None:
    assert topic_of(response_name(topic)) == topic


def test_every_domain_response_is_named_after_its_topic() -> None:
    assert [response_name(t) for t in DOMAIN_TOPICS] == list(load_responses())


@pytest.mark.parametrize(
    ("response", "topic"),
    [
        ("utter_hsct_risks", "hsct_risks"),
        ("utter_faq/cordblood_donation", "cordblood_donation"),
        ("action_helpline", None),
        ("notice_store_down", None),
        ("", None),
        (None, None),
    ],
)
def test_topic_of(response: str | None, topic: str | None) -> None:
    assert topic_of(response) == topic


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("hsct_risks", True),
        ("cordblood_why", True),
        ("wbmv_what_is", True),
        ("greet", False),
        ("not_in_sources", False),
        ("fallback", False),
        (None, False),
    ],
)
def test_is_content_topic(topic: str | None, expected: bool) -> None:
    assert is_content_topic(topic) is expected


@pytest.mark.parametrize(
    ("topic", "group"),
    [
        ("hsct_reimbursement", "hsct"),
        ("cordblood_export", "cordblood"),
        ("wbmv_what_is", "cordblood"),
        ("helpline", "general"),
        ("not_in_sources", "general"),
    ],
)
def test_group_of(topic: str, group: str) -> None:
    assert group_of(topic) == group


# --- the tables that name topics and subjects ---------------------------------------


def follow_up_topics() -> set[str]:
    """Return every topic the follow-up tables of topic_resolution name."""
    named = set(SUBJECT_DEFAULT.values())
    named |= {t for by_subject in FOLLOW_UPS.values() for t in by_subject.values()}
    named |= {last for _, last in AFTER_TOPIC} | set(AFTER_TOPIC.values())
    return named


def test_every_topic_of_the_follow_up_tables_exists() -> None:
    assert follow_up_topics() <= set(DOMAIN_TOPICS)


def test_the_follow_up_tables_name_every_subject_and_only_those() -> None:
    assert set(SUBJECT_DEFAULT) == set(SUBJECTS)
    for question, by_subject in FOLLOW_UPS.items():
        assert set(by_subject) == set(SUBJECTS), question


def test_every_domain_term_points_to_a_subject() -> None:
    assert {g.subject for g in term_groups() if g.subject} <= set(SUBJECTS)


@pytest.mark.parametrize("topic", CONTENT)
def test_every_content_topic_has_a_payload_that_leads_to_it(topic: str) -> None:
    assert payload_topic(payload_for(topic)) == topic


def catalogue_names(path: Path) -> set[str]:
    """Return the names a module imports from the catalogue."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == catalogue.__name__
        for alias in node.names
    }


def test_every_topic_the_actions_name_exists() -> None:
    named = {
        getattr(catalogue, name)
        for path in (ROOT / "actions").glob("*.py")
        for name in catalogue_names(path)
    }
    topic_ids = {value for value in named if isinstance(value, str)}
    assert topic_ids  # the actions name their responses through the catalogue
    assert topic_ids <= set(DOMAIN_TOPICS)


# --- one catalogue: no copies elsewhere, and the lowest layer -----------------------


def sources() -> Iterator[Path]:
    """Yield every Python module of the application and its tools."""
    for folder in ("assistant", "web", "actions", "tools"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def elements(node: ast.AST) -> list[ast.expr]:
    """Return the elements of a set, list or tuple literal, or a dict's values."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return node.elts
    if isinstance(node, ast.Dict):
        return node.values
    return []


def copies(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Yield (kind, line) of each literal that spells out the catalogue's words."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == catalogue.RESPONSE_PREFIX:
            yield "response names", node.lineno
        words = {
            topic_of(e.value) or e.value
            for e in elements(node)
            if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
        if len(words & SUBJECT_WORDS) >= 2:
            yield "subjects", node.lineno
        if len(words & NON_CONTENT) >= 3:
            yield "non-content", node.lineno


def test_only_the_catalogue_spells_out_subjects_and_non_content_responses() -> None:
    found = []
    for path in sources():
        if path.resolve() == CATALOGUE_FILE:
            continue
        name = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{name}:{line} ({kind})" for kind, line in copies(tree)]
    assert not found, "copies of the catalogue: " + ", ".join(found)


def test_the_copy_finder_finds_the_old_copies() -> None:
    old = """
SUBJECTS = ("hsct", "cordblood")
PREFIXES = ("hsct_", "cordblood_", "wbmv_")
LABELS = (("hsct", "Stamceltherapie bij MS"),)
NAMES = {"hsct": "Stamceltherapie bij MS", "cordblood": "Navelstrengbloed"}
NOT_TOPICS = frozenset({"greet", "goodbye", "thanks", "nlu_fallback"})
NO_ANSWER = {"utter_fallback", "utter_out_of_scope", "utter_suggest"}
name = f"utter_{topic}"
"""
    kinds = [kind for kind, _ in copies(ast.parse(old))]
    assert kinds.count("subjects") == 4
    assert kinds.count("non-content") == 2
    assert kinds.count("response names") == 1


def imported_modules(path: Path) -> set[str]:
    """Return the top-level modules (or assistant subpackages) a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_catalogue_imports_only_the_standard_library() -> None:
    for module in imported_modules(CATALOGUE_FILE):
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or top == "__future__", module


def test_content_imports_no_higher_layer() -> None:
    higher = ("rasa", "rasa_sdk", "sanic", "web", "actions", "tools")
    for path in (ROOT / "assistant" / "content").glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in higher, (path.name, module)
            if top == "assistant":
                assert module.startswith("assistant.content"), (path.name, module)
