from tests.files.conftest import media_dir, online_dossier  # noqa: F401  (shared fixtures)
