"""The national systems' public URLs, mounted at ``/lien-thong/``: each plugin's own
(``/lien-thong/<identifier>/``) and, only while its ``…_SANDBOX`` setting is on, its simulator
(``/lien-thong/<identifier>-sandbox/``). The operator's page is ``office_urls.py``."""

from django.urls import include, path

from motcua.national.registry import register

app_name = "national"

urlpatterns = []
for _plugin in register:
    if _plugin.urls:
        urlpatterns.append(path(f"{_plugin.identifier}/", include(_plugin.urls)))
    if _plugin.sandbox_urls and _plugin.sandbox_on():
        urlpatterns.append(path(f"{_plugin.identifier}-sandbox/", include(_plugin.sandbox_urls)))
