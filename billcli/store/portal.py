"""Portal configurations and sessions in the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Owned
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.portal import PortalConfiguration, PortalSession

RECORDS = "billcli.core.records.portal"
CONFIGURATIONS = Mapper["PortalConfiguration"](
    RECORDS, "PortalConfiguration", "portal_configurations"
)
SESSIONS = Mapper["PortalSession"](RECORDS, "PortalSession", "portal_sessions")


class PortalConfigurations:
    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, configuration_id: str) -> PortalConfiguration | None:
        return CONFIGURATIONS.get(self.conn, configuration_id)

    def default(self) -> PortalConfiguration | None:
        return CONFIGURATIONS.find(self.conn, "is_default", 1)

    def by_login_secret(self, secret: str) -> PortalConfiguration | None:
        return CONFIGURATIONS.find(self.conn, "login_secret", secret)

    def add(self, configuration: PortalConfiguration) -> None:
        CONFIGURATIONS.add_many(self.conn, [configuration])

    def save(self, configuration: PortalConfiguration) -> None:
        CONFIGURATIONS.save(self.conn, configuration)

    def page(
        self, request: PageRequest, *, active: bool | None = None, is_default: bool | None = None
    ) -> tuple[list[PortalConfiguration], bool]:
        clauses, params = ["TRUE"], []
        for column, wanted in (("active", active), ("is_default", is_default)):
            if wanted is not None:
                clauses.append(f"{column} = ?")
                params.append(int(wanted))
        return fetch_page(
            self.conn,
            CONFIGURATIONS,
            kind="billing_portal.configuration",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )

    def all(self) -> Iterator[PortalConfiguration]:
        for row in self.conn.execute(f"{CONFIGURATIONS.select} ORDER BY seq"):
            yield CONFIGURATIONS.record(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM portal_configurations").fetchone()[0])


class PortalSessions(Owned):
    owner = "customer"

    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, session: PortalSession) -> None:
        SESSIONS.add_many(self.conn, [session])
        self.claim([session])

    def save(self, session: PortalSession) -> None:
        SESSIONS.save(self.conn, session)
        self.claim([session])

    def by_secret_hash(self, secret_hash: str) -> PortalSession | None:
        return self.claimed(SESSIONS.find(self.conn, "secret_hash", secret_hash))

    def by_cookie_hash(self, cookie_hash: str) -> PortalSession | None:
        return self.claimed(SESSIONS.find(self.conn, "cookie_hash", cookie_hash))

    def all(self) -> Iterator[PortalSession]:
        for row in self.conn.execute(f"{SESSIONS.select} ORDER BY seq"):
            yield SESSIONS.record(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM portal_sessions").fetchone()[0])
