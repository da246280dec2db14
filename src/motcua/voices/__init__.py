"""Citizens' voice (issue 20 §1): questions about a procedure (hỏi đáp) and feedback or
complaints about one's own dossier (phản ánh, kiến nghị) — routed to the unit, answered on a
working-day deadline, drafted by a specialist, approved by a leader, the asker notified, the
answered questions published without personal data. ``services.py`` is the one home of these
rules; ``national.py`` shapes an item for the national portal (DongBoHoiDap)."""
