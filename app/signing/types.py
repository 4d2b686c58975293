"""The types every ký số module shares: the error, who signed (the signer certificate),
and an open key. app.signing.keys re-exports them (import them from there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509
from pyhanko.sign import signers

from app.errors import UserError


class SigningError(UserError):
    """A signature could not be made (no key set, wrong password or PIN, token removed,
    certificate expired): said in Vietnamese; whatever was signed before it stays signed."""


@dataclass(frozen=True)
class SignerCert:
    """Who signed: the signer certificate's subject, serial number and validity."""

    subject: str
    serial: str  # hexadecimal, as CAs print it
    valid_from: datetime
    valid_to: datetime

    @classmethod
    def of(cls, cert: x509.Certificate) -> SignerCert:
        validity = cert["tbs_certificate"]["validity"]
        return cls(
            subject=rfc4514(cert.subject),
            serial=format(cert.serial_number, "X"),
            valid_from=validity["not_before"].native,
            valid_to=validity["not_after"].native,
        )


@dataclass
class OpenKey:
    """A key ready to sign: the pyHanko signer and who it is."""

    signer: signers.Signer
    cert: SignerCert


# Short names as RFC 4514 and the CAs' own tools write them (CN=…, O=…, C=VN).
_SHORT = {
    "common_name": "CN",
    "organization_name": "O",
    "organizational_unit_name": "OU",
    "locality_name": "L",
    "state_or_province_name": "ST",
    "country_name": "C",
    "email_address": "E",
    "serial_number": "SERIALNUMBER",
    "title": "T",
    "user_id": "UID",
}


def rfc4514(name: x509.Name) -> str:
    """ "CN=Sở Khoa học và Công nghệ, O=UBND tỉnh Vĩnh Long, C=VN": most specific first."""
    parts = []
    for rdn in reversed(list(name.chosen)):
        for attr in rdn:
            kind = attr["type"].native
            short = _SHORT.get(kind, attr["type"].dotted)
            value = str(attr["value"].native).replace("\\", "\\\\").replace(",", "\\,")
            parts.append(f"{short}={value}")
    return ", ".join(parts)
