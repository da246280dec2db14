"""Verification of a signed PDF — the one function behind ``/xac-thuc/``, ``POST /api/v1/verify``,
``motcua verify FILE.pdf`` and the verdict shown beside a signed paper a citizen uploads.

For each signature (shared/domain/national-systems.md §3.3): who signed (the certificate's
name), when (the timestamp's time when there is one, else the time the signer claims), whether
the file was changed after that signature (``intact``: the signed bytes unchanged, and what
was added later only signatures, timestamps or validation data), whether the certificate
chains to the configured trust roots and was valid and unrevoked at signing time, judged with
the revocation information embedded in the file (``trusted``), whether it is revoked now
(asked of its OCSP responder or CRL; embedded information when they cannot be reached:
``revocation_checked``), and whether it is timestamped by a trusted authority. Then whether
Motcua issued this exact file (its SHA-256 in the register), with the issuing unit, the
procedure and the date (a printed form the agency signed, Mẫu 01–04, is in the register too).

Bad input is a clear 4xx: not a PDF (415), damaged (422 ``pdf_unreadable``), password-protected
(422 ``pdf_encrypted``), carrying JavaScript (422 ``pdf_javascript``), too large (413).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings

from motcua.errors import DomainError, InvalidInput
from motcua.signing import keys
from motcua.signing.base import outside_event_loop
from motcua.worktime.calendar import VN_TZ

log = logging.getLogger(__name__)


class NotAPdf(DomainError):
    status = 415
    code = "unsupported_media_type"


class TooLarge(DomainError):
    status = 413
    code = "file_too_large"


@dataclass
class SignatureVerdict:
    signer: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    revoked: bool
    timestamped: bool
    revoked_at: dt.datetime | None = None
    revocation_checked: bool = True  # asked the certificate's OCSP/CRL now (else: embedded information only)
    valid_at_signing: bool = True  # the certificate was within its validity period at signing time
    chains: bool = True  # the certificate chains to a configured trust root
    problem: str = ""  # what the checks found, in plain Vietnamese ("" when all is well)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted

    def contract(self) -> dict:
        return {"signer": self.signer, "signed_at": _iso(self.signed_at), "intact": self.intact,
                "trusted": self.trusted, "revoked": self.revoked, "timestamped": self.timestamped}


@dataclass
class Issued:
    code: str
    unit: str
    title: str
    issued_at: dt.datetime | None
    token: str = ""

    def contract(self) -> dict:
        return {"code": self.code, "unit": self.unit, "title": self.title, "issued_at": _iso(self.issued_at)}


@dataclass
class Verification:
    sha256: str
    signatures: list[SignatureVerdict] = field(default_factory=list)
    issued: Issued | None = None

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def all_good(self) -> bool:
        """docs/commands.md ``motcua verify`` exit 0: signed, and every signature intact and trusted."""
        return self.signed and all(s.ok for s in self.signatures)

    def contract(self) -> dict:
        """docs/api.md ``POST /verify``'s body."""
        return {"signed": self.signed, "signatures": [s.contract() for s in self.signatures],
                "issued": self.issued.contract() if self.issued else None}


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VN_TZ).isoformat() if moment else None


