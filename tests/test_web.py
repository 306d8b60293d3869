"""`newswatch web` in a real browser: Playwright driving Debian's Chromium against the real command on a
loopback port, over a database filled by a real `newswatch run` of the demo feed (plus an article whose
title holds markup). One server and one browser for the module; the tests that change state come last.

With NEWSWATCH_WRITE_SCREENSHOTS=1 the page tests write docs/screenshots/*.png (the README's pictures).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from tests.synthetic_site import PROJECT, cli_command, cli_env, run_cli, write_config

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple"
SCREENSHOTS = PROJECT / "docs" / "screenshots"
BODY_WORD = "pelmeni"          # only in the markup article's text
MARKUP_TITLE = "<b>S-400</b> <script>window.pwned = 1</script> spares talks"
RUPEES = "400 million rupees"  # the archive's misread deal value: the false change an analyst rejects

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (.ci/run installs Debian's chromium package)")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _files() -> dict[str, bytes]:
    """The demo site, plus an S-400 article whose title holds markup and whose body a unique word."""
    files = site_files()
    paragraphs = [
        f"New Delhi: Officials met on Friday to discuss locally made spares for the S-400 air defence system, "
        f"and the talks ran late into the evening over {BODY_WORD} served in the ministry canteen.",
        "The delegation reviewed maintenance plans for the radars and launchers already in service, and the "
        "training of crews at the air bases in the north and west of the country.",
        "Industry partners presented their plans for a depot that would overhaul components without sending "
        "them abroad, a step that officials described as overdue for a system of this importance.",
        "No new contract was discussed, the officials said, speaking on condition of anonymity.",
    ]
    title = _escaped(MARKUP_TITLE)
    files["/articles/markup.html"] = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='article:published_time' content='2026-03-12T09:00:00Z'></head><body><article>"
        f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>").encode()
    item = (f"<item><title>{_escaped(title)}</title><link>{{base}}/articles/markup.html</link>"
            "<guid>demo-markup</guid><pubDate>Thu, 12 Mar 2026 09:00:00 GMT</pubDate></item>")
    files["/defence.xml"] = files["/defence.xml"].replace(b"</channel>", item.encode() + b"</channel>")
    return files


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """A running `newswatch web` and the config of its database."""

    config: Path
    base_url: str
    port: int
    before: dict[str, Any]    # the report before any test changed a thing (read once: each CLI run costs seconds)

    def report(self) -> dict[str, Any]:
        """`newswatch report --format json` on the same database."""
        result = run_cli(self.config, "report", "--format", "json")
        assert result.returncode == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A database filled by a real `run` of the demo feed, served by a real `newswatch web` on a free port."""
    folder = tmp_path_factory.mktemp("web")
    with LoopbackSite(_files()) as site:
        config = write_config(folder / "newswatch.toml", f"sqlite:///{folder / 'nw.db'}",
                              [("demo-desk", f"{site.base_url}/defence.xml")])
        result = run_cli(config, "run", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["new_articles"] == 4
    port = _free_port()
    env = {**cli_env(), "NEWSWATCH_WEB_PASSWORD": PASSWORD}
    with (folder / "web.log").open("w") as log:
        process = subprocess.Popen(cli_command(config, "web", "--port", str(port)), env=env, cwd=str(PROJECT),
                                   stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base_url, process, folder / "web.log")
            before = Server(config, base_url, port, {}).report()
            yield Server(config, base_url, port, before)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base_url}/feeds", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)   # polling for readiness, not waiting on a clock
    raise AssertionError(f"newswatch web did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module (Debian's; Playwright downloads no browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; console errors (a CSP violation is one) fail the test."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield tab
    context.close()
    assert errors == []


def _screenshot(page: Any, name: str) -> None:
    if os.environ.get("NEWSWATCH_WRITE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- reading ----------------------------------------------------------------------------------


def test_the_changes_page_lists_the_changes(server: Server, page: Any) -> None:
    changes = server.before["changes"]
    assert changes, "the demo run should find at least one change"
    page.goto(server.base_url + "/")
    shown = page.locator("article.change")
    assert shown.count() == len(changes)
    text = page.locator("main").inner_text()
    for change in changes:
        assert change["current"]["text"] in text and change["previous"]["text"] in text
    assert "400 million rupees" in text
    _screenshot(page, "changes")


def test_the_changes_page_filters_by_topic(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/?topic=india-russia-summit")
    assert page.locator("article.change").count() == len(
        [c for c in server.before["changes"] if c["topic"] == "india-russia-summit"])
    page.goto(server.base_url + "/?since=2099-01-01")
    assert page.locator("article.change").count() == 0


def test_a_subject_page_charts_every_source(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/")
    page.locator("article.change h2 a").first.click()
    assert page.url.startswith(server.base_url + "/subjects/s400/")
    chart = page.locator("img.chart")
    assert chart.count() == 1
    page.wait_for_function("() => document.querySelector('img.chart').complete")   # matplotlib draws it
    assert page.evaluate("() => document.querySelector('img.chart').naturalWidth") > 300
    assert "demo-desk" in page.locator("main").inner_text()          # sources by the outlet's name
    assert "seed archive" in page.locator("main").inner_text()
    _screenshot(page, "subject")


def test_the_claims_page_filters_by_kind(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/claims")
    everything = page.locator("table.claims tbody tr").count()
    page.select_option("select[name=kind]", "deal_value")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.claims tbody tr")
    assert 0 < rows.count() < everything
    assert all("deal value" in text for text in rows.all_inner_texts())
    _screenshot(page, "claims")


def test_an_article_title_holding_markup_is_shown_as_text(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/articles")
    assert MARKUP_TITLE in page.locator("main").inner_text()
    assert page.locator("main b").count() == 0
    assert page.evaluate("() => document.scripts.length") == 0
    assert page.evaluate("() => window.pwned") is None
    _screenshot(page, "articles")


def test_search_finds_an_article_by_a_word_of_its_body(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/articles")
    page.fill("input[name=q]", BODY_WORD.upper())
    page.click("form.search button")
    found = page.locator("ol.found li")
    assert found.count() == 1
    assert MARKUP_TITLE in found.inner_text() and BODY_WORD in found.inner_text()
    _screenshot(page, "search")


def test_the_feeds_page_shows_each_feeds_health(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/feeds")
    row = page.locator("table.feeds tbody tr")
    assert row.count() == 1
    assert "demo-desk" in row.inner_text() and "ok" in row.inner_text() and "200" in row.inner_text()
    _screenshot(page, "feeds")


def test_programs_get_the_report_json_atom_and_csv(server: Server) -> None:
    api = httpx.get(server.base_url + "/api/changes")
    assert api.headers["content-type"].startswith("application/json")
    served, printed = api.json(), server.report()
    assert {k: v for k, v in served.items() if k != "generated_at"} == \
           {k: v for k, v in printed.items() if k != "generated_at"}
    atom = httpx.get(server.base_url + "/changes.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml") and atom.text.count("<entry>") == \
        len(printed["changes"])
    csv_text = httpx.get(server.base_url + "/claims.csv").text
    assert csv_text.startswith("id,topic,subject,kind,") and RUPEES in csv_text


def test_an_unknown_page_or_bad_filter_is_a_clear_page(server: Server) -> None:
    missing = httpx.get(server.base_url + "/nowhere")
    bad = httpx.get(server.base_url + "/?since=yesterday")
    assert (missing.status_code, bad.status_code) == (404, 400)
    assert "YYYY-MM-DD" in bad.text and "Traceback" not in bad.text + missing.text


# --- security ------------------------------------------------------------------------------


def test_every_response_has_the_security_headers_and_a_strict_cookie(server: Server) -> None:
    response = httpx.get(server.base_url + "/login")
    assert "script-src" not in response.headers["content-security-policy"]    # default-src 'none': no script
    assert "default-src 'none'" in response.headers["content-security-policy"]
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "127.0.0.2:{port}"])
def test_a_request_with_a_foreign_host_header_is_refused(server: Server, host: str) -> None:
    header = host.format(port=server.port)
    for method in ("GET", "POST"):
        response = httpx.request(method, server.base_url + "/claims/1/review", headers={"host": header})
        assert response.status_code == 400, (method, header)
        assert "answers only to" in response.text
    assert httpx.get(server.base_url + "/", headers={"host": f"localhost:{server.port}"}).status_code == 200


def _token(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _reviews(server: Server) -> dict[int, Any]:
    result = run_cli(server.config, "claims", "list", "--format", "json")
    return {item["id"]: item["review"] for item in map(json.loads, result.stdout.splitlines())}


def test_a_post_without_a_login_or_without_the_csrf_token_is_refused(server: Server) -> None:
    [claim_id] = [c["previous"]["claim_ids"][0] for c in server.before["changes"] if RUPEES in c["previous"]["text"]]
    review = f"{server.base_url}/claims/{claim_id}/review"
    with httpx.Client() as anonymous:
        assert anonymous.post(review, data={"action": "reject"}).status_code == 403          # no session, no token
        token = _token(anonymous.get(server.base_url + "/login").text)
        refused = anonymous.post(review, data={"action": "reject", "csrf": token})           # token, no login
        assert refused.status_code == 403 and "Log in" in refused.text
    with httpx.Client() as analyst:
        token = _token(analyst.get(server.base_url + "/login").text)
        assert analyst.post(server.base_url + "/login", data={"csrf": token, "password": "wrong"}).status_code == 403
        logged_in = analyst.post(server.base_url + "/login", data={"csrf": token, "password": PASSWORD, "name": "eve"})
        assert logged_in.status_code == 303
        assert analyst.post(review, data={"action": "reject"}).status_code == 403            # login, no token
        assert analyst.post(review, data={"action": "reject", "csrf": token}).status_code == 403  # the old one
        fresh = _token(analyst.get(server.base_url + "/claims").text)
        with httpx.Client() as other:   # another browser's token, with this session's cookie
            other_token = _token(other.get(server.base_url + "/login").text)
        assert analyst.post(review, data={"action": "reject", "csrf": other_token}).status_code == 403
        assert fresh != token
    assert _reviews(server)[claim_id] is None


def test_login_then_reject_makes_the_false_change_disappear(server: Server, page: Any) -> None:
    page.goto(server.base_url + "/login?next=/")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    assert page.url == server.base_url + "/"
    false_change = page.locator("article.change", has_text=RUPEES)
    assert false_change.count() == 1
    false_change.locator("form.review").first.locator("input[name=note]").fill("a price per missile, misread")
    false_change.locator("form.review").first.locator("button[value=reject]").click()
    page.wait_for_url(server.base_url + "/")
    assert page.locator("article.change", has_text=RUPEES).count() == 0
    assert RUPEES not in json.dumps(server.report()["changes"])
    [review] = [r for r in _reviews(server).values() if r]
    assert (review["action"], review["by"], review["note"]) == ("reject", "alice", "a price per missile, misread")
    page.goto(server.base_url + "/claims?review=reject")
    assert page.locator("table.claims tbody tr").count() == 1 and RUPEES in page.locator("table.claims").inner_text()
    page.goto(server.base_url + "/claims?kind=deal_value")
    _screenshot(page, "review")     # logged in: the review buttons, the rejected claim struck through


def test_binding_beyond_loopback_without_a_password_exits_2(server: Server) -> None:
    env = {k: v for k, v in cli_env().items() if k != "NEWSWATCH_WEB_PASSWORD"}
    result = subprocess.run(cli_command(server.config, "web", "--host", "0.0.0.0", "--port", str(_free_port())),
                            capture_output=True, text=True, env=env, cwd=str(PROJECT), timeout=60, check=False)
    assert result.returncode == 2
    assert "NEWSWATCH_WEB_PASSWORD" in result.stderr and "Traceback" not in result.stderr


def test_without_a_password_reading_works_and_changes_are_refused(server: Server) -> None:
    env = {k: v for k, v in cli_env().items() if k != "NEWSWATCH_WEB_PASSWORD"}
    port = _free_port()
    process = subprocess.Popen(cli_command(server.config, "web", "--port", str(port)), env=env, cwd=str(PROJECT),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, process, Path(os.devnull))
        with httpx.Client() as client:
            page = client.get(base + "/")
            assert page.status_code == 200 and "NEWSWATCH_WEB_PASSWORD" in page.text
            assert "NEWSWATCH_WEB_PASSWORD" in client.get(base + "/login").text
            assert client.post(base + "/claims/1/review", data={"action": "reject"}).status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=30)
