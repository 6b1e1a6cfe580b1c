"""The self-check as a web form: SurveyJS shows it in the browser, weltoffen scores it here.

Run ``npm install`` in this folder once, then ``python server.py`` and open the address it
prints. Only the Python standard library and weltoffen are needed on this side:

- ``GET /`` the page (``index.html``, ``app.js``, ``style.css``) and the few SurveyJS files it
  loads from ``node_modules``;
- ``GET /api/survey`` the survey: ``weltoffen``'s SurveyJS export of the bundled self-check;
- ``POST /api/score?lang=de|en`` one survey result (``survey.data``, JSON) in, and out its
  scores (the JSON of ``weltoffen score --trace --format json``) and the HTML report of
  ``weltoffen report``.

Safe by default: it listens on 127.0.0.1 only, answers only requests addressed to a loopback
name while it does (a web page elsewhere cannot reach it through DNS tricks), reads at most
``MAX_BODY`` bytes, serves a fixed list of files, treats the body as data only, and answers
bad input with a JSON error (status 400, 411, 413 or 415) and anything unexpected with a
plain 500, the details going to the server's log rather than to the client. Put it behind a
real web server (TLS, rate limits) before anyone else uses it.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import sys
import threading
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from weltoffen import compile, score
from weltoffen.exceptions import ProblemsError
from weltoffen.instruments import load_instrument
from weltoffen.interop.surveyjs import results_of, survey_json
from weltoffen.model.answers import Response
from weltoffen.scoring.results import Result

__all__ = ["MAX_BODY", "WebForm", "create_server", "main"]

HERE = Path(__file__).resolve().parent
INSTRUMENT = "weltoffene-kommune"
#: The version the form asks (its sample result was answered under it).
VERSION = "1.1"
#: The most a request body may hold: a filled-in self-check is a few kilobytes.
MAX_BODY = 64 * 1024
#: How much of a body that is too large is read (and dropped) before the server answers 413.
DISCARD_LIMIT = 1024 * 1024
#: The languages the page offers (the self-check has its texts in both).
LANGUAGES = ("de", "en")
#: Who the web form's respondent is in the report (a visitor names nobody).
RESPONDENT = "web-form"

_JS = "text/javascript; charset=utf-8"
_CSS = "text/css; charset=utf-8"
#: Every file the server hands out, by URL path: nothing else on disk is reachable.
FILES: Mapping[str, tuple[str, str]] = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", _JS),
    "/style.css": ("style.css", _CSS),
    "/node_modules/survey-core/survey.core.min.js": ("", _JS),
    "/node_modules/survey-core/survey-core.fontless.min.css": ("", _CSS),
    "/node_modules/survey-core/i18n/german.min.js": ("", _JS),
    "/node_modules/survey-js-ui/survey-js-ui.min.js": ("", _JS),
}
NODE_MODULES = HERE / "node_modules"

#: The page loads scripts and styles from this server only; SurveyJS sets some styles inline,
#: and the report, shown in a sandboxed frame without scripts, carries its own styles and charts.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; frame-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "127.0.0.1", "::1"})

log = logging.getLogger("webform")


class ClientError(Exception):
    """A request the server will not serve, with the status and message the client gets."""

    def __init__(
        self,
        status: HTTPStatus,
        message: str,
        problems: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []
        self.headers = dict(headers or {})


class WebForm:
    """The instrument, its plan and its SurveyJS form, made once and shared by all requests."""

    def __init__(self, instrument: str = INSTRUMENT, version: str | None = VERSION) -> None:
        self.questionnaire = load_instrument(instrument, version)
        self.plan = compile(self.questionnaire)
        survey = survey_json(self.questionnaire)
        # values the survey works out itself (points, score) are no answers: a form sent back
        # without a single answer holds only these, and is still an empty self-check
        self.calculated = frozenset(v["name"] for v in survey.get("calculatedValues", ()))
        self.survey = json.dumps(survey, ensure_ascii=False).encode("utf-8")
        # matplotlib, which draws the report's charts, is not safe to use from two threads
        self._reporting = threading.Lock()

    def assess(self, data: Any, lang: str) -> dict[str, Any]:
        """The scores and the report of one survey result.

        Raises:
            ClientError: The result is not one object, or its answers do not fit the form.
        """
        from weltoffen.reports import result_view

        if not isinstance(data, dict):
            raise ClientError(HTTPStatus.BAD_REQUEST, "the body must be one survey result object")
        # what the person answered, never who they say they are: weltoffen's own key is ignored
        answers = {
            key: value
            for key, value in data.items()
            if key != "weltoffen" and key not in self.calculated
        }
        answers["weltoffen"] = {"respondent": RESPONDENT}
        try:
            (response,) = results_of(answers, self.questionnaire)
            result = score(self.plan, response, trace=True)
        except ProblemsError as exc:
            raise ClientError(
                HTTPStatus.BAD_REQUEST,
                "the answers do not fit the self-check",
                [problem.to_json() for problem in exc.problems],
            ) from None
        out: dict[str, Any] = {"result": result_view(self.plan, result, lang).plain()}
        out["report"] = self._report(result, response, lang)
        return out

    def _report(self, result: Result, response: Response, lang: str) -> str | None:
        """The HTML page of ``weltoffen report``, or None without the extra ``report``."""
        from weltoffen.analysis.advice import advise
        from weltoffen.reports import build_document, render_html
        from weltoffen.reports.charts import MissingExtraError

        advice = advise(self.plan, result, response=response)
        document = build_document(self.plan, result, advice, lang=lang)
        try:
            with self._reporting:
                return render_html(document)
        except MissingExtraError:
            log.warning("no HTML report: install weltoffen[report] for it")
            return None


class WebFormServer(ThreadingHTTPServer):
    """An HTTP server that knows its form."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], form: WebForm) -> None:
        super().__init__(address, Handler)
        self.form = form
        self.loopback_only = _is_loopback(address[0])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up is no error of the server's; anything else is logged."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.info("%s closed the connection early", client_address[0])
        else:
            log.exception("request from %s failed", client_address[0])