def read_upload(uploaded) -> bytes:
    """An uploaded file's bytes, at most ``settings.UPLOAD_MAX_BYTES`` (413), a PDF by content (415)."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded is None:
        raise InvalidInput("Chưa chọn tệp PDF để xác thực.", code="missing_file", fields={"file": ["Bắt buộc."]})
    if uploaded.size is not None and uploaded.size > limit:
        raise TooLarge(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", fields={"file": [f"Tối đa {limit} byte."]})
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", fields={"file": [f"Tối đa {limit} byte."]})
    return data


def _screen(data: bytes) -> None:
    """Refuse what is not a readable, unencrypted PDF without scripts — before pyHanko reads it."""
    import pikepdf

    from motcua.documents.scans import has_scripts

    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdf("Chỉ xác thực được tệp PDF (kiểm tra theo nội dung tệp).", fields={"file": ["Tệp không phải PDF."]})
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise InvalidInput("Tệp PDF được bảo vệ bằng mật khẩu: không xác thực được. Hãy dùng bản không đặt mật khẩu.",
                           code="pdf_encrypted", fields={"file": ["Tệp PDF có mật khẩu."]}) from None
    except Exception:
        raise InvalidInput("Không đọc được tệp PDF: tệp bị hỏng hoặc không đầy đủ.", code="pdf_unreadable",
                           fields={"file": ["Tệp PDF bị hỏng."]}) from None
    with pdf:
        try:
            encrypted = pdf.is_encrypted
            scripts = has_scripts(pdf)
        except Exception:
            raise InvalidInput("Không đọc được tệp PDF: tệp bị hỏng.", code="pdf_unreadable",
                               fields={"file": ["Tệp PDF bị hỏng."]}) from None
    if encrypted:
        raise InvalidInput("Tệp PDF được mã hóa: không xác thực được.", code="pdf_encrypted",
                           fields={"file": ["Tệp PDF được mã hóa."]})
    if scripts:
        raise InvalidInput("Tệp PDF có chứa mã JavaScript hoặc lệnh tự chạy: không nhận xác thực vì lý do an toàn. "
                           "Văn bản do cơ quan nhà nước cấp không chứa mã chạy.", code="pdf_javascript",
                           fields={"file": ["Tệp PDF có mã JavaScript."]})


@outside_event_loop
def verify_pdf(data: bytes, *, check_now: bool = True) -> Verification:
    """The verdict on ``data`` (a PDF's bytes); raises the 4xx errors above for bad input.
    ``check_now``: also ask each certificate's OCSP/CRL whether it is revoked now."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    _screen(data)
    sha256 = hashlib.sha256(data).hexdigest()
    result = Verification(sha256=sha256, issued=issued_by_motcua(sha256))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except Exception:
        raise InvalidInput("Không đọc được tệp PDF: cấu trúc tệp bị hỏng.", code="pdf_unreadable",
                           fields={"file": ["Tệp PDF bị hỏng."]}) from None
    for signature in embedded:
        result.signatures.append(_verdict(reader, signature, check_now))
    return result


def _dss_context(reader, moment):
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    kwargs = {"trust_roots": keys.trust_roots(), "allow_fetching": False, "revocation_mode": "soft-fail",
              "moment": moment, "retroactive_revinfo": True}
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:
        dss = None
    if dss is not None:
        return dss.as_validation_context(kwargs)
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(**kwargs)


def _verdict(reader, signature, check_now: bool) -> SignatureVerdict:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from motcua.signing.pades import subject_name

    try:
        cert = signature.signer_cert
        signer = subject_name(cert)
    except Exception:
        return SignatureVerdict(signer="", signed_at=None, intact=False, trusted=False, revoked=False, timestamped=False,
                                problem="Chữ ký bị hỏng: không đọc được chứng thư của người ký.")
    # When: the timestamp's time (trusted or not it is what the file says), else the signer's claim
    stamped_at = timestamp_time(signature)
    claimed = signature.self_reported_timestamp
    moment = stamped_at or claimed
    try:
        status = validate_pdf_signature(signature, _dss_context(reader, moment))
    except Exception as error:
        log.info("signature could not be validated: %s", type(error).__name__)
        return SignatureVerdict(signer=signer, signed_at=moment, intact=False, trusted=False, revoked=False,
                                timestamped=False, problem="Chữ ký bị hỏng hoặc không đúng định dạng: không kiểm tra được.")
    moment = (status.timestamp_validity.timestamp if status.timestamp_validity is not None else None) or moment
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level is not None
        and status.modification_level.name in {"NONE", "LTA_UPDATES", "FORM_FILLING"})
    intact = bool(status.intact and status.valid and covers and status.docmdp_ok is not False)
    timestamped = bool(status.timestamp_validity is not None and status.timestamp_validity.intact
                       and status.timestamp_validity.valid and status.timestamp_validity.trusted)
    valid_at_signing = moment is None or (cert.not_valid_before <= moment <= cert.not_valid_after)
    chains = status.validation_path is not None
    revoked, revoked_at, checked = status.revoked, None, False
    if status.revocation_details is not None:
        revoked_at = status.revocation_details.revocation_date
    if check_now and chains:
        now_revoked, now_at, checked = revoked_now(signature, cert)
        if now_revoked:
            revoked, revoked_at = True, revoked_at or now_at
    trusted = bool(status.trusted and not revoked and valid_at_signing)
    verdict = SignatureVerdict(signer=signer, signed_at=moment, intact=intact, trusted=trusted, revoked=revoked,
                               timestamped=timestamped, revoked_at=revoked_at, revocation_checked=checked,
                               valid_at_signing=valid_at_signing, chains=chains)
    verdict.problem = _problem(verdict)
    return verdict


