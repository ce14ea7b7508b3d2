"""What each published MLflow chart's templates render for the tracking server, from values.

One module per chart (`community`, `bitnami`, `official`) with one function,
`render(values) -> RenderedPod`: the `mlflow server` command line, the container's env and
envFrom, the ConfigMaps and Secrets the chart generates (Secret values never leave the values
they came from), the auth ini, image, service account, Service, Ingress, mounts and init
containers, every item with the values path that produced it. `values` are the user's values
merged over the chart's defaults (the `default`s of `schemas/<chart>.schema.json`).

This is chart knowledge only, described from the charts' templates (not copied), checked
against what real Helm renders (`tests/charts/*/*.render.json`, recorded with
`tests/charts/record_renders.py`). The adapters in `charts/` turn a RenderedPod into a
Deployment; MLflow knowledge (what an option or variable means) lives elsewhere.
"""
