"""`python -m bot check-knowledge`: prints file:line: key: message lines and exits 1 on any problem."""
import argparse
import io
import subprocess
import sys

from bot.knowledge import validate
from helpers.knowledge_tree import make_tree, replace_in

from conftest import ROOT


def run(tree, catalog="/nonexistent"):
    out = io.StringIO()
    code = validate.command(argparse.Namespace(dir=str(tree), catalog=catalog), out=out)
    return code, out.getvalue()


def test_clean_tree_exits_0(tmp_path):
    code, out = run(make_tree(tmp_path / "k"))
    assert code == 0 and out.strip().endswith("0 problem(s)")


def test_broken_tree_exits_1_with_file_line_key(tmp_path):
    tree = make_tree(tmp_path / "k")
    replace_in(tree / "local" / "offices.toml", 'open = "07:30"', "open = 730")
    code, out = run(tree)
    assert code == 1
    assert 'offices.toml:10: office[1].hours[1].open: "730" is not a time; write it as "07:30"' in out


def test_shipped_knowledge_passes_the_validator_with_the_catalog():
    """The real command, as staff run it, on the knowledge shipped in this repository."""
    proc = subprocess.run([sys.executable, "-m", "bot", "check-knowledge"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " 0 lỗi" in proc.stdout  # staff messages are Vietnamese unless BOT_STAFF_LANG=en
