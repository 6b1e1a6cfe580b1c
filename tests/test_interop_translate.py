"""Tests for weltoffen.interop.translate: the subset becomes conditions and totals, the rest is
reported with its place."""

from __future__ import annotations

import contextlib
import csv
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_interop_expressions import attempt
from weltoffen.interop.expressions import FHIRPATH, REDCAP, ExpressionError, Node, parse
from weltoffen.interop.translate import (
    LinearTotal,
    Refs,
    Target,
    Term,
    Unsupported,
    canonical,
    to_condition,
    to_total,
)
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Equals,
    Includes,
    Not,
    OneOf,
)

REFS = Refs(
    targets={
        "mood": Target(
            question="mood", kind="choice", codes={"0": "0", "1": "1", "2": "2", "3": "3"}
        ),
        "sex": Target(question="sex", kind="choice", codes={"M": "male", "F": "female"}),
        "smokes": Target(question="smokes", kind="yes_no", codes={"1": True, "0": False}),
        "age": Target(question="age", kind="numeric"),
        "note": Target(question="note", kind="text"),
        "cb": Target(question="cb", kind="multiple", codes={"1": "a", "2": "b", "ABC": "c"}),
        "q1": Target(question="q1", kind="choice", codes={"0": "0", "1": "1"}),
        "q2": Target(question="q2", kind="choice", codes={"0": "0", "1": "1"}),
        "q3": Target(question="q3", kind="choice", codes={"0": "0", "1": "1"}),
    },
    items=("q1", "q2", "q3"),
)


def redcap(text: str, refs: Refs = REFS) -> Any:
    return to_condition(parse(text, REDCAP), refs)


def fhir(text: str, refs: Refs = REFS) -> Any:
    return to_condition(parse(text, FHIRPATH), refs)


def redcap_total(text: str, refs: Refs = REFS) -> Any:
    return to_total(parse(text, REDCAP), refs)


def fhir_total(text: str, refs: Refs = REFS) -> Any:
    return to_total(parse(text, FHIRPATH), refs)


def answer(link: str) -> str:
    return f"%resource.item.where(linkId = '{link}').answer"


def points(*questions: str, coefficient: float = 1.0) -> tuple[Term, ...]:
    return tuple(Term(question=q, coefficient=coefficient) for q in questions)


