"""Who is calling: taken from a verified token, never from a header the client controls."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    sub: str
    org: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    name: str | None = None
    client_id: str | None = None

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


def principal_from_state(state: object) -> Principal | None:
    principal = getattr(state, "principal", None)
    return principal if isinstance(principal, Principal) else None
