"""One registry shape for every plugin kind (issue 22 §5): ``motcua.plugins.PluginRegistry``,
and each app's registry an instance of it that keeps its own missing-plugin error."""

from __future__ import annotations

import pytest

from motcua.errors import NotFound
from motcua.plugins import PluginRegistry


def plugin(identifier: str, name: str = ""):
    return type(f"P_{identifier or 'blank'}", (), {"identifier": identifier, "verbose_name": name})


class Missing(Exception):
    pass


@pytest.mark.parametrize("registered, setting, enabled", [
    ([], None, []),
    (["a", "b"], None, ["a", "b"]),                 # no setting: all, in registration order
    (["a", "b"], lambda: [], []),                   # setting empty: none
    (["a", "b"], lambda: ["b", "a"], ["b", "a"]),   # the setting's order (first = default)
    (["a", "b"], lambda: ["x", "b"], ["b"]),        # unknown names skipped
    (["a"], lambda: ("a", "a"), ["a", "a"]),        # read as written
])
def test_enabled_follows_the_setting(registered, setting, enabled):
    registry = PluginRegistry("thing", missing=Missing, enabled_setting=setting)
    for identifier in registered:
        registry.register(plugin(identifier))
    assert registry.enabled() == enabled


@pytest.mark.parametrize("registered, asked, found", [
    (["a", "b"], "a", True),
    (["a", "b"], "b", True),
    (["a", "b"], "c", False),
    ([], "a", False),
    (["a"], "", False),
    (["a"], None, False),
])
def test_contains_and_get(registered, asked, found):
    registry = PluginRegistry("thing", missing=Missing)
    classes = {identifier: plugin(identifier) for identifier in registered}
    for cls in classes.values():
        assert registry.register(cls) is cls  # a class decorator gives the class back
    assert (asked in registry) is found
    if found:
        assert isinstance(registry.get(asked), classes[asked])
        assert registry.get(asked) is registry.get(asked)  # one instance per plugin
    else:
        with pytest.raises(Missing):
            registry.get(asked)


@pytest.mark.parametrize("missing, raised, message", [
    (KeyError, KeyError, "'nope'"),
    (lambda i: NotFound(f"Không có “{i}”.", code="x_not_found"), NotFound, "Không có “nope”."),
    (lambda i: LookupError("gone: " + i), LookupError, "gone: nope"),
])
def test_the_missing_error_is_the_apps(missing, raised, message):
    registry = PluginRegistry("thing", missing=missing)
    with pytest.raises(raised) as caught:
        registry.get("nope")
    assert str(caught.value) == message


@pytest.mark.parametrize("before, new, refused", [
    (["a"], "", True),      # no identifier
    ([], "", True),
    (["a"], "a", True),     # taken
    (["a", "b"], "b", True),
    (["a"], "b", False),
])
def test_an_identifier_missing_or_taken_is_refused(before, new, refused):
    registry = PluginRegistry("gadget", missing=Missing)
    for identifier in before:
        registry.register(plugin(identifier))
    if refused:
        with pytest.raises(ValueError, match=rf"^gadget identifier missing or taken: {new!r}$"):
            registry.register(plugin(new))
        assert [p.identifier for p in registry] == before  # the first one kept
    else:
        registry.register(plugin(new))
        assert [p.identifier for p in registry] == before + [new]


def test_iteration_and_choices_keep_registration_order():
    registry = PluginRegistry("thing")
    for identifier, name in [("z", "Zeta"), ("a", ""), ("m", "Mu")]:
        registry.register(plugin(identifier, name))
    assert [p.identifier for p in registry] == ["z", "a", "m"]
    assert registry.choices() == [("z", "Zeta"), ("a", ""), ("m", "Mu")]
    with pytest.raises(KeyError):  # the default missing error
        registry.get("b")


def test_each_apps_registry_is_one_of_these_with_its_own_error():
    from motcua.national.registry import register as national
    from motcua.notifications.registry import register as notifications
    from motcua.payments.registry import register as payments
    from motcua.signing.base import SigningRefused
    from motcua.signing.registry import register as signing

    cases = [
        (payments, NotFound, "gateway_not_found", "Không có cổng thanh toán “nope”."),
        (national, NotFound, "national_system_not_found", "Không có kết nối “nope”."),
        (signing, SigningRefused, "not_configured", "Không có cách lưu khóa ký số “nope”."),
        (notifications, KeyError, None, "'nope'"),
    ]
    for registry, error, code, message in cases:
        assert isinstance(registry, PluginRegistry)
        assert list(registry), registry.kind  # the apps' ready() registered their plugins
        with pytest.raises(error) as caught:
            registry.get("nope")
        if code:
            assert caught.value.code == code
        assert (getattr(caught.value, "message", None) or str(caught.value)) == message
