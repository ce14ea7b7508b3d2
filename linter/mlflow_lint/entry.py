"""The `mlflow-lint` process: `cli.main` without the interpreter's own start-up and teardown work.

Two costs of a cold lint are not the lint's (callgrind, 150-line file, about a fifth of it):
- the cyclic collector tracing every module, class and schema node while about 150
  modules load, although a lint makes almost no cyclic garbage;
- `Py_Finalize`: a last full collection and the teardown of every module, to free memory
  the operating system takes back at once anyway.

So the console script switches the collector off before the first heavy import and ends
the process with `os._exit` once its output is flushed. Nothing in the lint registers exit
handlers; probes run in daemon threads, which a normal exit abandons as well. Library
callers and tests use `cli.main`, which returns its exit code and leaves the process alone.
`MLFLOW_LINT_NO_SPEEDUPS=1` turns both tricks off (runtime.py).
"""

from __future__ import annotations

import gc
import os
import sys

from mlflow_lint import runtime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def run() -> NoReturn:
    """Run the command line, flush its output, and end the process with its exit code."""
    runtime.ONE_SHOT = True
    if not runtime.SPEEDUPS:
        from mlflow_lint.cli import main as plain_main

        sys.exit(plain_main())
    gc.disable()
    from mlflow_lint.cli import main

    code = main()
    _flush()
    os._exit(code)


def _flush() -> None:
    """Flush stdout and stderr; a reader that went away (`| head`) is not an error."""
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 - contextlib.suppress would import contextlib, a cold-start cost
            stream.flush()
        except (OSError, ValueError):  # a closed pipe, or a stream the caller closed
            pass
