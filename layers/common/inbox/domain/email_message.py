"""Where the services, benchmarks and tests have always found the email parser: `inbox.domain.email`."""

from inbox.domain.email import *  # noqa: F403
from inbox.domain.email import __all__  # noqa: F401
