"""The files a command reads when it is given folders: plans, searched as ruff searches code."""

from __future__ import annotations

import os
from pathlib import Path

# Every format planc reads; ledgers (.xlsx) only where a command reads them, named outright.
PLAN_SUFFIXES = (".txt", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".html", ".htm")
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "out", "venv"})


def expand_paths(names: list[str]) -> tuple[list[str], list[str]]:
    """Files as named, and folders searched recursively for plans (hidden folders and files
    skipped), sorted; and one message for each name that does not exist."""
    paths: list[str] = []
    missing: list[str] = []
    for name in names:
        if name == "-" or not Path(name).is_dir():
            if name != "-" and not Path(name).exists() and not Path(name).is_symlink():
                missing.append(f"{name}: no such file or folder")
                continue
            paths.append(name)
            continue
        found: list[str] = []
        for folder, subfolders, files in os.walk(name):
            subfolders[:] = sorted(
                d for d in subfolders if not d.startswith(".") and d not in _SKIPPED_FOLDERS
            )
            found.extend(
                os.path.join(folder, f)
                for f in files
                if not f.startswith(".") and f.lower().endswith(PLAN_SUFFIXES)
            )
        paths.extend(sorted(found))
    return paths, missing
