"""What the HTTP API takes and returns, one module per router; the OpenAPI document is generated from these.

The API function alone loads them: the webhook functions never do (`errors.py` imports them lazily).
"""
