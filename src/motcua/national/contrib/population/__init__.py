"""The population database (Cơ sở dữ liệu quốc gia về dân cư) through the province's gateway
(LGSP): an officer at the counter looks a citizen up by ID number to pre-fill the intake form
(issue 18 §7; shared/domain/national-systems.md §4).

* ``plugin.py``: the national system ``population``, configured only by ``MOTCUA_POPULATION_URL``,
  ``…_MODE`` (``soap`` or ``json``), ``…_TOKEN``; ``MOTCUA_POPULATION_SANDBOX`` mounts the loopback
  simulator (``contrib/population_sandbox``) and points the client at it when no URL is set.
* ``client.py``: the two variants of the domain file — the SOAP envelope ``TraCuuThongTinCongDan``
  (namespace ``http://dancuquocgia.bca``) and the JSON proxy (``{HoVaTen, SoDinhDanh, …}`` →
  ``{error_code, message}`` whose ``message`` holds the SOAP answer) — and the answer's
  ``CongdanCollection/CongDan`` (namespace ``http://www.mic.gov.vn/dancu/1.0``) read into the
  intake form's fields.
* ``models.py``: :class:`PopulationLookup`, the audit table — every lookup made with the officer,
  the dossier or the purpose, the time, the outcome; the ID number looked up only as a keyed
  digest (an auditor checks "was this citizen looked up" by computing it, the table itself holds
  no ID number).
* ``services.py``: :func:`lookup` (one lookup, audited, never raising for the gateway's faults:
  the officer is told to type the data by hand) and :func:`attach` (the lookup joins the dossier
  taken in with it: the dossier's national record then names the population database,
  ``dossier_flags.record_database_use``, which the scorecard's 4.5 and ``DSKetNoiCSDL`` read).

Nothing personal goes to the application log: the log says a lookup's request id and outcome.
"""
