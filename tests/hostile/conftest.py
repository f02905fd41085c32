"""Hypothesis profiles for the hostile-input properties.

The default run tries a few dozen mutated files (seconds); `HYPOTHESIS_PROFILE=ci` tries at least
1,000 (`.ci/run` sets it). No example database: every CI run starts from the same seed-free state
and a failure prints the reproducing example."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.data_too_large, HealthCheck.large_base_example])
settings.register_profile("default", max_examples=40, **_COMMON)
settings.register_profile("ci", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
