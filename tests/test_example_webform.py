"""examples/webform: the self-check as a SurveyJS web form, scored by weltoffen.

The server is tested over HTTP without a browser (what it serves, how it refuses bad requests);
the whole form is tested in a real browser (Chromium through Playwright): a person's answers,
typed and clicked, come back as the scores ``weltoffen score`` gives for the same answers.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import strategies
from weltoffen import Response, YesNo, compile, score
from weltoffen.cli import main
from weltoffen.instruments import load_instrument
from weltoffen.interop.surveyjs import result_object, survey_json
from weltoffen.reports import result_view
from weltoffen.scoring.answers import yes_no

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "webform"
NODE_MODULES = FOLDER / "node_modules"
SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGES = ("survey-core", "survey-js-ui")


def _load_server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webform_server", FOLDER / "server.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def webform() -> ModuleType:
    return _load_server()


@pytest.fixture(scope="module")
def kommune():
    return load_instrument("weltoffene-kommune", "1.1")


@pytest.fixture(scope="module")
def running(webform: ModuleType) -> Iterator[Any]:
    """The example's server on a free port of 127.0.0.1, serving from a thread."""
    server = webform.create_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Reply:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def json(self) -> Any:
        assert self.headers.get("Content-Type", "").startswith("application/json")
        return json.loads(self.body)


