"""Azure Blob Storage (`wasbs://container@account.blob.core.windows.net/path`).

As MLflow's AzureBlobArtifactRepository: `AZURE_STORAGE_CONNECTION_STRING` wins (its own
endpoint), then `AZURE_STORAGE_ACCESS_KEY` with the account URL derived from the URI, then
DefaultAzureCredential (azure-identity) from the linter's environment. The client gets the
deadline as `connection_timeout`/`read_timeout` and no retries. Reads container properties
and lists one blob under the path.
"""

from __future__ import annotations

import re

from mlflow_lint.probes.base import (
    ERROR,
    FAIL,
    OK,
    Budget,
    Declaration,
    Outcome,
    Target,
    kind,
    marker_key,
    missing_package,
    missing_sdk,
    round_trip,
)
from mlflow_lint.probes.base import network_reason as _network

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WASBS = re.compile(
    r"^wasbs://([^@/]+)@([^./]+)\.(blob\.core\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net))"
    r"(?:/(.*))?$"
)


def probe(target: Target, budget: Budget) -> Outcome:
    """Container properties + list 1 blob under the path."""
    try:
        from azure.storage.blob import BlobServiceClient
    except ImportError:
        return missing_sdk(PROBE, "azure.storage.blob")
    match = WASBS.match(target.uri)
    if match is None:
        return Outcome(
            FAIL, "not a wasbs URI MLflow accepts (wasbs://<container>@<account>.blob.core.windows.net/<path>)"
        )
    container, account, suffix, prefix = match[1], match[2], match[3], match[4] or ""
    where = f"https://{account}.{suffix}"
    try:
        service = _service(BlobServiceClient, target, budget, where)
    except ImportError:
        return missing_package("azure.identity", "azure-identity")
    except Exception as exc:
        return classify(exc, container, where, budget)
    where = service.url.split("?")[0].rstrip("/")
    client = service.get_container_client(container)
    try:
        client.get_container_properties(timeout=max(1, int(budget.remaining())))
        next(iter(client.list_blobs(name_starts_with=prefix or None, results_per_page=1).by_page()), None)
        outcome = Outcome(
            OK, f"container `{container}` at {where} answered properties and list (prefix `{prefix or '/'}`)"
        )
        if budget.write:
            outcome = _write(client, prefix, outcome, budget)
    except Exception as exc:
        return classify(exc, container, where, budget)
    return outcome


def _service(cls: Any, target: Target, budget: Budget, account_url: str) -> Any:
    seconds = budget.remaining()
    timeouts = {"connection_timeout": seconds, "read_timeout": seconds, "retry_total": 0}
    conn = target.secrets.get("AZURE_STORAGE_CONNECTION_STRING")
    if conn:
        return cls.from_connection_string(conn, **timeouts)
    key = target.secrets.get("AZURE_STORAGE_ACCESS_KEY")
    if key:
        return cls(account_url=account_url, credential=key, **timeouts)
    from azure.identity import DefaultAzureCredential

    # Reached only with --probe-ambient-credentials. Never the instance metadata service, and
    # never a credential that runs a program (az, azd, PowerShell) or asks someone.
    credential = DefaultAzureCredential(
        exclude_managed_identity_credential=True,
        exclude_cli_credential=True,
        exclude_developer_cli_credential=True,
        exclude_powershell_credential=True,
        exclude_interactive_browser_credential=True,
        exclude_visual_studio_code_credential=True,
    )
    return cls(account_url=account_url, credential=credential, **timeouts)


def _write(client: Any, prefix: str, read: Outcome, budget: Budget) -> Outcome:
    name = marker_key(prefix)
    return round_trip(
        name,
        lambda body: client.upload_blob(name, body),
        lambda: client.download_blob(name).readall(),
        lambda: client.delete_blob(name),
        read,
        budget,
    )


def classify(exc: Exception, container: str, where: str, budget: Budget) -> Outcome:
    from azure.core import exceptions as az

    code = str(getattr(exc, "error_code", "") or "")
    status = getattr(exc, "status_code", None)
    if isinstance(exc, az.ResourceNotFoundError):
        return Outcome(FAIL, f"container `{container}` does not exist at {where} ({code or 'ResourceNotFound'})")
    if isinstance(exc, az.ClientAuthenticationError) or status == 403:
        return Outcome(
            FAIL,
            f"{where} rejected the credentials or denied access ({code or kind(exc)}): check the "
            "account key or connection string",
        )
    if isinstance(exc, az.HttpResponseError) and status:
        return Outcome(FAIL, f"{where} answered {status} {code} for container `{container}`")
    if isinstance(exc, (ValueError, TypeError)) and not isinstance(exc, az.AzureError):
        return Outcome(FAIL, f"the Azure credentials are malformed ({kind(exc)})")
    if kind(exc) == "CredentialUnavailableError":
        return Outcome(ERROR, "no Azure credentials in the linter's environment (DefaultAzureCredential)")
    return _network(exc, where, budget.seconds)


PROBE = Declaration(
    name="azure_blob",
    group="artifacts",
    run=probe,
    action="container properties, list 1 blob under the prefix",
    sdk=("azure.storage.blob",),
    extra="azure",
    packages="azure-storage-blob",
    import_seconds={"azure.storage.blob": 0.24},
    credential_variables=("AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_ACCESS_KEY"),
    identity_annotation="azure.workload.identity/client-id",
    ambient=True,
    provider_hosts=(
        ".blob.core.windows.net",
        ".blob.core.chinacloudapi.cn",
        ".blob.core.usgovcloudapi.net",
        "login.microsoftonline.com",
    ),
)
