"""The built-in loopback simulator of the national portal's adapter (a test system, never in
production): mounted at ``/lien-thong/dvcqg-sandbox/`` only with ``MOTCUA_DVCQG_SANDBOX``.

It speaks the protocol of shared/domain/national-systems.md §5: ``POST auth`` hands out sessions
(lifetime ``MOTCUA_DVCQG_SANDBOX_SESSION_SECONDS``, the ``dstcode`` header checked); ``POST
integration`` and ``POST share`` dispatch on ``service``, refuse a bad session or ``madonvi``
with ``-1``; ``DongBoHoSoMC`` checks the dates, ``TrangThaiHoSo`` and ``KenhThucHien``, answers
"đã tồn tại" (code 3) to a new dossier it already has, stores each dossier for ``TraCuuHoSo``
and downloads every file URL in it as the national portal would; ``CapNhatTienDoHoSoMC`` needs a
known ``MaHoSo`` and answers "thành công". ``LayDanhSachHoiDapGuiTuDVCQG`` hands out the questions
asked on it (``SandboxQuestion``); ``DongBoKetQuaHoiDapGuiTuDVCQG`` puts each answer on its question. Its state lives in the database (its own tables), so
the web server and the worker see one simulator. Faults are injected through ``SandboxFault``.
"""
