"""The deployed web app (issue 11, item 10): the template's CSP in a real browser, and the web benchmark's harness."""

from __future__ import annotations

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from helpers.benchmarks import run_benchmark
from helpers.local_stack import REPO, post_webhook
from helpers.web import (
    CHROMIUM,
    run_browser,
)

pytestmark = pytest.mark.e2e


def deployed_csp(stack: dict[str, Any]) -> str:
    """The CSP of the template's CloudFront distribution, its AWS URLs replaced by the local stack's."""
    from cfn_tools import load_yaml

    template = load_yaml((REPO / "template.yaml").read_text())
    policy = template["Resources"]["WebSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    websocket = stack["websocket_url"].split("://", 1)
    local = {
        "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}": stack["api_url"].removesuffix("/inbox"),
        "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}": stack["aws_endpoint_url"],
        "${WebSocketApi.ApiEndpoint}": f"{websocket[0]}://{websocket[1].split('/', 1)[0]}",
        # Uploads: moto serves S3 at its one endpoint, path-style.
        "https://${BlobBucket}.s3.${AWS::URLSuffix}": stack["aws_endpoint_url"],
        "https://${BlobBucket.RegionalDomainName}": stack["aws_endpoint_url"],
    }
    for aws, here in local.items():
        assert aws in csp, aws
        csp = csp.replace(aws, here)
    assert "${" not in csp, csp
    return " ".join(csp.split())


class HttpsImage:
    """A remote image on https (the test CA's certificate), as an email's would be."""

    def __init__(self, directory: Path):
        from servers.tls import certificates

        paths = self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "image/gif")
                self.end_headers()
                # A 1x1 transparent GIF.
                self.wfile.write(
                    bytes.fromhex(
                        "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
                    )
                )

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = certificates().server_context(directory)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_deployed_csp_lets_the_app_sign_in_read_show_images_and_go_live(web_stack, tmp_path):
    csp = deployed_csp(web_stack)
    image = HttpsImage(tmp_path / "tls")
    subject = "Under the CSP " + secrets.token_hex(4)
    try:
        html = f'<p>Bonjour</p><p><img src="{image.url}/logo.gif" alt="logo" width="1" height="1"></p>'
        message = {"external_id": secrets.token_hex(8), "from": {"name": "Léa", "email": "lea@example.fr"}}
        message |= {"subject": subject, "text": "Bonjour", "html": html, "thread_key": subject}
        assert post_webhook(web_stack, message).status_code == 202
        seen = run_browser(
            "deployed-csp.mjs",
            {
                "INBOX_URL": web_stack["web_url"],
                "INBOX_EMAIL": web_stack["admin"]["username"],
                "INBOX_PASSWORD": web_stack["admin"]["password"],
                "CSP": csp,
                "SUBJECT": subject,
            },
        )
    finally:
        image.close()

    assert seen["problems"] == []
    assert seen["refused"] == []
    assert "Bonjour" in seen["frameText"]
    assert seen["imageLoaded"] is True
    assert image.paths == ["/logo.gif"]
    assert seen["live"] is True
    assert seen["styled"] == "grid"


def test_the_web_benchmark_runs_and_opening_the_app_asks_the_api_for_me_folders_and_the_list_only(web_stack, tmp_path):
    # The harness of benchmarks/web_app.py on the web tests' stack, one run: its timings mean nothing
    # here, but its request count is a count: opening the app asks the API for three things.
    stack_json = tmp_path / "stack.json"
    stack_json.write_text(json.dumps(web_stack))
    result = run_benchmark(
        "benchmarks.web_app",
        "--runs",
        "1",
        "--stack-json",
        str(stack_json),
        timeout=300,
        env={"CHROMIUM": str(CHROMIUM)},
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Size", "2. Navigation to the conversation list", "3. Requests made to open the app"):
        assert heading in report, report
    assert "API requests: 3 (goal: me + folders + the list, once each)   PASS" in report, report
