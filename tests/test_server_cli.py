"""`mlflow server` argv reading and option catalogue."""

from __future__ import annotations

from mlflow_lint import server_cli as cli


def test_parse_like_click() -> None:
    parsed = cli.parse(
        [
            "--port=8080",
            "-h",
            "0.0.0.0",
            "-w4",
            "--dev",
            "--static-prefix /x",
            "stray",
            "--gunicorn-opts",
            "--timeout 120",
        ]
    )
    by_name = {a.name: a for a in parsed.args}
    assert by_name["--port"].value == "8080" and by_name["--port"].value_index == 0
    assert by_name["--host"].value == "0.0.0.0" and by_name["--host"].value_index == 2
    assert by_name["--workers"].value == "4"
    assert by_name["--dev"].value is None
    assert by_name["--gunicorn-opts"].value == "--timeout 120"
    assert parsed.glued == [5]
    assert [s.text for s in parsed.strays] == ["stray"]


def test_option_consumes_next_option() -> None:
    parsed = cli.parse(["--static-prefix", "--dev"])
    assert [(a.name, a.value) for a in parsed.args] == [("--static-prefix", "--dev")]


def test_negative_number_is_a_value_not_an_option() -> None:
    assert not cli.is_option("-1")


def test_status_by_version() -> None:
    assert cli.status("--static-prefix", (2, 14, 1)) == ""
    assert "added after" in cli.status("--allowed-hosts", (2, 14, 1))
    assert cli.status("--allowed-hosts", (3, 4, 0)) == ""  # between the compared releases: unknown
    assert cli.status("--nope", (2, 14, 1)) == "no such option"
    assert cli.status("--nope", (4, 0, 0)) == "unknown"
    assert cli.did_you_mean("--statc-prefix") == "--static-prefix"
