"""The local gateway speaks API Gateway HTTP API: v2 events, responses, JWT checks, CORS, static files."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from local.function_specs import Cors, JwtAuthorizer, Route, UnsupportedAuthorizer
from local.gateway import HttpApi, cors_headers, preflight_headers
from local.http_events import Request, build_event, render_claims, to_http_response
from local.jwt_authorizer import ForbiddenError, JwtVerifier, UnauthorizedError, identity_token
from local.runtime import FunctionError, RuntimeFailureError
from local.static import static_file

ROUTE = Route("ANY", "/inbox/{proxy+}", "ApiFunction")


def request(**overrides) -> Request:
    values = {
        "method": "POST",
        "raw_path": "/inbox/conversations/c%201",
        "raw_query": "status=new&tag=a&tag=b&empty=",
        "headers": [
            ("Host", "127.0.0.1:3000"),
            ("User-Agent", "pytest"),
            ("Content-Type", "application/json"),
            ("X-Multi", "one"),
            ("X-Multi", "two"),
            ("Cookie", "session=abc; theme=dark"),
        ],
        "body": json.dumps({"text": "Élodie"}).encode(),
        "source_ip": "127.0.0.1",
        "time": 1795471200.123,
    }
    return Request(**{**values, **overrides})


def test_event_has_the_payload_format_2_shape():
    event = build_event(request(), ROUTE, {"proxy": "conversations/c 1"}, account_id="123456789012")
    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "ANY /inbox/{proxy+}"
    assert event["rawPath"] == "/inbox/conversations/c%201"
    assert event["rawQueryString"] == "status=new&tag=a&tag=b&empty="
    assert event["queryStringParameters"] == {"status": "new", "tag": "a,b", "empty": ""}
    assert event["pathParameters"] == {"proxy": "conversations/c 1"}
    assert event["cookies"] == ["session=abc", "theme=dark"]
    headers = event["headers"]
    assert headers["x-multi"] == "one,two"
    assert headers["content-type"] == "application/json"
    assert "cookie" not in headers
    assert headers["x-forwarded-for"] == "127.0.0.1"
    context = event["requestContext"]
    assert context["http"] == {
        "method": "POST",
        "path": "/inbox/conversations/c%201",
        "protocol": "HTTP/1.1",
        "sourceIp": "127.0.0.1",
        "userAgent": "pytest",
    }
    assert context["stage"] == "$default"
    assert context["accountId"] == "123456789012"
    assert context["domainName"] == "127.0.0.1:3000"
    assert context["timeEpoch"] == 1795471200123
    assert context["time"] == "23/Nov/2026:22:00:00 +0000"
    assert context["requestId"]
    assert "authorizer" not in context
    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"text": "Élodie"}


def test_event_without_body_query_or_parameters_omits_them():
    event = build_event(request(method="GET", raw_query="", body=b"", headers=[("Host", "h")]), ROUTE, {})
    for absent in ("body", "queryStringParameters", "pathParameters", "cookies"):
        assert absent not in event
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize(
    ("content_type", "encoded"),
    [
        ("application/json; charset=utf-8", False),
        ("text/plain", False),
        ("application/vnd.api+json", False),
        ("application/x-www-form-urlencoded", True),  # HTTP API base64-encodes form posts
        ("application/octet-stream", True),
        ("image/png", True),
    ],
)
def test_event_body_is_base64_for_non_text_content_types(content_type, encoded):
    body = b"a=1&b=%C3%A9" if "form" in content_type else b"\x89PNG..." if "image" in content_type else b"hello"
    event = build_event(request(headers=[("Content-Type", content_type)], body=body), ROUTE, {})
    assert event["isBase64Encoded"] is encoded
    assert (base64.b64decode(event["body"]) if encoded else event["body"].encode()) == body


def test_event_claims_are_rendered_as_strings_like_the_jwt_authorizer():
    claims = {"sub": "u1", "cognito:groups": ["admin", "agent"], "exp": 1700000000, "email_verified": True}
    assert render_claims(claims) == {
        "sub": "u1",
        "cognito:groups": "[admin agent]",
        "exp": "1700000000",
        "email_verified": "true",
    }
    event = build_event(request(), ROUTE, {}, claims=claims)
    assert event["requestContext"]["authorizer"]["jwt"] == {"claims": render_claims(claims), "scopes": None}
    scoped = build_event(request(), ROUTE, {}, claims={"scope": "inbox/read inbox/write"})
    assert scoped["requestContext"]["authorizer"]["jwt"]["scopes"] == ["inbox/read", "inbox/write"]


def test_response_from_a_proxy_result():
    response = to_http_response(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "text/plain", "X-Flag": True},
            "multiValueHeaders": {"X-Many": ["1", "2"]},
            "cookies": ["a=1; Path=/", "b=2"],
            "body": "created",
        }
    )
    assert response.status == 201
    assert response.body == b"created"
    assert ("X-Flag", "true") in response.headers
    assert [v for k, v in response.headers if k == "X-Many"] == ["1", "2"]
    assert [v for k, v in response.headers if k == "set-cookie"] == ["a=1; Path=/", "b=2"]


def test_response_decodes_base64_bodies_and_defaults_to_json():
    body = base64.b64encode(b"\x00\x01").decode()
    response = to_http_response({"statusCode": 200, "body": body, "isBase64Encoded": True})
    assert response.body == b"\x00\x01"
    assert ("content-type", "application/json") in response.headers
    assert to_http_response({"statusCode": 204}).body == b""


def test_response_without_status_code_is_a_json_200_like_api_gateway():
    response = to_http_response({"hello": "world"})
    assert (response.status, json.loads(response.body)) == (200, {"hello": "world"})
    assert json.loads(to_http_response("plain").body) == "plain"
    assert to_http_response({"statusCode": "oops"}).status == 500


# ---------------------------------------------------------------------- JWT authorizer
ISSUER = "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_pool"
AUTHORIZER = JwtAuthorizer("CognitoAuthorizer", ISSUER, ["client123"])
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LocalKeys(JwtVerifier):
    """The verifier with the issuer's key set in memory instead of fetched over HTTP."""

    def _client(self, issuer):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))

        class Client:
            @staticmethod
            def get_signing_key_from_jwt(token):
                if jwt.get_unverified_header(token).get("kid") != "k1":
                    raise jwt.PyJWKClientError("unknown kid")
                return jwt.PyJWK({**jwk, "kid": "k1", "alg": "RS256"})

        return Client()


