"""``POST /api/v1/verify`` (docs/api.md): anyone sends a PDF, gets each signature's verdict and
whether Motcua issued this exact file — :func:`motcua.signing.verify.verify_pdf`, as JSON."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from motcua.signing.verify import read_upload, verify_pdf

router = Router(tags=["public"])

VERIFY_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary", "description": "Tệp PDF cần xác thực"}},
        }}},
    }
}


class SignatureOut(Schema):
    signer: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    revoked: bool
    timestamped: bool


class IssuedOut(Schema):
    code: str
    unit: str
    title: str
    issued_at: dt.datetime | None


class VerifyOut(Schema):
    signed: bool
    signatures: list[SignatureOut]
    issued: IssuedOut | None


@router.post("/verify", response={200: VerifyOut}, openapi_extra=VERIFY_BODY, auth=None,
             summary="Xác thực chữ ký số của một tệp PDF")
def verify(request):
    """Multipart ``file`` (a PDF): ``intact`` false when the file changed after that signature;
    ``trusted`` when the certificate chains to the configured roots and was valid and unrevoked
    at signing time; ``issued`` when Motcua issued this exact file. A damaged, encrypted or
    scripted PDF → 422, not a PDF → 415, too large → 413."""
    return 200, verify_pdf(read_upload(request.FILES.get("file"))).contract()
