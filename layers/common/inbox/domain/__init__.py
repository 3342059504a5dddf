"""Pure logic: no I/O, no boto3, no adapters."""
