"""Google Cloud Storage: google-cloud-storage with a service-account key or ADC.

Credentials: the key the values carry (`artifactStore.gcp.createSecret.keyFile`, or
`keyfile.json` of a Secret given with --secrets; note that the seed chart exports it as an
env var named `keyfile.json`, which MLflow never reads, so this proves the key and the
bucket, not the pod's access), else, with --probe-ambient-credentials only, application
default credentials from the linter's environment (workload identity). A
`GOOGLE_APPLICATION_CREDENTIALS` path in the values is never read: it names a file in the pod.
The token exchange runs first, under the deadline (google-auth would otherwise retry for
about two minutes); then the bucket is read and one blob listed, no retries.
`STORAGE_EMULATOR_HOST` in the pod's environment points the client at an emulator.
"""

from __future__ import annotations

import json

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
    missing_sdk,
    round_trip,
)
from mlflow_lint.probes.base import network_reason as _network

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def probe(target: Target, budget: Budget) -> Outcome:
    """Token exchange, bucket get, list 1 blob under the prefix."""
    try:
        from google.cloud import storage
    except ImportError:
        return missing_sdk(PROBE, "google.cloud.storage")
    bucket_name, _, prefix = target.uri[len("gs://") :].partition("/")
    endpoint = target.settings.get("STORAGE_EMULATOR_HOST", "")
    where = endpoint or "Google Cloud Storage"
    try:
        credentials, project = _credentials(target, budget)
    except Exception as exc:
        return _credential_problem(exc, budget)
    options = {"api_endpoint": endpoint} if endpoint else None
    client = storage.Client(project=project, credentials=credentials, client_options=options)
    try:
        bucket = client.get_bucket(bucket_name, timeout=budget.remaining(), retry=None)
        list(client.list_blobs(bucket, prefix=prefix, max_results=1, timeout=budget.remaining(), retry=None))
        outcome = Outcome(OK, f"bucket `{bucket_name}` at {where} answered get and list (prefix `{prefix or '/'}`)")
        if budget.write:
            outcome = _write(bucket, prefix, budget, outcome)
    except Exception as exc:
        return classify(exc, bucket_name, where, budget)
    return outcome


def _credentials(target: Target, budget: Budget) -> tuple[Any, str | None]:
    from google.auth.transport.requests import Request

    key = target.secrets.get("keyfile.json", "")  # never a file the values name (see credentials.attach)
    if key:
        from google.oauth2 import service_account

        info = json.loads(key)
        creds = service_account.Credentials.from_service_account_info(
            info, scopes=["https://www.googleapis.com/auth/devstorage.read_write"]
        )
        project = info.get("project_id")
    elif target.settings.get("STORAGE_EMULATOR_HOST"):
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials(), "emulator"
    else:
        import google.auth

        creds, project = google.auth.default(scopes=["https://www.googleapis.com/auth/devstorage.read_write"])
    creds.refresh(_Bounded(Request(), budget))  # the token exchange, under the deadline
    return creds, project


class _Bounded:
    """A google-auth transport whose every call gets the time left as its timeout."""

    def __init__(self, inner: Any, budget: Budget) -> None:
        self.inner, self.budget = inner, budget

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["timeout"] = self.budget.remaining()
        return self.inner(*args, **kwargs)


def _credential_problem(exc: Exception, budget: Budget) -> Outcome:
    from google.auth.exceptions import DefaultCredentialsError, RefreshError, TransportError

    if isinstance(exc, DefaultCredentialsError):
        return Outcome(
            ERROR,
            "no Google credentials: the values give no key and the linter's environment has no "
            "application default credentials",
        )
    if isinstance(exc, RefreshError) and not isinstance(exc, TransportError):
        return Outcome(
            FAIL,
            f"the token endpoint rejected the service-account key ({kind(exc)}): revoked, wrong or for another account",
        )
    if isinstance(exc, (ValueError, KeyError)):
        return Outcome(FAIL, f"the key is not a usable service-account JSON ({kind(exc)})")
    return _network(exc, "the token endpoint", budget.seconds)


def _write(bucket: Any, prefix: str, budget: Budget, read: Outcome) -> Outcome:
    name = marker_key(prefix)
    blob = bucket.blob(name)
    return round_trip(
        name,
        lambda body: blob.upload_from_string(body, timeout=budget.remaining(), retry=None),
        lambda: blob.download_as_bytes(timeout=budget.remaining(), retry=None),
        lambda: blob.delete(timeout=budget.remaining(), retry=None),
        read,
        budget,
    )


def classify(exc: Exception, bucket: str, where: str, budget: Budget) -> Outcome:
    from google.api_core import exceptions as api

    if isinstance(exc, api.NotFound):
        return Outcome(FAIL, f"bucket `{bucket}` does not exist at {where} (NotFound)")
    if isinstance(exc, api.Forbidden):
        return Outcome(
            FAIL, f"{where} denied access to bucket `{bucket}` (Forbidden): grant the account storage.objects.list"
        )
    if isinstance(exc, api.Unauthorized):
        return Outcome(FAIL, f"{where} rejected the credentials (Unauthorized)")
    if isinstance(exc, api.GoogleAPICallError):
        return Outcome(FAIL, f"{where} answered {exc.code} for bucket `{bucket}` ({kind(exc)})")
    return _network(exc, where, budget.seconds)


PROBE = Declaration(
    name="gcs",
    group="artifacts",
    run=probe,
    action="token exchange, get the bucket, list 1 blob under the prefix",
    sdk=("google.cloud.storage",),
    extra="gcs",
    packages="google-cloud-storage",
    import_seconds={"google.cloud.storage": 0.28},
    credential_variables=("keyfile.json",),
    setting_variables=("GOOGLE_APPLICATION_CREDENTIALS", "STORAGE_EMULATOR_HOST"),
    identity_annotation="iam.gke.io/gcp-service-account",
    ambient=True,
    provider_hosts=(".googleapis.com",),
)
