"""`billcli products`: what is sold."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list, print_search
from billcli.render.output import emit_object


def _shown(options: dict[str, Any]) -> dict[str, Any]:
    """`--image` and `--marketing-feature` as the API's lists (a lone '' clears one)."""
    given = dict(options)
    images, features = given.pop("image", None), given.pop("marketing_feature", None)
    if images:
        given["images"] = "" if images == [""] else images
    if features:
        given["marketing_features"] = (
            "" if features == [""] else [{"name": name} for name in features]
        )
    return given


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import products

    with open_ledger(ledger) as book:
        created = products.create(
            book, input_of(products.ProductInput, _shown(options)), idempotency_key=idempotency_key
        )
        emit_object(created, as_json=as_json, title="Product created")


def list_(*, active: bool | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import products

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: products.list_products(book, request, active=active),
            "product",
            **listing,
        )


def show(*, product: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import products

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(products.show(book, product), as_json=as_json, title="Product")


def update(*, product: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import products

    with open_ledger(ledger) as book:
        updated = products.update(book, product, input_of(products.ProductInput, _shown(options)))
        emit_object(updated, as_json=as_json, title="Product updated")


def delete(*, product: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import products

    with open_ledger(ledger) as book:
        emit_object(products.delete(book, product), as_json=as_json, title="Product deleted")


def search(*, query: str, **options: Any) -> None:
    print_search("product", query, **options)
