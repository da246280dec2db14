"""A real OpenID Connect provider for the tests, standing in for the national sign-on / VNeID:
django-oauth-toolkit with OIDC on, an RS256 key, the claims of VNeID (``SoDinhDanh``,
``HoVaTen``, ``SoDienThoai``, ``ThuDienTu``, ``NgayThangNamSinh``). It runs as its own
process with its own settings (``tests.accounts.oidc_provider.settings``) and database;
``server.start()`` migrates it, registers the client and a citizen, and serves it on loopback."""
