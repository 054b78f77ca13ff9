"""Azure: the Functions adapter's settings and the storage account's clients."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..settings import choice, matching

AUTH_LEVELS = ("function", "anonymous", "admin")
# Queue and container names: 3-63 lower-case letters, digits and single inner hyphens.
STORAGE_NAME = re.compile(r"(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*")
_STORAGE_NAME_RULE = "3-63 lower-case letters, digits and single hyphens inside"


@dataclass(frozen=True)
class AzureSettings:
    """The ``CITYBRIEF_*`` variables only the Azure adapter reads, checked at start-up."""

    # The host's key check on /brief and /compare (health and openapi stay open).
    auth_level: str = "function"
    # The queue the queue-triggered function listens on; unset: no such function.
    queue_name: str | None = None
    # The container batch results go to (briefs/<lang>/<title>.json, errors/...).
    blob_container: str = "briefs"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AzureSettings:
        """A typo must not silently open or close the API, nor listen to no queue."""
        env = os.environ if env is None else env
        base = cls()
        queue = env.get("CITYBRIEF_QUEUE_NAME") or None
        return cls(
            auth_level=choice(env, "CITYBRIEF_AUTH_LEVEL", base.auth_level, AUTH_LEVELS),
            queue_name=queue
            and matching(env, "CITYBRIEF_QUEUE_NAME", queue, STORAGE_NAME, _STORAGE_NAME_RULE),
            blob_container=matching(
                env,
                "CITYBRIEF_BLOB_CONTAINER",
                base.blob_container,
                STORAGE_NAME,
                _STORAGE_NAME_RULE,
            ),
        )


def storage_client(client_class: Any, service: str, **options: Any) -> Any:
    """A Blob or Table service client for the Functions host's storage account.

    ``AzureWebJobsStorage`` (else ``AZURE_STORAGE_CONNECTION_STRING``) as a connection
    string when set (Azurite, local settings); otherwise the identity-based form a
    keyless deployment uses: ``AzureWebJobsStorage__accountName`` (or
    ``__<service>ServiceUri``) with the managed identity ``__clientId`` names.
    ``service`` is ``"blob"`` or ``"table"``.
    """
    prefix = "AzureWebJobsStorage"
    connection = os.environ.get(prefix) or os.environ.get("AZURE_STORAGE_CONNECTION_STRING")
    if connection:
        return client_class.from_connection_string(connection, **options)
    account = os.environ.get(f"{prefix}__accountName")
    url = os.environ.get(f"{prefix}__{service}ServiceUri") or (
        f"https://{account}.{service}.core.windows.net" if account else None
    )
    if not url:
        raise ValueError(
            f"Azure storage needs {prefix} (a connection string), "
            f"{prefix}__accountName or {prefix}__{service}ServiceUri"
        )
    from azure.identity import ManagedIdentityCredential

    credential = ManagedIdentityCredential(client_id=os.environ.get(f"{prefix}__clientId"))
    return client_class(url, credential=credential, **options)
