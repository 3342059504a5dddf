"""Budgets of DESIGN §8, measured as ratios and counts in one run: `python -m benchmarks.<name>` (README.md).

Python runs this before any benchmark module: it makes the code importable as Lambda and the tests see
it (the layer, the repository root, tests/ for the private servers and the resource builder of tests/helpers),
and sets the environment before anything imports inbox, since Powertools reads it when its objects are
built. The AWS credentials are fakes: the benchmarks run against moto, never an account.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

for _path in (REPO / "tests", REPO, REPO / "layers" / "common"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# Not when a test imports a benchmark's pure parts: the tests set their own environment (tests/conftest.py),
# and WARNING here would silence every Powertools logger the test run builds after the import.
if "pytest" not in sys.modules:
    os.environ.update(
        {
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "Inbox",
            "POWERTOOLS_SERVICE_NAME": "inbox",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "eu-west-3",
        }
    )
    for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        os.environ.pop(_name, None)
