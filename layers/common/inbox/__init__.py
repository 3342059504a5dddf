"""Inbox: the shared package of every function (domain, services, adapters, HTTP routers)."""
