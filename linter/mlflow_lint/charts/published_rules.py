"""MLF8xx: rules about the published charts' own templates (community, bitnami, official).

What the chart does with a value, not what MLflow does with it: the MLflow rules read the
Deployment the adapter builds and apply to every chart. These read the chart's values (the
adapter's package owns its keys) and say nothing for another chart. `CHART_RULES` in
`charts/published.py` records which charts each applies to (shown by `mlflow-lint rules`).
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.charts.published import CHART_RULES, TITLES
from mlflow_lint.finding import Hit, Severity
from mlflow_lint.paths import Path, format_path
from mlflow_lint.rules.base import Rule, engine_rule, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlflow_lint.context import Context

ALL = ("community", "bitnami", "official")
PUBLIC_SERVICE_TYPES = ("LoadBalancer", "NodePort")


def on(ctx: Context, *names: str) -> bool:
    return ctx.chart.name in names


def _applies(code: str, *charts: str) -> None:
    CHART_RULES[code] = charts


MIXED = engine_rule(
    "MLF801",
    "mixed-chart-keys",
    Severity.ERROR,
    """
    The file targets one published chart but also has keys of another chart.

    Why it matters: Helm hands the values to one chart's templates; the other chart's keys
    reach none of them (bitnami and the official chart ignore them silently, community
    refuses the install), so the setting the key was meant to make never happens.
    Example: `extraEnvVars:` (community-charts) in a file of `tracking:` keys (bitnami).
    Fix: write the setting with this chart's key, or lint the file as the chart it is for
    with `--chart`.
    """,
)
_applies("MLF801", *ALL)

IGNORED_KEY = engine_rule(
    "MLF802",
    "unknown-key-ignored",
    Severity.WARNING,
    """
    A key that the chart does not know, in a chart whose schema does not forbid it.

    Why it matters: bitnami's values.schema.json checks types only and the official chart
    has none, so Helm renders the release and ignores the key: the setting silently has no
    effect (a typo such as `tracking.extraEnvVar` loses every variable in it).
    Example: `tracking.extraEnvVar: [...]` (bitnami), `mlflow.backendStoreURI` (official).
    Fix: use the key the chart defines (the message suggests the closest one of this chart).
    """,
)
_applies("MLF802", "bitnami", "official")


@rule(code="MLF803", name="env-value-printed-by-go", severity=Severity.ERROR)
def env_value_printed_by_go(ctx: Context) -> Iterator[Hit]:
    """A map-form `extraEnvVars` value that Helm prints as Go text instead of what was written.

    Why it matters: community-charts quotes each value with Go's `%v`: a map becomes the
    literal string `map[ServerSideEncryption:aws:kms]` (not JSON), a list `[a b]`, and a
    number of a million or more `1e+06` (Helm reads numbers as float64), so MLflow or boto3
    fails to parse what it gets.
    Example: `extraEnvVars: {MLFLOW_S3_UPLOAD_EXTRA_ARGS: {ServerSideEncryption: aws:kms}}`.
    Fix: write the value as the string the program expects:
    `MLFLOW_S3_UPLOAD_EXTRA_ARGS: '{"ServerSideEncryption": "aws:kms"}'`, `"1048576"`.
    """
    if not on(ctx, "community"):
        return
    from mlflow_lint.chart_templates.gotmpl import go_value

    env = ctx.values.get(("extraEnvVars",), {})
    for name, value in (env if isinstance(env, dict) else {}).items():
        printed = go_value(value)
        if isinstance(value, (dict, list)) or (_is_number(value) and printed != _plain(value)):
            yield Hit(
                ("extraEnvVars", name),
                f"`{name}` reaches the container as the text `{_short(printed)}`, "
                "which is how Go prints this value, not what was written",
                "write the value as a quoted string in the form the variable expects",
                at_key=isinstance(value, (dict, list)),
            )


@rule(code="MLF804", name="extra-arg-printed-by-go", severity=Severity.ERROR)
def extra_arg_printed_by_go(ctx: Context) -> Iterator[Hit]:
    """A non-string server option value that the chart prints as Go text.

    Why it matters: community-charts renders `extraArgs` with `printf "%s"`: a number
    becomes `--workers=%!s(float64=4)`, which click rejects, so the pod crash-loops. The
    official chart prints `server.value_options` with `%v`: a map or list becomes Go text
    and a number of a million or more `1e+06`.
    Example: `extraArgs: {maxResults: 500}` (community), `value_options: {max_results: 1000000}`.
    Fix: quote the value: `maxResults: "500"`.
    """
    if not on(ctx, "community") and not on(ctx, "official"):
        return
    from mlflow_lint.chart_templates.gotmpl import go_s, go_value

    if on(ctx, "community"):
        extra = ctx.values.get(("extraArgs",), {})
        typed = _schema_typed(ctx, ("extraArgs",))
        for key, value in (extra if isinstance(extra, dict) else {}).items():
            if not isinstance(value, str) and key not in typed:  # a typed key is a schema error (MLF002)
                yield Hit(
                    ("extraArgs", key),
                    f"`{key}` is rendered as `{_short(go_s(value))}`: the chart prints option values with %s",
                    f'quote the value: `{key}: "{go_value(value)}"`',
                )
    elif on(ctx, "official"):
        options = ctx.values.get(("server", "value_options"), {})
        for key, value in (options if isinstance(options, dict) else {}).items():
            printed = go_value(value)
            if isinstance(value, (dict, list)) or (_is_number(value) and printed != _plain(value)):
                yield Hit(
                    ("server", "value_options", key),
                    f"`--{key.replace('_', '-')}` is rendered with the value `{_short(printed)}`, Go's form of it",
                    "write the value as a quoted string (a comma-separated list for list options)",
                    at_key=isinstance(value, (dict, list)),
                )


def _schema_typed(ctx: Context, path: Path) -> set[str]:
    from mlflow_lint.charts import schema_at

    node = schema_at(ctx.chart.schema, path) or {}
    return set(node.get("properties", {}))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _plain(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


@rule(code="MLF805", name="chart-default-in-memory-backend", severity=Severity.WARNING)
def chart_default_in_memory_backend(ctx: Context) -> Iterator[Hit]:
    """The chart's default backend store is used: an in-memory SQLite database.

    Why it matters: community-charts passes `--backend-store-uri=sqlite:///:memory:` when no
    database is configured. Every run, experiment and model is lost when the pod restarts,
    and each of the server's worker processes has its own empty database.
    Example: a values file that enables no `backendStore.postgres/mysql/mssql` and no
    `postgresql`/`mysql` subchart.
    Fix: configure a database (`backendStore.postgres`, or `postgresql.enabled: true`), or
    at least `backendStore.defaultSqlitePath: /data/mlflow.db` on a mounted volume.
    """
    if not on(ctx, "community"):
        return
    from mlflow_lint.chart_templates import community

    kind, _ = community.database(ctx.values.data)
    path: Path = ("backendStore", "defaultSqlitePath")
    if kind == "sqlite" and ctx.values.get(path) == ":memory:":  # the chart's default, written out or not
        yield Hit(
            ("backendStore",) if ctx.values.is_set_by_user(("backendStore",)) else (),
            "no database is configured, so the chart's default backend is used: an in-memory SQLite "
            "database (all data is lost on restart and each worker has its own)",
            "enable backendStore.postgres/mysql or the postgresql subchart",
        )


@rule(code="MLF806", name="bundled-and-external-database", severity=Severity.ERROR)
def bundled_and_external_database(ctx: Context) -> Iterator[Hit]:
    """Two databases are configured; the chart silently uses one and ignores the other.

    Why it matters: bitnami uses the bundled PostgreSQL subchart (on by default) whenever
    `postgresql.enabled` is true, and ignores `externalDatabase.*`; community-charts' MSSQL
    settings lose to an enabled PostgreSQL or MySQL (its schema forbids only the other
    pairs). The server then stores everything in a database nobody meant to use.
    Example: bitnami `externalDatabase.host: db.internal` without `postgresql.enabled: false`.
    Fix: disable the database you do not want (`postgresql.enabled: false`).
    """
    values = ctx.values
    if (
        on(ctx, "bitnami")
        and values.get(("postgresql", "enabled")) is True
        and values.text(("externalDatabase", "host"))
    ):
        yield Hit(
            ("externalDatabase", "host"),
            "externalDatabase.host is set but postgresql.enabled is true: the "
            "chart uses the bundled PostgreSQL and ignores the external database",
            "set postgresql.enabled: false",
        )
    if on(ctx, "community") and values.get(("backendStore", "mssql", "enabled")) is True:
        for other in (
            ("backendStore", "postgres", "enabled"),
            ("backendStore", "mysql", "enabled"),
            ("postgresql", "enabled"),
            ("mysql", "enabled"),
        ):
            if values.get(other) is True:
                yield Hit(
                    ("backendStore", "mssql", "enabled"),
                    f"backendStore.mssql and {format_path(other[:-1])} "
                    "are both enabled: the chart passes the other database and ignores MSSQL",
                    "enable one database only",
                )


@rule(code="MLF807", name="chart-default-admin-user", severity=Severity.WARNING)
def chart_default_admin_user(ctx: Context) -> Iterator[Hit]:
    """bitnami's basic auth (on by default) with the chart's default admin user and a random password.

    Why it matters: the admin account is the well-known `user`; its password is generated
    at random in a Secret the chart re-creates on every `helm template` (Argo CD, CI), while
    MLflow keeps the password it created the admin with on first start: after a re-render
    the Secret no longer matches the server, and the `run` Deployment and any client that
    reads the Secret are locked out.
    Example: the chart's defaults (`tracking.auth.enabled: true`, `username: user`, no password).
    Fix: set `tracking.auth.existingSecret` to a Secret you manage (or at least a username
    of your own and a password from your secret store).
    """
    auth: Path = ("tracking", "auth")
    values = ctx.values
    if not on(ctx, "bitnami") or values.get((*auth, "enabled")) is not True or values.text((*auth, "existingSecret")):
        return
    default_user = values.get((*auth, "username")) == "user"
    random_password = not values.text((*auth, "password"))
    if default_user or random_password:
        what = " and ".join(
            x
            for x, on_ in (
                ("the default admin user `user`", default_user),
                ("a password generated at random on each render", random_password),
            )
            if on_
        )
        yield Hit(
            (*auth, "username") if default_user and values.is_set_by_user((*auth, "username")) else auth,
            f"basic auth is on with {what}",
            "set tracking.auth.existingSecret to a Secret you manage",
        )


@rule(code="MLF808", name="registry-in-image-repository", severity=Severity.ERROR)
def registry_in_image_repository(ctx: Context) -> Iterator[Hit]:
    """`image.registry` is set and `image.repository` already starts with a registry host.

    Why it matters: bitnami joins them as `<registry>/<repository>`, so the kubelet pulls
    `docker.io/ghcr.io/mlflow/mlflow`, which does not exist: ImagePullBackOff.
    Example: `image: {registry: docker.io, repository: ghcr.io/mlflow/mlflow}`.
    Fix: put the host in `image.registry` only (`registry: ghcr.io`, `repository: mlflow/mlflow`).
    """
    if not on(ctx, "bitnami"):
        return
    registry = ctx.values.text(("global", "imageRegistry")) or ctx.values.text(("image", "registry"))
    repository = ctx.values.text(("image", "repository"))
    first, _, rest = repository.partition("/")
    if registry and rest and ("." in first or ":" in first or first == "localhost"):
        yield Hit(
            ("image", "repository"),
            f"image.repository starts with the registry `{first}` and image.registry "
            f"adds `{registry}`: the kubelet pulls `{registry}/{repository}`",
            "move the host to image.registry and keep the path in image.repository",
        )


@rule(code="MLF809", name="chart-refuses-values", severity=Severity.ERROR)
def chart_refuses_values(ctx: Context) -> Iterator[Hit]:
    """The chart's templates stop the install on these values (`fail`/`required`).

    Why it matters: `helm install`/`helm template` ends with an error and nothing is
    deployed: the official chart needs a backend store; bitnami refuses basic auth without a
    database and substituted images without `global.security.allowInsecureImages`;
    community refuses two auth modes at once and a non-string `extraArgs.uvicornOpts`.
    Example: the official chart without `mlflow.backendStoreUri` or `backendStoreUriFrom`.
    Fix: what the message says.
    """
    if not on(ctx, *ALL):
        return
    from mlflow_lint.charts.published import render

    error = render(ctx.chart.name, ctx.values.data).error
    if error is not None:
        yield Hit(error[1], f"Helm stops: {error[0]}", f"{TITLES[ctx.chart.name]} refuses to render these values")


@rule(code="MLF810", name="allowed-hosts-wildcard-public", severity=Severity.WARNING)
def allowed_hosts_wildcard_public(ctx: Context) -> Iterator[Hit]:
    """`--allowed-hosts` (or MLFLOW_SERVER_ALLOWED_HOSTS) is `*` on a server exposed outside the cluster.

    Why it matters: `*` switches off MLflow's host-header check (its DNS-rebinding guard)
    on a server a LoadBalancer/NodePort Service or an Ingress makes reachable from outside.
    Example: `extraArgs: {allowedHosts: "*"}` with `service.type: LoadBalancer`.
    Fix: list the host names clients use (`mlflow.example.com`), or keep the Service internal.
    """
    if not on(ctx, *ALL):
        return
    exposure = exposed(ctx)
    if not exposure:
        return
    from mlflow_lint import pod_env
    from mlflow_lint.server_args import last

    arg = last(ctx, "--allowed-hosts")
    found = pod_env.lookup(ctx, "MLFLOW_SERVER_ALLOWED_HOSTS").found
    value, path = (arg.value, arg.path) if arg is not None else (found.value, found.path) if found else (None, ())
    if value is not None and "*" in [h.strip() for h in value.split(",")]:
        yield Hit(
            path,
            f"allowed hosts `*` disable MLflow's host check, and {exposure}",
            "list the host names clients use instead of *",
        )


def exposed(ctx: Context) -> str:
    """How the server is reachable from outside the cluster ("" when it is not)."""
    from mlflow_lint.charts.published import render

    pod = render(ctx.chart.name, ctx.values.data)
    for name, service in pod.services.items():
        if service.get("type") in PUBLIC_SERVICE_TYPES:
            return f"Service `{name}` is of type {service['type']}"
    if pod.ingress_hosts:
        return f"an Ingress routes `{pod.ingress_hosts[0][0]}` to it"
    return ""


@rule(code="MLF811", name="public-service-without-auth", severity=Severity.WARNING)
def public_service_without_auth(ctx: Context) -> Iterator[Hit]:
    """The server has no authentication and a LoadBalancer or NodePort Service exposes it.

    Why it matters: anyone who reaches the address can read, change and delete every
    experiment, run and model (MLflow without an auth app has no users). bitnami's default
    Service is a LoadBalancer (public on most clouds).
    Example: bitnami `tracking.auth.enabled: false` with the default `tracking.service.type`.
    Fix: turn basic auth on (bitnami `tracking.auth.enabled`, community `auth.enabled`,
    official `value_options.app_name: basic-auth`) or use a ClusterIP Service behind an
    authenticating Ingress.
    """
    if not on(ctx, *ALL):
        return
    from mlflow_lint.charts.published import render
    from mlflow_lint.server_args import last

    if last(ctx, "--app-name") is not None:
        return
    pod = render(ctx.chart.name, ctx.values.data)
    for name, service in pod.services.items():
        if service.get("type") in PUBLIC_SERVICE_TYPES:
            path = {"bitnami": ("tracking", "service", "type")}.get(ctx.chart.name, ("service", "type"))
            yield Hit(
                path,
                f"Service `{name}` ({service['type']}) exposes a server without authentication",
                "enable basic auth or make the Service ClusterIP",
            )


@rule(code="MLF812", name="artifact-store-ignored", severity=Severity.ERROR)
def artifact_store_ignored(ctx: Context) -> Iterator[Hit]:
    """An artifact store is configured but the chart silently uses another one.

    Why it matters: bitnami picks MinIO (on by default) or externalS3 first, then GCS only
    if no Azure account is set, then Azure only if no GCS bucket is set, else the volume:
    `externalGCS.bucket` with MinIO still enabled, or GCS and Azure both set, stores every
    artifact somewhere else than intended (both GCS and Azure set: on the pod's volume).
    Example: `externalGCS.bucket: team-artifacts` without `minio.enabled: false`.
    Fix: disable MinIO and keep exactly one external store.
    """
    if not on(ctx, "bitnami"):
        return
    from mlflow_lint.chart_templates import bitnami

    kind, uri, _, _ = bitnami.artifact_location(ctx.values.data)
    for block, key, name in (
        ("externalGCS", "bucket", "gcs"),
        ("externalAzureBlob", "storageAccount", "azure"),
        ("externalS3", "host", "s3"),
    ):
        if ctx.values.text((block, key)) and kind != name:
            yield Hit(
                (block, key),
                f"{block}.{key} is set, but the chart sends artifacts to `{uri}`",
                "disable MinIO (minio.enabled: false) and configure exactly one external store",
            )


@rule(code="MLF813", name="unknown-server-option-key", severity=Severity.ERROR)
def unknown_server_option_key(ctx: Context) -> Iterator[Hit]:
    """A `server.value_options` or `server.flag_options` entry that is not an option of `mlflow server`.

    Why it matters: the official chart turns each key into `--<key with - for _>`; click
    stops at an option it does not know ("No such option") and the pod crash-loops. Keys are
    snake_case option names without the dashes.
    Example: `value_options: {allowed_host: mlflow.acme.internal}` (the option is `--allowed-hosts`).
    Fix: use the option's name, `_` for `-`: `allowed_hosts`, `static_prefix`, `serve_artifacts`.
    """
    if not on(ctx, "official"):
        return
    from mlflow_lint import server_cli as cli

    options = ctx.values.get(("server", "value_options"), {})
    flags = ctx.values.get(("server", "flag_options"), [])
    options = options if isinstance(options, dict) else {}  # another type: a schema error (MLF002)
    named: list[tuple[str, Path]] = [(str(k), ("server", "value_options", k)) for k in options]
    named += [(str(f), ("server", "flag_options", i)) for i, f in enumerate(flags if isinstance(flags, list) else [])]
    for key, path in named:
        option = "--" + key.replace("_", "-")
        why = cli.status(option, ctx.mlflow.version)
        if why:
            guess = cli.did_you_mean(option) if option not in cli.OPTIONS else None
            mean = f"; did you mean `{guess[2:].replace('-', '_')}`?" if guess else ""
            yield Hit(
                path,
                f"`{key}` renders `{option}`, which is not an option of `mlflow server` in "
                f"{ctx.mlflow.describe()} ({why}){mean}",
                "use the option's name with _ for -",
                at_key=path[1] == "value_options",
            )


for _code, _charts in (
    ("MLF813", ("official",)),
    ("MLF803", ("community",)),
    ("MLF804", ("community", "official")),
    ("MLF805", ("community",)),
    ("MLF806", ("community", "bitnami")),
    ("MLF807", ("bitnami",)),
    ("MLF808", ("bitnami",)),
    ("MLF809", ALL),
    ("MLF810", ALL),
    ("MLF811", ALL),
    ("MLF812", ("bitnami",)),
):
    _applies(_code, *_charts)

RULES: tuple[Rule, ...] = (
    MIXED,
    IGNORED_KEY,
    env_value_printed_by_go,
    extra_arg_printed_by_go,
    chart_default_in_memory_backend,
    bundled_and_external_database,
    chart_default_admin_user,
    registry_in_image_repository,
    chart_refuses_values,
    allowed_hosts_wildcard_public,
    public_service_without_auth,
    artifact_store_ignored,
    unknown_server_option_key,
)
