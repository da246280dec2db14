"""Security headers and the deploy check (issue 11 §2; docs/operators/deploy.md).

- ``headers.py``: Permissions-Policy on every response (CSP comes from django-csp, the rest from
  Django's SecurityMiddleware, both configured in settings.py).
- ``checks.py``: ``motcua check --deploy``: one message per missing production setting
  (``motcua.W001`` …), naming the variable; the demo accounts' published password.
"""