def token(key=KEY, algorithm="RS256", kid="k1", **claims) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": "client123", "sub": "u1", "iat": now, "exp": now + 300, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


def test_jwt_verifier_accepts_a_valid_id_token_and_an_access_token():
    verifier = LocalKeys("http://127.0.0.1:5000")
    assert verifier.verify(token(), AUTHORIZER, [])["sub"] == "u1"
    access = token(aud=None, client_id="client123", scope="inbox/read")
    assert verifier.verify(access, AUTHORIZER, ["inbox/read"])["client_id"] == "client123"


@pytest.mark.parametrize(
    "bad",
    [
        {"iss": "https://cognito-idp.eu-west-3.amazonaws.com/another_pool"},
        {"aud": "another-client"},
        {"exp": -10},
        {"nbf": 600},
        {"iat": 600},
        {"exp": None},
        {"key": OTHER_KEY},
        {"kid": "unknown"},
    ],
)
def test_jwt_verifier_rejects_what_the_authorizer_rejects(bad):
    # Times are seconds from now, read when the test runs (a long suite runs it minutes after collection).
    now = int(time.time())
    bad = {name: now + value if name in ("exp", "nbf", "iat") and value else value for name, value in bad.items()}
    with pytest.raises(UnauthorizedError):
        LocalKeys(None).verify(token(**bad), AUTHORIZER, [])


def test_jwt_verifier_rejects_symmetric_tokens_and_garbage():
    with pytest.raises(UnauthorizedError):
        LocalKeys(None).verify(token(key="a-shared-secret-of-32-bytes-long!", algorithm="HS256"), AUTHORIZER, [])
    with pytest.raises(UnauthorizedError):
        LocalKeys(None).verify("not.a.jwt", AUTHORIZER, [])


def test_jwt_verifier_checks_route_scopes():
    with pytest.raises(ForbiddenError):
        LocalKeys(None).verify(token(scope="inbox/read"), AUTHORIZER, ["inbox/admin"])


def test_jwt_verifier_fetches_cognito_keys_from_the_local_endpoint():
    verifier = JwtVerifier("http://127.0.0.1:5000/")
    assert verifier.jwks_url(ISSUER) == "http://127.0.0.1:5000/eu-west-3_pool/.well-known/jwks.json"
    assert verifier.jwks_url("https://idp.example.com") == "https://idp.example.com/.well-known/jwks.json"


def test_identity_token_accepts_bearer_or_bare_tokens():
    def with_header(value):
        return request(headers=[("Authorization", value)] if value is not None else [])

    assert identity_token(with_header("Bearer abc.def.ghi"), AUTHORIZER) == "abc.def.ghi"
    assert identity_token(with_header("bearer abc"), AUTHORIZER) == "abc"
    assert identity_token(with_header("abc.def.ghi"), AUTHORIZER) == "abc.def.ghi"
    assert identity_token(with_header("Bearer "), AUTHORIZER) is None
    assert identity_token(with_header(None), AUTHORIZER) is None


# ---------------------------------------------------------------------- CORS and static files
CORS = Cors(["http://localhost:3000"], ["GET", "POST"], ["authorization", "content-type"], [], 600, False)


