"""The applicant's satisfaction rating (đánh giá mức độ hài lòng). Plain services over
``dossiers.models.Rating``; not a Django app of its own (no models here)."""
