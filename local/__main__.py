"""`python -m local [--port 3000] [--host 127.0.0.1] [--state-dir .local] [--aws-endpoint-url URL]`.

Runs in the foreground until Ctrl-C or SIGTERM, then stops cleanly (and saves the AWS state).
The heavy imports happen inside main(): worker processes are spawned, and spawn re-imports this
module (as __mp_main__) in each of them.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import threading
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local", description="Run template.yaml locally, without Docker.")
    parser.add_argument("--port", type=int, default=3000, help="HTTP port of the API and the web app (3000)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    parser.add_argument("--state-dir", type=Path, default=Path(".local"), help="where data and stack.json live")
    parser.add_argument("--aws-endpoint-url", help="use this moto/AWS endpoint instead of starting moto")
    parser.add_argument("--template", type=Path, default=Path("template.yaml"))
    parser.add_argument("--region", default="eu-west-3")
    parser.add_argument("--stack-name", default="inbox-local", help="AWS::StackName and the prefix of names")
    parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a template parameter (repeatable)",
    )
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="do not create the demo tenant")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    try:
        args.parameters = dict(p.split("=", 1) for p in args.parameter)
    except ValueError:
        parser.error("--parameter expects NAME=VALUE")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    faulthandler.enable()  # a crash (a signal such as SIGSEGV) prints every thread's stack, not nothing
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)-7s %(message)s", datefmt="%H:%M:%S"
    )
    for noisy in ("botocore", "boto3", "urllib3", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from .stack import LocalStack, Options

    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if stop.is_set():  # a second Ctrl-C: the user does not want to wait for a clean stop
            os._exit(130)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    stack = LocalStack(
        Options(
            template=args.template,
            state_dir=args.state_dir,
            host=args.host,
            port=args.port,
            aws_endpoint_url=args.aws_endpoint_url,
            region=args.region,
            stack_name=args.stack_name,
            parameters=args.parameters,
            seed=args.seed,
        )
    )
    status = 0
    try:
        stack.start()
        print(stack.banner(), flush=True)
        while not stop.wait(1):
            pass
        logging.getLogger("local").info("stopping")
        # A stop still under way after 45 s prints every thread's stack: what it waits for.
        faulthandler.dump_traceback_later(45)
    except Exception:
        logging.getLogger("local").exception("the local stack failed to start")
        status = 1
    finally:
        stack.stop()
        faulthandler.cancel_dump_traceback_later()
    return status


if __name__ == "__main__":
    sys.exit(main())
