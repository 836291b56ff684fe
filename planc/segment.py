"""jieba, set up once for planc: quiet, and its dictionary cache in the user's cache folder.

jieba caches its parsed dictionary (9 MB) under a fixed name in the shared system temp folder,
where another local user could plant it first. planc keeps the cache in the user's own cache
directory (platformdirs, created 0700), or builds none when that cannot be had.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any


@cache
def cache_dir() -> str | None:
    """``<user cache>/planc/jieba``, made private to the user; None if it cannot be made."""
    from platformdirs import user_cache_dir

    path = os.path.join(user_cache_dir("planc", appauthor=False), "jieba")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path)
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # not ours, or writable by others: trust no cache there
    return path


def tokenizer() -> Any:
    """A fresh ``jieba.Tokenizer`` that caches where ``cache_dir`` says (or nowhere)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    made = jieba.Tokenizer()
    _place_cache(made)
    return made


@cache
def default() -> Any:
    """jieba's module-level tokenizer, initialised once per process with planc's cache."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    _place_cache(jieba.dt)
    _initialize(jieba.dt)
    return jieba


def initialize(made: Any) -> None:
    """Load ``made``'s dictionary now (jieba would on first use), logging nothing."""
    _initialize(made)


def _place_cache(made: Any) -> None:
    folder = cache_dir()
    if folder is None:
        # jieba always writes a cache; a name in a folder that does not exist makes it fail
        # quietly (see _initialize) instead of writing to the shared temp folder.
        made.tmp_dir = os.path.join(os.devnull, "planc-no-cache")
    else:
        made.tmp_dir = folder


def _initialize(made: Any) -> None:
    """jieba logs a failed cache write with a traceback at ERROR: silence it for the load."""
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        made.initialize()
    finally:
        logger.setLevel(level)