class TestRedcapConditions:
    def test_equality_with_a_code_in_either_quote_or_none(self) -> None:
        for text in ("[mood] = '2'", '[mood] = "2"', "[mood] = 2", "2 = [mood]", "[mood] = 2.0"):
            assert redcap(text) == Equals("mood", "2")

    def test_codes_become_the_option_values(self) -> None:
        assert redcap("[sex] = 'F'") == Equals("sex", "female")
        assert redcap("[smokes] = '1'") == Equals("smokes", True)
        assert redcap("[smokes] = 0") == Equals("smokes", False)

    def test_unequal_holds_for_a_blank_answer_as_in_redcap(self) -> None:
        assert redcap("[mood] <> '1'") == Not(Equals("mood", "1"))
        assert redcap("[mood] != 1") == Not(Equals("mood", "1"))

    def test_ordering_on_codes_chooses_the_options(self) -> None:
        assert redcap("[mood] >= '2'") == OneOf("mood", ("2", "3"))
        assert redcap("[mood] < 2") == OneOf("mood", ("0", "1"))
        assert redcap("1 < [mood]") == OneOf("mood", ("2", "3"))

    def test_ordering_on_numbers_is_a_comparison(self) -> None:
        assert redcap("[age] > 17") == Compare("age", "gt", 17.0)
        assert redcap("[age] <= '65'") == Compare("age", "le", 65.0)
        assert redcap("[age] = 18") == Equals("age", 18.0)
        assert redcap("[age] > -1") == Compare("age", "gt", -1.0)

    def test_blank_tests(self) -> None:
        assert redcap("[mood] = ''") == Not(OneOf("mood", ("0", "1", "2", "3")))
        assert redcap("[mood] <> ''") == OneOf("mood", ("0", "1", "2", "3"))
        assert redcap("[smokes] = ''") == Not(OneOf("smokes", (True, False)))
        assert redcap("[age] <> ''") == AnyOf(
            (Compare("age", "ge", 0.0), Compare("age", "lt", 0.0))
        )

    def test_checkbox_options(self) -> None:
        assert redcap("[cb(ABC)] = '1'") == Includes("cb", "c")
        assert redcap("[cb(2)] = 0") == Not(Includes("cb", "b"))
        assert redcap("[cb(1)] <> '1'") == Not(Includes("cb", "a"))

    def test_and_or_not_in_any_case(self) -> None:
        got = redcap("([mood] = 1 OR [mood] = 2) and not [smokes] = '1' AND [age] > 3")
        assert got == AllOf(
            (
                AnyOf((Equals("mood", "1"), Equals("mood", "2"))),
                Not(Equals("smokes", True)),
                Compare("age", "gt", 3.0),
            )
        )

    def test_text_answers_compare_for_equality(self) -> None:
        assert redcap("[note] = 'abc'") == Equals("note", "abc")

    @pytest.mark.parametrize(
        ("text", "part", "words"),
        [
            ("[event-name] = 'v04_arm_1'", "[event-name]", "event"),
            ("[mood] = 1 or [v1][mood] = 2", "[v1][mood]", "event"),
            ("[nobody] = 1", "[nobody]", "unknown field"),
            ("[mood] = '7'", "[mood] = '7'", "not an answer code"),
            ("[mood] > 5", "[mood] > 5", "no answer code"),
            ("[sex] > 'A'", "[sex] > 'A'", "numeric codes"),
            ("[cb(9)] = '1'", "[cb(9)] = '1'", "not an option"),
            ("[cb(1)] = '2'", "[cb(1)] = '2'", "'1' or '0'"),
            ("[cb] = '1'", "[cb] = '1'", "checkbox"),
            ("[age] = 'old'", "[age] = 'old'", "not a number"),
            ("[note] > 'a'", "[note] > 'a'", "equality"),
            ("[note] = ''", "[note]", "cannot be stated"),
            ("[mood] = [age]", "[mood] = [age]", "constant"),
            ("datediff([a], 'today', 'y') > 1", "datediff([a], 'today', 'y')", "not a question's"),
            ("[mood] = 1 and 1", "1", "constant"),
            ("[age] + 1 > 3", "[age] + 1", "the operator '+' is not"),
        ],
    )
    def test_the_rest_is_unsupported_with_its_place(self, text: str, part: str, words: str) -> None:
        got = redcap(text)
        assert isinstance(got, Unsupported)
        assert text[got.span[0] : got.span[1]] == part
        assert words in got.reason


