"""``motcua check --deploy`` on object storage (MOTCUA_S3_*, docs/operators/storage.md)."""

from __future__ import annotations

import pytest

from motcua.security.checks import production_settings

STORAGE_IDS = {"motcua.W013", "motcua.W014", "motcua.W015"}


def storage_warnings() -> dict[str, str]:
    return {w.id: w.msg for w in production_settings() if w.id in STORAGE_IDS}


def test_local_disk_needs_nothing(settings):
    settings.S3_BUCKET = ""
    assert storage_warnings() == {}


def test_a_well_configured_bucket_passes(settings):
    settings.S3_BUCKET, settings.S3_ENDPOINT_URL = "ho-so", "https://s3.example.gov.vn"
    settings.S3_ACCESS_KEY_ID, settings.S3_SECRET_ACCESS_KEY = "AK", "SK"
    settings.S3_ADDRESSING_STYLE = "path"
    assert storage_warnings() == {}


@pytest.mark.parametrize("endpoint, key, secret, style, expected", [
    ("http://10.0.0.5:9000", "AK", "SK", "path", "motcua.W013"),
    ("https://s3.example.gov.vn", "AK", "", "path", "motcua.W014"),
    ("https://s3.example.gov.vn", "", "SK", "path", "motcua.W014"),
    ("https://s3.example.gov.vn", "AK", "SK", "dns", "motcua.W015"),
])
def test_each_mistake_is_named_by_its_variable(settings, endpoint, key, secret, style, expected):
    settings.S3_BUCKET, settings.S3_ENDPOINT_URL, settings.S3_ADDRESSING_STYLE = "ho-so", endpoint, style
    settings.S3_ACCESS_KEY_ID, settings.S3_SECRET_ACCESS_KEY = key, secret
    found = storage_warnings()
    assert set(found) == {expected}, found
    assert "MOTCUA_S3_" in found[expected]


def test_plain_http_on_the_machine_itself_is_allowed(settings):
    settings.S3_BUCKET, settings.S3_ENDPOINT_URL = "ho-so", "http://127.0.0.1:9000"
    settings.S3_ACCESS_KEY_ID, settings.S3_SECRET_ACCESS_KEY = "AK", "SK"
    assert storage_warnings() == {}
