"""Process-wide switches: is this the one-shot command-line process, and are the speed-ups on.

The start-up speed-ups of a cold lint sit together behind one switch, so that a suspected
speed-up bug can be ruled out with one environment variable, `MLFLOW_LINT_NO_SPEEDUPS=1`:
- `entry.run` turns the cyclic collector off and ends the process with `os._exit`
  (entry.py says why), and `cli.main` keeps the collector off while it runs;
- `yaml_events` reads YAML with libyaml (ruamel.yaml.clib) and checks with the pure parser
  only what libyaml refuses;
- `records.NamedTuple` builds record classes without compiling code at import time.
With the switch set, the plain ways are used: the collector runs, the interpreter finalises
normally, ruamel.yaml's pure parser reads every file, records are `typing.NamedTuple`s. The
output is the same either way (tests/test_runtime.py).

This module imports nothing of the linter, so anything may import it (the probe runner reads
ONE_SHOT here instead of importing the entry module, which imported the whole CLI in a cycle).
"""

from __future__ import annotations

import os

SPEEDUPS = os.environ.get("MLFLOW_LINT_NO_SPEEDUPS", "").strip().lower() in ("", "0", "false", "no", "off")

# True once `entry.run` has started: this process ends with the command. Work that only pays
# off in a process used once may rely on it (probes/processes.py forks children that import
# SDKs the process itself then never has; a long-lived caller of `cli.main` keeps them).
ONE_SHOT = False
