"""The applicant's satisfaction (đánh giá mức độ hài lòng): the one-click rating
(``dossiers.Rating``), the five-criteria survey (:class:`~motcua.feedback.models.Survey`) and the
counter kiosk (:class:`~motcua.feedback.models.Kiosk`). ``services.py`` is the one home of
who may rate or answer, when, and how often."""
