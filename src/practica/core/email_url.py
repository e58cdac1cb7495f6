"""EMAIL_URL → a Django 6.1 ``MAILERS`` entry.

    smtp://user:password@host:587?tls=true   SMTP with STARTTLS
    smtps://user:password@host:465           SMTP over TLS
    smtp://localhost:1025                    plain SMTP (a local relay)
    console:                                 print messages
    file:  or  file:///var/lib/practica/mail write each message to a file
    memory:                                  keep in memory (tests)

Empty means ``file:``, so the embedded mode never needs a mail server.
"""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def parse(url: str, *, file_path: Path) -> dict[str, Any]:
    parts = urlsplit(url or "file:")
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme '{scheme}' is not supported: use one of "
            f"{', '.join(sorted(BACKENDS))} (e.g. smtp://host:587?tls=true)."
        )
    options: dict[str, Any] = {}
    if scheme == "file":
        options["file_path"] = str(
            Path(parts.path) if parts.path else file_path
        )
    elif scheme in ("smtp", "smtps"):
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL needs a host, e.g. smtp://mail.example.org:587."
            )
        options.update(
            host=parts.hostname,
            port=parts.port,
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_ssl=scheme == "smtps" or query.get("ssl", "") in TRUE,
            use_tls=query.get("tls", "") in TRUE,
            timeout=float(query.get("timeout", "20")),
        )
    return {"BACKEND": BACKENDS[scheme], "OPTIONS": options}
