"""Where the project keeps its knowledge, and the catalog of core procedures it is checked against."""
from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
DEFAULT_CATALOG = PROJECT_ROOT.parent / "shared" / "spec" / "catalog.tsv"
