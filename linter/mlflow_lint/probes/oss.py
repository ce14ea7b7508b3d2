"""Alibaba Cloud OSS (`oss://bucket/path`), as the aliyunstoreplugin builds its client.

`oss2.Bucket(oss2.Auth(MLFLOW_OSS_KEY_ID, MLFLOW_OSS_KEY_SECRET), MLFLOW_OSS_ENDPOINT_URL,
bucket)`; oss2's `connect_timeout` is its per-request timeout (connect and read), set from
the deadline; `list_objects` is called directly (oss2's iterators retry). Reads the bucket
info and lists one key under the path. Tested against the project's own OSS stand-in
(tests/services/oss_stub.py), since no OSS emulator exists in any registry.
"""

from __future__ import annotations

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

CREDENTIAL_CODES = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "SecurityTokenExpired", "InvalidSecurityToken")


def probe(target: Target, budget: Budget) -> Outcome:
    """GetBucketInfo + ListObjects(max_keys=1) under the prefix."""
    try:
        import oss2
    except ImportError:
        return missing_sdk(PROBE, "oss2")
    endpoint = target.settings.get("MLFLOW_OSS_ENDPOINT_URL", "")
    key_id, secret = target.secrets.get("MLFLOW_OSS_KEY_ID", ""), target.secrets.get("MLFLOW_OSS_KEY_SECRET", "")
    if not (endpoint and key_id and secret):
        return Outcome(
            FAIL,
            "the OSS plugin needs MLFLOW_OSS_ENDPOINT_URL, MLFLOW_OSS_KEY_ID and "
            "MLFLOW_OSS_KEY_SECRET; the pod's environment lacks at least one",
        )
    bucket_name, _, prefix = target.uri[len("oss://") :].partition("/")
    bucket = oss2.Bucket(oss2.Auth(key_id, secret), endpoint, bucket_name, connect_timeout=budget.remaining())
    try:
        bucket.get_bucket_info()
        bucket.list_objects(prefix=prefix, max_keys=1)
        outcome = Outcome(
            OK,
            f"bucket `{bucket_name}` at {endpoint} answered GetBucketInfo and ListObjects (prefix `{prefix or '/'}`)",
        )
        if budget.write:
            outcome = _write(bucket, prefix, outcome, budget)
    except Exception as exc:
        return classify(exc, bucket_name, endpoint, budget)
    return outcome


def _write(bucket: Any, prefix: str, read: Outcome, budget: Budget) -> Outcome:
    key = marker_key(prefix)
    return round_trip(
        key,
        lambda body: bucket.put_object(key, body),
        lambda: bucket.get_object(key).read(),
        lambda: bucket.delete_object(key),
        read,
        budget,
    )


def classify(exc: Exception, bucket: str, where: str, budget: Budget) -> Outcome:
    from oss2 import exceptions as ossx

    if isinstance(exc, ossx.RequestError):  # oss2's wrapper for requests' network errors
        inner = getattr(exc, "exception", None)
        return _network(inner if isinstance(inner, BaseException) else exc, where, budget.seconds)
    if not isinstance(exc, ossx.OssError):
        return _network(exc, where, budget.seconds)
    code, status = str(getattr(exc, "code", "")), getattr(exc, "status", 0)
    if code in CREDENTIAL_CODES:
        return Outcome(FAIL, f"{where} rejected the credentials ({code}): wrong key id or secret")
    if code == "NoSuchBucket" or status == 404:
        return Outcome(FAIL, f"bucket `{bucket}` does not exist at {where} ({code or status})")
    if code == "AccessDenied" or status == 403:
        return Outcome(FAIL, f"{where} denied access to bucket `{bucket}` ({code or status})")
    if status and status > 0:
        return Outcome(FAIL, f"{where} answered {status} {code} for bucket `{bucket}` ({kind(exc)})")
    return Outcome(ERROR, f"could not talk to {where} ({kind(exc)})")


PROBE = Declaration(
    name="oss",
    group="artifacts",
    run=probe,
    action="GetBucketInfo, ListObjects of 1 key under the prefix",
    sdk=("oss2",),
    extra="oss",
    packages="oss2",
    import_seconds={"oss2": 0.24},
    credential_variables=("MLFLOW_OSS_KEY_ID", "MLFLOW_OSS_KEY_SECRET"),
    setting_variables=("MLFLOW_OSS_ENDPOINT_URL",),
    identity_annotation="pod-identity.alibabacloud.com/role-name",
    provider_hosts=(".aliyuncs.com",),
)
