"""The local stack (`python -m local`) in a subprocess, as the e2e tests start it, and what they do to it
as a user would: sign in through its Cognito, post a signed custom webhook."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from inbox.domain.signatures import sign

REPO = Path(__file__).resolve().parents[2]
READY = "Press Ctrl-C to stop."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStack:
    """The stack in a subprocess, its output collected in a file (shown when something goes wrong)."""

    def __init__(self, state_dir: Path, port: int, log_path: Path):
        self.state_dir, self.port, self.log_path = state_dir, port, log_path
        self.process: subprocess.Popen | None = None
        self._offset = 0

    @property
    def stack_file(self) -> Path:
        return self.state_dir / "stack.json"

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def run_output(self) -> str:
        """The output of the current (or last) run only."""
        return self.output()[self._offset :]

    def start(self, timeout: float = 180) -> dict[str, Any]:
        self._offset = len(self.output())
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local", "--port", str(self.port), "--state-dir", str(self.state_dir)],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        deadline = time.monotonic() + timeout
        while not (READY in self.run_output() and self.stack_file.exists()):
            if self.process.poll() is not None:
                pytest.fail(f"the local stack exited with {self.process.returncode}:\n{self.run_output()}")
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the local stack was not ready after {timeout} s:\n{self.run_output()}")
            time.sleep(0.2)
        return json.loads(self.stack_file.read_text())

    def stop(self, timeout: float = 90) -> int | None:
        """SIGINT, as Ctrl-C: the stack lets in-flight work finish (a poller waits up to 31 s for its
        invocation), saves the AWS state and exits; after 45 s it prints its threads' stacks."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"the local stack did not stop on SIGINT:\n{self.run_output()}")


def cognito(info: dict[str, Any]):
    """A client of the stack's Cognito (moto's)."""
    return aws_client(info, "cognito-idp")


def aws_client(info: dict[str, Any], service: str):
    """A client of one of the stack's AWS services (moto's)."""
    return boto3.client(
        service,
        endpoint_url=info["aws_endpoint_url"],
        region_name=info["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def create_user(
    info: dict[str, Any],
    email: str,
    *,
    tenant_id: str,
    group: str,
    password: str | None = None,
    temporary_password: str | None = None,
    email_verified: bool = False,
) -> None:
    """A user in the stack's pool, in `group`: with a permanent `password`, or a `temporary_password`
    the first sign-in replaces."""
    idp = cognito(info)
    attributes = [{"Name": "email", "Value": email}]
    if email_verified:
        attributes.append({"Name": "email_verified", "Value": "true"})
    attributes.append({"Name": "custom:tenant_id", "Value": tenant_id})
    temporary = {"TemporaryPassword": temporary_password} if temporary_password else {}
    idp.admin_create_user(
        UserPoolId=info["user_pool_id"],
        Username=email,
        UserAttributes=attributes,
        MessageAction="SUPPRESS",
        **temporary,
    )
    if password:
        idp.admin_set_user_password(UserPoolId=info["user_pool_id"], Username=email, Password=password, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=info["user_pool_id"], Username=email, GroupName=group)


def sign_in(info: dict[str, Any], username: str, password: str) -> str:
    """The ID token of a user's password sign-in."""
    result = cognito(info).initiate_auth(
        ClientId=info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return result["AuthenticationResult"]["IdToken"]


def id_token(info: dict[str, Any]) -> str:
    """The demo admin's ID token."""
    return sign_in(info, info["admin"]["username"], info["admin"]["password"])


def post_webhook(info: dict[str, Any], message: dict[str, Any], secret: str | None = None) -> requests.Response:
    hook = info["custom_webhook"]
    body = json.dumps(message).encode()
    signature = sign(secret or hook["secret"], body, int(time.time()))
    return requests.post(
        f"{info['api_url']}/webhooks/custom/{hook['integration_id']}",
        data=body,
        headers={"Content-Type": "application/json", "X-Inbox-Signature": signature},
        timeout=30,
    )
