"""The local gateway picks the route API Gateway HTTP API would pick."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.function_specs import Route, http_routes
from local.routing import compile_routes, match_route
from local.template import Physical, Template

REPO = Path(__file__).resolve().parents[2]

ROUTES = compile_routes(
    [
        Route("GET", "/pets/dog/1", "Exact"),
        Route("GET", "/pets/dog/{id}", "DogById"),
        Route("GET", "/pets/{kind}/{id}", "AnyPetById"),
        Route("GET", "/pets/{proxy+}", "PetsGreedy"),
        Route("ANY", "/pets/dog/{id}", "AnyMethodDog"),
        Route("ANY", "/{proxy+}", "Everything"),
        Route("POST", "/orders", "CreateOrder"),
        Route("ANY", "/orders", "AnyOrders"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "function", "params"),
    [
        ("GET", "/pets/dog/1", "Exact", {}),
        ("GET", "/pets/dog/2", "DogById", {"id": "2"}),
        ("GET", "/pets/cat/7", "AnyPetById", {"kind": "cat", "id": "7"}),
        ("GET", "/pets/cat/7/toys", "PetsGreedy", {"proxy": "cat/7/toys"}),
        ("POST", "/pets/dog/2", "AnyMethodDog", {"id": "2"}),  # a full match with ANY beats a greedy route
        ("POST", "/pets/cat/7", "Everything", {"proxy": "pets/cat/7"}),
        ("POST", "/orders", "CreateOrder", {}),  # an explicit method beats ANY on the same path
        ("DELETE", "/orders", "AnyOrders", {}),
        ("GET", "/pets", "Everything", {"proxy": "pets"}),  # {proxy+} needs at least one segment
    ],
)
def test_route_matching_prefers_the_most_specific_route(method, path, function, params):
    route, found = match_route(ROUTES, method, path)
    assert route.function == function
    assert found == params


def test_route_matching_decodes_path_parameters_but_not_across_slashes():
    route, params = match_route(ROUTES, "GET", "/pets/dog/a%20b%2Fc")
    assert route.function == "DogById"
    assert params == {"id": "a b/c"}


def test_route_matching_returns_none_without_a_route():
    routes = compile_routes([Route("GET", "/inbox/{proxy+}", "Api")])
    assert match_route(routes, "GET", "/") is None
    assert match_route(routes, "GET", "/inbox") is None
    assert match_route(routes, "POST", "/inbox/x") is None


def test_route_matching_default_route_catches_the_rest_last():
    routes = compile_routes([Route("ANY", "$default", "Fallback"), Route("GET", "/a/{proxy+}", "A")])
    assert match_route(routes, "GET", "/a/b")[0].function == "A"
    assert match_route(routes, "PUT", "/zzz")[0].function == "Fallback"
    assert match_route(routes, "PUT", "/zzz")[0].key == "$default"


def test_route_matching_on_the_projects_template():
    template = Template.load(REPO / "template.yaml")
    template.physical["UserPool"] = Physical("eu-west-3_pool", {})
    template.physical["UserPoolClient"] = Physical("client", {})
    routes = compile_routes(http_routes(template))

    webhook, params = match_route(routes, "POST", "/inbox/webhooks/custom/01abc")
    assert webhook.key == "POST /inbox/webhooks/custom/{integration_id}"
    assert webhook.authorizer is None
    assert params == {"integration_id": "01abc"}

    # Another method on the webhook path is not the webhook route: it needs a token.
    other, params = match_route(routes, "GET", "/inbox/webhooks/custom/01abc")
    assert other.key == "ANY /inbox/{proxy+}"
    assert other.authorizer is not None
    assert params == {"proxy": "webhooks/custom/01abc"}

    assert match_route(routes, "GET", "/inbox/openapi.json")[0].key == "GET /inbox/openapi.json"
    assert match_route(routes, "GET", "/inbox/conversations/c1")[0].key == "ANY /inbox/{proxy+}"
    assert match_route(routes, "GET", "/index.html") is None
