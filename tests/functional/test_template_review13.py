"""template.yaml properties the issue 13 review asked for (outbound webhooks, the team)."""

from __future__ import annotations


def test_template_the_webhook_worker_outlives_a_batch_of_posts_each_to_its_deadline(template):
    from inbox.adapters.webhook_http import DEADLINE_SECONDS

    worker = template["Resources"]["WebhookDeliveryFunction"]["Properties"]
    source = worker["Events"]["Deliveries"]["Properties"]
    assert source["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # Each POST ends by its deadline; the rest (a read, a decrypt, a write, a send per job) has room left.
    assert int(worker["Timeout"]) >= source["BatchSize"] * DEADLINE_SECONDS + 10
    queue = template["Resources"]["WebhookDeliveryQueue"]["Properties"]
    assert int(queue["VisibilityTimeout"]) >= 6 * int(worker["Timeout"])


def test_template_the_events_publisher_sends_what_it_gives_up_to_a_queue_that_alarms(template):
    resources = template["Resources"]
    source = resources["EventsFunction"]["Properties"]["Events"]["TableChanges"]["Properties"]
    failure = source["DestinationConfig"]["OnFailure"]
    assert failure["Type"] == "SQS"
    queue = failure["Destination"]["Fn::GetAtt"]
    assert queue[1] == "Arn"
    assert resources[queue[0]]["Type"] == "AWS::SQS::Queue"
    alarms = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::CloudWatch::Alarm" and r["Properties"]["Namespace"] == "AWS/SQS"
    ]
    assert any(a["Dimensions"][0]["Value"] == {"Fn::GetAtt": [queue[0], "QueueName"]} for a in alarms)


def test_template_tokens_are_short_lived_and_the_api_may_sign_a_disabled_person_out(template):
    client = template["Resources"]["UserPoolClient"]["Properties"]
    units = client["TokenValidityUnits"]
    for token in ("IdToken", "AccessToken"):
        assert units[token] == "minutes"
        assert int(client[f"{token}Validity"]) <= 15
    people = [
        s
        for s in (
            statement
            for policy in template["Resources"]["ApiFunction"]["Properties"]["Policies"]
            if isinstance(policy, dict) and "Statement" in policy
            for statement in policy["Statement"]
        )
        if s.get("Sid") == "People"
    ]
    assert "cognito-idp:AdminUserGlobalSignOut" in people[0]["Action"]


def test_template_the_invitation_is_in_french_and_english_with_the_apps_address():
    from helpers.events import REPO
    from local.template import Template

    pool = Template.load(REPO / "template.yaml", parameters={"WebOrigin": "https://inbox.example.com"})
    invitation = pool.resolve(
        pool.resources["UserPool"]["Properties"]["AdminCreateUserConfig"]["InviteMessageTemplate"]
    )
    subject, body = invitation["EmailSubject"], invitation["EmailMessage"]
    assert "invitation" in subject.lower()
    assert "Votre" in subject
    assert "Your" in subject
    assert len(subject) <= 140
    assert body.count("{username}") == 2
    assert body.count("{####}") == 2
    assert "https://inbox.example.com" in body
    assert "Mot de passe temporaire" in body
    assert "Temporary password" in body
    assert len(body) <= 20_000
