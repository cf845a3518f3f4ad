"""The tree's public entry points, fuzzed: an AclTree (or an answer) or our error, nothing else."""

from __future__ import annotations

from functools import partial
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclTree, CheckState
from integration_core.errors import AclDefinitionError, IntegrationCoreError
from integration_core.testing.strategies import acl_trees
from tests._acl_reference import chain
from tests.fuzz._gate import FUZZ, outcome
from tests.fuzz._values import ANY, ODD_TEXT, with_ids
from tests.test_hostile_inputs import XML_PIECES as HOSTILE_XML_PIECES

ENCODINGS = st.sampled_from(
    (
        *("utf-8", "UTF-16", "iso-8859-1", "cp1252", "koi8-r", "shift_jis", "utf-32", "utf-7"),
        *("big5", "euc-jp", "gb2312", "hex", "rot13", "idna", "punycode", "undefined", "mbcs"),
    )
)
"""Declared encodings: native, single-byte, multi-byte, not text, unknown here."""


XML_PIECES = (
    HOSTILE_XML_PIECES
    | st.sampled_from(
        [
            '<resource disabled="1" id="d"/>',
            '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
            '<!ENTITY % p SYSTEM "file:///etc/passwd">',
            "&a;&a;&a;",
        ]
    )
    | ODD_TEXT
)
"""The pieces the hostile-input tests use, bombs and external entities, and any text."""

TREE_QUESTIONS = (
    "__getitem__",
    "parent",
    "children",
    "ancestors",
    "descendants",
    "depth",
    "subtree",
)


def _document(pieces: list[str], declared: str | None) -> str:
    body = "".join(pieces)
    return body if declared is None else f'<?xml version="1.0" encoding="{declared}"?>{body}'


@FUZZ
@given(ANY)
def test_any_value_builds_a_tree_or_is_refused(data: Any) -> None:
    for build in (AclTree.from_data, AclTree.from_records, AclTree.from_magento_xml):
        result = outcome(partial(build, data))
        assert isinstance(result, AclTree | AclDefinitionError)


@FUZZ
@given(
    st.lists(XML_PIECES, max_size=12),
    st.none() | ENCODINGS | ODD_TEXT,
    st.sampled_from(["str", "utf-8", "utf-16", "latin-1", "surrogatepass"]),
)
def test_any_xml_in_any_declared_encoding_builds_a_tree_or_is_refused_naming_it(
    pieces: list[str], declared: str | None, form: str
) -> None:
    text = _document(pieces, declared)
    document: str | bytes
    if form == "str":
        document = text
    elif form == "surrogatepass":
        document = text.encode("utf-8", "surrogatepass")
    else:
        document = text.encode(form, "replace")
    result = outcome(lambda: AclTree.from_magento_xml({"fuzz.xml": document}))
    if isinstance(result, IntegrationCoreError):
        assert isinstance(result, AclDefinitionError)
        assert result.source.startswith("fuzz.xml")
    else:
        assert AclTree.from_data(result.to_data()) == result


@FUZZ
@given(st.data())
def test_every_question_to_a_tree_answers_or_is_refused(data: st.DataObject) -> None:
    tree = data.draw(acl_trees())
    key = data.draw(with_ids(tree.ids))
    for question in TREE_QUESTIONS:
        outcome(partial(getattr(tree, question), key))
    assert tree.get(key) is None or key in tree
    states = data.draw(st.dictionaries(ODD_TEXT, st.sampled_from(CheckState)) | ANY)
    style: Any = data.draw(st.sampled_from(["guides", "depth"]) | ANY)
    outcome(partial(tree.render, states, style=style))
    outcome(partial(tree.to_jstree, states))


@FUZZ
@given(st.integers(1, 3000), st.integers(1, 40))
def test_deep_and_wide_trees_build_draw_and_export(depth: int, width: int) -> None:
    wide = AclTree.from_data([{"id": f"w{i}"} for i in range(width * 50)])
    deep = AclTree.from_data(chain(depth))
    for tree in (wide, deep):
        assert len(tree.render(style="depth").splitlines()) == len(tree)
        assert AclTree.from_data(tree.to_data()) == tree
