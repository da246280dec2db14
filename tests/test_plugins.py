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


# Plugins as their own apps (issue 22 §5): each contrib/<name>/ is a Django app of its own that
# registers itself in its ready(); the core apps never import their plugins.
CORE_APPS = ("payments", "notifications", "signing", "national")
# Core modules of the national app that still reach into its two main systems (the outbox's
# sender, the tasks, the operator's page, the command): a registry hook each is the next step.
NATIONAL_STILL_IMPORTS = {"motcua.national.outbox", "motcua.national.tasks", "motcua.national.views",
                          "motcua.national.services", "motcua.national.management.commands.national"}


def _plugin_packages():
    from pathlib import Path

    import motcua

    root = Path(motcua.__file__).parent
    return sorted(f"motcua.{app}.contrib.{p.name}" for app in CORE_APPS
                  for p in (root / app / "contrib").iterdir() if (p / "__init__.py").exists())


def test_every_plugin_is_an_installed_app_of_its_own():
    from django.apps import apps

    installed = {config.name: config for config in apps.get_app_configs()}
    for package in _plugin_packages():
        assert package in installed, f"{package} is not an app in INSTALLED_APPS"
        assert installed[package].module.__name__ == package


def test_the_plugins_registered_themselves_in_their_ready():
    from motcua.national.registry import register as national
    from motcua.notifications.registry import register as notifications
    from motcua.payments.registry import register as payments
    from motcua.signing.registry import register as signing

    registered = {
        "payments": {p.identifier for p in payments}, "notifications": {p.identifier for p in notifications},
        "signing": {p.identifier for p in signing}, "national": {p.identifier for p in national},
    }
    assert registered == {
        "payments": {"vnpay"}, "notifications": {"mail", "outbox", "esms", "zns", "demo-sms", "demo-zalo"},
        "signing": {"demo", "pkcs11", "pkcs12"}, "national": {"dvcqg", "population", "vnpost"},
    }


def test_no_core_app_imports_its_plugins():
    import grimp

    graph = grimp.build_graph("motcua", cache_dir=None)
    found = []
    for app in CORE_APPS:
        contrib = f"motcua.{app}.contrib"
        for module in graph.find_descendants(contrib):
            for importer in graph.find_modules_that_directly_import(module):
                if importer.startswith(contrib + ".") or importer in NATIONAL_STILL_IMPORTS:
                    continue
                if importer.startswith(f"motcua.{app}.") or importer == f"motcua.{app}":
                    lines = graph.get_import_details(importer=importer, imported=module)
                    found.append(f"{importer} -> {module} (l.{', '.join(str(d['line_number']) for d in lines)})")
    assert not found, "a core app imports its plugin:\n" + "\n".join(sorted(found))
