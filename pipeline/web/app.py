"""The Starlette app of `newswatch web`: one thin handler per page ("load records, render").

Handlers open a transaction, load records through the store and the jobs'
loaders, and hand them to `pages.py` and a Jinja2 template (autoescaped:
nothing from an article is ever rendered unescaped). Reviews go through the
review job, as `newswatch claims review` does. Every response carries the
security headers; every request's Host is checked first (security.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline import jobs, report, review_job
from pipeline.errors import NewswatchError
from pipeline.plaintext import strip_controls
from pipeline.records import ReviewAction
from pipeline.store import queries, reviews, search
from pipeline.store.db import transaction
from pipeline.web import pages, security

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 16_384
REVIEW_ACTIONS = {"confirm": ReviewAction.CONFIRM, "reject": ReviewAction.REJECT, "pin": ReviewAction.PIN,
                  "clear": None}
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class WebOptions:
    """Where the server listens and the password for state changes (None: reading only)."""

    host: str = "127.0.0.1"
    port: int = 8640
    password: str | None = None

    @property
    def reading_needs_login(self) -> bool:
        """Beyond loopback every page needs a login (the spec asks it only for changes; reading is spared
        only where nobody else can reach it)."""
        return not security.is_loopback(self.host)


class GuardMiddleware:
    """Refuses requests whose Host is not this server's (400), adds the security headers to every response, and
    turns an unexpected exception into an error page (logged here; Starlette's own handler re-raises, and
    uvicorn then drops the connection under the page)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str], refusal: Callable[[str], Response],
                 failure: Callable[[Request, Exception], Response]) -> None:
        self.app, self.allowed, self.refusal, self.failure = app, allowed, refusal, failure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in security.SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        host = Headers(scope=scope).get("host", "")
        if not security.is_host_allowed(host, self.allowed):
            await self.refusal(host)(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # noqa: BLE001  the edge: every failure becomes a page, never a traceback
            if started:
                raise
            response = await run_in_threadpool(self.failure, Request(scope), exc)
            await response(scope, receive, send_with_headers)


class WebApp:
    """The handlers, with what they share: the job resources, the options, the key, the templates."""

    def __init__(self, res: jobs.Resources, options: WebOptions) -> None:
        self.res, self.options = res, options
        self.secret = security.new_secret()
        self.topics = [t.id for t in res.settings.topics]
        self.chart_lock = threading.Lock()   # pyplot's figure registry is not thread-safe
        # finalize: control characters (ANSI escapes in a title) never reach a page (as report.py does).
        self.templates = Environment(
            loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(default=True,
                                                                                      default_for_string=True),
            finalize=lambda v: strip_controls(v) if isinstance(v, str) and not isinstance(v, Markup) else v)

    # --- rendering and sessions ---------------------------------------------------------

    def now(self) -> datetime:
        """The jobs' clock."""
        return self.res.clock()

    def session_of(self, request: Request) -> tuple[security.WebSession, bool]:
        """The request's session, or a new anonymous one (True: the cookie must be set)."""
        found = security.decode_session(self.secret, request.cookies.get(security.SESSION_COOKIE), self.now())
        return (found, False) if found else (security.new_session(self.now()), True)

    def set_session(self, response: Response, session: security.WebSession) -> None:
        """The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it)."""
        response.set_cookie(security.SESSION_COOKIE, security.encode_session(self.secret, session),
                            max_age=int(security.SESSION_LIFETIME.total_seconds()), httponly=True,
                            samesite="strict", path="/")

    def render(self, request: Request, template: str, context: dict[str, Any], status: int = 200,
               session: security.WebSession | None = None) -> HTMLResponse:
        """A page: the template with the context, the session's CSRF token and who is logged in."""
        is_new = False
        if session is None:
            session, is_new = self.session_of(request)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        html = self.templates.get_template(f"web/{template}").render(
            **context, csrf=security.csrf_token(self.secret, session), user=session.user, here=here,
            can_review=bool(self.options.password), section=request.url.path.split("/")[1] or "changes")
        response = HTMLResponse(html, status_code=status)
        if is_new:
            self.set_session(response, session)
        return response

    def error(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        """A clear error page (never a traceback)."""
        return self.render(request, "error.html.j2", {"title": title, "message": message}, status=status)

    def refuse_host(self, host: str) -> Response:
        """The answer to a request for another host name (a DNS-rebinding page, a mistyped proxy)."""
        names = ", ".join(sorted(security.allowed_hosts(self.options.host, self.options.port)))
        message = f"This server answers only to {names}; the request named {host or 'no host'}."
        html = self.templates.get_template("web/error.html.j2").render(
            title="Wrong host", message=message, csrf="", user="", here="/", can_review=False, section="")
        return HTMLResponse(html, status_code=400)

    def gate(self, request: Request) -> Response | None:
        """Beyond loopback, reading needs a login too: the login page, else None (go on)."""
        if not self.options.reading_needs_login:
            return None
        session, _ = self.session_of(request)
        if session.logged_in:
            return None
        return RedirectResponse(pages.page_path("/login", next=request.url.path), status_code=303)

    # --- pages --------------------------------------------------------------------------

    def changes(self, request: Request) -> Response:
        """The default page: changes (filter by topic, since, reviewed or not) and where each subject stands."""
        if (gated := self.gate(request)) is not None:
            return gated
        params = request.query_params
        filters = pages.ChangeFilters(topic=params.get("topic", ""), since=_date_param(params.get("since", "")),
                                      reviewed=params.get("reviewed", ""))
        with transaction(self.res.sessions) as session:
            changes = queries.change_payloads(session, filters.since)
            subjects = queries.consensus_payloads(session)
        return self.render(request, "changes.html.j2", pages.changes_page(changes, subjects, self.topics, filters))

    def subject(self, request: Request) -> Response:
        """A subject's timeline: every source's reported values over time, its changes, where it stands."""
        if (gated := self.gate(request)) is not None:
            return gated
        topic, subject = request.path_params["topic"], request.path_params["subject"]
        with transaction(self.res.sessions) as session:
            reported = search.listed_claims(session, topic, subject)
            if not reported:
                raise HTTPException(404, f"No claims are stored about {topic} / {subject}.")
            reviewed = reviews.reviews_by_claim_id(session)
            changes = queries.change_payloads(session)
            subjects = queries.consensus_payloads(session)
        has_chart = bool(pages.subject_series(reported, self.res.settings.exchange_rates))
        return self.render(request, "subject.html.j2",
                           pages.subject_page(topic, subject, reported, reviewed, changes, subjects, has_chart))

    def chart(self, request: Request) -> Response:
        """The subject's chart as PNG (pipeline/chart.py, as in the HTML report)."""
        if (gated := self.gate(request)) is not None:
            return gated
        from pipeline.chart import draw_timeline   # matplotlib: loaded with the first chart

        topic, subject = request.path_params["topic"], request.path_params["subject"]
        with transaction(self.res.sessions) as session:
            reported = search.listed_claims(session, topic, subject)
        series = pages.subject_series(reported, self.res.settings.exchange_rates)
        if not series:
            raise HTTPException(404, f"Nothing to chart for {topic} / {subject}: no value moved.")
        with self.chart_lock:
            png = draw_timeline(series, **pages.chart_options(series))
        return Response(png, media_type="image/png", headers={"cache-control": "no-cache"})

    def claims(self, request: Request) -> Response:
        """Claims, filtered by topic, subject, kind and review state, with review buttons."""
        if (gated := self.gate(request)) is not None:
            return gated
        params = request.query_params
        filters = pages.ClaimFilters(topic=params.get("topic", ""), subject=params.get("subject", ""),
                                     kind=params.get("kind", ""), review=params.get("review", ""))
        with transaction(self.res.sessions) as session:
            listed = search.listed_claims(session, filters.topic)
            reviewed = reviews.reviews_by_claim_id(session)
        return self.render(request, "claims.html.j2", pages.claims_page(listed, reviewed, self.topics, filters))

    def articles(self, request: Request) -> Response:
        """Full-text search, or the newest articles by story."""
        if (gated := self.gate(request)) is not None:
            return gated
        query = request.query_params.get("q", "")[:200]
        with transaction(self.res.sessions) as session:
            found = search.search_articles(session, query) if query.strip() else []
            recent = [] if query.strip() else search.recent_articles(session)
        return self.render(request, "articles.html.j2", pages.articles_page(query, found, recent))

    def feeds(self, request: Request) -> Response:
        """Each configured feed's health (the data of `newswatch feeds`)."""
        if (gated := self.gate(request)) is not None:
            return gated
        with transaction(self.res.sessions) as session:
            states = queries.list_feed_states(session)
        return self.render(request, "feeds.html.j2", pages.feeds_page(self.res.settings.feeds, states))

    # --- for programs -------------------------------------------------------------------

    def api_changes(self, request: Request) -> Response:
        """The report JSON, as `newswatch report --format json` prints it."""
        if (gated := self.gate(request)) is not None:
            return gated
        with transaction(self.res.sessions) as session:
            data = jobs.load_report(session, _date_param(request.query_params.get("since", "")), self.now())
        return Response(report.render(data, "json"), media_type="application/json")

    def changes_atom(self, request: Request) -> Response:
        """The changes as an Atom feed (pipeline/atom.py)."""
        if (gated := self.gate(request)) is not None:
            return gated
        from pipeline.atom import render_atom

        with transaction(self.res.sessions) as session:
            data = jobs.load_report(session, _date_param(request.query_params.get("since", "")), self.now())
        return Response(render_atom(data), media_type="application/atom+xml; charset=utf-8")

    def claims_csv(self, request: Request) -> Response:
        """The claims as CSV (`claims list --format csv`)."""
        if (gated := self.gate(request)) is not None:
            return gated
        from pipeline.claim_list import render_csv

        listing = review_job.list_claims(self.res, request.query_params.get("topic") or None)
        return Response(render_csv(listing.claims, listing.reviews), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="claims.csv"'})

    def stylesheet(self, request: Request) -> Response:
        """The one stylesheet (a file: the Content-Security-Policy allows no inline style)."""
        source = self.templates.loader.get_source(self.templates, "web/style.css")[0]  # type: ignore[union-attr]
        return Response(source, media_type="text/css", headers={"cache-control": "max-age=3600"})

    # --- state changes: login, CSRF token, then the job --------------------------------

    async def form(self, request: Request) -> tuple[dict[str, str], security.WebSession | None]:
        """The posted form's fields (first value of each) and the request's session, if valid."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, "That form is too large.")
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
        session = security.decode_session(self.secret, request.cookies.get(security.SESSION_COOKIE), self.now())
        return fields, session

    def refused(self, request: Request, fields: dict[str, str], session: security.WebSession | None,
                *, login: bool = True) -> Response | None:
        """Why a state change is refused (a 403 page), or None: CSRF token, password set, logged in."""
        if not security.is_csrf_token(self.secret, session, fields.get("csrf", "")):
            return self.error(request, 403, "Form refused",
                              "This form did not come from this page, or it expired (the server restarted or "
                              "the session ended). Go back, reload the page and send it again.")
        if not self.options.password:
            return self.error(request, 403, "Reviewing is off",
                              f"Nothing can be changed from the browser until a password is set: start "
                              f"`newswatch web` with {security.PASSWORD_ENV} set. Reading works without one.")
        if login and (session is None or not session.logged_in):
            return self.error(request, 403, "Log in first", "Reviewing claims needs a login (the password in "
                                                            f"{security.PASSWORD_ENV}).")
        return None

    def login_page(self, request: Request) -> Response:
        """The login form."""
        return self.render(request, "login.html.j2",
                           {"next": security.local_path(request.query_params.get("next", "/")), "failed": False})

    async def login(self, request: Request) -> Response:
        """Check the password (constant time); a new session with the analyst's name, then back where they were."""
        fields, session = await self.form(request)
        if (refusal := self.refused(request, fields, session, login=False)) is not None:
            return refusal
        target = security.local_path(fields.get("next", "/"))
        if not security.is_password(fields.get("password", ""), self.options.password):
            log.warning("web: a login failed (wrong password) from %s",
                        request.client.host if request.client else "?")
            return self.render(request, "login.html.j2", {"next": target, "failed": True}, status=403,
                               session=session)
        name = security.clean_name(fields.get("name", "")) or "web"
        response = RedirectResponse(target, status_code=303)
        self.set_session(response, security.new_session(self.now(), user=name))
        return response

    async def logout(self, request: Request) -> Response:
        """End the login (a new anonymous session)."""
        fields, session = await self.form(request)
        if not security.is_csrf_token(self.secret, session, fields.get("csrf", "")):
            return self.error(request, 403, "Form refused", "Reload the page and try again.")
        response = RedirectResponse("/", status_code=303)
        self.set_session(response, security.new_session(self.now()))
        return response

    async def review(self, request: Request) -> Response:
        """Confirm, reject, pin or clear a claim's review through the review job; then back to the page."""
        fields, session = await self.form(request)
        if (refusal := self.refused(request, fields, session)) is not None:
            return refusal
        assert session is not None   # refused() checked the token, which needs a session
        claim_id = int(request.path_params["claim_id"])
        action = fields.get("action", "")
        if action not in REVIEW_ACTIONS:
            return self.error(request, 400, "Unknown action", "Choose confirm, reject, pin or clear.")
        note = " ".join(fields.get("note", "").split())[:500]
        found = await run_in_threadpool(review_job.review_claim, self.res, claim_id, REVIEW_ACTIONS[action],
                                        reviewer=session.user, note=note)
        if not found:
            return self.error(request, 404, "No such claim", f"No claim has the id {claim_id}; the claims page "
                                                             "lists them.")
        return RedirectResponse(security.local_path(fields.get("next", "/claims"), "/claims"), status_code=303)

    # --- errors ----------------------------------------------------------------------------

    def http_error(self, request: Request, exc: Exception) -> Response:
        """404, 405, 413 and the like as pages."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        titles = {404: "Not found", 405: "Not allowed", 413: "Too large", 400: "Bad request"}
        detail = exc.detail if isinstance(exc, HTTPException) else ""
        if detail and detail != _default_detail(status):
            message = detail
        elif status == 405:
            message = f"This address does not take a {request.method}; the links at the top lead to every page."
        else:
            message = "There is no such page here; the links at the top lead to every page."
        return self.error(request, status, titles.get(status, "Error"), message)

    def server_error(self, request: Request, exc: Exception) -> Response:
        """Anything unexpected: logged with its traceback on stderr, a plain page in the browser."""
        if isinstance(exc, (NewswatchError, SQLAlchemyError)):
            log.error("web: %s %s failed: %s", request.method, request.url.path, exc)
            return self.error(request, 503, "The database did not answer",
                              "The page could not be read from the database; the server's log says why. "
                              "Try again in a moment.")
        log.exception("web: %s %s failed", request.method, request.url.path)
        return self.error(request, 500, "Something went wrong",
                          "This page could not be made; the server's log has the details.")


def _default_detail(status: int) -> str:
    from http import HTTPStatus
    return HTTPStatus(status).phrase


def _date_param(value: str) -> date | None:
    """A `since` parameter: YYYY-MM-DD, or empty."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise HTTPException(400, f"since={value[:40]!r} is not a date; write it as YYYY-MM-DD.") from exc


def build_app(res: jobs.Resources, options: WebOptions) -> Starlette:
    """The app: routes, the Host check and security headers, error pages."""
    web = WebApp(res, options)
    routes = [
        Route("/", web.changes, methods=["GET"]),
        Route("/subjects/{topic}/{subject}", web.subject, methods=["GET"]),
        Route("/subjects/{topic}/{subject}/chart.png", web.chart, methods=["GET"]),
        Route("/claims", web.claims, methods=["GET"]),
        Route("/claims/{claim_id:int}/review", web.review, methods=["POST"]),
        Route("/articles", web.articles, methods=["GET"]),
        Route("/feeds", web.feeds, methods=["GET"]),
        Route("/login", web.login_page, methods=["GET"]),
        Route("/login", web.login, methods=["POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Route("/changes.atom", web.changes_atom, methods=["GET"]),
        Route("/claims.csv", web.claims_csv, methods=["GET"]),
        Route("/api/changes", web.api_changes, methods=["GET"]),
        Route("/static/style.css", web.stylesheet, methods=["GET"]),
        Route("/favicon.ico", lambda _request: Response(status_code=204), methods=["GET"]),  # browsers ask
    ]
    allowed = security.allowed_hosts(options.host, options.port)
    return Starlette(routes=routes, exception_handlers={HTTPException: web.http_error},
                     middleware=[Middleware(GuardMiddleware, allowed=allowed, refusal=web.refuse_host,
                                            failure=web.server_error)])


def serve(app: Starlette, options: WebOptions) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn handles both)."""
    import uvicorn

    uvicorn.run(app, host=options.host, port=options.port, log_level="warning", proxy_headers=False,
                server_header=False, access_log=False)


@contextmanager
def serving_in_thread(res: jobs.Resources, options: WebOptions) -> Iterator[str]:
    """The app on uvicorn in a thread of this process (tests, benchmarks); yields its base URL.

    Port 0 takes a free port (chosen before the app is built: the Host check needs it).
    """
    import socket

    import uvicorn

    if options.port == 0:
        with socket.socket() as probe:
            probe.bind((options.host if security.is_loopback(options.host) else "127.0.0.1", 0))
            options = replace(options, port=int(probe.getsockname()[1]))
    server = uvicorn.Server(uvicorn.Config(build_app(res, options), host="127.0.0.1", port=options.port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="newswatch-web", daemon=True)
    thread.start()
    while not server.started:            # polling for readiness: uvicorn sets it once listening
        if not thread.is_alive():
            raise RuntimeError(f"newswatch web could not listen on 127.0.0.1:{options.port}")
        threading.Event().wait(0.02)
    try:
        yield f"http://127.0.0.1:{options.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
