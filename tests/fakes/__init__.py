"""Loopback fakes of the SaaS we cannot run, speaking their real wire formats."""
