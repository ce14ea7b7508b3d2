"""Probes spread over the cores (probes/processes.py): bins, forked children, the parent's deadline.

Whatever forks runs in a fresh interpreter (`python_stdout`) that declares itself the command
line's process (`runtime.ONE_SHOT`, as `entry.run` does): the test process has threads
(in-process test servers), and the runner never forks beside threads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlflow_lint.probes import processes
from tests.conftest import python_stdout

from .conftest import env, v2

FAKES = """
import json, os, threading, time
from mlflow_lint import runtime
from mlflow_lint.probes import processes, runner
from mlflow_lint.probes.base import Outcome, ProbeOptions, Target

def fake(target, budget):
    if target.uri == "die":
        os._exit(3)
    time.sleep(0.05)
    return Outcome("ok", str(os.getpid()))

runtime.ONE_SHOT = True
runner.load = lambda name: fake
runner.prefetch = lambda target: None
processes.cores = lambda: 2
targets = [Target(probe=p, group="g", role="r", uri=u, path=("k",)) for p, u in
           [("database", "a"), ("s3", "b"), ("sftp", "c"), ("auth_db", "d"), ("gcs", "e", ), ("s3", "f")]]
targets.append(Target(probe="local", group="g", role="r", uri="x", path=("k",), skip="nothing to contact"))
"""


def _run(script: str) -> dict:
    return json.loads(python_stdout(FAKES + script).splitlines()[-1])


def test_bins_keep_each_sdk_group_whole_and_balance_what_they_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "IMPORT_SECONDS", {"sdk_a": 0.30, "sdk_b": 0.20, "sdk_c": 0.15, "sys": 9.0})
    groups = [(("sdk_a",), [0, 3]), (("sdk_b",), [1]), (("sdk_c",), [2]), (("sys",), [4])]
    spread = processes.bins(groups, 2)
    assert sorted(spread) == [[0, 3, 4], [1, 2]]  # sdk_b + sdk_c (0.39) against sdk_a (0.34) + sys
    assert spread[0] == [1, 2]  # the heaviest bin first: it runs in this process
    assert processes.bins(groups, 1) == [[0, 1, 2, 3, 4]]
    assert sorted(processes.bins(groups, 8)) == [[0, 3], [1], [2], [4]]  # never more bins than groups


def test_each_bin_runs_in_its_own_process_and_results_keep_the_plan_order() -> None:
    got = _run("""
done = runner.run(targets, ProbeOptions(timeout=5.0))
print(json.dumps({"parent": os.getpid(), "rows": [[t.uri, o.status, o.reason] for t, o, _ in done]}))
""")
    rows = got["rows"]
    assert [uri for uri, _, _ in rows] == ["a", "b", "c", "d", "e", "f", "x"]
    assert rows[-1][1:] == ["skipped", "nothing to contact"]
    pids = {uri: int(reason) for uri, status, reason in rows[:-1] if status == "ok"}
    assert len(pids) == 6
    assert pids["a"] == pids["d"]  # the database and the auth database share SQLAlchemy: one process
    assert pids["b"] == pids["f"]  # two S3 probes: one process
    assert len(set(pids.values())) == 2 and got["parent"] in pids.values()  # two cores: here and one child


def test_a_child_that_dies_is_reported_and_the_rest_still_answer() -> None:
    got = _run("""
targets[2] = Target(probe="sftp", group="g", role="r", uri="die", path=("k",))
done = runner.run(targets, ProbeOptions(timeout=5.0))
print(json.dumps({t.uri: [o.status, o.reason] for t, o, _ in done}))
""")
    assert got["die"] == ["error", "the probe's process ended without an answer; please report it"]
    assert got["a"][0] == "ok" and got["b"][0] == "ok"  # in the other process


CHILDREN = """
def answer(group, options):
    return [(t, Outcome("ok", "fine"), 0.01) for t in group]

def hang(group, options):
    time.sleep(60)

def reaped():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False

