"""Placeholder text left in values: `<YOUR_AWS_ACCESS_KEY_ID>`, `s3://<bucket>/<path>`, `changeme`.

Decision on hosts: only the names RFC 2606 / RFC 6761 reserve for documentation are
placeholders (`example.com`, `example.net`, `example.org`, any `*.example`, `*.invalid`) plus
the chart's own `chart-example.local`; look-alikes such as `example.internal` can be real.
Placeholders are printed: they are not secrets, and seeing the text helps find it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlflow_lint.paths import format_path
from mlflow_lint.secrets import filters
from mlflow_lint.secrets.auditor import Item, user_leaves

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlflow_lint.context import Context

PLACEHOLDER = "MLF310"
MAX_SHOWN = 3


def placeholders(ctx: Context) -> Iterator[Item]:
    """One item per user-set string that still holds placeholder text."""
    for leaf in user_leaves(ctx):
        if not isinstance(leaf.value, str) or filters.is_reference(leaf.value):
            continue
        found = filters.placeholders_in(leaf.value)
        if not found:
            continue
        shown = ", ".join(f"`{text}`" for text in found[:MAX_SHOWN])
        more = f" and {len(found) - MAX_SHOWN} more" if len(found) > MAX_SHOWN else ""
        message = f"`{format_path(leaf.path)}` still holds placeholder text: {shown}{more}"
        hint = "replace it with the real value; Helm passes placeholder text to Kubernetes and MLflow as is"
        yield Item(PLACEHOLDER, leaf.path, message, hint)
