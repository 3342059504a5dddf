"""The Docker-free local stack: `python -m local` runs template.yaml on this machine.

moto's server stands in for DynamoDB, S3, SQS, KMS and Cognito (state.py, resources/); each
function runs in a long-lived worker process (runtime.py) behind an API Gateway HTTP API look-alike
(gateway.py), SQS pollers (pollers.py) and schedules (schedules.py); a demo tenant is seeded through
the real API (seed.py). Worker processes import this package too, so it imports nothing itself.
"""
