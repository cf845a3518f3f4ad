"""Name keys: look-alike names share one key, on Unicode's confusables data."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import IntegrationForm
from integration_core.errors import IntegrationValidationError
from integration_core.integrations import name_key
from integration_core.integrations._confusables import _prototypes, skeleton
from tests.lifecycle_support import make_service

SCRIPT = Path(__file__).parents[2] / "scripts" / "confusables_table.py"
TABLE = Path(__file__).parents[2] / "src" / "integration_core" / "integrations" / "confusables.txt"


@pytest.mark.parametrize(
    "variant",
    ["\u0405hop Sync", "Shop \u0405ync", "\u0405h\u043ep Sync", "SHOP SYNC", "\uff33hop Sync"],
    ids=["cyrillic-dze", "cyrillic-dze-second-word", "cyrillic-dze-and-o", "case", "width"],
)
def test_a_look_alike_of_a_taken_name_is_a_duplicate(variant: str) -> None:
    service, _ = make_service()
    service.save(IntegrationForm(name="Shop Sync"))
    with pytest.raises(IntegrationValidationError) as raised:
        service.save(IntegrationForm(name=variant))
    assert [problem.code for problem in raised.value.problems] == ["duplicate"]
    assert len(service.repository.list()) == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [("Shop Sync", "Shop Sink"), ("ERP", "ERP 2"), ("Bill", "Biii"), ("Stra\u00dfe", "Strafe")],
)
def test_names_an_eye_tells_apart_keep_their_own_keys(left: str, right: str) -> None:
    assert name_key(left) != name_key(right)


@pytest.mark.law
@given(st.text())
def test_the_key_of_a_key_is_itself(name: str) -> None:
    """Rule: the skeleton, and folding after it, reach a fixed point: a stored key keys to itself."""
    key = name_key(name)
    assert key == name_key(key)
    assert key == name_key(skeleton(key))


def test_case_folds_before_the_skeleton_so_case_variants_keep_one_key() -> None:
    # "I" looks like "l", but "I" is "i" to case-insensitive names, and "i" does not look like "l":
    # folding first keeps "SHOP II" and "shop ii" one name, and "shop ll" another.
    assert name_key("SHOP II") == name_key("shop ii") != name_key("shop ll")


def test_the_table_is_unicodes_uts_39_data_with_its_terms_of_use() -> None:
    header = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    assert any(line.startswith("# Version: ") for line in header)
    assert any("terms of use" in line for line in header)
    table = _prototypes()
    assert len(table) > 6000
    assert table[0x0405] == "S"
    assert table[0x0455] == "s"
    assert table[ord("m")] == "rn"


def test_the_generator_reduces_confusables_txt_to_the_table(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("confusables_table", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = (
        "\ufeff# confusables.txt\n# Version: 99.0.0\n#\n# terms of use\n"
        "0405 ;\t0053 ;\tMA\t# ( \u0405 \u2192 S ) CYRILLIC CAPITAL LETTER DZE\t#\n\n"
        "006D ;\t0072 006E ;\tMA\t# ( m \u2192 rn )\t#\n"
    )
    reduced = module.reduce(source)
    assert reduced.splitlines()[-2:] == ["0405 0053", "006D 0072 006E"]
    assert "# Version: 99.0.0" in reduced.splitlines()
    written = tmp_path / "confusables.txt"
    written.write_text(source, encoding="utf-8")
    module.__dict__["TABLE"] = tmp_path / "table.txt"
    assert module.main([str(written)]) == 0
    assert (tmp_path / "table.txt").read_text(encoding="utf-8") == reduced
    assert module.main([]) == 2
    assert sys.modules.get("confusables_table") is None
