"""The repositories of a transaction, each imported and built on first use: a command
imports only the tables it touches."""

from __future__ import annotations

import importlib
from typing import Any, Generic, TypeVar, overload

from billcli.store.mapping import Owned

R = TypeVar("R")


class Lazy(Generic[R]):
    """A Tx attribute holding one repository, imported and built on first use; one whose
    objects belong to customers is handed the transaction's `owns` (its clock rule)."""

    def __init__(self, module: str, name: str):
        self.module, self.name = f"billcli.store.{module}", name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, tx: None, owner: type[Any]) -> Lazy[R]: ...

    @overload
    def __get__(self, tx: Any, owner: type[Any]) -> R: ...

    def __get__(self, tx: Any, owner: type[Any]) -> R | Lazy[R]:
        if tx is None:
            return self  # looked up on the class (as dataclass does): import nothing
        repository: R = getattr(importlib.import_module(self.module), self.name)(tx.conn)
        if isinstance(repository, Owned):
            repository.decided_by(tx.owns)
        tx.__dict__[self.attribute] = repository
        return repository
