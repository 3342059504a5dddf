"""The local stack reads template.yaml like CloudFormation: intrinsics, Globals, order, functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from local.function_specs import function_specs, http_routes, schedule_sources, sqs_sources
from local.runtime import function_environment
from local.template import Physical, Template, TemplateError, merge_globals

REPO = Path(__file__).resolve().parents[2]


def make(resources=None, **data) -> Template:
    body = {"Resources": resources or {}, **data}
    return Template(body, REPO, region="eu-west-3", stack_name="demo", account_id="123456789012")


@pytest.fixture
def intrinsics() -> Template:
    template = make(
        {"Queue": {"Type": "AWS::SQS::Queue"}, "Pool": {"Type": "AWS::Cognito::UserPool"}},
        Parameters={
            "Stage": {"Type": "String", "Default": "dev"},
            "Limit": {"Type": "Number", "Default": 25},
            "Origins": {"Type": "CommaDelimitedList", "Default": "a.example, b.example"},
        },
        Conditions={"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        Mappings={"Sizes": {"dev": {"Memory": 256}}},
    )
    template.physical["Queue"] = Physical(
        "http://localhost/123456789012/demo-Queue", {"Arn": "arn:aws:sqs:eu-west-3:123456789012:demo-Queue"}
    )
    template.physical["Pool"] = Physical("eu-west-3_abc", {"Arn": "arn:aws:cognito-idp:eu-west-3:1:userpool/x"})
    return template


def test_template_ref_resolves_parameters_pseudo_parameters_and_resources(intrinsics):
    assert intrinsics.resolve({"Ref": "Stage"}) == "dev"
    assert intrinsics.resolve({"Ref": "Limit"}) == "25"  # a Number parameter's Ref is a string
    assert intrinsics.resolve({"Ref": "Origins"}) == ["a.example", "b.example"]
    assert intrinsics.resolve({"Ref": "AWS::Region"}) == "eu-west-3"
    assert intrinsics.resolve({"Ref": "AWS::AccountId"}) == "123456789012"
    assert intrinsics.resolve({"Ref": "AWS::StackName"}) == "demo"
    assert intrinsics.resolve({"Ref": "Queue"}) == "http://localhost/123456789012/demo-Queue"


def test_template_getatt_accepts_list_and_dotted_forms(intrinsics):
    arn = "arn:aws:sqs:eu-west-3:123456789012:demo-Queue"
    assert intrinsics.resolve({"Fn::GetAtt": ["Queue", "Arn"]}) == arn
    assert intrinsics.resolve({"Fn::GetAtt": "Queue.Arn"}) == arn
    with pytest.raises(TemplateError):
        intrinsics.resolve({"Fn::GetAtt": ["Queue", "NoSuchAttribute"]})


def test_template_sub_replaces_refs_attributes_variables_and_keeps_escapes(intrinsics):
    text = "https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}|${Queue.Arn}|${!Literal}|${Name}"
    resolved = intrinsics.resolve({"Fn::Sub": [text, {"Name": {"Ref": "Stage"}}]})
    assert resolved == (
        "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_abc"
        "|arn:aws:sqs:eu-west-3:123456789012:demo-Queue|${Literal}|dev"
    )


def test_template_join_select_split_findinmap_and_conditions(intrinsics):
    assert intrinsics.resolve({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]}) == "a-dev"
    assert intrinsics.resolve({"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]}) == "y"
    assert intrinsics.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Stage"}, "Memory"]}) == 256
    assert intrinsics.resolve({"Fn::If": ["IsProd", "big", "small"]}) == "small"
    assert intrinsics.resolve({"Fn::Not": [{"Condition": "IsProd"}]}) is True


def test_template_no_value_removes_the_property(intrinsics):
    no_value = {"Ref": "AWS::NoValue"}
    value = {"Keep": 1, "Drop": {"Fn::If": ["IsProd", 2, no_value]}, "List": [1, no_value]}
    assert intrinsics.resolve(value) == {"Keep": 1, "List": [1]}


def test_template_unknown_references_are_errors(intrinsics):
    with pytest.raises(TemplateError):
        intrinsics.resolve({"Ref": "Nope"})
    with pytest.raises(TemplateError):
        make({"Later": {"Type": "AWS::SQS::Queue"}}).resolve({"Ref": "Later"})


def test_template_parameter_without_default_needs_an_override():
    with pytest.raises(TemplateError):
        make(Parameters={"Secret": {"Type": "String"}})
    bound = Template({"Parameters": {"Secret": {"Type": "String"}}}, REPO, parameters={"Secret": "s"})
    assert bound.parameters == {"Secret": "s"}


def test_template_globals_merge_maps_add_lists_and_override_scalars():
    merged = merge_globals(
        {"Timeout": 15, "Layers": ["g"], "Environment": {"Variables": {"A": "1", "B": "1"}}},
        {"Timeout": 20, "Layers": ["own"], "Environment": {"Variables": {"B": "2", "C": "3"}}},
    )
    assert merged == {
        "Timeout": 20,
        "Layers": ["g", "own"],
        "Environment": {"Variables": {"A": "1", "B": "2", "C": "3"}},
    }


def test_template_creation_order_puts_dependencies_first():
    template = Template.load(REPO / "template.yaml")
    order = template.creation_order()
    assert order.index("ClassifyDLQ") < order.index("ClassifyQueue")
    assert order.index("InboxKey") < order.index("InboxTable")
    assert order.index("UserPool") < order.index("UserPoolClient") < order.index("ApiFunction")
    assert order.index("BlobBucket") < order.index("BlobBucketPolicy")


def _project(template: Template) -> Template:
    """The real template with the physical ids moto would have given its resources."""
    fake = {
        "UserPool": Physical("eu-west-3_pool", {}),
        "UserPoolClient": Physical("client123", {}),
        "InboxKey": Physical("key-1", {"Arn": "arn:aws:kms:eu-west-3:123456789012:key/key-1"}),
        "InboxTable": Physical("inbox-local-InboxTable", {}),
        "BlobBucket": Physical("inbox-local-blobbucket", {}),
        "ClassifyQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-ClassifyQueue", {}),
        "SyncQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-SyncQueue", {}),
        "VonageQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-VonageQueue", {}),
        "AutoReplyQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-AutoReplyQueue", {}),
        "PurgeQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-PurgeQueue", {}),
        "SearchQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-SearchQueue.fifo", {}),
        "WebhookDeliveryQueue": Physical("http://127.0.0.1:5000/123456789012/inbox-local-WebhookDeliveryQueue", {}),
        "EventBus": Physical("inbox-local-events", {}),
        "ScheduleGroup": Physical("inbox-local-schedules", {}),
        "SchedulerRole": Physical("inbox-local-SchedulerRole", {"Arn": "arn:aws:iam::123456789012:role/scheduler"}),
        "WebSocketApi": Physical("local-live", {"ApiEndpoint": "ws://127.0.0.1:3001"}),
        "WebSocketStage": Physical("live", {}),
    }
    template.physical.update(fake)
    return template


def test_template_functions_get_code_layers_and_resolved_environment():
    template = _project(Template.load(REPO / "template.yaml", stack_name="inbox-local"))
    (api,) = [s for s in function_specs(template) if s.logical_id == "ApiFunction"]
    assert api.code_dir == REPO / "functions" / "api"
    assert api.handler == "app.lambda_handler"
    assert api.layer_dirs == [REPO / "layers" / "common"]
    assert (api.timeout, api.memory) == (29, 512)
    assert api.name == "inbox-local-ApiFunction"
    assert api.environment["TABLE_NAME"] == "inbox-local-InboxTable"
    assert api.environment["KEY_ID"] == "arn:aws:kms:eu-west-3:123456789012:key/key-1"
    assert api.environment["CLASSIFY_QUEUE_URL"].endswith("/inbox-local-ClassifyQueue")
    assert api.environment["WEBHOOK_MAX_BODY_BYTES"] == "262144"
    assert api.environment["POWERTOOLS_METRICS_NAMESPACE"] == "Inbox"


def test_template_function_environment_adds_lambda_variables_and_drops_the_users_aws_settings():
    template = _project(Template.load(REPO / "template.yaml"))
    (api,) = [s for s in function_specs(template) if s.logical_id == "ApiFunction"]
    env = function_environment(
        api,
        endpoint_url="http://127.0.0.1:5000",
        region="eu-west-3",
        base={"PATH": "/bin", "AWS_PROFILE": "production", "AWS_ACCESS_KEY_ID": "testing"},
    )
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5000"
    assert env["AWS_DEFAULT_REGION"] == env["AWS_REGION"] == "eu-west-3"
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == api.name
    assert env["TABLE_NAME"] == api.environment["TABLE_NAME"]
    assert env["PATH"] == "/bin"
    assert "AWS_PROFILE" not in env


def test_template_http_routes_carry_the_jwt_authorizer_unless_auth_is_none():
    template = _project(Template.load(REPO / "template.yaml"))
    routes = {r.key: r for r in http_routes(template)}
    proxy = routes["ANY /inbox/{proxy+}"]
    assert proxy.authorizer is not None
    assert proxy.authorizer.issuer == "https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_pool"
    assert proxy.authorizer.audience == ["client123"]
    assert routes["POST /inbox/webhooks/custom/{integration_id}"].authorizer is None
    assert routes["GET /inbox/openapi.json"].authorizer is None
    assert proxy.cors is not None
    assert proxy.cors.allow_origins == ["http://localhost:3000"]
    assert proxy.cors.max_age == 600


EVENT_SOURCES = {
    "Queue": {"Type": "AWS::SQS::Queue"},
    "Worker": {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "CodeUri": "functions/api/",
            "Handler": "app.handler",
            "Runtime": "python3.13",
            "Events": {
                "Jobs": {
                    "Type": "SQS",
                    "Properties": {
                        "Queue": {"Fn::GetAtt": ["Queue", "Arn"]},
                        "BatchSize": 5,
                        "MaximumBatchingWindowInSeconds": 2,
                        "FunctionResponseTypes": ["ReportBatchItemFailures"],
                    },
                },
                "Tick": {"Type": "Schedule", "Properties": {"Schedule": "rate(5 minutes)"}},
                "Nightly": {
                    "Type": "ScheduleV2",
                    "Properties": {
                        "ScheduleExpression": "cron(0 2 * * ? *)",
                        "ScheduleExpressionTimezone": "Europe/Paris",
                        "Input": '{"job": "nightly"}',
                    },
                },
                "Off": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)", "Enabled": False}},
            },
        },
    },
}


def test_template_lists_sqs_sources_and_schedules():
    template = make(EVENT_SOURCES)
    template.physical["Queue"] = Physical("url", {"Arn": "arn:aws:sqs:eu-west-3:123456789012:jobs"})
    (sqs,) = sqs_sources(template)
    assert (sqs.function, sqs.queue_arn, sqs.batch_size, sqs.batching_window) == (
        "Worker",
        "arn:aws:sqs:eu-west-3:123456789012:jobs",
        5,
        2.0,
    )
    assert sqs.report_batch_item_failures is True
    schedules = {s.expression: s for s in schedule_sources(template)}
    assert set(schedules) == {"rate(5 minutes)", "cron(0 2 * * ? *)"}
    assert schedules["cron(0 2 * * ? *)"].input == {"job": "nightly"}
    assert schedules["cron(0 2 * * ? *)"].timezone == "Europe/Paris"
    assert schedules["rate(5 minutes)"].input is None
