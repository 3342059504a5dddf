"""The template as AWS will read it: SAM's linter, cfn-lint, a real `sam build`, and our own rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.events import REPO

TOOLS = REPO / ".venv-tools" / "bin"


def run_tool(*command: str, cwd: Path = REPO) -> str:
    assert (TOOLS / command[0]).exists(), "the tools environment is missing: run `make tools`"
    # `sam build` needs a python of the runtime's version on PATH: the one running the tests.
    path = f"{Path(sys.base_prefix) / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env = os.environ | {"AWS_DEFAULT_REGION": "eu-west-3", "SAM_CLI_TELEMETRY": "0", "PATH": path}
    result = subprocess.run(
        [str(TOOLS / command[0]), *command[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def test_template_passes_sam_validate_with_lint():
    assert "is a valid SAM Template" in run_tool("sam", "validate", "--lint")


def test_template_passes_cfn_lint():
    run_tool("cfn-lint", "template.yaml")


def test_template_builds_every_function_and_the_layer(tmp_path):
    run_tool("sam", "build", "--build-dir", str(tmp_path / "build"))
    layer = tmp_path / "build" / "CommonLayer" / "python"
    assert (layer / "inbox" / "services" / "ingest.py").exists()
    assert (layer / "pydantic").is_dir()
    assert (layer / "aws_lambda_powertools").is_dir()
    assert (tmp_path / "build" / "ApiFunction" / "app.py").exists()


def functions(template) -> dict:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == "AWS::Serverless::Function"}


def test_template_functions_point_at_real_handlers(template):
    for name, function in functions(template).items():
        module, _, handler = function["Properties"]["Handler"].rpartition(".")
        source = REPO / function["Properties"]["CodeUri"] / f"{module}.py"
        assert source.exists(), name
        assert f"def {handler}(" in source.read_text(), name


def test_template_runtime_matches_the_python_of_the_tests(template):
    runtime = template["Globals"]["Function"]["Runtime"]
    assert runtime == f"python{sys.version_info.major}.{sys.version_info.minor}"


def test_template_queues_have_dead_letter_queues_explicit_sizes_and_long_enough_visibility(template):
    resources = template["Resources"]
    queues = {k: v.get("Properties", {}) for k, v in resources.items() if v["Type"] == "AWS::SQS::Queue"}
    dead_letter = {
        q["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0] for q in queues.values() if "RedrivePolicy" in q
    }
    dead_letter |= {  # where a stream reader sends the batches it gives up
        e["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
        for f in functions(template).values()
        for e in f["Properties"].get("Events", {}).values()
        if "DestinationConfig" in e.get("Properties", {})
    }
    dead_letter |= set(failure_destinations(template).values())  # an async invocation's, after its retries
    assert dead_letter, "no queue has a dead-letter queue"
    for name, properties in queues.items():
        assert "MaximumMessageSize" in properties, name
        assert name in dead_letter or "RedrivePolicy" in properties, f"{name} has no dead-letter queue"
    default_timeout = template["Globals"]["Function"]["Timeout"]
    for name, function in functions(template).items():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]
                timeout = function["Properties"].get("Timeout", default_timeout)
                assert queues[queue]["VisibilityTimeout"] >= 6 * timeout, (name, queue)


def test_template_policies_never_allow_a_table_scan_or_wildcard_actions(template):
    for name, function in functions(template).items():
        for policy in function["Properties"].get("Policies", []):
            assert isinstance(policy, dict), f"{name} uses a managed policy template; write least privilege"
            for statement in policy["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert "dynamodb:Scan" not in actions, name
                assert all(not a.endswith("*") for a in actions), name


@pytest.mark.parametrize(
    ("resource", "check"),
    [
        ("InboxTable", lambda p: p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]),
        ("InboxTable", lambda p: p["SSESpecification"]["SSEEnabled"]),
        ("InboxTable", lambda p: p["TimeToLiveSpecification"]["Enabled"]),
        ("InboxKey", lambda p: p["EnableKeyRotation"]),
        ("BlobBucket", lambda p: p["VersioningConfiguration"]["Status"] == "Enabled"),
        ("BlobBucket", lambda p: all(p["PublicAccessBlockConfiguration"].values())),
    ],
)
def test_template_protects_the_data_at_rest(template, resource, check):
    assert check(template["Resources"][resource]["Properties"])


def failure_destinations(template) -> dict[str, str]:
    """Each function invoked asynchronously that keeps what failed every try: the queue, by function."""
    found = {}
    for name, function in functions(template).items():
        destination = function["Properties"].get("EventInvokeConfig", {}).get("DestinationConfig", {})
        if "OnFailure" in destination:
            found[name] = destination["OnFailure"]["Destination"]["Fn::GetAtt"][0]
    return found


def queues_with_dead_letter_queues(template) -> dict[str, tuple[dict, dict]]:
    """Each queue that has a DLQ: its properties and its DLQ's, read from template.yaml."""
    resources = template["Resources"]
    found = {}
    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::SQS::Queue" and "RedrivePolicy" in properties:
            dlq = properties["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            found[name] = (properties, resources[dlq]["Properties"])
    return found


def test_template_queues_keep_a_failing_message_until_it_reaches_its_dead_letter_queue(template):
    queues = queues_with_dead_letter_queues(template)
    assert {"ClassifyQueue", "SyncQueue", "AutoReplyQueue", "VonageQueue"} <= set(queues)
    for name, (queue, dlq) in queues.items():
        tries = int(queue["RedrivePolicy"]["maxReceiveCount"])
        retention = int(queue.get("MessageRetentionPeriod", 345600))  # SQS's default: 4 days
        # Each try hides the message for the visibility timeout; the last one must end before it expires.
        assert retention >= tries * int(queue["VisibilityTimeout"]), name
        # A moved message keeps its first enqueue time: the DLQ must keep it longer than the queue did.
        assert int(dlq.get("MessageRetentionPeriod", 345600)) > retention, name


def test_template_every_dead_letter_queue_alarms_on_its_first_message_to_the_alarm_topic(template):
    from local.template import Template

    dead_letter_queues = {
        q["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q, _ in queues_with_dead_letter_queues(template).values()
    }
    dead_letter_queues |= set(failure_destinations(template).values())
    alarms = {
        props["Dimensions"][0]["Value"]["Fn::GetAtt"][0]: props
        for props in (r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm")
        if props["Namespace"] == "AWS/SQS"
    }
    topic = "arn:aws:sns:eu-west-3:123456789012:inbox-ops"
    notifying = Template.load(REPO / "template.yaml", parameters={"AlarmTopicArn": topic})
    silent = Template.load(REPO / "template.yaml")
    for dlq in dead_letter_queues:
        alarm = alarms.get(dlq)
        assert alarm is not None, f"{dlq} has no alarm"
        assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert alarm["Dimensions"][0]["Name"] == "QueueName"
        assert alarm["Dimensions"][0]["Value"]["Fn::GetAtt"][1] == "QueueName"
        assert (alarm["ComparisonOperator"], float(alarm["Threshold"])) == ("GreaterThanOrEqualToThreshold", 1)
        assert notifying.resolve(alarm["AlarmActions"]) == [topic]
        # Without a topic the alarm still exists (CloudWatch shows it), it just tells no one.
        assert "AlarmActions" not in silent.resolve({"AlarmActions": alarm["AlarmActions"]})


def test_template_a_queue_no_function_consumes_alarms_before_its_jobs_expire(template):
    """Jobs nobody takes never fail, so they never reach a DLQ: how long the oldest waited is what alarms."""
    consumed = {
        event["Properties"]["Queue"]["Fn::GetAtt"][0]
        for function in functions(template).values()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS"
    }
    unconsumed = set(queues_with_dead_letter_queues(template)) - consumed
    assert "AutoReplyQueue" in consumed  # by AutoReplyFunction (issue 12); its age alarm stays, for when it stops
    ages = {
        props["Dimensions"][0]["Value"]["Fn::GetAtt"][0]: props
        for props in (r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Alarm")
        if props["MetricName"] == "ApproximateAgeOfOldestMessage"
    }
    for queue in unconsumed:
        retention = int(template["Resources"][queue]["Properties"].get("MessageRetentionPeriod", 345600))
        assert queue in ages, f"{queue} has no consumer and no age alarm"
        assert float(ages[queue]["Threshold"]) < retention


def statements(function: dict) -> list[dict]:
    return [s for policy in function["Properties"].get("Policies", []) for s in policy["Statement"]]


def allows(function: dict, action: str, resource: str | None = None) -> bool:
    for statement in statements(function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        on_resource = resource is None or {"Fn::GetAtt": [resource, "Arn"]} in resources
        if statement["Effect"] == "Allow" and action in actions and on_resource:
            return True
    return False


# The functions that find copies nothing refers to (a webhook sent again after its conversation was
# deleted, files fetched for a message deleted meanwhile) and hand them to the purge worker.
DISCARDING = ("ApiFunction", "WebhookSmsFunction", "WebhookWhatsappFunction", "VonageWorkerFunction")


def test_template_only_the_purge_worker_may_delete_from_the_bucket_the_others_queue_it_jobs(template):
    deleting = {
        name
        for name, function in functions(template).items()
        for statement in statements(function)
        for action in (statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
        if action.startswith(("s3:DeleteObject", "s3:ListBucketVersions"))
    }
    assert deleting == {"PurgeFunction"}
    purge = functions(template)["PurgeFunction"]
    assert allows(purge, "s3:DeleteObjectVersion")
    assert allows(purge, "s3:ListBucketVersions")
    for name in DISCARDING:
        assert allows(functions(template)[name], "sqs:SendMessage", "PurgeQueue"), name


def test_template_the_functions_that_discard_copies_are_the_ones_whose_code_does():
    """DISCARDING is every function whose code builds a service that discards copies."""
    import re

    discarding_services = ("custom_webhooks", "vonage_webhooks", "media_fetcher", "conversation_deletion")
    wiring = (REPO / "layers/common/inbox/wiring.py").read_text()
    for service in discarding_services:
        body = wiring.split(f"def {service}(", 1)[1].split("\n\n\n", 1)[0]
        assert "blob_disposal()" in body or "purge_queue" in body, service
    built = {"api": "ApiFunction", "webhook_sms": "WebhookSmsFunction", "webhook_whatsapp": "WebhookWhatsappFunction"}
    built |= {"vonage_worker": "VonageWorkerFunction", "purge": "PurgeFunction"}
    sources = {name: (REPO / "functions" / folder / "app.py").read_text() for folder, name in built.items()}
    sources["ApiFunction"] += "".join(p.read_text() for p in (REPO / "layers/common/inbox/http").glob("*.py"))
    for name in ("WebhookSmsFunction", "WebhookWhatsappFunction"):
        sources[name] += (REPO / "layers/common/inbox/http/vonage.py").read_text()
    callers = {
        name for name, source in sources.items() if re.search(rf"wiring\.({'|'.join(discarding_services)})\(", source)
    }
    assert callers == {*DISCARDING, "PurgeFunction"}


def test_template_gives_each_handler_the_variables_it_says_it_needs(template):
    """Each handler declares with @needs(...) the variables it needs beyond the core ones; the template
    gives it those and the core ones (Globals and its own Environment)."""
    import ast

    from inbox.settings import Settings

    core = {name.upper() for name, field in Settings.model_fields.items() if field.is_required()}
    given_to_all = set(template["Globals"]["Function"]["Environment"]["Variables"])
    for name, function in functions(template).items():
        properties = function["Properties"]
        module, _, handler = properties["Handler"].rpartition(".")
        source = (REPO / properties["CodeUri"] / f"{module}.py").read_text()
        (entry,) = [node for node in ast.parse(source).body if getattr(node, "name", None) == handler]
        declared = [d for d in entry.decorator_list if isinstance(d, ast.Call) and getattr(d.func, "id", "") == "needs"]
        assert declared, f"{name}: {handler} does not say what it needs with @needs(...)"
        needed = core | {argument.value for argument in declared[0].args}
        given = given_to_all | set(properties.get("Environment", {}).get("Variables", {}))
        assert needed <= given, f"{name} is not given {sorted(needed - given)}"


def test_template_the_purge_cancels_a_deleted_conversations_schedules_and_makes_none(template):
    """A deleted conversation's task reminders, follow-ups, snooze and nudge are cancelled by the purge
    (issue 13 review): it may delete the group's schedules, never create one or pass the scheduler's role."""
    purge = functions(template)["PurgeFunction"]
    assert allows(purge, "scheduler:DeleteSchedule")
    assert not allows(purge, "scheduler:CreateSchedule")
    assert not allows(purge, "iam:PassRole")
    [cancel] = [s for s in statements(purge) if s.get("Sid") == "CancelSchedules"]
    assert cancel["Resource"]["Fn::Sub"].endswith(":schedule/${ScheduleGroup}/*")


# The functions that ingest a customer's message, whose listeners (services/ingest.py) cancel the
# conversation's follow-ups (a Query, then conditional writes) and end its nudge (a GetItem, a
# conditional DeleteItem, the schedule's DeleteSchedule). moto checks no IAM: only this test does.
INGESTING = ("SyncMailboxFunction", "WebhookSmsFunction", "WebhookWhatsappFunction", "VonageWorkerFunction")
LISTENERS_TABLE_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem")


def test_template_the_functions_that_ingest_may_do_what_the_ingests_listeners_do(template):
    for name in INGESTING:
        function = functions(template)[name]
        for action in LISTENERS_TABLE_ACTIONS:
            assert allows(function, action, "InboxTable"), (name, action)
        assert allows(function, "scheduler:DeleteSchedule"), name


def test_template_a_scheduled_job_that_failed_every_try_is_kept_not_dropped(template):
    """EventBridge Scheduler invokes ScheduledFunction asynchronously: after Lambda's retries, the
    failed invocation (the job in it) goes to a queue that alarms, instead of being dropped."""
    scheduled = functions(template)["ScheduledFunction"]["Properties"]["EventInvokeConfig"]
    assert scheduled["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
    assert failure_destinations(template) == {"ScheduledFunction": "ScheduledDLQ"}
    dlq = template["Resources"]["ScheduledDLQ"]["Properties"]
    assert int(dlq["MaximumMessageSize"]) == 262144  # an async invocation's event is up to 256 KB
    assert int(dlq["MessageRetentionPeriod"]) == 1209600
