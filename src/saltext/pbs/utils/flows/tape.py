"""Flows of tape devices: what the host has."""


def scan(client, what: str) -> list[dict]:
    """The tape devices (``drives``) or changers (``changers``) the host has."""
    return client.get(f"/tape/scan-{what}").data or []
