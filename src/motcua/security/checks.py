"""``motcua check --deploy``: each setting a production install still lacks, by its variable.

Every message is Vietnamese / English and names the ``MOTCUA_…`` variable to set
(docs/configuration.md, docs/operators/deploy.md). Django's own deploy warnings that speak of
Django settings an operator cannot set (SECURE_HSTS_SECONDS, SESSION_COOKIE_SECURE, …) are
silenced in settings.py and answered here instead, from the same settings.
"""

from __future__ import annotations

import ipaddress
import stat
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

from motcua.conf import SECRET_KEY_FILE

LOCAL_HOSTS = {"localhost", "testserver", "127.0.0.1", "[::1]", "::1"}
DEMO_SENDERS = {"demo-sms", "demo-zalo"}


def _w(id: int, vi: str, en: str, hint: str = "") -> Warning:
    return Warning(f"{vi} / {en}", hint=hint or "docs/operators/deploy.md", id=f"motcua.W{id:03d}")


def _is_local(host: str) -> bool:
    host = host.strip().lower()
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs):
    found = []
    if settings.DEBUG:
        found.append(_w(1, "MOTCUA_DEBUG đang bật: trang lỗi lộ mã nguồn và cấu hình.",
                        "MOTCUA_DEBUG is on: error pages show code and configuration.", "MOTCUA_DEBUG=false"))
    public = urlsplit(settings.PUBLIC_URL) if settings.PUBLIC_URL else None
    if not settings.PUBLIC_HTTPS:
        found.append(_w(2, "MOTCUA_PUBLIC_URL chưa đặt địa chỉ https://: không có HSTS, cookie không có cờ Secure.",
                        "MOTCUA_PUBLIC_URL is not an https:// address: no HSTS, cookies not Secure.",
                        "MOTCUA_PUBLIC_URL=https://dichvucong.example.gov.vn"))
    hosts = [h for h in settings.ALLOWED_HOSTS if h.strip()]
    if not hosts or "*" in hosts or all(_is_local(h) for h in hosts):
        found.append(_w(3, "MOTCUA_ALLOWED_HOSTS chưa nêu tên máy chủ công khai (hoặc là *).",
                        "MOTCUA_ALLOWED_HOSTS does not name the public host (or is *).",
                        "MOTCUA_ALLOWED_HOSTS=dichvucong.example.gov.vn"))
    elif public and public.hostname and not _host_allowed(public.hostname, hosts):
        found.append(_w(4, f"Tên máy trong MOTCUA_PUBLIC_URL ({public.hostname}) không có trong MOTCUA_ALLOWED_HOSTS.",
                        f"The host of MOTCUA_PUBLIC_URL ({public.hostname}) is not in MOTCUA_ALLOWED_HOSTS."))
    if settings.PUBLIC_HTTPS and not settings.TRUSTED_PROXY:
        found.append(_w(5, "MOTCUA_TRUSTED_PROXY chưa bật: sau nginx, ứng dụng không biết yêu cầu đến qua HTTPS "
                           "(không gửi HSTS, không chuyển HTTP sang HTTPS).",
                        "MOTCUA_TRUSTED_PROXY is not set: behind nginx the application cannot tell HTTPS requests "
                        "(no HSTS, no redirect to HTTPS).", "MOTCUA_TRUSTED_PROXY=true"))
    if settings.TRUSTED_PROXY and settings.NINJA_NUM_PROXIES < 1:
        found.append(_w(6, "MOTCUA_NUM_PROXIES là 0 dù có proxy: mọi người dùng mang địa chỉ của proxy "
                           "(giới hạn tần suất, khoá đăng nhập).",
                        "MOTCUA_NUM_PROXIES is 0 behind a proxy: every client has the proxy's address "
                        "(throttles, login lockouts).", "MOTCUA_NUM_PROXIES=1"))
    if not settings.EMAIL_URL:
        found.append(_w(7, "MOTCUA_EMAIL_URL chưa đặt: thư thông báo chỉ được ghi thành tệp, không gửi đi.",
                        "MOTCUA_EMAIL_URL is not set: e-mail notifications are written to files, never sent.",
                        "MOTCUA_EMAIL_URL=smtp+tls://user:password@mail.example.gov.vn:587"))
    if settings.PUBLIC_HTTPS and settings.SECURE_HSTS_SECONDS <= 0:
        found.append(_w(8, "MOTCUA_HSTS_SECONDS là 0: trình duyệt không được yêu cầu luôn dùng HTTPS.",
                        "MOTCUA_HSTS_SECONDS is 0: browsers are not told to keep to HTTPS.", "MOTCUA_HSTS_SECONDS=31536000"))
    key_file = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    if key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) & 0o077:
        found.append(_w(9, f"Tệp khoá bí mật {key_file} đọc được bởi người khác: chmod 600, hoặc đặt MOTCUA_SECRET_KEY.",
                        f"The secret key file {key_file} is readable by others: chmod 600, or set MOTCUA_SECRET_KEY."))
    if settings.CACHE_URL.startswith("locmem://"):
        found.append(_w(10, "MOTCUA_CACHE_URL là locmem://: mỗi tiến trình đếm riêng, giới hạn tần suất không giữ được.",
                        "MOTCUA_CACHE_URL is locmem://: each process counts alone, throttles do not hold.",
                        "unset MOTCUA_CACHE_URL (the database) or redis://…"))
    for variable, sender in (("MOTCUA_SMS_SENDER", settings.SMS_SENDER), ("MOTCUA_ZALO_SENDER", settings.ZALO_SENDER)):
        if sender in DEMO_SENDERS:
            found.append(_w(11, f"{variable}={sender} là bộ gửi thử: tin nhắn chỉ được ghi vào nhật ký, không gửi.",
                            f"{variable}={sender} is a demo sender: messages are only logged, never sent."))
    found.extend(_data_dir_permissions())
    if settings.API_TOKEN_DAYS <= 0 or settings.API_TOKEN_DAYS > 365:
        found.append(_w(16, f"MOTCUA_API_TOKEN_DAYS={settings.API_TOKEN_DAYS}: mã truy cập API "
                            + ("không bao giờ hết hạn." if settings.API_TOKEN_DAYS <= 0 else "dùng được hơn một năm."),
                        f"MOTCUA_API_TOKEN_DAYS={settings.API_TOKEN_DAYS}: API tokens "
                        + ("never expire." if settings.API_TOKEN_DAYS <= 0 else "work for more than a year."),
                        "MOTCUA_API_TOKEN_DAYS=90"))
    found.extend(_storage_settings())
    return found


