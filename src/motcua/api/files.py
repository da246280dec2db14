"""Dossier documents, fee payments and satisfaction ratings (CONTRACT §2)."""

from ninja import Router

router = Router(tags=["documents, payments, ratings"])
