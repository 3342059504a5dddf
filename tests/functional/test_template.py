"""The template as AWS will read it: SAM's linter, cfn-lint, a real `sam build`, and our own rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

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
