"""Customer tax IDs: the types Stripe accepts, the shape of each one's value, and what
verification a test-mode value comes to.

Stripe checks a value against its type's format when it is created and refuses one that
does not fit (`tax_id_invalid`). It verifies EU and UK VAT numbers and Australian ABNs
with the government's registry, asynchronously; in test mode its documented magic
values decide the outcome. billcli settles verification at creation (a pending status
would wait on nothing), so a tax ID is never left `pending`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from billcli.errors import InvalidRequest

# "A customer can have up to 25 tax IDs" (Stripe's customer tax ID guide).
MAX_PER_CUSTOMER = 25

# The EU member states' VAT prefixes (Greece's is EL; XI is Northern Ireland, which
# keeps EU VAT for goods) and the country each one means.
_EU_PREFIXES = {
    **{c: c for c in "AT BE BG CY CZ DE DK EE ES FI FR HR HU IE IT LT LU".split()},
    **{c: c for c in "LV MT NL PL PT RO SE SI SK".split()},
    "EL": "GR",
    "XI": "GB",
}


@dataclass(frozen=True)
class TaxIdType:
    """A type's value format (Stripe's table of examples) and its country (None: the
    value's prefix decides)."""

    pattern: str
    example: str
    country: str | None


def _t(pattern: str, example: str, country: str | None) -> TaxIdType:
    return TaxIdType(pattern, example, country)


# Formats of Stripe's "Supported tax ID types" table, for the types of the 2023 API.
TYPES: dict[str, TaxIdType] = {
    "ad_nrt": _t(r"[A-Z]-\d{6}-[A-Z]", "A-123456-Z", "AD"),
    "ae_trn": _t(r"\d{15}", "123456789012345", "AE"),
    "ar_cuit": _t(r"\d{2}-\d{7,8}-\d", "12-3456789-01", "AR"),
    "au_abn": _t(r"\d{11}", "12345678912", "AU"),
    "au_arn": _t(r"\d{12}", "123456789123", "AU"),
    "bg_uic": _t(r"\d{9}", "123456789", "BG"),
    "bo_tin": _t(r"\d{9}", "123456789", "BO"),
    "br_cnpj": _t(r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}", "01.234.456/5432-10", "BR"),
    "br_cpf": _t(r"\d{3}\.\d{3}\.\d{3}-\d{2}", "123.456.789-87", "BR"),
    "ca_bn": _t(r"\d{9}", "123456789", "CA"),
    "ca_gst_hst": _t(r"\d{9}RT\d{4}", "123456789RT0002", "CA"),
    "ca_pst_bc": _t(r"PST-\d{4}-\d{4}", "PST-1234-5678", "CA"),
    "ca_pst_mb": _t(r"\d{6}-\d", "123456-7", "CA"),
    "ca_pst_sk": _t(r"\d{7}", "1234567", "CA"),
    "ca_qst": _t(r"\d{10}TQ\d{4}", "1234567890TQ1234", "CA"),
    "ch_vat": _t(r"CHE-\d{3}\.\d{3}\.\d{3} (MWST|TVA|IVA)", "CHE-123.456.789 MWST", "CH"),
    "cl_tin": _t(r"\d{2}\.\d{3}\.\d{3}-[0-9K]", "12.345.678-K", "CL"),
    "cn_tin": _t(r"[0-9A-Z]{18}", "123456789012345678", "CN"),
    "co_nit": _t(r"\d{3}\.\d{3}\.\d{3}-\d", "123.456.789-0", "CO"),
    "cr_tin": _t(r"\d-\d{3}-\d{6}", "1-234-567890", "CR"),
    "do_rcn": _t(r"\d{3}-\d{7}-\d", "123-4567890-1", "DO"),
    "ec_ruc": _t(r"\d{13}", "1234567890001", "EC"),
    "eg_tin": _t(r"\d{9}", "123456789", "EG"),
    "es_cif": _t(r"[A-Z]\d{8}", "A12345678", "ES"),
    "eu_oss_vat": _t(r"EU\d{9}", "EU123456789", None),
    "eu_vat": _t(r"(DE\d{9}|[A-Z]{2}[0-9A-Z+*]{8,12})", "DE123456789", None),
    "gb_vat": _t(r"GB(\d{9}|\d{12})", "GB123456789", "GB"),
    "ge_vat": _t(r"\d{9}", "123456789", "GE"),
    "hk_br": _t(r"\d{8}", "12345678", "HK"),
    "hu_tin": _t(r"\d{8}-\d-\d{2}", "12345678-1-23", "HU"),
    "id_npwp": _t(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}", "12.345.678.9-012.345", "ID"),
    "il_vat": _t(r"\d{9}", "000012345", "IL"),
    "in_gst": _t(r"\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z]", "12ABCDE3456FGZH", "IN"),
    "is_vat": _t(r"\d{5,6}", "123456", "IS"),
    "jp_cn": _t(r"\d{13}", "1234567891234", "JP"),
    "jp_rn": _t(r"\d{5}", "12345", "JP"),
    "jp_trn": _t(r"T\d{13}", "T1234567891234", "JP"),
    "ke_pin": _t(r"P\d{9}[A-Z]", "P000111111A", "KE"),
    "kr_brn": _t(r"\d{3}-\d{2}-\d{5}", "123-45-67890", "KR"),
    "li_uid": _t(r"CHE\d{9}", "CHE123456789", "LI"),
    "mx_rfc": _t(r"[A-Z&]{3,4}\d{6}[0-9A-Z]{3}", "ABC010203AB9", "MX"),
    "my_frp": _t(r"\d{8}", "12345678", "MY"),
    "my_itn": _t(r"C \d{10}", "C 1234567890", "MY"),
    "my_sst": _t(r"[A-Z]\d{2}-\d{4}-\d{8}", "A12-3456-78912345", "MY"),
    "no_vat": _t(r"\d{9}MVA", "123456789MVA", "NO"),
    "nz_gst": _t(r"\d{8,9}", "123456789", "NZ"),
    "pe_ruc": _t(r"\d{11}", "12345678901", "PE"),
    "ph_tin": _t(r"\d{12}", "123456789012", "PH"),
    "ro_tin": _t(r"\d{13}", "1234567890123", "RO"),
    "rs_pib": _t(r"\d{9}", "123456789", "RS"),
    "ru_inn": _t(r"\d{10}(\d{2})?", "1234567891", "RU"),
    "ru_kpp": _t(r"\d{9}", "123456789", "RU"),
    "sa_vat": _t(r"\d{15}", "123456789012345", "SA"),
    "sg_gst": _t(r"[A-Z]\d{8}[A-Z]", "M12345678X", "SG"),
    "sg_uen": _t(r"\d{9}[A-Z]", "123456789F", "SG"),
    "si_tin": _t(r"\d{8}", "12345678", "SI"),
    "sv_nit": _t(r"\d{4}-\d{6}-\d{3}-\d", "0000-000000-000-0", "SV"),
    "th_vat": _t(r"\d{13}", "1234567891234", "TH"),
    "tr_tin": _t(r"\d{10}", "0123456789", "TR"),
    "tw_vat": _t(r"\d{8}", "12345678", "TW"),
    "ua_vat": _t(r"\d{9}", "123456789", "UA"),
    "us_ein": _t(r"\d{2}-\d{7}", "12-3456789", "US"),
    "uy_ruc": _t(r"\d{12}", "123456789012", "UY"),
    "ve_rif": _t(r"[A-Z]-\d{8}-\d", "A-12345678-9", "VE"),
    "vn_tin": _t(r"\d{10}", "1234567890", "VN"),
    "za_vat": _t(r"4\d{9}", "4123456789", "ZA"),
}

# Stripe's test-mode magic values: what the registry answers for each verifiable type.
# Any other value of these types is `unavailable` (no registry is asked in test mode).
VERIFICATION_VALUES: dict[str, dict[str, str]] = {
    "eu_vat": {
        "DE123456789": "verified",
        "DE123456710": "unverified",
        "DE111111111": "unavailable",
    },
    "gb_vat": {
        "GB123456789": "verified",
        "GB123456710": "unverified",
        "GB111111111": "unavailable",
    },
    "au_abn": {
        "12345678912": "verified",
        "12345678913": "unverified",
        "11111111111": "unavailable",
    },
}


def checked(type_: str, value: str) -> tuple[str, str | None]:
    """The value as stored and the tax ID's country; `tax_id_invalid` naming the
    parameter when the type is unknown or the value does not fit its format."""
    kind = TYPES.get(type_)
    if kind is None:
        raise InvalidRequest(
            f"Invalid type: '{type_}' is not a supported tax ID type (e.g. eu_vat, us_ein)",
            param="type",
            code="tax_id_invalid",
        )
    value = value.strip()
    if not re.fullmatch(kind.pattern, value):
        raise InvalidRequest(
            f"Invalid value for {type_}: '{value}' (expected the format of {kind.example})",
            param="value",
            code="tax_id_invalid",
        )
    if type_ != "eu_vat":
        return value, kind.country
    country = _EU_PREFIXES.get(value[:2])
    if country is None:
        raise InvalidRequest(
            f"Invalid value for eu_vat: '{value}' does not start with an EU country's prefix",
            param="value",
            code="tax_id_invalid",
        )
    return value, country


def verification_status(type_: str, value: str) -> str:
    """What verifying the value comes to, at once: a magic value's outcome, or
    `unavailable`."""
    return VERIFICATION_VALUES.get(type_, {}).get(value, "unavailable")
