"""Smoke tests: each test server works with the real client library, and bad credentials fail.

Client libraries are imported inside the tests (so collection works without extras) and
never via importorskip: a missing client must fail here, not skip.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import json
import socket

import pytest

from .azurite import AzuriteService
from .blackhole import BlackholeService
from .ftp import FTPService
from .gcs import GCSService
from .mariadb import MariaDBService
from .oss_stub import OSSService
from .postgres import PostgresService
from .s3 import S3Service
from .sftp import SFTPService

pytestmark = pytest.mark.services


def test_postgres(postgres_server: PostgresService) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_server.url())
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT current_user, current_database()")).one() == ("mlflow", "mlflow")
    engine.dispose()
    bad = sqlalchemy.create_engine(postgres_server.url(password="wrong"))
    with pytest.raises(sqlalchemy.exc.OperationalError, match="password authentication failed"):
        bad.connect()
    bad.dispose()


def test_mariadb(mariadb_server: MariaDBService) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(mariadb_server.url())
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT DATABASE()")).scalar() == "mlflow"
        conn.execute(sqlalchemy.text("CREATE TABLE t (x INT)"))
    engine.dispose()
    bad = sqlalchemy.create_engine(mariadb_server.url(password="wrong"))
    with pytest.raises(sqlalchemy.exc.OperationalError, match="1045"):
        bad.connect()
    bad.dispose()


def _s3(svc: S3Service, secret: str | None = None) -> object:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=svc.endpoint_url,
        aws_access_key_id=svc.access_key,
        aws_secret_access_key=secret or svc.secret_key,
        region_name=svc.region,
        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )


def test_s3(s3_server: S3Service) -> None:
    from botocore.exceptions import ClientError

    client = _s3(s3_server)
    client.put_object(Bucket=s3_server.bucket, Key="smoke/a.txt", Body=b"hello")  # type: ignore[attr-defined]
    listed = client.list_objects_v2(Bucket=s3_server.bucket, Prefix="smoke/")  # type: ignore[attr-defined]
    assert [o["Key"] for o in listed["Contents"]] == ["smoke/a.txt"]
    with pytest.raises(ClientError) as missing:
        client.head_bucket(Bucket="no-such-bucket")  # type: ignore[attr-defined]
    assert missing.value.response["Error"]["Code"] == "404"
    with pytest.raises(ClientError) as denied:
        _s3(s3_server, secret="wrong-secret").list_objects_v2(Bucket=s3_server.bucket)  # type: ignore[attr-defined]
    assert denied.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_azurite(azurite_server: AzuriteService) -> None:
    import azure.storage.blob as blob
    from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError

    service = blob.BlobServiceClient.from_connection_string(azurite_server.connection_string())
    container = service.get_container_client(azurite_server.container)
    container.upload_blob("smoke/a.txt", b"hello")
    assert [b.name for b in container.list_blobs(name_starts_with="smoke/")] == ["smoke/a.txt"]
    with pytest.raises(ResourceNotFoundError):
        service.get_container_client("no-such-container").get_container_properties()
    wrong_key = "d3Jvbmcta2V5" * 8
    bad = blob.BlobServiceClient.from_connection_string(azurite_server.connection_string(wrong_key))
    with pytest.raises((ClientAuthenticationError, HttpResponseError)) as denied:
        bad.get_container_client(azurite_server.container).get_container_properties()
    assert denied.value.status_code == 403


def test_gcs(gcs_server: GCSService) -> None:
    import google.cloud.storage as storage
    from google.auth.exceptions import RefreshError

    options = {"api_endpoint": gcs_server.endpoint}
    client = storage.Client.from_service_account_json(str(gcs_server.service_account_file), client_options=options)
    bucket = client.bucket(gcs_server.bucket)
    bucket.blob("smoke/a.txt").upload_from_string(b"hello")
    assert [b.name for b in client.list_blobs(gcs_server.bucket, prefix="smoke/")] == ["smoke/a.txt"]
    assert not client.bucket("no-such-bucket").exists()
    assert gcs_server.token_requests, "the client should have fetched a token from the stub"
    assert json.loads(gcs_server.service_account_file.read_text())["token_uri"] == gcs_server.token_uri
    bad = storage.Client.from_service_account_json(str(gcs_server.bad_service_account_file), client_options=options)
    with pytest.raises(RefreshError, match="invalid_grant"):
        bad.bucket(gcs_server.bucket).exists(timeout=5)


def test_ftp(ftp_server: FTPService) -> None:
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=5)
        ftp.login(ftp_server.user, ftp_server.password)
        ftp.mkd("smoke")
        ftp.storbinary("STOR smoke/a.txt", io.BytesIO(b"hello"))
        assert ftp.nlst("smoke") == ["a.txt"]
    assert (ftp_server.root / "smoke" / "a.txt").read_bytes() == b"hello"
    with ftplib.FTP() as ftp:
        ftp.connect(ftp_server.host, ftp_server.port, timeout=5)
        with pytest.raises(ftplib.error_perm, match="530"):
            ftp.login(ftp_server.user, "wrong")


def test_sftp(sftp_server: SFTPService) -> None:
    import paramiko

    def connect(**auth: object) -> object:
        ssh = paramiko.SSHClient()
        ssh.load_host_keys(str(sftp_server.known_hosts))
        ssh.set_missing_host_key_policy(paramiko.RejectPolicy())  # proves known_hosts matches
        ssh.connect(
            sftp_server.host,
            sftp_server.port,
            username=sftp_server.user,
            timeout=5,
            allow_agent=False,
            look_for_keys=False,
            **auth,
        )
        return ssh

    ssh = connect(password=sftp_server.password)
    sftp = ssh.open_sftp()  # type: ignore[attr-defined]
    sftp.mkdir("/smoke")
    sftp.putfo(io.BytesIO(b"hello"), "/smoke/a.txt")
    assert sftp.listdir("/smoke") == ["a.txt"]
    with pytest.raises(FileNotFoundError):
        sftp.stat("/missing")
    ssh.close()  # type: ignore[attr-defined]
    assert (sftp_server.root / "smoke" / "a.txt").read_bytes() == b"hello"  # chroot maps / to root
    connect(key_filename=str(sftp_server.client_key)).close()  # type: ignore[attr-defined]
    with pytest.raises(paramiko.AuthenticationException):
        connect(password="wrong")


def test_oss(oss_server: OSSService) -> None:
    import oss2

    bucket = oss2.Bucket(
        oss2.Auth(oss_server.access_key_id, oss_server.access_key_secret),
        oss_server.endpoint,
        oss_server.bucket,
        connect_timeout=5,
    )
    assert bucket.get_bucket_info().name == oss_server.bucket
    bucket.put_object("smoke/a b.txt", b"hello")
    bucket.put_object("other.txt", b"x")
    assert bucket.get_object("smoke/a b.txt").read() == b"hello"
    assert bucket.object_exists("smoke/a b.txt") and not bucket.object_exists("smoke/missing")
    assert [o.key for o in oss2.ObjectIterator(bucket, prefix="smoke/", max_keys=1)] == ["smoke/a b.txt"]
    assert len(bucket.list_objects(max_keys=1).object_list) == 1
    bucket.delete_object("other.txt")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        bucket.get_object("other.txt")
    wrong = oss2.Bucket(oss2.Auth(oss_server.access_key_id, "wrong"), oss_server.endpoint, oss_server.bucket)
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        wrong.get_bucket_info()
    unknown = oss2.Bucket(oss2.Auth("LTAIunknown", "x"), oss_server.endpoint, oss_server.bucket)
    with pytest.raises(oss2.exceptions.ServerError) as denied:
        unknown.get_bucket_info()
    assert (denied.value.status, denied.value.code) == (403, "InvalidAccessKeyId")
    missing = oss2.Bucket(
        oss2.Auth(oss_server.access_key_id, oss_server.access_key_secret), oss_server.endpoint, "no-such-bucket"
    )
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        missing.get_bucket_info()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        missing.object_exists("x")  # HEAD: the error travels in x-oss-err


def test_blackhole(blackhole_server: BlackholeService) -> None:
    with socket.create_connection((blackhole_server.host, blackhole_server.port), timeout=2) as sock:
        sock.settimeout(0.5)
        with pytest.raises(TimeoutError):
            sock.recv(1)
    with socket.create_connection((blackhole_server.host, blackhole_server.closing_port), timeout=2) as sock:
        sock.settimeout(2)
        # Either EOF or RST is a valid "closed on arrival".
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(1) == b""