class TestFhirConditions:
    def test_equality_on_an_answer(self) -> None:
        assert fhir(f"{answer('mood')}.value = '1'") == Equals("mood", "1")
        assert fhir(f"{answer('sex')}.value.code = 'M'") == Equals("sex", "male")
        assert fhir(f"{answer('smokes')}.value = true") == Equals("smokes", True)
        assert fhir(f"{answer('age')}.value >= 18") == Compare("age", "ge", 18.0)

    def test_nested_items_and_repeat(self) -> None:
        for path in ("%resource.item.item", "%resource.repeat(item)"):
            assert fhir(f"{path}.where(linkId='age').answer.value < 3") == Compare("age", "lt", 3.0)

    def test_unequal_needs_an_answer_because_empty_is_not_true(self) -> None:
        assert fhir(f"{answer('sex')}.value.code != 'M'") == AllOf(
            (OneOf("sex", ("male", "female")), Not(Equals("sex", "male")))
        )

    def test_exists_and_its_negation(self) -> None:
        assert fhir(f"{answer('smokes')}.exists()") == OneOf("smokes", (True, False))
        assert fhir(f"{answer('smokes')}.exists().not()") == Not(OneOf("smokes", (True, False)))
        assert fhir(f"{answer('cb')}.exists()") == AnyOf(
            (Includes("cb", "a"), Includes("cb", "b"), Includes("cb", "c"))
        )

    def test_not_of_one_comparison_needs_an_answer(self) -> None:
        assert fhir(f"({answer('age')}.value > 3).not()") == AllOf(
            (
                AnyOf((Compare("age", "ge", 0.0), Compare("age", "lt", 0.0))),
                Not(Compare("age", "gt", 3.0)),
            )
        )

    def test_variables_stand_for_their_expressions(self) -> None:
        refs = Refs(
            targets=REFS.targets,
            bindings={"m": parse(f"{answer('mood')}.value", FHIRPATH)},
        )
        assert fhir("%m = '3' or %m = '2'", refs) == AnyOf(
            (Equals("mood", "3"), Equals("mood", "2"))
        )

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            (
                "(%resource.item.where(linkId='q1').answer.value = '1' and "
                "%resource.item.where(linkId='q2').answer.value = '1').not()",
                "combined",
            ),
            ("%resource.item.where(linkId='zz').answer.value = 1", "unknown item"),
            ("%resource.item.answer.value = 1", "not one item"),
            ("%nothing = 1", "unknown variable"),
            ("%resource.item.where(linkId='q1').answer.value & 'x' = 'chicken'", "operator '&'"),
            ("%resource.item.where(linkId='q1').answer.weight() > 1", "points"),
        ],
    )
    def test_the_rest_is_unsupported(self, text: str, words: str) -> None:
        got = fhir(text)
        assert isinstance(got, Unsupported)
        assert words in got.reason

    def test_a_variable_defined_through_itself_is_refused(self) -> None:
        refs = Refs(targets=REFS.targets, bindings={"a": parse("%a", FHIRPATH)})
        got = fhir("%a = 1", refs)
        assert isinstance(got, Unsupported)
        assert got.span == (0, 2)