def timestamp_time(signature) -> dt.datetime | None:
    """The time in the signature's RFC 3161 timestamp token, if it has one."""
    try:
        for attr in signature.signer_info["unsigned_attrs"] or []:
            if attr["type"].native == "signature_time_stamp_token":
                token = attr["values"][0]
                return token["content"]["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:
        return None
    return None


def revoked_now(signature, cert) -> tuple[bool, dt.datetime | None, bool]:
    """(revoked, since when, asked) — the certificate's OCSP responder or CRL asked now."""
    from pyhanko.sign.validation import validate_pdf_signature

    from motcua.signing.pades import validation_context

    try:
        context = validation_context(fetching=True, extra={"other_certs": list(signature.other_embedded_certs)})
        context._revocation_mode = "soft-fail"  # noqa: SLF001  (a responder down is not a verdict)
    except Exception:
        return False, None, False
    try:
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except Exception:
        return False, None, False
    if status.revocation_details is not None:
        return True, status.revocation_details.revocation_date, True
    return False, None, status.trust_problem_indic is None


def _problem(v: SignatureVerdict) -> str:
    if not v.intact:
        return "Tệp đã bị thay đổi sau khi ký: nội dung không còn như lúc ký."
    if v.revoked:
        when = f" từ ngày {v.revoked_at.astimezone(VN_TZ):%d/%m/%Y}" if v.revoked_at else ""
        return f"Chứng thư số của người ký đã bị thu hồi{when}."
    if not v.chains:
        return "Chứng thư số không thuộc chuỗi tin cậy đã cấu hình (không phải do tổ chức chứng thực được công nhận cấp)."
    if not v.valid_at_signing:
        return "Chứng thư số không còn (hoặc chưa có) hiệu lực tại thời điểm ký."
    if not v.trusted:
        return "Không xác nhận được chứng thư số của người ký."
    return ""


def issued_by_motcua(sha256: str) -> Issued | None:
    """The register's entry for exactly these bytes (a result, or a printed form the agency
    signed: :class:`~motcua.signing.models.FormSignature`), or None."""
    from motcua.signing.models import FormSignature, IssuedVersion

    version = (IssuedVersion.objects.filter(sha256=sha256)
               .select_related("document", "document__dossier", "document__unit").order_by("-id").first())
    if version is None:
        form = (FormSignature.objects.filter(sha256=sha256, signed=True).select_related("dossier", "unit")
                .order_by("-id").first())
        if form is None:
            return None
        return Issued(code=form.dossier.code, unit=form.unit.name, title=form.title, issued_at=form.created_at)
    doc = version.document
    return Issued(code=doc.dossier.code, unit=doc.unit.name, title=doc.title, issued_at=doc.issued_at, token=doc.token)


def as_dict(verification: Verification) -> dict:
    return asdict(verification)
