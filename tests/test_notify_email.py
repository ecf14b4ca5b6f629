"""Alerts by e-mail through Apprise `mailto://` to a real SMTP server (aiosmtpd) on 127.0.0.1,
and subscriptions that name a tag of an Apprise config file."""

from __future__ import annotations

import pytest
from alerting import J1_TEXT, SETTINGS, UCLA_IM, crawl, result
from receivers import JsonReceiver, SmtpReceiver

from monitor.notify.sender import deliver_pending
from monitor.notify.subscriptions import SubscriptionError, add_subscription

# A page whose visa sentence carries markup-like text, which must arrive escaped.
ANGLE_TEXT = ("Eligibility for international applicants. We sponsor both J-1 and H-1B "
              "visas for residents <b>with</b> ECFMG certification & a signed contract.")


@pytest.fixture
def smtp():
    receiver = SmtpReceiver().start()
    yield receiver
    receiver.stop()


def test_an_email_alert_arrives_once_with_page_text_escaped_for_html(store, smtp):
    add_subscription(store, smtp.url(), kinds=["stance"])
    crawl(store, result(UCLA_IM, J1_TEXT))
    crawl(store, result(UCLA_IM, ANGLE_TEXT))
    report = deliver_pending(store, SETTINGS)
    assert (report.sent, report.failed) == (1, 0)
    [mail] = smtp.messages
    assert mail["To"] == "adviser@example.org"
    assert mail["Subject"] == "UCLA Internal Medicine: now sponsors H-1B (was J-1 only)"
    # Apprise turns plain text into HTML: escaped, spaces as &nbsp;.
    html = mail.get_body(("html",)).get_content().replace("&nbsp;", " ")
    assert "&lt;b&gt;with&lt;/b&gt; ECFMG certification &amp; a signed contract" in html
    assert "<b>with</b>" not in html
    assert "https://ucla.example.org/im/eligibility" in html
    assert "visa-monitor subscribe remove 1" in html
    assert deliver_pending(store, SETTINGS, force=True).sent == 0
    assert len(smtp.messages) == 1


def test_a_subscription_can_name_a_tag_of_an_apprise_config(store, smtp, tmp_path):
    hook = JsonReceiver().start()
    try:
        config = tmp_path / "apprise.yml"
        config.write_text(
            "urls:\n"
            f"  - \"{smtp.url(to='team@example.org', fmt='text')}\":\n"
            "    - tag: advisers\n"
            f"  - \"{hook.url('advisers')}\":\n"
            "    - tag: advisers\n"
            f"  - \"{hook.url('others')}\":\n"
            "    - tag: others\n",
            encoding="utf-8",
        )
        settings = SETTINGS.model_copy(update={"apprise_config": str(config)})
        add_subscription(store, None, name="advisers", apprise_config=str(config))
        with pytest.raises(SubscriptionError, match="no service tagged 'nobody'"):
            add_subscription(store, None, name="nobody", apprise_config=str(config))
        crawl(store, result(UCLA_IM, J1_TEXT))
        crawl(store, result(UCLA_IM, ANGLE_TEXT))
        report = deliver_pending(store, settings)
        assert (report.sent, report.failed) == (1, 0)
        assert [mail["To"] for mail in smtp.messages] == ["team@example.org"]
        assert len(hook.at("advisers")) == 1 and hook.at("others") == []
    finally:
        hook.stop()


def test_a_config_tag_subscription_without_a_config_waits_with_a_clear_reason(store):
    add_subscription(store, None, name="advisers")
    crawl(store, result(UCLA_IM, J1_TEXT))
    crawl(store, result(UCLA_IM, ANGLE_TEXT))
    report = deliver_pending(store, SETTINGS)
    assert (report.sent, report.failed, report.pending) == (0, 1, 1)
    assert "no apprise_config is set" in report.errors[0]
