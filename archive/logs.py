"""Loggers made on first use, and the command line's logging set up only then.

Importing ``logging`` (with traceback, threading, string) costs a process ~10 ms, as much as a
plain `xxgk search` spends on its own work; that search logs nothing unless something is wrong.
So the modules on its path ask for their logger when they log (``logger(__name__)``), and
``archive.cli`` hands its set-up to ``on_first_use`` instead of running it up front: the first
``logger`` call runs it.
"""
from __future__ import annotations

__all__ = ["logger", "on_first_use"]

_SETUP: list = []  # the set-up still to run: at most one callable


def on_first_use(setup) -> None:
    """Run ``setup()`` (e.g. ``logging.basicConfig``) when a logger is first asked for."""
    _SETUP[:] = [setup]


def logger(name: str):
    """``logging.getLogger(name)``, after the pending set-up."""
    import logging

    while _SETUP:
        _SETUP.pop()()
    return logging.getLogger(name)