def _data_dir_permissions() -> list[Warning]:
    """The data directory and the SQLite database in it: owner-only (motcua/datadir.py)."""
    found = []
    data = Path(settings.DATA_DIR)
    readable = [data] if data.exists() and stat.S_IMODE(data.stat().st_mode) & 0o077 else []
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        for name in (str(database["NAME"]), f"{database['NAME']}-wal"):
            path = Path(name)
            if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
                readable.append(path)
    if readable:
        names = ", ".join(str(p) for p in readable)
        found.append(_w(17, f"Người khác trên máy đọc được dữ liệu của công dân: {names}. "
                            f"chmod 700 {data} (và 600 cho các tệp cơ sở dữ liệu).",
                        f"Other accounts on this machine can read citizens' data: {names}. "
                        f"chmod 700 {data} (and 600 for the database files).",
                        f"chmod -R go-rwx {data}"))
    return found


def _storage_settings() -> list[Warning]:
    """Object storage (MOTCUA_S3_*, docs/operators/storage.md): credentials in pairs, never over plain HTTP."""
    if not settings.S3_BUCKET:
        return []
    found = []
    endpoint = urlsplit(settings.S3_ENDPOINT_URL) if settings.S3_ENDPOINT_URL else None
    if endpoint and endpoint.scheme == "http" and not _is_local(endpoint.hostname or ""):
        found.append(_w(13, f"MOTCUA_S3_ENDPOINT_URL là http:// ({endpoint.hostname}): giấy tờ và khoá truy cập "
                            "đi qua mạng không mã hoá.",
                        f"MOTCUA_S3_ENDPOINT_URL is plain http:// ({endpoint.hostname}): papers and access keys "
                        "cross the network unencrypted.", "docs/operators/storage.md"))
    if bool(settings.S3_ACCESS_KEY_ID) != bool(settings.S3_SECRET_ACCESS_KEY):
        found.append(_w(14, "Chỉ đặt một trong MOTCUA_S3_ACCESS_KEY_ID và MOTCUA_S3_SECRET_ACCESS_KEY: cần cả hai "
                            "(hoặc bỏ cả hai để dùng vai trò của máy chủ).",
                        "Only one of MOTCUA_S3_ACCESS_KEY_ID and MOTCUA_S3_SECRET_ACCESS_KEY is set: set both "
                        "(or neither, for the machine's own role).", "docs/operators/storage.md"))
    if settings.S3_ADDRESSING_STYLE not in {"path", "virtual"}:
        found.append(_w(15, f"MOTCUA_S3_ADDRESSING_STYLE={settings.S3_ADDRESSING_STYLE} không hợp lệ: path hoặc virtual.",
                        f"MOTCUA_S3_ADDRESSING_STYLE={settings.S3_ADDRESSING_STYLE} is not valid: path or virtual.",
                        "docs/operators/storage.md"))
    return found


def _host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower()
    for pattern in (h.strip().lower() for h in allowed):
        if pattern == host or (pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern))):
            return True
    return False
