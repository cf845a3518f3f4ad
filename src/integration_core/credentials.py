"""
Credentials: secrets that never print, consumer keys, issued and stored tokens.

Example:
    >>> from integration_core.credentials import Secret
    >>> Secret("s" * 32)
    Secret('********')
"""

from integration_core.integrations._credentials import (
    ConsumerCredentials,
    CredentialGenerator,
    CredentialIssuer,
    IssuedToken,
    SealedSecret,
    Secret,
    SecretSealer,
    SecretsGenerator,
    StoredToken,
    digest,
)

__all__ = [
    "ConsumerCredentials",
    "CredentialGenerator",
    "CredentialIssuer",
    "IssuedToken",
    "SealedSecret",
    "Secret",
    "SecretSealer",
    "SecretsGenerator",
    "StoredToken",
    "digest",
]
