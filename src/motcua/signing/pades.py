"""Sign a PDF: PAdES B-LT with pyHanko — the signer's certificate and chain, an RFC 3161
timestamp from the configured authority, and the revocation information (OCSP responses,
CRLs) embedded in the document security store, so the signature can be checked after the
certificate expires.

:func:`sign_pdf` refuses, with a plain Vietnamese reason (:class:`SigningRefused`), a
certificate that is expired, not yet valid, revoked or not trusted, a wrong PIN or password,
and a timestamp authority or revocation service that does not answer (those are retried).
The visible appearance is :mod:`motcua.signing.appearance`'s.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from motcua.signing import keys
from motcua.signing.base import outside_event_loop
from motcua.signing.base import KeySpec, SigningRefused
from motcua.signing.registry import register
from motcua.worktime.calendar import VN_TZ

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Appearance:
    """What the visible signature shows: ``role`` ``leader`` or ``agency``; the agency's name;
    the verification link for the QR code (none: no QR); optional images (PNG bytes); ``box``:
    where it goes, as the box settings' values (empty: the role's setting)."""

    role: str
    agency: str = ""
    verify_url: str = ""
    signer_image: bytes = b""
    seal_image: bytes = b""
    box: str = ""


def vn_time(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam's time, as NĐ 30/2020 App. I prints the signing time."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def validation_context(*, fetching: bool = True, moment=None, extra=None):
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    return ValidationContext(
        trust_roots=keys.trust_roots(), allow_fetching=fetching, moment=moment,
        revocation_mode="hard-fail" if fetching else "soft-fail",
        fetcher_backend=RequestsFetcherBackend(per_request_timeout=settings.SIGNING_TIMEOUT) if fetching else None,
        **(extra or {}),
    )


def check_certificate(cert, now: dt.datetime | None = None) -> None:
    """Refuse a certificate outside its validity period (before any network call)."""
    now = now or timezone.now()
    if cert.not_valid_after < now:
        raise SigningRefused("cert_expired", f"Chứng thư số đã hết hạn từ ngày {cert.not_valid_after.astimezone(VN_TZ):%d/%m/%Y}: "
                             "không ký được. Hãy gia hạn hoặc cấu hình chứng thư mới.")
    if cert.not_valid_before > now:
        raise SigningRefused("cert_not_yet_valid", f"Chứng thư số chỉ có hiệu lực từ ngày "
                             f"{cert.not_valid_before.astimezone(VN_TZ):%d/%m/%Y}: chưa ký được.")


def subject_name(cert) -> str:
    """The certificate's common name (else its whole subject) as people read it."""
    try:
        name = cert.subject.native.get("common_name")
    except Exception:
        name = None
    if isinstance(name, list):
        name = name[0] if name else None
    return str(name or cert.subject.human_friendly)


@outside_event_loop
def sign_pdf(data: bytes, spec: KeySpec, appearance: Appearance, *, field_name: str = "") -> bytes:
    """``data`` with one more PAdES B-LT signature by the key ``spec``; SigningRefused otherwise."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

    from motcua.signing import appearance as looks

    tsa = keys.tsa_url()
    if not tsa:
        raise SigningRefused("not_configured", "Chưa cấu hình máy chủ cấp dấu thời gian (MOTCUA_TSA_URL): không ký được.")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        raise SigningRefused("bad_pdf", "Tệp kết quả không phải PDF đọc được (hỏng hoặc có mật khẩu): không ký được.") from None
    if writer.security_handler is not None:
        raise SigningRefused("bad_pdf", "Tệp kết quả có mật khẩu: không ký được. Hãy tải lên bản không đặt mật khẩu.")
    plugin = register.for_spec(spec)
    with plugin.open(spec) as signer:
        cert = signer.signing_cert
        check_certificate(cert)
        now = timezone.now()
        name = field_name or looks.free_field_name(writer, appearance.role)
        page, box = looks.place(data, appearance.role, appearance.box)
        style = looks.stamp_style(appearance)
        meta = signers.PdfSignatureMetadata(
            field_name=name, subfilter=SigSeedSubFilter.PADES, embed_validation_info=True,
            validation_context=validation_context(), use_pades_lta=False, md_algorithm="sha256",
            location=appearance.agency or None,
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=signer, stamp_style=style,
            timestamper=timestamps.HTTPTimeStamper(tsa, timeout=settings.SIGNING_TIMEOUT),
            new_field_spec=fields.SigFieldSpec(name, on_page=page, box=box),
        )
        params = looks.text_params(appearance, subject_name(cert), vn_time(now))
        try:
            out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
        except SigningRefused:
            raise
        except TimestampRequestError:
            raise SigningRefused("tsa_down", "Máy chủ cấp dấu thời gian không trả lời: sẽ thử ký lại sau.", retry=True) from None
        except RevokedError:
            raise SigningRefused("cert_revoked", "Chứng thư số đã bị thu hồi: không ký được. Hãy cấu hình chứng thư mới.") from None
        except PathBuildingError:
            raise SigningRefused("cert_untrusted", "Chứng thư số không thuộc chuỗi tin cậy đã cấu hình (MOTCUA_TRUST_ROOTS): "
                                 "không ký được.") from None
        except PathValidationError as error:
            return _path_problem(error)
        except SigningError as error:
            cause = error.__cause__ or error.__context__
            if isinstance(cause, RevokedError):
                raise SigningRefused("cert_revoked", "Chứng thư số đã bị thu hồi: không ký được. Hãy cấu hình chứng thư mới.") from None
            if isinstance(cause, PathBuildingError):
                raise SigningRefused("cert_untrusted", "Chứng thư số không thuộc chuỗi tin cậy đã cấu hình: không ký được.") from None
            if isinstance(cause, PathValidationError):
                return _path_problem(cause)
            log.warning("signing failed: %s", type(cause or error).__name__)
            raise SigningRefused("signing_failed", "Ký số không thành công: sẽ thử lại sau.", retry=True) from None
        except (OSError, ConnectionError):
            raise SigningRefused("tsa_down", "Máy chủ cấp dấu thời gian hoặc kiểm tra chứng thư không trả lời: sẽ thử lại sau.",
                                 retry=True) from None
        except Exception as error:  # the token or HSM refused the operation, anything unforeseen
            log.warning("signing failed: %s", type(error).__name__)
            raise SigningRefused("signing_failed", f"Ký số không thành công ({type(error).__name__}): sẽ thử lại sau.",
                                 retry=True) from None
    return out.getvalue()


def _path_problem(error) -> bytes:
    from pyhanko_certvalidator.errors import InsufficientRevinfoError, RevokedError

    if isinstance(error, RevokedError):
        raise SigningRefused("cert_revoked", "Chứng thư số đã bị thu hồi: không ký được. Hãy cấu hình chứng thư mới.")
    if isinstance(error, InsufficientRevinfoError):
        raise SigningRefused("revocation_unavailable", "Không kiểm tra được tình trạng thu hồi của chứng thư số (máy chủ OCSP/CRL "
                             "không trả lời): sẽ thử lại sau.", retry=True)
    raise SigningRefused("cert_invalid", "Chứng thư số không hợp lệ để ký: " + type(error).__name__ + ".")


def signer_of_last(data: bytes) -> str:
    """The common name of the last signature's certificate (for the trail)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        return subject_name(signatures[-1].signer_cert) if signatures else ""
    except Exception:
        return ""
