"""`python -m local.token [--state-dir .local]`: print an ID token of the running stack's demo admin.

curl -H "Authorization: Bearer $(.venv/bin/python -m local.token)" http://127.0.0.1:3000/inbox/conversations
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .aws import Aws, configure_credentials
from .seed import id_token


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.token", description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", type=Path, default=Path(".local"), help="where stack.json lives")
    args = parser.parse_args(argv)
    stack = json.loads((args.state_dir / "stack.json").read_text())
    configure_credentials(stack["region"])
    aws = Aws(stack["aws_endpoint_url"], stack["region"])
    print(id_token(aws, stack["user_pool_client_id"], stack["admin"]["username"], stack["admin"]["password"]))


if __name__ == "__main__":
    main()
