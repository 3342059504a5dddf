"""Apply the data migrations a deployed table has not had yet (scripts/deploy.sh runs it after
`sam deploy`; inbox.adapters.dynamodb.migrations lists them). Safe to run again: each migration is
recorded in the table once applied.

    python scripts/migrate.py [--stack inbox]     # the table of a deployed stack (its TableName output)
    python scripts/migrate.py --table NAME        # a table by name (AWS_ENDPOINT_URL for the local stack)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "layers" / "common"))

from publish_web import stack_outputs  # noqa: E402

from inbox.adapters.dynamodb.migrations import Migrations  # noqa: E402  (the layer is not installed here)

TABLE_OUTPUT = "TableName"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--stack", default="inbox")
    where.add_argument("--table")
    args = parser.parse_args(argv)
    session = boto3.session.Session()
    table = args.table or (stack_outputs(session.client("cloudformation"), args.stack) or {}).get(TABLE_OUTPUT)
    if not table:
        raise SystemExit(f"the stack {args.stack} has no output {TABLE_OUTPUT}: deploy the current template.yaml first")
    changed = Migrations(session.client("dynamodb"), table).run_pending()
    for name, count in changed.items():
        print(f"migration {name}: {count} items changed", file=sys.stderr)
    if not changed:
        print(f"{table}: no migration pending", file=sys.stderr)


if __name__ == "__main__":
    main()