class TestTotals:
    def test_plain_sums_need_every_answer(self) -> None:
        assert redcap_total("[q1] + [q2] + [q3]") == LinearTotal(
            terms=points("q1", "q2", "q3"), defined="all_answered"
        )

    def test_redcap_sum_skips_blanks(self) -> None:
        assert redcap_total("sum([q1], [q2], [q3])") == LinearTotal(
            terms=points("q1", "q2", "q3"), defined="always"
        )

    def test_weighted_sums_constants_and_division(self) -> None:
        got = redcap_total("(2*[q1] + [q2]*3 - [q3]) / 2 + 1")
        assert got == LinearTotal(
            terms=(
                Term(question="q1", coefficient=1.0),
                Term(question="q2", coefficient=1.5),
                Term(question="q3", coefficient=-0.5),
            ),
            constant=1.0,
            defined="all_answered",
        )

    def test_a_question_twice_is_one_term(self) -> None:
        assert redcap_total("[q1] + [q1] * 2") == LinearTotal(
            terms=points("q1", coefficient=3.0), defined="all_answered"
        )

    def test_every_checkbox_option_times_a_weight_counts_ticks(self) -> None:
        got = redcap_total("([cb(1)] + [cb(2)] + [cb(ABC)]) * 2")
        assert got == LinearTotal(terms=(Term(question="cb", coefficient=2.0, measure="ticked"),))
        some = redcap_total("[cb(1)] + [cb(2)]")
        assert isinstance(some, Unsupported)
        assert "only some options" in some.reason

    def test_calc_fields_refer_to_each_other(self) -> None:
        refs = Refs(
            targets=REFS.targets,
            bindings={
                "q1_clean": parse("if([q1] = '777' or [q1] = '999', '', [q1])", REDCAP),
                "q2_clean": parse("if([q2] = '777', \"\", [q2])", REDCAP),
            },
        )
        assert redcap_total("sum([q1_clean], [q2_clean])", refs) == LinearTotal(
            terms=points("q1", "q2"), defined="always"
        )
        # a real answer code in the guard changes the total: not the pattern
        bad = Refs(targets=REFS.targets, bindings={"x": parse("if([q1] = '1', '', [q1])", REDCAP)})
        got = redcap_total("[x]", bad)
        assert isinstance(got, Unsupported)
        assert got.span == (0, 3)

    def test_fhir_sum_of_every_other_item(self) -> None:
        for text in (
            "%resource.item.where(linkId != 'q2').answer.value.weight().sum()",
            "%resource.item.where(linkId!='q2').answer.weight().sum()",
        ):
            assert fhir_total(text) == LinearTotal(terms=points("q1", "q3"), defined="always")
        both = "%resource.item.where(linkId != 'q2' and linkId != 'q3').answer.weight().sum()"
        assert fhir_total(both) == LinearTotal(terms=points("q1"), defined="always")

    def test_fhir_weight_and_count(self) -> None:
        got = fhir_total(f"{answer('q1')}.value.weight() * 2 + {answer('cb')}.count() * 3")
        assert isinstance(got, Unsupported)  # the count is never empty, the weight can be
        assert fhir_total(f"{answer('cb')}.count() * 3") == LinearTotal(
            terms=(Term(question="cb", coefficient=3.0, measure="ticked"),)
        )
        assert fhir_total(f"{answer('age')}.value * 2") == LinearTotal(
            terms=points("age", coefficient=2.0), defined="all_answered"
        )

    def test_guards_say_when_the_total_has_a_value(self) -> None:
        refs = Refs(
            targets=REFS.targets,
            bindings={
                "a": parse(f"{answer('q1')}.weight()", FHIRPATH),
                "b": parse(f"{answer('q2')}.weight()", FHIRPATH),
                "any": parse("%a.exists() or %b.exists()", FHIRPATH),
            },
        )
        every = "iif(%a.exists() and %b.exists(), %a + %b, {})"
        assert fhir_total(every, refs) == LinearTotal(
            terms=points("q1", "q2"), defined="all_answered"
        )
        zeros = "iif(%a.exists(), %a, 0) + iif(%b.exists(), %b, 0)"
        assert fhir_total(zeros, refs) == LinearTotal(terms=points("q1", "q2"), defined="always")
        anyone = f"iif(%any, {zeros}, {{}})"
        assert fhir_total(anyone, refs) == LinearTotal(
            terms=points("q1", "q2"), defined="any_answered"
        )
        wrong = "iif(%a.exists(), %a + %b, {})"  # guards fewer items than it sums
        assert isinstance(fhir_total(wrong, refs), Unsupported)
        # 0 unless both are answered is not "an unanswered term adds 0"
        both = "iif(%a.exists() and %b.exists(), %a + %b, 0)"
        assert isinstance(fhir_total(both, refs), Unsupported)

    def test_redcap_blank_guards(self) -> None:
        for text in ("if([q1] = '', 0, [q1])", "if([q1] <> '', [q1], 0)", 'if([q1]="",0,[q1])'):
            assert redcap_total(text) == LinearTotal(terms=points("q1"), defined="always")
        zeros = "if([q1] = '', 0, [q1]) + if([q2] = '', 0, [q2])"
        assert redcap_total(zeros) == LinearTotal(terms=points("q1", "q2"), defined="always")
        every = f"if([q1] = '' or [q2] = '', '', {zeros})"
        assert redcap_total(every) == LinearTotal(terms=points("q1", "q2"), defined="all_answered")
        anyone = f"if([q1] = '' and [q2] = '', '', {zeros})"
        assert redcap_total(anyone) == LinearTotal(terms=points("q1", "q2"), defined="any_answered")
        # a blank test on another question than the one summed is no guard of it
        assert isinstance(redcap_total("if([q2] = '', 0, [q1])"), Unsupported)

    @pytest.mark.parametrize(
        ("text", "part", "words"),
        [
            ("[q1] * [q2]", "[q1] * [q2]", "product"),
            ("[q1] / [q2]", "[q1] / [q2]", "division"),
            ("[q1] / 0", "[q1] / 0", "zero"),
            ("sum([q1], [q2]) + [q3]", "sum([q1], [q2]) + [q3]", "blank in different cases"),
            ("sum([q1] + [q2], [q3])", "[q1] + [q2]", "blank when any"),
            ("if([q1] >= 33, 1, 0)", "if([q1] >= 33, 1, 0)", "guards"),
            ("datediff([a], 'today', 'y')", "datediff([a], 'today', 'y')", "datediff"),
            ("[note] + 1", "[note]", "text"),
            ("[cb] + 1", "[cb]", "one option at a time"),
            ("[nobody] + 1", "[nobody]", "unknown field"),
            ("[v1][q1] + 1", "[v1][q1]", "event"),
            ("'abc'", "'abc'", "not a sum"),
        ],
    )
    def test_the_rest_is_unsupported_with_its_place(self, text: str, part: str, words: str) -> None:
        got = redcap_total(text)
        assert isinstance(got, Unsupported)
        assert text[got.span[0] : got.span[1]] == part
        assert words in got.reason