def _request(
    server: Any,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Reply(connection.getresponse())
    finally:
        connection.close()


def _post(server: Any, data: Any, path: str = "/api/score", **headers: str) -> Reply:
    body = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
    sent = {"Content-Type": "application/json", **headers}
    return _request(server, "POST", path, body, sent)


def _raw(server: Any, data: bytes) -> bytes:
    """What the server answers to bytes sent as they are (for requests no client library
    would send)."""
    with socket.create_connection(server.server_address[:2], timeout=60) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _cli_scores(tmp_path: Path, posted: dict[str, Any], lang: str) -> dict[str, Any]:
    """``weltoffen score --from surveyjs --trace --format json`` on a survey result, as the result
    it prints (the respondent named as the server names it)."""
    source = tmp_path / "answers.json"
    source.write_text(
        json.dumps({**posted, "weltoffen": {"respondent": "web-form"}}), encoding="utf-8"
    )
    target = tmp_path / "scores.json"
    argv = [
        "score",
        "--instrument",
        "weltoffene-kommune",
        "--version",
        "1.1",
        "--from",
        "surveyjs",
        str(source),
    ]
    assert (
        main([*argv, "--trace", "--format", "json", "--lang", lang, "-o", str(target), "-q"]) == 0
    )
    (result,) = json.loads(target.read_text(encoding="utf-8"))
    return result


# -- what the server serves -----------------------------------------------------------------


def test_the_survey_is_weltoffens_export_of_the_self_check(running, kommune) -> None:
    reply = _request(running, "GET", "/api/survey")
    assert reply.status == 200
    assert reply.json() == json.loads(json.dumps(survey_json(kommune)))


def test_the_page_and_its_own_files(running) -> None:
    page = _request(running, "GET", "/")
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"/app.js" in page.body
    script = _request(running, "GET", "/app.js")
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert b"/api/score" in script.body


def test_every_response_carries_the_security_headers(running) -> None:
    for reply in (
        _request(running, "GET", "/"),
        _request(running, "GET", "/nothing"),
        _post(running, b"{"),
    ):
        assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert "Python" not in reply.headers["Server"]


@pytest.mark.parametrize(
    "path",
    [
        "/server.py",
        "/package.json",
        "/node_modules/survey-core/package.json",
        "/node_modules/../server.py",
        "/%2e%2e/server.py",
        "/..%2fserver.py",
        "//etc/passwd",
        "/node_modules/survey-core/../../server.py",
    ],
)
def test_nothing_but_the_listed_files_is_served(running, path: str) -> None:
    reply = _request(running, "GET", path)
    assert reply.status == 404
    assert "error" in reply.json()
    assert b"import" not in reply.body


def test_a_missing_npm_install_is_named(running, webform, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(webform, "NODE_MODULES", tmp_path)
    reply = _request(running, "GET", "/node_modules/survey-core/survey.core.min.js")
    assert reply.status == 404
    assert "npm install" in reply.json()["error"]


def test_main_refuses_to_start_without_surveyjs(webform, monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(webform, "NODE_MODULES", tmp_path)
    assert webform.main(["--port", "0"]) == 1
    assert "npm install" in capsys.readouterr().err


# -- scoring --------------------------------------------------------------------------------

ANSWERS = {
    "ms-01": True,
    "ms-02": "begonnen",
    "ms-03": "dontknow",
    "ms-05": "fachamt",
    "ms-06": "regelmaessig",
    "ms-07": "weitgehend",
    "ms-08": ["bevoelkerung", "wohnen"],
    "ms-09": "geplant",
    "ms-10": "eher",
    "ms-12": "vollstaendig",
    "ms-13": "dontknow",
    "ms-14": "Ratsbeschluss 2021",
    "zb-02": "notapplicable",
    "aw-07": 4,
}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_scores_are_those_of_weltoffen_score(running, tmp_path, lang: str) -> None:
    reply = _post(running, ANSWERS, f"/api/score?lang={lang}")
    assert reply.status == 200, reply.body
    answer = reply.json()
    expected = _cli_scores(tmp_path, ANSWERS, lang)
    assert answer["result"] == expected
    management = answer["result"]["dimensions"][0]
    assert management["score"] is not None  # the answers above are enough to score it
    assert management["counts"]["dont_know"] == 2


def test_the_report_is_weltoffens_html_report_in_the_language_asked(running, kommune) -> None:
    for lang in ("de", "en"):
        report = _post(running, ANSWERS, f"/api/score?lang={lang}").json()["report"]
        assert report.startswith("<!DOCTYPE html>")
        assert f'lang="{lang}"' in report
        assert kommune.title[lang] in report


def test_the_language_defaults_to_the_questionnaires(running, kommune) -> None:
    assert _post(running, ANSWERS).json()["result"]["language"] == kommune.language


def test_a_form_sent_without_answers_is_an_empty_self_check(running) -> None:
    """SurveyJS sends its calculated values even when nothing was answered."""
    reply = _post(running, {"weltoffen_points": 0, "weltoffen_score": -1})
    assert reply.status == 200, reply.body
    result = reply.json()["result"]
    assert result["counts"]["answered"] == 0
    assert result["score"] is None


def test_who_the_sender_claims_to_be_is_ignored(running) -> None:
    claimed = {**ANSWERS, "weltoffen": {"respondent": "mayor", "metadata": {"x": [1, {"y": 2}]}}}
    result = _post(running, claimed).json()["result"]
    assert result["respondent"] == "web-form"
    assert result["metadata"] == {}


@settings(max_examples=10)  # each example renders a full report
@given(data=st.data())
def test_any_answers_score_as_weltoffen_scores_them(running, kommune, data) -> None:
    response = data.draw(strategies.responses(kommune))
    lang = data.draw(st.sampled_from(["de", "en"]))
    reply = _post(running, result_object(response, kommune), f"/api/score?lang={lang}")
    assert reply.status == 200, reply.body
    plan = compile(kommune)
    # SurveyJS answers yes/no with true/false; weltoffen also takes the words "yes", "ja",
    # "no", "nein", and its trace shows an answer as it was given
    yes_no_ids = {q.id for _, q in kommune.iter_questions() if isinstance(q, YesNo)}
    answers = {
        qid: yes_no(value) if qid in yes_no_ids and isinstance(value, str) else value
        for qid, value in response.answers.items()
    }
    own = Response(respondent="web-form", answers=answers)
    expected = result_view(plan, score(plan, own, trace=True), lang).plain()
    assert reply.json()["result"] == json.loads(json.dumps(expected))


def test_the_sample_result_scores_as_the_browser_added_it_up(running, tmp_path) -> None:
    """The README's and the tutorial's sample is a survey result as the page sends it."""
    sample = json.loads((FOLDER / "sample-result.json").read_text(encoding="utf-8"))
    reply = _post(running, sample, "/api/score?lang=en")
    assert reply.status == 200, reply.body
    result = reply.json()["result"]
    assert result == _cli_scores(tmp_path, sample, "en")
    assert result["points"] == sample["weltoffen_points"]
    assert [d["id"] for d in result["dimensions"] if d["score"] is not None] == [
        "management-steuerung",
        "kommunikation-konflikt",
    ]


def test_python_server_py_starts_and_says_where(tmp_path) -> None:
    """The README's command: the server starts on the port asked for (0: any free one)."""
    if not (NODE_MODULES / "survey-core").is_dir():
        pytest.skip("SurveyJS is not installed: run 'npm ci --prefix examples/webform'")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), *sys.path]))}
    process = subprocess.Popen(
        [sys.executable, "server.py", "--port", "0"],
        cwd=FOLDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        connection = http.client.HTTPConnection("127.0.0.1", int(found[1]), timeout=60)
        connection.request("GET", "/api/survey")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        process.terminate()
        process.wait(timeout=60)


# -- bad requests ---------------------------------------------------------------------------


def _error(reply: Reply, status: int) -> dict[str, Any]:
    assert reply.status == status, reply.body
    payload = reply.json()
    assert isinstance(payload["error"], str)
    assert payload["error"]
    assert b"Traceback" not in reply.body
    return payload


def test_bad_json_is_a_400_with_line_and_column(running) -> None:
    payload = _error(_post(running, b'{"ms-01": true,\n  "ms-02": }'), 400)
    assert "line 2" in payload["error"]
    assert "column" in payload["error"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[]", "one survey result"),
        (b"[{}, {}]", "one survey result"),
        (b'"text"', "one survey result"),
        (b"null", "one survey result"),
        (b'{"aw-07": NaN}', "NaN"),
        (b'{"aw-07": Infinity}', "Infinity"),
        (b"[" * 20000 + b"]" * 20000, "JSON"),
        ('{"ms-14": "caf\u00e9"}'.encode("latin-1"), "UTF-8"),
    ],
)
def test_bodies_that_are_no_survey_result_are_a_400(running, body: bytes, says: str) -> None:
    assert says in _error(_post(running, body), 400)["error"]


