"""The installed package's version: recorded on every summary row and shown by ``--version``."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("negotiate")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0+unknown"
