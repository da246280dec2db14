"""The built-in loopback simulator of the province gateway's population-database lookup (a test
system, never in production): mounted at ``/lien-thong/population-sandbox/`` only with
``MOTCUA_POPULATION_SANDBOX`` (``make run`` sets it; ``check --deploy`` refuses it outside debug).

It speaks both variants of shared/domain/national-systems.md §4: ``POST soap`` takes the SOAP
envelope ``TraCuuThongTinCongDan`` and answers ``CongdanCollection`` in SOAP; ``POST json`` takes
the JSON proxy's body and answers ``{error_code, message}`` with the SOAP answer in ``message``.
Both require ``Authorization: Bearer`` with the simulator's own token (a client configured with
another is refused, 401). The citizens it knows are the demo's (:mod:`.citizens`); any other
valid number is "not found". Three numbers play the gateway's faults: ``000000000504`` answers
504 Gateway Timeout, ``000000000999`` answers only after the client's ``MOTCUA_POPULATION_TIMEOUT``
has passed (a real timeout), ``000000000500`` answers an error (``error_code`` -1, a SOAP fault).
"""