def test_answers_that_do_not_fit_are_a_400_with_every_problem_located(running) -> None:
    wrong = {"ms-02": "sometimes", "ms-08": "wohnen", "ms-04": "many", "ms-14": 3}
    payload = _error(_post(running, wrong), 400)
    located = {tuple(p["location"]) for p in payload["problems"]}
    assert located == {("ms-02",), ("ms-08",), ("ms-04",), ("ms-14",)}
    codes = {p["code"] for p in payload["problems"]}
    assert codes == {"bad-option", "bad-answer"}


def test_a_state_the_question_does_not_offer_is_a_400(running) -> None:
    # ms-02 has no "not applicable" item (a free-text answer "dontknow" is its text)
    payload = _error(_post(running, {"ms-02": "notapplicable"}), 400)
    assert [p["code"] for p in payload["problems"]] == ["state-not-offered"]


def test_a_body_too_large_is_a_413(running, webform) -> None:
    big = b'{"ms-14": "' + b"x" * webform.MAX_BODY + b'"}'
    payload = _error(_post(running, big), 413)
    assert str(webform.MAX_BODY) in payload["error"]


def test_a_huge_announced_length_is_a_413_without_waiting_for_the_body(running) -> None:
    reply = _raw(
        running,
        b"POST /api/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 99999999999\r\n\r\n{}",
    )
    assert reply.startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize(
    "headers",
    [
        b"Content-Type: application/json\r\n",
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
    ],
)
def test_a_body_without_its_length_is_a_411(running, headers: bytes) -> None:
    request = b"POST /api/score HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n2\r\n{}\r\n0\r\n"
    reply = _raw(running, request)
    assert reply.startswith(b"HTTP/1.1 411 ")
    assert b'"error"' in reply