_PIECES = st.sampled_from(
    [
        "[q1]", "[q2]", "[cb(1)]", "[cb(ABC)]", "[mood]", "[age]", "[note]", "[smokes]", "[loop]",
        "%a", "%loop", "%resource.item.where(linkId='q1').answer", ".value", ".weight()",
        ".exists()", ".not()", ".sum()", ".count()", "%resource.item.where(linkId!='q2')",
        " and ", " or ", " = ", " != ", " <> ", " >= ", " < ", "not ", "(", ")", ",", "'1'", "''",
        "2", "0", "1.5", " + ", " - ", " * ", " / ", "sum(", "iif(", "if(", "{}", "true",
    ]
)  # fmt: skip


@given(
    pieces=st.lists(_PIECES, max_size=20),
    dialect=st.sampled_from(["redcap", "fhirpath"]),
)
def test_any_tree_translates_or_is_unsupported_with_a_place(
    pieces: list[str], dialect: str
) -> None:
    text = "".join(pieces)
    node = attempt(text, dialect)
    if isinstance(node, ExpressionError):
        return
    refs = Refs(
        targets=REFS.targets,
        bindings={
            "a": parse(f"{answer('q1')}.weight()", FHIRPATH),
            "loop": parse("%loop + 1", FHIRPATH)
            if dialect == "fhirpath"
            else parse("[loop]", REDCAP),
        },
        items=REFS.items,
    )
    condition = to_condition(node, refs)
    total = to_total(node, refs)
    for got in (condition, total):
        if isinstance(got, Unsupported):
            assert 0 <= got.span[0] < got.span[1] <= len(text)
            assert got.reason
    assert isinstance(
        condition, Unsupported | Equals | OneOf | Includes | Compare | AllOf | AnyOf | Not
    )
    assert isinstance(total, Unsupported | LinearTotal)


def test_a_long_sum_translates() -> None:
    text = " + ".join(["[q1]", "[q2]", "[q3]"] * 100)
    assert redcap_total(text) == LinearTotal(
        terms=points("q1", "q2", "q3", coefficient=100.0), defined="all_answered"
    )


@given(st.one_of(st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False)))
def test_codes_compare_across_spellings(number: float) -> None:
    assert canonical(number) == canonical(str(number)) == canonical(f" {number!r} ")
    if float(number).is_integer():
        assert canonical(float(number)) == canonical(int(number))


@pytest.mark.parametrize("text", ["1_0", "inf", "-Infinity", "nan", "\u0661", "\uff11\uff10"])
def test_text_only_python_reads_as_a_number_stays_text(text: str) -> None:
    """float() takes these; JSON, JavaScript and the source formats do not."""
    assert canonical(text) == text
    assert canonical(f" {text} ") == text


# -- the real files -----------------------------------------------------------------------


