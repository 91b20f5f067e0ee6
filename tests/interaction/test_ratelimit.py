import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.interaction.models import RateCounter
from gongkai.lib import ratelimit
from gongkai.lib.ratelimit import Rate, hit, parse_rates

pytestmark = pytest.mark.django_db

NOW = 1_780_000_000.0  # a fixed moment, so windows do not roll over mid-test


def test_rates_are_read_from_short_text():
    assert parse_rates("5/h;20/d") == [Rate(5, 3600), Rate(20, 86400)]
    assert parse_rates(" 10 / 15m ") == [Rate(10, 900)]
    for bad in ["", "5", "x/h", "5/w", "5/h;;abc"]:
        with pytest.raises(ValueError):
            parse_rates(bad)


def test_settings_override_the_default_of_a_scope(settings):
    settings.RATELIMITS = {"mailbox.submit": "2/m"}
    assert ratelimit.rates_for("mailbox.submit") == [Rate(2, 60)]
    assert ratelimit.rates_for("mailbox.status") == parse_rates(
        ratelimit.DEFAULT_LIMITS["mailbox.status"]
    )
    assert ratelimit.rates_for("some.new.form") == parse_rates(ratelimit.FALLBACK)


def test_an_address_is_allowed_up_to_the_limit_then_refused_until_the_window_ends():
    rates = [Rate(3, 60)]
    decisions = [hit("t.form", "10.0.0.1", rates=rates, now=NOW) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 0 < decisions[-1].retry_after <= 60
    next_window = (NOW // 60 + 1) * 60
    assert hit("t.form", "10.0.0.1", rates=rates, now=next_window).allowed


def test_addresses_and_forms_are_counted_apart():
    rates = [Rate(1, 60)]
    assert hit("t.form", "10.0.0.1", rates=rates, now=NOW).allowed
    assert hit("t.form", "10.0.0.2", rates=rates, now=NOW).allowed
    assert hit("t.other", "10.0.0.1", rates=rates, now=NOW).allowed
    assert not hit("t.form", "10.0.0.1", rates=rates, now=NOW).allowed


def test_every_window_must_hold():
    rates = [Rate(10, 60), Rate(2, 3600)]
    assert hit("t.form", "a", rates=rates, now=NOW).allowed
    assert hit("t.form", "a", rates=rates, now=NOW + 61).allowed
    refused = hit("t.form", "a", rates=rates, now=NOW + 122)
    assert not refused.allowed
    assert refused.retry_after > 60  # the hourly window decides


def test_the_address_is_not_stored_in_clear():
    hit("t.form", "203.0.113.9", rates=[Rate(5, 60)], now=NOW)
    row = RateCounter.objects.get()
    assert "203.0.113.9" not in row.key
    assert row.count == 1


def test_counting_can_be_switched_off(settings):
    settings.RATELIMIT_ENABLED = False
    assert all(hit("t.form", "a", rates=[Rate(1, 60)], now=NOW).allowed for _ in range(5))
    assert not RateCounter.objects.exists()


def test_the_decorator_answers_429_in_chinese_with_retry_after(settings):
    settings.RATELIMITS = {"t.view": "2/h"}

    @ratelimit.limit("t.view")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    responses = [view(factory.post("/", REMOTE_ADDR="198.51.100.7")) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    refused = responses[-1]
    assert int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "操作过于频繁" in text
    assert "没有被保存" in text
    # GET is not counted by default.
    assert view(factory.get("/", REMOTE_ADDR="198.51.100.7")).status_code == 200


def test_a_trusted_proxy_address_is_used_when_configured(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMITS = {"t.view": "1/h"}
    factory = RequestFactory()

    def request(client_ip):
        return factory.post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=client_ip)

    assert ratelimit.hit_request(request("198.51.100.1"), "t.view").allowed
    assert ratelimit.hit_request(request("198.51.100.2"), "t.view").allowed
    assert not ratelimit.hit_request(request("198.51.100.1"), "t.view").allowed


def test_ended_windows_are_purged():
    import datetime

    hit("t.form", "a", rates=[Rate(5, 60)], now=NOW)
    assert ratelimit.purge_expired(datetime.datetime.fromtimestamp(NOW, tz=datetime.UTC)) == 0
    later = datetime.datetime.fromtimestamp(NOW + 120, tz=datetime.UTC)
    assert ratelimit.purge_expired(later) == 1