def test_a_length_that_is_no_number_is_a_400(running) -> None:
    reply = _raw(
        running,
        b"POST /api/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: -5\r\n\r\n{}",
    )
    assert reply.startswith(b"HTTP/1.1 400 ")


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_json_is_a_415(running, kind: str) -> None:
    reply = _request(
        running, "POST", "/api/score", json.dumps(ANSWERS).encode(), {"Content-Type": kind}
    )
    _error(reply, 415)


@pytest.mark.parametrize("query", ["lang=fr", "lang=", "lang=de&lang=en", "lang=%3Cscript%3E"])
def test_a_language_the_form_does_not_have_is_a_400(running, query: str) -> None:
    assert "de, en" in _error(_post(running, ANSWERS, f"/api/score?{query}"), 400)["error"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("GET", "/api/score", "POST"), ("POST", "/", "GET"), ("POST", "/api/survey", "GET")],
)
def test_the_wrong_method_is_a_405_naming_the_right_one(
    running, method: str, path: str, allowed: str
) -> None:
    reply = _request(running, method, path, b"{}", {"Content-Type": "application/json"})
    _error(reply, 405)
    assert reply.headers["Allow"] == allowed


def test_an_unknown_method_is_a_json_501(running) -> None:
    assert "PUT" in _error(_request(running, "PUT", "/api/score", b"{}"), 501)["error"]