class Handler(BaseHTTPRequestHandler):
    """Serves the page, the survey and the scoring endpoint; anything else is refused."""

    server: WebFormServer
    server_version = "weltoffen-webform"
    sys_version = ""  # no Python version in the Server header
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a connection may stay silent: a stalled client holds no thread for long

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        try:
            status, body, kind = self._route(method)
        except ClientError as exc:
            self._send_error(exc)
        except Exception:  # the client learns only that it failed; the log has the details
            log.exception("request %s %s failed", method, self.path)
            self.close_connection = True
            self._send_json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal server error"})
        else:
            self._send(status, body, kind)

    def _route(self, method: str) -> tuple[HTTPStatus, bytes, str]:
        self._check_host()
        path = urlsplit(self.path).path
        allowed = "POST" if path == "/api/score" else "GET"
        if path not in FILES and path not in ("/api/survey", "/api/score"):
            raise ClientError(HTTPStatus.NOT_FOUND, f"nothing at {path}")
        if method != allowed:
            raise ClientError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{path} takes {allowed} only",
                headers={"Allow": allowed},
            )
        if path == "/api/survey":
            return HTTPStatus.OK, self.server.form.survey, "application/json; charset=utf-8"
        if path == "/api/score":
            lang = self._language()
            data = self._read_json()
            answer = self.server.form.assess(data, lang)
            return HTTPStatus.OK, _json_bytes(answer), "application/json; charset=utf-8"
        name, kind = FILES[path]
        file = HERE / name if name else NODE_MODULES / path.removeprefix("/node_modules/")
        try:
            return HTTPStatus.OK, file.read_bytes(), kind
        except FileNotFoundError:
            hint = " (run 'npm install' in the example's folder)" if not name else ""
            raise ClientError(HTTPStatus.NOT_FOUND, f"{path} is missing{hint}") from None

    def _check_host(self) -> None:
        if not self.server.loopback_only:
            return
        host = self.headers.get("Host", "")
        name = urlsplit(f"//{host}").hostname or ""
        if name not in _LOOPBACK_NAMES:
            raise ClientError(HTTPStatus.BAD_REQUEST, "this server answers to localhost only")

    def _language(self) -> str:
        given = parse_qs(urlsplit(self.path).query, keep_blank_values=True).get("lang", [])
        if not given:
            return self.server.form.questionnaire.language
        if len(given) > 1 or given[0] not in LANGUAGES:
            raise ClientError(HTTPStatus.BAD_REQUEST, f"lang must be one of {', '.join(LANGUAGES)}")
        return given[0]

    def _read_json(self) -> Any:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ClientError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            raise ClientError(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length")
        if not length_text.strip().isdigit():
            self.close_connection = True
            raise ClientError(HTTPStatus.BAD_REQUEST, "Content-Length must be a whole number")
        length = int(length_text)
        if length > MAX_BODY:
            self._discard(length)
            raise ClientError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body may hold at most {MAX_BODY} bytes"
            )
        body = self.rfile.read(length)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise ClientError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the result as JSON")
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        except UnicodeDecodeError:
            raise ClientError(HTTPStatus.BAD_REQUEST, "the body is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise ClientError(
                HTTPStatus.BAD_REQUEST,
                f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            ) from None
        except (ValueError, RecursionError) as exc:  # NaN/Infinity, or nested too deep
            raise ClientError(
                HTTPStatus.BAD_REQUEST, f"the body is not usable JSON: {exc}"
            ) from None

    def _discard(self, length: int) -> None:
        """Read and drop a refused body (up to a limit), so that the client, still sending,
        receives the answer rather than a reset connection; then close the connection."""
        self.close_connection = True
        left = min(length, DISCARD_LIMIT)
        while left > 0:
            chunk = self.rfile.read(min(left, 65536))
            if not chunk:
                break
            left -= len(chunk)

    def _send_error(self, exc: ClientError) -> None:
        # part of a refused request may still wait unread: the connection cannot go on
        self.close_connection = True
        payload: dict[str, Any] = {"error": exc.message}
        if exc.problems:
            payload["problems"] = exc.problems
        self._send_json(exc.status, payload, exc.headers)

    def _send_json(
        self, status: HTTPStatus, payload: Any, extra: Mapping[str, str] | None = None
    ) -> None:
        self._send(status, _json_bytes(payload), "application/json; charset=utf-8", extra)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in {**_SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Requests the standard library refuses itself (bad request line, unknown method) get a
        JSON answer too, like every other error."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        text = message or status.phrase
        if status == HTTPStatus.NOT_IMPLEMENTED:
            text = f"method {self.command} is not supported"
        if self.request_version == "HTTP/0.9" or not hasattr(self, "headers"):
            self.request_version = "HTTP/1.0"  # so that the status line and headers go out
        self._send_json(status, {"error": text})

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_server(
    host: str = "127.0.0.1", port: int = 8000, form: WebForm | None = None
) -> WebFormServer:
    """The server, bound and ready for ``serve_forever()`` (port 0 picks a free port)."""
    return WebFormServer((host, port), form or WebForm())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the self-check as a web form.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not (NODE_MODULES / "survey-core").is_dir():
        print("SurveyJS is not installed: run 'npm install' in this folder first", file=sys.stderr)
        return 1
    if not _is_loopback(args.host):
        log.warning("listening on %s: anyone who can reach it can use the form", args.host)
    server = create_server(args.host, args.port)
    address = f"http://{args.host}:{server.server_port}/"
    print(f"The self-check is at {address} (Ctrl+C stops the server)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
