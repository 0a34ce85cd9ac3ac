"""F7: the anonymous terminology check is linear, capped, and rate limited per IP on the
shared cache."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from facit.guidance import api as guidance_api
from facit.guidance.terminology import check, legal

URL = "/api/v1/terminology/check"


def _post(client, text, **extra):
    return client.post(URL, {"text": text, "lang": "sv"}, content_type="application/json", **extra)


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def test_the_probes_11000_repetitions_are_refused_as_too_long(visitor):
    response = _post(visitor, "barnprostitution " * 11_000)
    assert response.status_code == 422
    assert len(response.content) < 10_000


def test_findings_returned_are_capped_and_counted(visitor):
    response = _post(visitor, "barnprostitution " * 5_000)
    assert response.status_code == 200
    body = response.json()
    assert len(body["findings"]) == guidance_api.MAX_FINDINGS
    assert body["total"] == 5_000 and body["truncated"] is True


class _CountingQuote:
    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def finditer(self, *args):
        self.calls += 1
        return self.pattern.finditer(*args)


def test_quotations_are_scanned_once_per_text_not_once_per_hit(monkeypatch):
    """The quadratic part: every hit rescanned its whole paragraph for quotation marks."""
    counting = _CountingQuote(legal._QUOTE)
    monkeypatch.setattr(legal, "_QUOTE", counting)
    findings = check("barnprostitution " * 3_000, lang="sv")
    assert len(findings) == 3_000
    assert counting.calls == 1  # one paragraph: one scan (before: 3,000)


def test_the_statute_exception_still_holds_after_the_index():
    text = 'Lagen säger "barnprostitution enligt 6 kap. 9 § brottsbalken" och barnprostitution.'
    findings = check(text, lang="sv")
    assert [text[f.start : f.end] for f in findings] == ["barnprostitution"]
    assert findings[0].start > text.index("och")


def test_anonymous_checks_are_rate_limited_per_ip(visitor, settings):
    settings.FACIT_TERMINOLOGY_ANON_RATE = "3/m"
    assert [_post(visitor, "text").status_code for _ in range(3)] == [200, 200, 200]
    assert _post(visitor, "text").status_code == 429
    # A made-up X-Forwarded-For does not make a new client.
    assert _post(visitor, "text", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Another IP has its own allowance.
    assert _post(visitor, "text", REMOTE_ADDR="198.51.100.7").status_code == 200
    # The history lives in the shared throttle cache.
    caches["throttle"].clear()
    assert _post(visitor, "text").status_code == 200


def test_signed_in_users_are_not_limited_by_the_anonymous_rate(editor, settings):
    settings.FACIT_TERMINOLOGY_ANON_RATE = "2/m"
    assert {_post(editor, "text").status_code for _ in range(5)} == {200}


def test_the_limit_holds_across_workers_through_redis(visitor, settings):
    """Two gunicorn workers share nothing but the cache: with Redis as the throttle cache,
    a second, separate cache client (another worker) sees the same history."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    settings.FACIT_TERMINOLOGY_ANON_RATE = "2/m"
    caches["throttle"].clear()
    assert [_post(visitor, "text").status_code for _ in range(2)] == [200, 200]
    keys = redis.Redis.from_url(url).keys("*throttle_terminology_*")
    assert keys  # visible to any other process using this Redis
    assert _post(visitor, "text").status_code == 429
    caches["throttle"].clear()
