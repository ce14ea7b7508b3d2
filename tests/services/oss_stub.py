"""A PROJECT-OWNED STAND-IN for Alibaba Cloud OSS -- not a real OSS server.

No OSS emulator, mock server or fake server exists in any registry this project can use (PyPI,
npm, Debian were searched), and S3 emulators reject oss2's signatures or its XML. So this is
the smallest honest stand-in: a stdlib ThreadingHTTPServer that checks oss2's V1 signature
(``Authorization: OSS <ak>:<base64 HMAC-SHA1>``) and answers a handful of calls in OSS's own
formats. Real HTTP and oss2's own signing, XML parsing and error mapping are exercised; the
server side is ours, so a pass here proves less than a pass against S3 or Azure emulators.

Supported (path-style, ``http://127.0.0.1:PORT/bucket/key``): GetBucketInfo (``?bucketInfo``),
ListObjects V1 (prefix, marker, max-keys, delimiter, encoding-type=url; XML without namespace),
Put/Get/Head/Delete object, HEAD ``?objectMeta``. Errors use OSS's XML (and ``x-oss-err`` on
HEAD): InvalidAccessKeyId 403, SignatureDoesNotMatch 403, AccessDenied 403, NoSuchBucket 404,
NoSuchKey 404. Anything else answers 501 NotImplemented. V4 signatures are not implemented.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from xml.sax.saxutils import escape

from ._common import HOST, QuietHandler, make_dir, serve_in_thread

# V1 sub-resources that go into the signed resource. oss2 knows ~100; these are the ones
# the supported calls can carry. A request with another one fails SignatureDoesNotMatch here.
SUBRESOURCES = frozenset(
    {
        "acl",
        "bucketInfo",
        "location",
        "objectMeta",
        "objectInfo",
        "stat",
        "uploads",
        "uploadId",
        "partNumber",
        "versionId",
        "versions",
        "versioning",
        "tagging",
        "continuation-token",
        "security-token",
        "response-content-type",
        "response-content-disposition",
    }
)


@dataclass
class _Object:
    data: bytes
    content_type: str
    etag: str
    mtime: float


@dataclass(frozen=True)
class OSSService:
    """A running OSS stand-in with one bucket. ``endpoint`` goes to ``oss2.Bucket``."""

    host: str
    port: int
    access_key_id: str
    access_key_secret: str
    bucket: str
    region: str
    log_file: Path
    objects: dict[str, dict[str, _Object]] = field(repr=False, compare=False, default_factory=dict)

    @property
    def endpoint(self) -> str:
        """An IP endpoint, so oss2 uses path-style URLs."""
        return f"http://{self.host}:{self.port}"


class _OSSServer(ThreadingHTTPServer):
    daemon_threads = True
    keys: dict[str, str]
    buckets: dict[str, dict[str, _Object]]
    region: str
    lock: threading.Lock
    log_path: Path


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


class _Handler(QuietHandler):
    server: _OSSServer

    def do_GET(self) -> None:
        self._dispatch()

    do_PUT = do_HEAD = do_DELETE = do_POST = do_GET

    # --- plumbing -----------------------------------------------------------
    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        self.params = dict(parse_qsl(url.query, keep_blank_values=True))
        bucket, _, key = unquote(url.path).lstrip("/").partition("/")
        self.bucket, self.key = bucket, key
        self.body = self._read_body()  # always drain, so keep-alive stays in sync
        if self._authenticate():
            self._route()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while (size := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _error(self, status: int, code: str, message: str, **extra: str) -> None:
        items = {"Code": code, "Message": message, "RequestId": self.request_id, "HostId": HOST, **extra}
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n'
            + "".join(f"  <{k}>{escape(v)}</{k}>\n" for k, v in items.items())
            + "</Error>\n"
        )
        # HEAD has no body; OSS (and oss2) carry the error XML base64-encoded in x-oss-err.
        headers = {"x-oss-request-id": self.request_id, "x-oss-err": base64.b64encode(xml.encode()).decode()}
        self.send_body(status, xml.encode(), "application/xml", headers)

    def _ok(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "application/xml",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_body(status, body, content_type, {"x-oss-request-id": self.request_id, **(headers or {})})

    @property
    def request_id(self) -> str:
        if not hasattr(self, "_rid"):
            self._rid = secrets.token_hex(12).upper()
        return self._rid

    # --- V1 signature ---------------------------------------------------------
    def string_to_sign(self) -> str:
        """VERB, Content-MD5, Content-Type, Date, sorted x-oss-* headers, resource (oss2's order)."""
        oss_headers = sorted((k.lower(), v) for k, v in self.headers.items() if k.lower().startswith("x-oss-"))
        canon = "".join(f"{k}:{v}\n" for k, v in oss_headers)
        subs = sorted((k, v) for k, v in self.params.items() if k in SUBRESOURCES)
        sub = "?" + "&".join(f"{k}={v}" if v else k for k, v in subs) if subs else ""
        resource = f"/{self.bucket}/{self.key}{sub}" if self.bucket else f"/{sub}"
        date = self.headers.get("x-oss-date") or self.headers.get("Date") or ""
        return "\n".join(
            [
                self.command,
                self.headers.get("Content-MD5", ""),
                self.headers.get("Content-Type", ""),
                date,
                canon + resource,
            ]
        )

    def _authenticate(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("OSS ") or ":" not in auth:
            self._error(403, "AccessDenied", "You have no right to access this object because of bucket acl.")
            return False
        ak, _, sig = auth[4:].partition(":")
        secret = self.server.keys.get(ak)
        if secret is None:
            self._error(
                403,
                "InvalidAccessKeyId",
                "The OSS Access Key Id you provided does not exist in our records.",
                OSSAccessKeyId=ak,
            )
            return False
        to_sign = self.string_to_sign()
        expected = base64.b64encode(hmac.new(secret.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
        if not hmac.compare_digest(expected, sig):
            self._error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the "
                "signature you provided. Check your key and signing method.",
                OSSAccessKeyId=ak,
                StringToSign=to_sign,
            )
            return False
        return True

    # --- operations -----------------------------------------------------------
    def _route(self) -> None:
        if not self.bucket:
            return self._error(501, "NotImplemented", "ListBuckets is not implemented by this stand-in.")
        with self.server.lock:
            objects = self.server.buckets.get(self.bucket)
            if objects is None:
                return self._error(404, "NoSuchBucket", "The specified bucket does not exist.", BucketName=self.bucket)
            if not self.key:
                return self._bucket_op(objects)
            return self._object_op(objects)

    def _bucket_op(self, objects: dict[str, _Object]) -> None:
        if self.command == "GET" and "bucketInfo" in self.params:
            return self._ok(200, self._bucket_info().encode())
        if self.command == "GET" and not (set(self.params) & SUBRESOURCES) and "list-type" not in self.params:
            return self._ok(200, self._list(objects).encode())
        return self._error(
            501,
            "NotImplemented",
            f"{self.command} on a bucket with {sorted(self.params)} is not implemented by this stand-in.",
        )

    def _bucket_info(self) -> str:
        region = self.server.region
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<BucketInfo><Bucket>'
            f"<AccessMonitor>Disabled</AccessMonitor><CreationDate>{_iso(0)}</CreationDate>"
            f"<ExtranetEndpoint>{region}.aliyuncs.com</ExtranetEndpoint>"
            f"<IntranetEndpoint>{region}-internal.aliyuncs.com</IntranetEndpoint>"
            f"<Location>{region}</Location><StorageClass>Standard</StorageClass>"
            f"<Name>{escape(self.bucket)}</Name><Owner><DisplayName>stub</DisplayName><ID>stub</ID></Owner>"
            "<AccessControlList><Grant>private</Grant></AccessControlList>"
            "<DataRedundancyType>LRS</DataRedundancyType></Bucket></BucketInfo>\n"
        )

    def _list(self, objects: dict[str, _Object]) -> str:
        p = self.params
        prefix, marker, delim = p.get("prefix", ""), p.get("marker", ""), p.get("delimiter", "")
        max_keys = int(p.get("max-keys") or 100)
        enc = (lambda s: quote(s, safe="")) if p.get("encoding-type") == "url" else escape
        contents: list[str] = []
        prefixes: list[str] = []
        last, truncated = "", False
        for key in sorted(k for k in objects if k.startswith(prefix) and k > marker):
            rest = key[len(prefix) :]
            entry = prefix + rest.split(delim)[0] + delim if delim and delim in rest else None
            if entry is not None and entry in prefixes:
                continue
            if len(contents) + len(prefixes) >= max_keys:
                truncated = True
                break
            last = key
            if entry is not None:
                prefixes.append(entry)
                continue
            o = objects[key]
            contents.append(
                f"<Contents><Key>{enc(key)}</Key><LastModified>{_iso(o.mtime)}</LastModified>"
                f'<ETag>"{o.etag}"</ETag><Type>Normal</Type><Size>{len(o.data)}</Size>'
                "<StorageClass>Standard</StorageClass></Contents>"
            )
        head = (
            f"<Name>{escape(self.bucket)}</Name><Prefix>{enc(prefix)}</Prefix><Marker>{enc(marker)}</Marker>"
            f"<MaxKeys>{max_keys}</MaxKeys><Delimiter>{enc(delim)}</Delimiter>"
            f"<IsTruncated>{str(truncated).lower()}</IsTruncated>"
        )
        if truncated:
            head += f"<NextMarker>{enc(last)}</NextMarker>"
        if p.get("encoding-type") == "url":
            head += "<EncodingType>url</EncodingType>"
        common = "".join(f"<CommonPrefixes><Prefix>{enc(x)}</Prefix></CommonPrefixes>" for x in prefixes)
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult>{head}{"".join(contents)}{common}'
            "</ListBucketResult>\n"
        )

    def _object_op(self, objects: dict[str, _Object]) -> None:
        if self.command == "PUT" and not self.params:
            md5 = hashlib.md5(self.body).digest()
            if self.headers.get("Content-MD5") not in (None, base64.b64encode(md5).decode()):
                return self._error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
            etag = md5.hex().upper()
            objects[self.key] = _Object(self.body, self.headers.get("Content-Type", ""), etag, time.time())
            return self._ok(200, headers={"ETag": f'"{etag}"'})
        if self.command == "DELETE" and not self.params:
            objects.pop(self.key, None)  # OSS answers 204 whether or not the object existed
            return self._ok(204)
        if self.command in ("GET", "HEAD") and set(self.params) <= {"objectMeta"}:
            obj = objects.get(self.key)
            if obj is None:
                return self._error(404, "NoSuchKey", "The specified key does not exist.", Key=self.key)
            headers = {
                "ETag": f'"{obj.etag}"',
                "Last-Modified": formatdate(obj.mtime, usegmt=True),
                "x-oss-object-type": "Normal",
            }
            if self.command == "HEAD" and "objectMeta" in self.params:
                # GetObjectMeta: no body, but the real Content-Length of the object is reported.
                self.send_response(200)
                for k, v in {
                    **headers,
                    "Content-Length": str(len(obj.data)),
                    "x-oss-request-id": self.request_id,
                }.items():
                    self.send_header(k, v)
                self.end_headers()
                return None
            return self._ok(200, obj.data, obj.content_type or "application/octet-stream", headers)
        return self._error(
            501,
            "NotImplemented",
            f"{self.command} on an object with {sorted(self.params)} is not implemented by this stand-in.",
        )


@contextmanager
def start_oss(base: object, bucket: str = "mlflow-artifacts", region: str = "oss-cn-hangzhou") -> Iterator[OSSService]:
    """Start the stand-in in a thread on a free loopback port with a random key pair."""
    work = make_dir(base, "oss")
    ak, sk = "LTAI" + secrets.token_hex(10), secrets.token_urlsafe(22)
    server = _OSSServer((HOST, 0), _Handler)
    server.keys, server.buckets, server.region = {ak: sk}, {bucket: {}}, region
    server.lock, server.log_path = threading.Lock(), work / "oss-stub.log"
    with serve_in_thread(server, "oss-stub"):
        yield OSSService(HOST, server.server_address[1], ak, sk, bucket, region, server.log_path, server.buckets)
