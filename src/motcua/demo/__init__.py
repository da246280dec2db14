"""Demo data that spans apps (issue 22 §4), on the top floor since it fills every app below:
the units, calendar, catalog and staff (catalog.py, ``seed-demo``), a year of imported dossiers
(history.py, ``--history``), dossiers walked through the workflow by the demo officers
(handled.py), surveys (surveys.py), questions and feedback (questions.py); the check that no demo
password is left in production (checks.py)."""
