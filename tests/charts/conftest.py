"""The probe tests' fixtures, for the probes run through the published charts' adapters."""

from tests.probes.conftest import probe_run  # noqa: F401  (a fixture)
