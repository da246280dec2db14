"""Motcua: the one-stop shop (Bộ phận Một cửa) for Vietnamese administrative procedures."""

__version__ = "0.1.0"