def test_a_malformed_request_line_is_a_json_400(running) -> None:
    reply = _raw(running, b"GARBAGE\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b" 400 " in head.split(b"\r\n")[0]
    assert "error" in json.loads(body)


def test_requests_to_another_host_name_are_refused(running) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    reply = _request(running, "GET", "/api/survey", headers={"Host": "evil.example:8000"})
    assert "localhost" in _error(reply, 400)["error"]
    assert _request(running, "GET", "/", headers={"Host": "localhost"}).status == 200


def test_an_unexpected_failure_is_a_500_that_tells_the_client_nothing(
    running, webform, monkeypatch, caplog
) -> None:
    def broken(data: Any, lang: str) -> Any:
        raise RuntimeError("secret detail of the server")

    monkeypatch.setattr(running.form, "assess", broken)
    reply = _post(running, ANSWERS)
    payload = _error(reply, 500)
    assert payload == {"error": "internal server error"}
    assert b"secret" not in reply.body
    assert "secret detail of the server" in caplog.text  # the operator's log has it


def test_the_server_listens_on_loopback_by_default(webform) -> None:
    server = webform.create_server(port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


# -- in a real browser ----------------------------------------------------------------------


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def browser_missing(node_modules: Path = NODE_MODULES) -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    missing = [p for p in PACKAGES if not (node_modules / p / "package.json").is_file()]
    if missing:
        return (
            f"SurveyJS ({', '.join(missing)}) is not installed in examples/webform: "
            "run 'npm ci --prefix examples/webform'"
        )
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: pip install -e '.[test]'"
    if _chromium() is None:
        return "no Chromium found (install the system package 'chromium')"
    return None


def test_the_browser_test_says_why_it_is_skipped(tmp_path) -> None:
    """Without SurveyJS's packages the reason names the command that installs them."""
    assert "npm ci --prefix examples/webform" in (browser_missing(tmp_path) or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser, running) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    host, port = running.server_address[:2]
    opened.goto(f"http://{host}:{port}/")
    opened.wait_for_selector(".sd-question")
    yield opened
    context.close()
    assert errors == []  # no script error, nothing the page's security policy had to block


def _question(page: Any, name: str) -> Any:
    return page.locator(f'.sd-question[data-name="{name}"]')


def _choose(page: Any, name: str, label: str) -> None:
    _question(page, name).get_by_text(label, exact=True).click()


def test_a_person_fills_in_the_form_and_gets_weltoffens_scores(page, tmp_path) -> None:
    # expect() waits for SurveyJS to render (a plain is_visible() would race it on a busy machine)
    from playwright.sync_api import expect

    # German first; a follow-up question is hidden until its gate is answered "yes"
    expect(_question(page, "ms-01").get_by_text("Ja", exact=True)).to_be_visible()
    expect(_question(page, "ms-02")).to_have_count(0)
    _choose(page, "ms-01", "Ja")
    expect(_question(page, "ms-02")).to_be_visible()  # the condition works live, in the browser
    _choose(page, "ms-02", "Begonnen")
    _choose(page, "ms-03", "weiß nicht")
    expect(_question(page, "ms-04")).to_have_count(0)  # shown only after a "yes"
    _choose(page, "ms-05", "Federführung in einem Fachamt, zum Beispiel im Sozialamt")
    _choose(page, "ms-06", "Regelmäßig")
    expect(_question(page, "ms-13")).to_have_count(0)
    _choose(page, "ms-07", "Weitgehend umgesetzt")
    expect(_question(page, "ms-13")).to_be_visible()
    _choose(page, "ms-08", "Wohnen und Unterbringung")
    _choose(page, "ms-08", "Kindertagesbetreuung und Schule")

    expect(page.get_by_role("button", name="Weiter")).to_be_visible()  # SurveyJS's own texts too

    # the rest in English: the same questions, their texts switched
    page.get_by_role("button", name="English").click()
    expect(_question(page, "ms-09").get_by_text("Planned", exact=True)).to_be_visible()
    expect(_question(page, "ms-09").get_by_text("don't know", exact=True)).to_be_visible()
    _choose(page, "ms-09", "Planned")
    _choose(page, "ms-10", "Tend to agree")
    _choose(page, "ms-12", "Fully in place")
    _choose(page, "ms-13", "don't know")
    _question(page, "ms-14").locator("textarea").fill("Council decision of 2021")

    complete = page.get_by_role("button", name="Complete")
    while not complete.is_visible():
        page.get_by_role("button", name="Next").click()
    with (
        page.expect_request("**/api/score*") as sent,
        page.expect_response("**/api/score*") as received,
    ):
        complete.click()
    page.wait_for_selector("#result:not([hidden])")
    posted = sent.value.post_data_json
    assert "lang=en" in sent.value.url
    assert posted["ms-03"] == "dontknow"
    assert posted["ms-08"] == ["wohnen", "kita-schule"]

    expected = _cli_scores(tmp_path, posted, "en")
    assert received.value.json()["result"] == expected
    shown = _shown_scores(page)
    assert shown["overall"] == expected["score"]
    management = expected["dimensions"][0]
    assert management["score"] is not None
    assert management["counts"]["dont_know"] == 2
    for dim in _walk(expected["dimensions"]):
        assert shown[dim["id"]] == dim["score"], dim["id"]
    # SurveyJS added up the points in the browser the way weltoffen does
    assert posted["weltoffen_points"] == expected["points"]
    report = page.frame_locator("#report")
    assert (
        "Open and welcoming municipality: a self-assessment" in report.locator("body").inner_text()
    )

    # back to German: scored again, the texts in German, the numbers the same
    with page.expect_response("**/api/score?lang=de"):
        page.get_by_role("button", name="Deutsch").click()
    page.wait_for_function("document.getElementById('status').dataset.state === 'done'")
    assert page.locator("#scores tr.overall th").inner_text() == "Gesamt"
    assert _shown_scores(page) == shown
    assert "Selbstcheck Weltoffene Kommune" in report.locator("body").inner_text()


def _walk(dimensions: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for dim in dimensions:
        yield dim
        yield from _walk(dim["dimensions"])


def _shown_scores(page: Any) -> dict[str, float | None]:
    rows = page.locator("#scores tbody tr")
    out: dict[str, float | None] = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        value = row.locator("td.score").get_attribute("data-score")
        out[row.get_attribute("data-id")] = float(value) if value else None
    return out