start = time.monotonic()
"""


def test_children_that_answer_are_read_and_reaped_without_waiting_for_the_phase_end() -> None:
    got = _run(
        CHILDREN
        + """
answers = processes.run(targets, ProbeOptions(timeout=1.0), [[0], [1], [2, 3]], answer, start + 30)
print(json.dumps({"took": time.monotonic() - start, "reaped": reaped(),
                  "answers": {i: [a.outcome is not None, a.ended] for i, a in answers.items()}}))
"""
    )
    assert got["took"] < 20 and got["reaped"] is True  # not the 30 s budget (generous: a loaded machine)
    assert got["answers"] == {str(i): [True, True] for i in range(4)}


def test_the_parent_kills_a_child_that_does_not_answer_by_the_phase_end() -> None:
    got = _run(
        CHILDREN
        + """
pick = lambda group, options: (answer if group[0].uri == "a" else hang)(group, options)
answers = processes.run(targets, ProbeOptions(timeout=1.0), [[0], [1]], pick, start + 1.5)
print(json.dumps({"took": time.monotonic() - start, "reaped": reaped(),
                  "answers": {i: [a.outcome is not None, a.ended] for i, a in answers.items()}}))
"""
    )
    assert 1.4 < got["took"] < 15 and got["reaped"] is True  # waited for the phase end, not for the hang
    assert got["answers"] == {"0": [True, True], "1": [False, False]}  # no answer, not ended: killed


def test_a_library_caller_keeps_the_probes_in_its_own_threads() -> None:
    got = _run("""
runtime.ONE_SHOT = False  # cli.main called by a long-lived program: its SDK imports should stay
done = runner.run(targets[:3], ProbeOptions(timeout=5.0))
print(json.dumps({"parent": os.getpid(), "pids": sorted({int(o.reason) for _, o, _ in done})}))
""")
    assert got["pids"] == [got["parent"]]


def test_when_no_process_can_be_forked_this_process_probes_them_all() -> None:
    got = _run("""
def no_fork():
    raise BlockingIOError(11, "Resource temporarily unavailable")

os.fork = no_fork
done = runner.run(targets[:3], ProbeOptions(timeout=5.0))
print(json.dumps({"parent": os.getpid(), "rows": [[o.status, o.reason] for _, o, _ in done]}))
""")
    assert got["rows"] == [["ok", str(got["parent"])]] * 3


def test_with_another_thread_running_the_probes_stay_in_threads() -> None:
    got = _run("""
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()
done = runner.run(targets[:3], ProbeOptions(timeout=5.0))
stop.set()
print(json.dumps({"parent": os.getpid(), "pids": sorted({int(o.reason) for _, o, _ in done})}))
""")
    assert got["pids"] == [got["parent"]]


@pytest.mark.services
def test_the_command_line_probes_real_servers_across_processes(
    tmp_path: Path, s3_server, postgres_server, sftp_server
) -> None:
    sftp = f"sftp://{sftp_server.user}:{sftp_server.password}@{sftp_server.host}:{sftp_server.port}/"
    values = v2(
        backendStore={"createSecret": {"backendStoreUri": postgres_server.url()}},
        trackingServer={
            "mode": "serve-artifacts",
            "artifactsDestination": f"s3://{s3_server.bucket}/d",
            "defaultArtifactRoot": sftp,
        },
        artifactStore={
            "s3": {
                "enabled": True,
                "createSecret": {"accessKeyId": s3_server.access_key, "secretAccessKey": s3_server.secret_key},
            }
        },
        extraEnv=env(MLFLOW_S3_ENDPOINT_URL=s3_server.endpoint_url, AWS_DEFAULT_REGION=s3_server.region),
    )
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps(values))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlflow_lint",
            "--isolated",
            "--format",
            "json",
            "--probe",
            "--probe-known-hosts",
            str(sftp_server.known_hosts),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stdout)
    assert {p["name"]: p["status"] for p in report["probes"]} == {"database": "ok", "s3": "ok", "sftp": "ok"}, report[
        "probes"
    ]
