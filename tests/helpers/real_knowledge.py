"""A copy of the REAL knowledge for tests that edit it as staff would: all of knowledge/local/ and the national
records the curated files name (the rest of the national layer is left out so that a check takes under a second)."""
import re
import shutil
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent.parent / "knowledge"


def copy_real_knowledge(root: Path) -> Path:
    """knowledge/local/ whole, and knowledge/national/<code>.json for every portal code a local file mentions."""
    shutil.copytree(SHIPPED / "local", root / "local")
    (root / "national").mkdir(parents=True)
    codes = {c for p in (SHIPPED / "local").rglob("*.toml") for c in re.findall(r'"(\d+\.\d+)"', p.read_text("utf-8"))}
    for code in codes:
        if (SHIPPED / "national" / f"{code}.json").exists():
            shutil.copy(SHIPPED / "national" / f"{code}.json", root / "national")
    return root


def line_of(path: Path, marker: str) -> int:
    """1-based line of the first line containing `marker`."""
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if marker in line:
            return n
    raise AssertionError(f"{marker!r} not in {path}")
