"""The web app in process (uvicorn in a thread, on a free loopback port) on every backend, and its security
rules (pure).

The browser tests (tests/test_web.py) run the real command on SQLite; these run the same handlers on
PostgreSQL too when NEWSWATCH_TEST_DATABASE_URL is set: search, the changes page, a review by form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from pipeline import jobs
from pipeline.web import security
from pipeline.web.app import WebOptions, serving_in_thread
from tests.conftest import MakeResources

RUPEES = "400 million rupees"


@pytest.fixture
def client(make_resources: MakeResources) -> Iterator[httpx.Client]:
    res = make_resources([])
    jobs.import_archive(res)
    with serving_in_thread(res, WebOptions(port=0, password="pw")) as base, httpx.Client(base_url=base) as http:
        yield http


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


def test_search_finds_an_article_by_a_word_of_its_body(client: httpx.Client) -> None:
    page = client.get("/articles", params={"q": "Rajesh"})
    assert page.status_code == 200
    assert "Putin to visit India for the 23rd annual summit" in page.text and "1 found" in page.text


def test_a_reject_by_form_removes_the_change_from_the_page(client: httpx.Client) -> None:
    assert RUPEES in client.get("/").text
    token = _token(client.get("/login").text)
    assert client.post("/login", data={"csrf": token, "password": "pw", "name": "alice"}).status_code == 303
    page = client.get("/").text
    [claim_id] = re.findall(r'action="/claims/(\d+)/review"', page.split(RUPEES, 1)[1])[:1]
    done = client.post(f"/claims/{claim_id}/review", data={"csrf": _token(page), "action": "reject", "next": "/"})
    assert (done.status_code, done.headers["location"]) == (303, "/")
    assert RUPEES not in client.get("/").text
    assert RUPEES in client.get("/claims", params={"review": "reject"}).text


def test_an_open_redirect_after_login_goes_home_instead(client: httpx.Client) -> None:
    token = _token(client.get("/login").text)
    done = client.post("/login", data={"csrf": token, "password": "pw", "next": "//evil.example/"})
    assert done.headers["location"] == "/"


def test_beyond_loopback_reading_needs_a_login(make_resources: MakeResources) -> None:
    res = make_resources([])
    with serving_in_thread(res, WebOptions(host="0.0.0.0", port=0, password="pw")) as base, \
            httpx.Client(base_url=base) as outside:
        assert outside.get("/").status_code == 303 and outside.get("/api/changes").status_code == 303
        assert outside.get("/login").status_code == 200


# --- the rules (pure) ------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "port", "header", "allowed"), [
    ("127.0.0.1", 8640, "127.0.0.1:8640", True),
    ("127.0.0.1", 8640, "LOCALHOST:8640", True),
    ("127.0.0.1", 8640, "127.0.0.1:8641", False),
    ("127.0.0.1", 8640, "evil.example:8640", False),
    ("127.0.0.1", 8640, "", False),
    ("::1", 8640, "[::1]:8640", True),
    ("192.0.2.7", 80, "192.0.2.7", True),
    ("192.0.2.7", 8640, "localhost:8640", False),
    ("0.0.0.0", 8640, "anything.example", True),     # a wildcard bind needs a login for everything instead
])
def test_the_host_header_must_name_this_server(host: str, port: int, header: str, allowed: bool) -> None:
    assert security.is_host_allowed(header, security.allowed_hosts(host, port)) is allowed


def test_a_session_cookie_cannot_be_forged_or_kept_forever() -> None:
    secret, now = security.new_secret(), datetime(2026, 12, 2, tzinfo=UTC)
    session = security.new_session(now, user="alice")
    cookie = security.encode_session(secret, session)
    assert security.decode_session(secret, cookie, now) == session
    payload, mac = cookie.rsplit(".", 1)
    assert security.decode_session(security.new_secret(), cookie, now) is None          # another server's key
    assert security.decode_session(secret, payload + "." + "0" * len(mac), now) is None
    assert security.decode_session(secret, cookie, now + timedelta(hours=13)) is None    # expired
    assert security.decode_session(secret, "garbage", now) is None


def test_csrf_tokens_belong_to_one_session() -> None:
    secret, now = security.new_secret(), datetime(2026, 12, 2, tzinfo=UTC)
    mine, theirs = security.new_session(now), security.new_session(now)
    assert security.is_csrf_token(secret, mine, security.csrf_token(secret, mine))
    assert not security.is_csrf_token(secret, mine, security.csrf_token(secret, theirs))
    assert not security.is_csrf_token(secret, None, security.csrf_token(secret, mine))
    assert not security.is_csrf_token(secret, mine, "")


@pytest.mark.parametrize(("given", "expected", "ok"), [("pw", "pw", True), ("pw ", "pw", False), ("", None, False),
                                                        ("", "", False), ("ünï", "ünï", True)])
def test_the_password(given: str, expected: str | None, ok: bool) -> None:
    assert security.is_password(given, expected) is ok


@pytest.mark.parametrize(("target", "kept"), [("/claims?topic=s400", True), ("//evil.example", False),
                                               ("https://evil.example/", False), ("/\\evil", False),
                                               ("/a b", False), ("", False)])
def test_only_local_paths_are_followed(target: str, kept: bool) -> None:
    assert (security.local_path(target) == target) is kept


def test_a_database_without_tables_is_a_clear_page_not_a_traceback(make_resources: MakeResources,
                                                                    tmp_path: Path) -> None:
    from dataclasses import replace

    from pipeline.store.db import make_engine, make_sessionmaker

    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    res = replace(make_resources([]), sessions=make_sessionmaker(empty))
    with serving_in_thread(res, WebOptions(port=0)) as base, httpx.Client(base_url=base) as http:
        broken, wrong_method = http.get("/"), http.get("/logout")
    empty.dispose()
    assert broken.status_code == 503 and "database" in broken.text and "Traceback" not in broken.text
    assert wrong_method.status_code == 405 and "does not take a GET" in wrong_method.text
