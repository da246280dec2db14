"""The catalog Motcua ships as a sample (fixtures/procedures.json): what ``seed-demo`` imports
(motcua/demo/catalog.py) and what the national portal's simulator offers as its catalog."""

from pathlib import Path

CATALOG_FILE = Path(__file__).parent / "fixtures" / "procedures.json"
