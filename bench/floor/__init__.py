"""The floor of ``python -m bench floor``: a minimal Django + django-ninja app that does what an
intake must by law and nothing Motcua adds (issue 21 §1).

One ``POST /api/v1/dossiers`` checks the officer's bearer token (one indexed query on its
SHA-256, as Motcua stores it: the audit event must name who received the dossier), validates
the same body, and in one transaction inserts the dossier, takes the unit's number of the day
(the sequence row, TT 01/2018 Art. 19: codes unique and gapless) and writes the audit event.
``GET /api/v1/public/track/{code}`` reads one row. No Motcua apps, its own settings
(``bench.floor.settings``), served by gunicorn as ``motcua serve`` serves Motcua.
"""
