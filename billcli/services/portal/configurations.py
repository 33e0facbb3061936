"""Portal configurations: what customers may do in the portal, and which one is default."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from billcli.core import limits, objects
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.portal import (
    ALLOWED_UPDATES,
    CANCEL_MODES,
    CANCEL_PRORATIONS,
    CANCELLATION_REASONS,
    PRORATION_BEHAVIORS,
    SUBSCRIPTION_UPDATES,
    check_cancellation,
    check_url,
    choices,
    default_features,
    new_secret,
    parse_update_products,
)
from billcli.core.records.portal import PortalConfiguration
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

_PROFILE_FIELDS = ("headline", "privacy_policy_url", "terms_of_service_url")


@dataclass(frozen=True)
class ConfigurationInput:
    """Configuration options as typed; None means "not given", "" clears a text."""

    headline: str | None = None
    privacy_policy_url: str | None = None
    terms_of_service_url: str | None = None
    default_return_url: str | None = None
    invoice_history: bool | None = None
    customer_update: str | None = None
    payment_method_update: bool | None = None
    subscription_cancel: bool | None = None
    cancellation_mode: str | None = None
    cancellation_reasons: str | None = None
    cancellation_proration: str | None = None
    subscription_pause: bool | None = None
    subscription_update: bool | None = None
    subscription_update_allows: str | None = None
    subscription_proration: str | None = None
    subscription_update_products: tuple[str, ...] = ()
    login_page: bool | None = None
    active: bool | None = None
    default: bool = False
    metadata: tuple[str, ...] = ()
    name: str | None = None  # how the Dashboard lists it ("" clears it)

    def checked(self) -> ConfigurationInput:
        """Every check that needs no ledger, done before the transaction opens."""
        limits.text("billing_portal.configuration", "name", self.name)
        for param in ("privacy_policy_url", "terms_of_service_url", "default_return_url"):
            check_url(getattr(self, param), param)
        limits.text("billing_portal.configuration", "headline", self.headline)
        self._applied(default_features())  # each value; combined, on what it applies to
        parse_pairs(self.metadata)
        return self

    def business_profile(self, current: dict[str, Any]) -> dict[str, Any]:
        profile = dict(current)
        for name in _PROFILE_FIELDS:
            given = getattr(self, name)
            if given is not None:
                profile[name] = given or None
        return profile

    def features(self, current: dict[str, Any]) -> dict[str, Any]:
        """`current` with every feature option given applied, checked as a whole: an
        update is valid when the configuration it makes is (its cancellation mode may be
        the stored one)."""
        features = self._applied(current)
        check_cancellation(features["subscription_cancel"])
        return features

    def _applied(self, current: dict[str, Any]) -> dict[str, Any]:
        features = copy.deepcopy(current)
        if self.invoice_history is not None:
            features["invoice_history"]["enabled"] = self.invoice_history
        if self.payment_method_update is not None:
            features["payment_method_update"]["enabled"] = self.payment_method_update
        if self.customer_update is not None:
            allowed = choices(self.customer_update, ALLOWED_UPDATES, "customer_update")
            features["customer_update"] = {"allowed_updates": allowed, "enabled": bool(allowed)}
        cancel = features["subscription_cancel"]
        if self.subscription_cancel is not None:
            cancel["enabled"] = self.subscription_cancel
        if self.cancellation_mode is not None:
            cancel["mode"] = check_choice(self.cancellation_mode, CANCEL_MODES, "cancellation_mode")
        if self.cancellation_reasons is not None:
            reasons = choices(
                self.cancellation_reasons, CANCELLATION_REASONS, "cancellation_reasons"
            )
            cancel["cancellation_reason"] = {"enabled": bool(reasons), "options": reasons}
        if self.cancellation_proration is not None:
            cancel["proration_behavior"] = check_choice(
                self.cancellation_proration, CANCEL_PRORATIONS, "cancellation_proration"
            )
        if self.subscription_pause is not None:
            features["subscription_pause"]["enabled"] = self.subscription_pause
        update = features["subscription_update"]
        if self.subscription_update is not None:
            update["enabled"] = self.subscription_update
        if self.subscription_update_allows is not None:
            update["default_allowed_updates"] = choices(
                self.subscription_update_allows, SUBSCRIPTION_UPDATES, "subscription_update_allows"
            )
        if self.subscription_proration is not None:
            update["proration_behavior"] = check_choice(
                self.subscription_proration, PRORATION_BEHAVIORS, "subscription_proration"
            )
        if self.subscription_update_products:
            update["products"] = parse_update_products(self.subscription_update_products)
        return features

    def login_secret(self, current: str | None) -> str | None:
        """Enabling the login page makes a new URL; disabling it retires the old one."""
        if self.login_page is None:
            return current
        if not self.login_page:
            return None
        return current or new_secret()


def _object(tx: Tx, configuration: PortalConfiguration) -> dict[str, Any]:
    return objects.portal_configuration(configuration, public_url=settings.value(tx, "public_url"))


def find(tx: Tx, configuration_id: str, *, param: str = "configuration") -> PortalConfiguration:
    kind = "billing_portal.configuration"
    return found(kind, configuration_id, tx.portal_configurations.get, param=param)


def _take_default(tx: Tx) -> None:
    """Clear the current default, so that exactly one remains after the caller sets it."""
    current = tx.portal_configurations.default()
    if current is not None:
        unset = replace(current, is_default=False, updated=tx.now)
        tx.portal_configurations.save(unset)
        after = _object(tx, unset)
        record(
            tx,
            "billing_portal.configuration.updated",
            after,
            previous=objects.changed_attributes(_object(tx, current), after),
        )


def _check_products(tx: Tx, features: dict[str, Any]) -> None:
    """The products customers may switch between exist, with recurring prices of theirs."""

    for number, entry in enumerate(features["subscription_update"]["products"]):
        param = f"features[subscription_update][products][{number}]"
        product = products.find(tx, entry["product"], param=f"{param}[product]")
        for price_id in entry["prices"]:
            price = prices.find(tx, price_id, param=f"{param}[prices]")
            if price.product != product.id or price.type != "recurring":
                raise InvalidRequest(
                    f"Invalid {param}[prices]: {price.id} is not a recurring price of {product.id}",
                    param=f"{param}[prices]",
                )


def create(ledger: Ledger, data: ConfigurationInput) -> dict[str, Any]:
    """A new configuration; the first one, or one made with `--default`, is the default."""
    data.checked()
    if data.active is False:
        raise InvalidRequest(
            "Invalid active: a configuration is created active; deactivate it with update",
            param="active",
        )
    with ledger.write() as tx:
        first = tx.portal_configurations.default() is None
        if data.default and not first:
            _take_default(tx)
        empty_profile = dict.fromkeys(_PROFILE_FIELDS)
        configuration = PortalConfiguration(
            id=new_id("billing_portal.configuration"),
            created=tx.now,
            updated=tx.now,
            active=True,
            is_default=first or data.default,
            business_profile=data.business_profile(empty_profile),
            features=data.features(default_features()),
            default_return_url=data.default_return_url or None,
            login_secret=data.login_secret(None),
            metadata=merged({}, parse_pairs(data.metadata)),
            name=data.name or None,
        )
        _check_products(tx, configuration.features)
        tx.portal_configurations.add(configuration)
        result = _object(tx, configuration)
        record(tx, "billing_portal.configuration.created", result)
        return result


def update(ledger: Ledger, configuration_id: str, data: ConfigurationInput) -> dict[str, Any]:
    """Change a configuration; the default stays active, and `--default` moves it here."""
    data.checked()
    with ledger.write() as tx:
        before = find(tx, configuration_id, param="id")
        default = before.is_default or data.default
        active = before.active if data.active is None else data.active
        if default and not active:
            raise InvalidRequest(
                f"Invalid active: {before.id} is the default configuration and cannot be "
                "deactivated; make another one the default first (update OTHER --default)",
                param="active",
            )
        if data.default and not before.is_default:
            _take_default(tx)
        after = replace(
            before,
            active=active,
            is_default=default,
            business_profile=data.business_profile(before.business_profile),
            features=data.features(before.features),
            default_return_url=(
                before.default_return_url
                if data.default_return_url is None
                else data.default_return_url or None
            ),
            login_secret=data.login_secret(before.login_secret),
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
            name=before.name if data.name is None else data.name or None,
        )
        _check_products(tx, after.features)
        old = _object(tx, before)
        if _object(tx, after) == old:
            return old
        after = replace(after, updated=tx.now)
        result = _object(tx, after)
        tx.portal_configurations.save(after)
        record(
            tx,
            "billing_portal.configuration.updated",
            result,
            previous=objects.changed_attributes(old, result),
        )
        return result


def show(ledger: Ledger, configuration_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return _object(tx, find(tx, configuration_id, param="id"))


def list_configurations(
    ledger: Ledger,
    request: PageRequest,
    *,
    active: bool | None = None,
    is_default: bool | None = None,
) -> Page:
    with ledger.read() as tx:
        found, has_more = tx.portal_configurations.page(
            request, active=active, is_default=is_default
        )
        data = [_object(tx, configuration) for configuration in found]
    return Page("/v1/billing_portal/configurations", data, has_more)