def lforms_total(path: Path) -> tuple[Node, Refs]:
    data = json.loads(path.read_text(encoding="utf-8"))
    targets: dict[str, Target] = {}
    items: list[str] = []
    bindings: dict[str, Node] = {}
    total: Node | None = None
    for item in data["item"]:
        codes = {
            o["valueCoding"]["code"]: o["valueCoding"]["code"] for o in item.get("answerOption", [])
        }
        if codes:
            targets[item["linkId"]] = Target(question=item["linkId"], kind="choice", codes=codes)
            items.append(item["linkId"])
        for extension in item.get("extension", []):
            expression = extension.get("valueExpression")
            if expression is None:
                continue
            if extension["url"].endswith("/variable"):
                bindings[expression["name"]] = parse(expression["expression"], FHIRPATH)
            elif extension["url"].endswith("calculatedExpression"):
                total = parse(expression["expression"], FHIRPATH)
    assert total is not None
    return total, Refs(targets=targets, bindings=bindings, items=tuple(items))


PHQ9 = ("/44250-9", "/44255-8", "/44259-0", "/44254-1", "/44251-7", "/44258-2", "/44252-5",
        "/44253-3", "/44260-8")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "terms", "defined"),
    [
        ("fhir/lforms__phq9.json", PHQ9, "any_answered"),
        ("fhir/lforms__phq9-with-the-weight-function.json", PHQ9, "always"),
        (
            "fhir/lforms__apgar-with-itemWeight-variable.json",
            ("32406-1", "32407-9", "32409-5", "32408-7", "32410-3"),
            "all_answered",
        ),
    ],
)
def test_the_lforms_totals(
    interop_file: Callable[[str], Path], name: str, terms: tuple[str, ...], defined: str
) -> None:
    total, refs = lforms_total(interop_file(name))
    assert to_total(total, refs) == LinearTotal(terms=points(*terms), defined=defined)  # type: ignore[arg-type]


KINDS = {"radio": "choice", "dropdown": "choice", "checkbox": "multiple", "yesno": "yes_no"}


