"""Printing: every PDF Motcua prints, built from Typst templates (``typst/``) and JSON data.

- :mod:`.pdf` the one way to make a PDF (``render_pdf``, ``qr_image``); the payment
  receipt and the reports reuse it;
- :mod:`.text` how printed papers write moments, dates and agency names;
- :mod:`.editions` the form sets of TT 01/2018 and TT 03/2025 (numbers, titles by date);
- :mod:`.available` which printed forms a dossier has (``printable_forms``): the one home;
- :mod:`.dossier_forms` the dossier forms (Mẫu 01–05/06) and the intake guidance;
- :mod:`.register` the Sổ theo dõi hồ sơ and each dossier's running number in it;
- :mod:`.poster` the QR poster of a unit's procedures;
- :mod:`.views`, :mod:`.urls` the PDFs served under ``/giay-to/``.

Uploaded papers (số hóa) are another matter: they live in :mod:`motcua.documents`.
"""
