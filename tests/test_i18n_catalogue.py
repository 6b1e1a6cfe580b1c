"""The gettext catalogues of the reports' own words are complete, current and compiled.

A translator works with Babel's tools on ``src/weltoffen/locale`` (docs/translating.md). These
tests fail where that work is unfinished: a marked message missing from the template or from a
language, an entry left fuzzy or untranslated, a placeholder lost in translation, an entry no
longer in the code, or a committed ``.mo`` that is not the compiled ``.po``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel")

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from weltoffen.translations import DOMAIN, LOCALE_DIR, N_, languages, translate  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "weltoffen"
#: The keyword spec of docs/translating.md: N_(context, message).
KEYWORDS = {"N_": ((1, "c"), 2)}


def _extracted() -> set[tuple[str, str]]:
    found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {(context, message) for _, _, message, _, context in found}


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _entries(catalogue: Catalog) -> dict[tuple[str, str], object]:
    return {(m.context, m.id): m for m in catalogue if m.id}


CATALOGUES = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def test_the_template_holds_exactly_the_marked_messages() -> None:
    template = _entries(_read(LOCALE_DIR / f"{DOMAIN}.pot"))
    assert set(template) == _extracted(), "run the extract command of docs/translating.md"


def test_every_language_has_a_catalogue_and_a_compiled_one() -> None:
    assert CATALOGUES, "no catalogue found"
    assert set(languages()) == {"en", *(p.parent.parent.name for p in CATALOGUES)}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_a_catalogue_translates_every_message_and_nothing_else(po: Path) -> None:
    entries = _entries(_read(po))
    wanted = _extracted()
    assert sorted(wanted - set(entries)) == [], "missing: run the update command"
    assert sorted(set(entries) - wanted) == [], "no longer in the code: run the update command"
    fuzzy = [key for key, m in entries.items() if m.fuzzy]  # type: ignore[attr-defined]
    assert fuzzy == [], "fuzzy entries need a translator's look"
    empty = [key for key, m in entries.items() if not m.string]  # type: ignore[attr-defined]
    assert empty == [], "untranslated"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_translations_keep_every_placeholder(po: Path) -> None:
    def names(text: str) -> list[str]:
        return sorted(re.findall(r"\{(\w*)\}", text))

    lost = [
        (m.context, m.id)
        for m in _read(po)
        if m.id and m.string and names(str(m.id)) != names(str(m.string))
    ]
    assert lost == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_the_committed_mo_is_the_compiled_po(po: Path) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _read(po))
    assert po.with_suffix(".mo").read_bytes() == compiled.getvalue(), "run the compile command"


def test_the_reports_read_the_compiled_catalogue() -> None:
    message = [N_("report", "Results report"), N_("no such key", "Only in English")]
    german = translate(message, "de")
    assert german["report"] == "Ergebnisbericht"
    assert german["no such key"] == "Only in English"
    assert translate(message, "fr")["report"] == "Results report"
