"""How the Azure backends find their storage account, without a connection string.

A keyless deployment (the ARM template turns shared keys off) gives the Functions host
``AzureWebJobsStorage__accountName`` and a managed identity instead of a connection
string; both the table cache and the queue function's blob writer must follow it.
Building a client contacts nothing, so these run offline.
"""

from __future__ import annotations

import pytest
from azure.data.tables import TableServiceClient
from azure.identity import ManagedIdentityCredential
from azure.storage.blob import BlobServiceClient

from citybrief.clouds.azure import storage_client

AZURITE = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
    "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
    "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
    "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
)


@pytest.fixture(autouse=True)
def no_storage_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AzureWebJobsStorage",
        "AZURE_STORAGE_CONNECTION_STRING",
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__clientId",
    ):
        monkeypatch.delenv(name, raising=False)


def test_a_connection_string_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the host's connection string (Azurite)
    monkeypatch.setenv("AzureWebJobsStorage", AZURITE)
    # WHEN a blob client is built
    client = storage_client(BlobServiceClient, "blob")
    # THEN it points at the connection string's endpoint with its account key
    assert client.url.startswith("http://127.0.0.1:10000/devstoreaccount1")
    assert client.credential.account_name == "devstoreaccount1"


@pytest.mark.parametrize(
    ("client_class", "service", "host"),
    [
        (BlobServiceClient, "blob", "stcb.blob.core.windows.net"),
        (TableServiceClient, "table", "stcb.table.core.windows.net"),
    ],
)
def test_identity_based_storage(
    monkeypatch: pytest.MonkeyPatch, client_class: type, service: str, host: str
) -> None:
    # GIVEN a keyless deployment: an account name and a user-assigned identity
    monkeypatch.setenv("AzureWebJobsStorage__accountName", "stcb")
    monkeypatch.setenv("AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-000000000001")
    # WHEN a client is built
    client = storage_client(client_class, service)
    # THEN it targets the account's service endpoint with the managed identity
    assert client.url.startswith(f"https://{host}")
    assert isinstance(client.credential, ManagedIdentityCredential)


def test_an_explicit_service_uri_wins_over_the_account_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AzureWebJobsStorage__accountName", "stcb")
    monkeypatch.setenv("AzureWebJobsStorage__tableServiceUri", "https://custom.example/")
    client = storage_client(TableServiceClient, "table")
    assert client.url.startswith("https://custom.example")


def test_no_storage_settings_is_a_clear_configuration_error() -> None:
    with pytest.raises(ValueError, match="AzureWebJobsStorage__accountName"):
        storage_client(BlobServiceClient, "blob")
