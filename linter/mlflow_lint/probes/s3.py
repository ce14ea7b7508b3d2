"""S3 and S3-compatible stores: boto3 configured the way MLflow's S3ArtifactRepository is.

Endpoint `MLFLOW_S3_ENDPOINT_URL`, region `AWS_DEFAULT_REGION`/`AWS_REGION`, addressing
style `MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE`, signature `MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION`,
`MLFLOW_S3_IGNORE_TLS` and `AWS_CA_BUNDLE`, all as the pod's environment has them. Calls:
HeadBucket, then ListObjectsV2 of one key under the prefix (read-only); with --probe-write a
marker object is put, read back and deleted. botocore gets the deadline as connect/read
timeouts with a single attempt (`total_max_attempts`: botocore's `max_attempts` counts retries),
so it never retries past it. It signs with SigV4 only.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

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

CREDENTIAL_CODES = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken")
# One Session per process: each new Session parses botocore's endpoint and S3 models again
# (~65 ms of CPU, under the GIL); clients made from a shared one take ~4 ms. Credentials,
# region and endpoint are passed per client, so targets never share them.
_LOCK = threading.Lock()
_SESSION: Any = None
REGION_CODES = ("301", "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException")


def probe(target: Target, budget: Budget) -> Outcome:
    """HeadBucket + ListObjectsV2(MaxKeys=1) under the prefix, as the pod's client would."""
    try:
        import boto3  # noqa: F401
    except ImportError:
        return missing_sdk(PROBE, "boto3")
    parts = urlsplit(target.uri)
    bucket, prefix = parts.netloc, parts.path.lstrip("/")
    where = target.settings.get("MLFLOW_S3_ENDPOINT_URL") or "AWS S3"
    with _verify(target) as verify:
        client = make_client(target, budget, verify)
        try:
            outcome = _read(client, bucket, prefix, where)
            if outcome.status == OK and budget.write:
                outcome = _write(client, bucket, prefix, outcome, budget)
        except Exception as exc:
            return classify(exc, bucket, where, budget)
    return outcome


def make_client(target: Target, budget: Budget, verify: bool | str | None) -> Any:
    import boto3
    import botocore
    from botocore.config import Config

    env = target.settings
    # Always SigV4 (or unsigned, when the values ask for it): a SigV2 signature (`s3`) can be
    # replayed by whoever receives it, so the probe never makes one, whatever the values say.
    unsigned = env.get("MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION", "") == "unsigned"
    seconds = budget.remaining()
    config = Config(
        signature_version=botocore.UNSIGNED if unsigned else "s3v4",
        s3={"addressing_style": env.get("MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE", "auto")},
        connect_timeout=seconds,
        read_timeout=seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    with _LOCK:  # a boto3 Session is not thread-safe; its clients are
        global _SESSION
        _SESSION = _SESSION or boto3.session.Session()
        return _SESSION.client(
            "s3",
            endpoint_url=env.get("MLFLOW_S3_ENDPOINT_URL"),
            config=config,
            verify=verify,
            aws_access_key_id=target.secrets.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=target.secrets.get("AWS_SECRET_ACCESS_KEY"),
            aws_session_token=target.secrets.get("AWS_SESSION_TOKEN"),
            region_name=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION"),
        )


@contextmanager
def _verify(target: Target) -> Iterator[bool | str | None]:
    """`MLFLOW_S3_IGNORE_TLS` turns verification off; `AWS_CA_BUNDLE` as PEM text (as the seed
    chart renders it) is written to a temporary file so the probe can still tell whether the
    endpoint is right (the rules report the chart's rendering). A path is a file in the pod:
    the probe never reads a file the values name, so it verifies with the default CAs then."""
    if target.settings.get("MLFLOW_S3_IGNORE_TLS", "").lower() in ("true", "1"):
        yield False
        return
    bundle = target.settings.get("AWS_CA_BUNDLE", "")
    if "-----BEGIN" not in bundle:
        yield None
        return
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=True) as handle:
        handle.write(bundle)
        handle.flush()
        yield handle.name


def _read(client: Any, bucket: str, prefix: str, where: str) -> Outcome:
    from botocore.exceptions import ClientError

    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) != "403":
            raise
        client.list_objects_v2(Bucket=bucket, MaxKeys=1)  # a HEAD has no body; a GET names the reason
        raise
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)
    some = "objects" if listed.get("KeyCount", 0) else "no objects yet"
    return Outcome(
        OK, f"bucket `{bucket}` at {where} answered HeadBucket and ListObjectsV2 ({some} under `{prefix or '/'}`)"
    )


def _write(client: Any, bucket: str, prefix: str, read: Outcome, budget: Budget) -> Outcome:
    key = marker_key(prefix)
    return round_trip(
        key,
        lambda body: client.put_object(Bucket=bucket, Key=key, Body=body),
        lambda: client.get_object(Bucket=bucket, Key=key)["Body"].read(),
        lambda: client.delete_object(Bucket=bucket, Key=key),
        read,
        budget,
    )


def classify(exc: Exception, bucket: str, where: str, budget: Budget) -> Outcome:
    """Credentials, access, bucket and region problems are `fail`; the network is `error`."""
    from botocore.exceptions import ClientError, NoCredentialsError

    if isinstance(exc, NoCredentialsError):
        return Outcome(ERROR, "no AWS credentials: the values give none and the linter's environment has none")
    if not isinstance(exc, ClientError):
        return _network(exc, where, budget.seconds)
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in CREDENTIAL_CODES:
        return Outcome(FAIL, f"{where} rejected the credentials ({code}): wrong access key or secret")
    if code in ("404", "NoSuchBucket"):
        return Outcome(FAIL, f"bucket `{bucket}` does not exist at {where} ({code})")
    if code in REGION_CODES:
        region = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("x-amz-bucket-region", "")
        hint = f"; the bucket is in {region}" if region else ""
        return Outcome(
            FAIL, f"bucket `{bucket}` is in another region than the client's ({code}){hint}: set AWS_DEFAULT_REGION"
        )
    if code in ("403", "AccessDenied", "AllAccessDisabled") or status == 403:
        return Outcome(
            FAIL,
            f"{where} denied access to bucket `{bucket}` ({code}): the credentials are valid but lack s3:ListBucket",
        )
    return Outcome(FAIL, f"{where} answered {status} {code} for bucket `{bucket}` ({kind(exc)})")


PROBE = Declaration(
    name="s3",
    group="artifacts",
    run=probe,
    action="HeadBucket, ListObjectsV2 of 1 key under the prefix",
    sdk=("boto3", "botocore.config"),
    extra="s3",
    packages="boto3",
    import_seconds={"boto3": 0.19},
    credential_variables=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"),
    setting_variables=(
        "MLFLOW_S3_ENDPOINT_URL",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "MLFLOW_S3_IGNORE_TLS",
        "AWS_CA_BUNDLE",
        "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE",
        "MLFLOW_EXPERIMENTAL_S3_SIGNATURE_VERSION",
    ),
    identity_annotation="eks.amazonaws.com/role-arn",
    ambient=True,
    provider_hosts=(".amazonaws.com", ".amazonaws.com.cn"),
)
