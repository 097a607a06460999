"""The tree shows the architecture: imports only go down the layers, and the README's tree is the real one.

Layers, lowest first: knowledge → understanding → answering → running → channels → the entry modules
at bot/'s root (cli, runner, __main__). A module may import its own layer and the ones below; a channel
does not import another channel; the core (knowledge, understanding, answering) imports no transport.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("knowledge", "understanding", "answering", "running", "channels", "")  # "" = bot/'s own modules
CORE = {"knowledge", "understanding", "answering"}
TRANSPORTS = {"telegram", "aiohttp", "psycopg", "psycopg_pool", "segno"}


def module_name(path: Path, package_root: Path) -> str:
    parts = path.relative_to(package_root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(parent + ([base] if base else []))
            names = [f"{base}.{a.name}" for a in node.names] if base in ("bot", "bot.channels") else [base]
            out += [(node.lineno, name) for name in names]
    return out


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "bot":
        return None
    return parts[1] if len(parts) >= 2 and parts[1] in LAYERS[:-1] else ""


def channel_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["bot", "channels"] else None


def violations(package_root: Path) -> list[str]:
    """Every import that breaks the rule, as 'file:line: what'."""
    found = []
    for path in sorted(package_root.rglob("*.py")):
        module = module_name(path, package_root)
        mine = layer_of(module)
        for line, target in imported(ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py"):
            where = f"{path.relative_to(package_root.parent)}:{line}"
            theirs = layer_of(target)
            if theirs is None:
                if mine in CORE and target.split(".")[0] in TRANSPORTS:
                    found.append(f"{where}: the {mine} layer imports the transport {target}")
                continue
            if LAYERS.index(theirs) > LAYERS.index(mine):
                found.append(f"{where}: {mine or 'bot'} imports {target}, a higher layer ({theirs or 'bot'})")
            elif mine == theirs == "channels" and None not in (channel_of(module), channel_of(target)) \
                    and channel_of(module) != channel_of(target):
                found.append(f"{where}: channel {channel_of(module)} imports channel {channel_of(target)}")
    return found


def test_imports_go_only_down_the_layers():
    assert violations(ROOT / "bot") == []


def test_the_rule_catches_a_forbidden_import(tmp_path):
    """A temporary package with the same layers and three bad modules: each is reported."""
    for layer in LAYERS[:-1]:
        (tmp_path / "bot" / layer).mkdir(parents=True)
    (tmp_path / "bot" / "channels" / "web").mkdir()
    (tmp_path / "bot" / "channels" / "zalo").mkdir()
    (tmp_path / "bot" / "knowledge" / "bad.py").write_text("from bot.answering import cards\n")
    (tmp_path / "bot" / "answering" / "worse.py").write_text("import json\nfrom telegram import Update\n")
    (tmp_path / "bot" / "understanding" / "rel.py").write_text("from ..channels.web import app\n")
    (tmp_path / "bot" / "channels" / "zalo" / "cross.py").write_text("from bot.channels.web import app\n")
    (tmp_path / "bot" / "channels" / "zalo" / "fine.py").write_text("from bot.answering import render\nimport aiohttp\n")
    found = violations(tmp_path / "bot")
    assert found == [
        "bot/answering/worse.py:2: the answering layer imports the transport telegram",
        "bot/channels/zalo/cross.py:1: channel zalo imports channel web",
        "bot/knowledge/bad.py:1: knowledge imports bot.answering, a higher layer (answering)",
        "bot/understanding/rel.py:1: understanding imports bot.channels.web, a higher layer (channels)",
    ]


def readme_tree() -> set[str]:
    """The paths in the README's module tree (the ```text block after '### Module map')."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### Module map\n.*?```text\n(.*?)```", text, re.S).group(1)
    paths, stack = set(), []
    for line in block.splitlines():
        name = line.split("#")[0].strip()
        if not name:
            continue
        depth = (len(line) - len(line.lstrip())) // 2
        stack[depth:] = [name.rstrip("/")]
        paths.add("/".join(stack))
    return paths


def real_tree() -> set[str]:
    out = set()
    for path in (ROOT / "bot").rglob("*.py"):
        rel = path.relative_to(ROOT)
        if path.name != "__init__.py" and "__pycache__" not in rel.parts:
            out.add(rel.as_posix())
            out.update(p.as_posix() for p in rel.parents if p.as_posix() != ".")
    return out


def test_the_readme_tree_is_the_real_tree():
    documented, real = readme_tree(), real_tree()
    assert not real - documented, f"add to the README's module map: {sorted(real - documented)}"
    assert not documented - real, f"remove from the README's module map: {sorted(documented - real)}"