def test_cors_preflight_and_response_headers_only_for_allowed_origins():
    headers = dict(preflight_headers(CORS, "http://localhost:3000", "authorization"))
    assert headers["access-control-allow-origin"] == "http://localhost:3000"
    assert headers["access-control-allow-methods"] == "GET,POST"
    assert headers["access-control-allow-headers"] == "authorization,content-type"
    assert headers["access-control-max-age"] == "600"
    assert preflight_headers(CORS, "https://evil.example", None) == []
    assert dict(cors_headers(CORS, "http://localhost:3000"))["access-control-allow-origin"] == "http://localhost:3000"
    assert cors_headers(CORS, "https://evil.example") == []
    assert cors_headers(CORS, None) == []


def test_static_files_serve_index_and_never_leave_web_dir(tmp_path: Path):
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<h1>Inbox</h1>")
    (web / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("no")
    assert static_file(web, "/") == (web / "index.html").resolve()
    assert static_file(web, "/assets/app.js") == (web / "assets" / "app.js").resolve()
    assert static_file(web, "/../secret.txt") is None
    assert static_file(web, "/%2e%2e/secret.txt") is None
    assert static_file(web, "/missing.css") is None
    assert static_file(tmp_path / "absent", "/") is None


# ---------------------------------------------------------------------- the whole request path
class Recorder:
    """A stand-in for the function workers: records events, answers or raises as told."""

    def __init__(self, answer=None, error=None):
        self.events, self.answer, self.error = [], answer, error

    def __call__(self, function, event):
        self.events.append((function, event))
        if self.error is not None:
            raise self.error
        return self.answer


def http_api(invoke, tmp_path=None) -> HttpApi:
    routes = [
        Route("ANY", "/inbox/{proxy+}", "Api", authorizer=AUTHORIZER, cors=CORS),
        Route("POST", "/inbox/webhooks/{id}", "Hook", cors=CORS),
        Route("GET", "/inbox/iam", "Iam", authorizer=UnsupportedAuthorizer("AWS_IAM")),
    ]
    return HttpApi(routes, invoke, LocalKeys(None), web_dir=tmp_path, account_id="123456789012")


def call(api, method, path, headers=(), body=b""):
    return api.handle(Request(method, path, "", list(headers), body, "127.0.0.1"))


def test_http_api_authorizes_before_invoking():
    invoke = Recorder({"statusCode": 200, "body": "{}"})
    api = http_api(invoke)
    assert call(api, "GET", "/inbox/conversations").status == 401
    assert call(api, "GET", "/inbox/conversations", [("Authorization", "Bearer " + token(aud="x"))]).status == 401
    assert call(api, "GET", "/inbox/iam", [("Authorization", "Bearer " + token())]).status == 401
    assert invoke.events == []

    ok = call(
        api,
        "GET",
        "/inbox/conversations",
        [("Authorization", "Bearer " + token(**{"cognito:groups": ["admin"]}))],
    )
    assert ok.status == 200
    ((function, event),) = invoke.events
    assert function == "Api"
    assert event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] == "[admin]"
    assert event["pathParameters"] == {"proxy": "conversations"}


def test_http_api_maps_function_failures_to_500_and_runtime_failures_to_502():
    failing = http_api(Recorder(error=FunctionError({"errorType": "KeyError", "errorMessage": "x"})))
    response = call(failing, "POST", "/inbox/webhooks/w1", [("Content-Type", "application/json")], b"{}")
    assert (response.status, json.loads(response.body)) == (500, {"message": "Internal Server Error"})
    crashed = http_api(Recorder(error=RuntimeFailureError("Runtime exited with error: exit status 1")))
    assert call(crashed, "POST", "/inbox/webhooks/w1").status == 502


def test_http_api_answers_preflights_itself_and_owns_the_cors_headers():
    invoke = Recorder({"statusCode": 202, "headers": {"Access-Control-Allow-Origin": "*"}, "body": "{}"})
    api = http_api(invoke)
    preflight = call(api, "OPTIONS", "/inbox/conversations", [("Origin", "http://localhost:3000")])
    assert preflight.status == 204
    assert invoke.events == []
    response = call(api, "POST", "/inbox/webhooks/w1", [("Origin", "http://localhost:3000")])
    cors = [(k, v) for k, v in response.headers if k.lower().startswith("access-control-")]
    assert cors == [("access-control-allow-origin", "http://localhost:3000")]
    foreign = call(api, "POST", "/inbox/webhooks/w1", [("Origin", "https://evil.example")])
    assert not [k for k, _ in foreign.headers if k.lower().startswith("access-control-")]


def test_http_api_serves_web_files_for_paths_without_a_route(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Inbox</h1>")
    api = http_api(Recorder(), tmp_path)
    page = call(api, "GET", "/")
    assert (page.status, page.body) == (200, b"<h1>Inbox</h1>")
    assert ("content-type", "text/html; charset=utf-8") in page.headers
    missing = call(api, "GET", "/nope.js")
    assert (missing.status, json.loads(missing.body)) == (404, {"message": "Not Found"})
    assert call(api, "POST", "/").status == 404
