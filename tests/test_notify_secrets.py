"""Secrets of Apprise URLs: masked the way Apprise masks them, scrubbed from any text.

Apprise only parses these URLs here; nothing is sent anywhere.
"""

from __future__ import annotations

import pytest

from monitor.notify.secrets import load_service, mask_url, scrub

URLS = [
    ("tgram://123456789:ABCdefGHIjklMNOpqrSTUvwx/987654", "ABCdefGHIjklMNOpqrSTUvwx"),
    ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", "JHMHI8qBe7bk2ZwO5U711o3dV_js"),
    ("mailto://adviser:app-pass-Word1@example.org?to=a@example.org", "app-pass-Word1"),
    ("json://hook:Tok3n-s3cret@127.0.0.1:8080/alerts", "Tok3n-s3cret"),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "TIiajkdnlazkcOXrIdevi7FQ"),
]


@pytest.mark.parametrize("url, secret", URLS)
def test_masked_urls_hide_the_secret(url, secret):
    service, reason = load_service(url)
    assert service is not None, reason
    masked = mask_url(url)
    assert secret not in masked
    assert masked.split("://")[0] == url.split("://")[0]


@pytest.mark.parametrize("url, secret", URLS)
def test_scrub_removes_the_secret_from_any_text(url, secret):
    text = f"POST to {url} failed; token {secret} was refused"
    cleaned = scrub(text, [url])
    assert secret not in cleaned and "failed" in cleaned and "****" in cleaned


def test_an_invalid_url_is_refused_with_apprises_reason_and_no_secret():
    service, reason = load_service("tgram://not-a-valid-token-0000")
    assert service is None
    assert "Telegram" in reason
    assert "not-a-valid-token-0000" not in reason
    assert "not-a-valid-token-0000" not in mask_url("tgram://not-a-valid-token-0000")
