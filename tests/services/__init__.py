"""Throwaway servers on 127.0.0.1 for the probe tests.

Each module starts one real server (or, for OSS only, a project-owned stand-in) with a
context manager ``start_<name>(base_dir)`` yielding a frozen dataclass that describes it.
``fixtures.py`` wraps them as session-scoped pytest fixtures. Servers are installed by
``.ci/install-services.sh``. Keep this file import-free: ``python -m tests.services.<mod>``
runs some servers as child processes, and importing siblings here would double-import them.
"""