def redcap_refs(path: Path) -> tuple[Refs, list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    targets: dict[str, Target] = {}
    bindings: dict[str, Node] = {}
    for row in rows:
        name, kind = row["Variable / Field Name"], row["Field Type"]
        choices = row["Choices, Calculations, OR Slider Labels"]
        if kind in ("radio", "dropdown", "checkbox"):
            codes = [part.split(",", 1)[0].strip() for part in choices.split("|")]
            # the dictionary's 777 and 999 are missing codes, not answers
            answers = {c: c for c in codes if c and c not in ("777", "999")}
            targets[name] = Target(question=name, kind=KINDS[kind], codes=answers)  # type: ignore[arg-type]
        elif kind == "yesno":
            targets[name] = Target(question=name, kind="yes_no", codes={"1": True, "0": False})
        elif kind == "text":
            numeric = row["Text Validation Type OR Show Slider Number"] in ("integer", "number")
            targets[name] = Target(question=name, kind="numeric" if numeric else "text")
        elif kind == "calc":
            with contextlib.suppress(ExpressionError):
                bindings[name] = parse(choices, REDCAP)
    return Refs(targets=targets, bindings=bindings), rows


def test_every_redcap_cell_translates_or_is_reported(interop_file: Callable[[str], Path]) -> None:
    refs, rows = redcap_refs(interop_file("redcap/reproschema-py__redcap_hbn_sample.csv"))
    outcomes: dict[str, int] = {}
    for row in rows:
        cells = [(to_condition, row["Branching Logic (Show field only if...)"])]
        if row["Field Type"] == "calc":
            cells.append((to_total, row["Choices, Calculations, OR Slider Labels"]))  # type: ignore[arg-type]
        for translate, text in cells:
            if not text.strip():
                continue
            node = attempt(text, "redcap")
            if isinstance(node, ExpressionError):
                assert 0 <= node.offset <= len(text)
                outcomes["error"] = outcomes.get("error", 0) + 1
                continue
            got = translate(node, refs)
            if isinstance(got, Unsupported):
                assert 0 <= got.span[0] < got.span[1] <= len(text)
                assert got.reason
            outcomes[type(got).__name__] = outcomes.get(type(got).__name__, 0) + 1
    assert outcomes["error"] == 20  # the jQuery "calculations"
    assert outcomes["LinearTotal"] == 12
    assert sum(outcomes[k] for k in ("OneOf", "AllOf", "AnyOf", "Equals", "Not")) >= 190


def test_the_redcap_depression_total(interop_file: Callable[[str], Path]) -> None:
    refs, rows = redcap_refs(interop_file("redcap/reproschema-py__redcap_hbn_sample.csv"))
    (cell,) = (
        r["Choices, Calculations, OR Slider Labels"]
        for r in rows
        if r["Variable / Field Name"] == "pex_bm_apa2_depr_score"
    )
    items = [f"pex_bm_apa2_depr_00{i}" for i in range(1, 9)]
    assert to_total(parse(cell, REDCAP), refs) == LinearTotal(
        terms=points(*items), defined="always"
    )
    flag = parse("[pex_bm_health_preg_i_illness_002] >= 3", REDCAP)
    got = to_condition(flag, refs)
    assert isinstance(got, OneOf)
    assert got.question == "pex_bm_health_preg_i_illness_002"
    assert all(float(v) >= 3 for v in got.values)


def option_points(item: dict[str, Any]) -> list[float]:
    """The points of an lforms item's options (ordinalValue or itemWeight), in order."""
    out = []
    for option in item["answerOption"]:
        (weight,) = (
            e["valueDecimal"]
            for e in option.get("extension", [])
            if e["url"].endswith(("/ordinalValue", "/itemWeight"))
        )
        out.append(float(weight))
    return out


@pytest.mark.parametrize(
    "name", ["fhir/lforms__phq9.json", "fhir/lforms__apgar-with-itemWeight-variable.json"]
)
def test_the_translated_total_agrees_with_fhirpathpy(
    interop_file: Callable[[str], Path], name: str
) -> None:
    """The file's own expression, evaluated by fhirpathpy, against the linear total it became:
    the same number, and empty in the same cases (nothing answered, one item missing)."""
    fhirpathpy = pytest.importorskip("fhirpathpy")
    path = interop_file(name)
    questionnaire = json.loads(path.read_text(encoding="utf-8"))
    node, refs = lforms_total(path)
    total = to_total(node, refs)
    assert isinstance(total, LinearTotal)
    items = {i["linkId"]: i for i in questionnaire["item"] if i.get("answerOption")}
    (calculated,) = (
        i
        for i in questionnaire["item"]
        if any("calculatedExpression" in e["url"] for e in i.get("extension", []))
    )
    chooser = random.Random(9)
    for case in range(40):
        chosen: dict[str, int] = {}
        for term in total.terms:
            count = len(items[term.question]["answerOption"])
            # the first cases: nothing answered, then everything; later ones leave some out
            if case == 1 or (case > 1 and chooser.random() < 0.85):
                chosen[term.question] = chooser.randrange(count)
        response = {
            "resourceType": "QuestionnaireResponse",
            "status": "completed",
            "item": [
                {
                    "linkId": link,
                    "answer": [{"valueCoding": items[link]["answerOption"][k]["valueCoding"]}],
                }
                for link, k in chosen.items()
            ],
        }
        env: dict[str, Any] = {"questionnaire": questionnaire, "resource": response}
        theirs: list[Any] = []
        for extension in calculated["extension"]:
            expression = extension.get("valueExpression")
            if expression is None:
                continue
            got = fhirpathpy.evaluate(response, expression["expression"], env)
            if extension["url"].endswith("/variable"):
                env[expression["name"]] = got
            else:
                theirs = got
        answered = [t for t in total.terms if t.question in chosen]
        empty = (total.defined == "all_answered" and len(answered) < len(total.terms)) or (
            total.defined == "any_answered" and not answered
        )
        ours = total.constant + sum(
            t.coefficient * option_points(items[t.question])[chosen[t.question]] for t in answered
        )
        assert theirs == ([] if empty else [pytest.approx(ours)]), (case, chosen)
