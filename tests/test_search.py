"""Full-text search over stored articles (migration 0007_web): SQLite FTS5 and PostgreSQL, every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pipeline import jobs
from pipeline.store import search
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow
from tests.conftest import MakeResources

SUMMIT = "archive:002_8a2e0c3e3083bd75.txt"


@pytest.fixture
def res(make_resources: MakeResources) -> jobs.Resources:
    res = make_resources([])
    jobs.import_archive(res)
    return res


def _found(res: jobs.Resources, query: str) -> list[str]:
    with transaction(res.sessions) as session:
        return [a.url for a in search.search_articles(session, query)]


def test_a_word_of_the_body_finds_the_article(res: jobs.Resources) -> None:
    # "Rajesh" (the defence secretary) is in the summit article's text only, not in its title.
    assert _found(res, "rajesh") == [SUMMIT]


def test_every_word_must_be_there_and_words_are_stemmed(res: jobs.Resources) -> None:
    assert _found(res, "Rajesh partnerships") == [SUMMIT]
    assert SUMMIT in _found(res, "partnership")             # the plural in the text, the singular asked
    assert _found(res, "rajesh zebrafish") == []


@pytest.mark.parametrize("query", ['"', "NEAR(a b", "title:x OR", "s-400 & | ! :*", "", "   ", "'); drop"])
def test_any_input_is_a_plain_query_never_an_error(res: jobs.Resources, query: str) -> None:
    _found(res, query)


def test_the_index_follows_edits_and_the_passage_shows_the_word(res: jobs.Resources) -> None:
    with transaction(res.sessions) as session:
        session.execute(update(ArticleRow).where(ArticleRow.url == SUMMIT)
                        .values(text="A quokka was seen near the summit venue."))
    assert _found(res, "rajesh") == []
    with transaction(res.sessions) as session:
        [found] = search.search_articles(session, "quokka")
    assert found.url == SUMMIT and "quokka" in found.passage and found.title


def test_recent_articles_come_newest_first_with_their_stories(res: jobs.Resources) -> None:
    with transaction(res.sessions) as session:
        recent = search.recent_articles(session, limit=3)
    dates = [a.published_on for a in recent]
    assert len(recent) == 3 and dates == sorted(dates, reverse=True)   # type: ignore[type-var]
    assert all(a.topics for a in recent)


def test_a_subjects_claims_are_the_jobs_reported_claims_of_its_groups(res: jobs.Resources) -> None:
    from pipeline.records import ClaimKind

    with transaction(res.sessions) as session:
        light = search.listed_claims(session, "s400", "s400-2018-contract")
        full = jobs.reported_claims(session, groups={("s400", "s400-2018-contract", k.value) for k in ClaimKind})
        assert search.listed_claims(session) == jobs.reported_claims(session)
    assert light == full and len(light) > 5
