"""The template's cache table and ``DynamoDbCache`` agree on the item layout.

GIVEN the ``AWS::DynamoDB::Table`` from aws_lambda/template.yaml, created in moto from
      its own properties (key schema, billing mode, TTL attribute)
WHEN the function's cache backend writes and reads a brief through it
THEN the round trip works and the item's ``expires_at`` is the table's TTL attribute.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import boto3

from citybrief.clouds.caches import DynamoDbCache
from tests.support.templates import load_template

TEMPLATE = Path(__file__).resolve().parents[2] / "aws_lambda" / "template.yaml"


def cache_table_properties() -> dict[str, Any]:
    template: dict[str, Any] = load_template(TEMPLATE)
    (table,) = (r for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table")
    props: dict[str, Any] = table["Properties"]
    return props


def test_template_table_serves_the_dynamodb_cache(moto_server: str) -> None:
    # GIVEN the template's table, created with exactly its key schema and TTL settings
    props = cache_table_properties()
    name = f"citybrief-template-{uuid.uuid4().hex[:12]}"
    client = boto3.client("dynamodb")  # moto_server pointed boto3 at the moto server
    client.create_table(
        TableName=name,
        KeySchema=props["KeySchema"],
        AttributeDefinitions=props["AttributeDefinitions"],
        BillingMode=props["BillingMode"],
    )
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification=props["TimeToLiveSpecification"]
    )
    # WHEN the cache backend the function uses (CITYBRIEF_CACHE=dynamodb://<table>) round-trips
    cache = DynamoDbCache(name, ttl=3600)
    brief = {"title": "Chicago", "summary": ["One.", "Two."], "modes": {"air": ["O'Hare"]}}
    cache.put("brief:en:chicago:2", brief)
    # THEN the value comes back, and the TTL moto reports is the attribute the cache sets
    assert cache.get("brief:en:chicago:2") == brief
    assert cache.get("brief:en:nowhere:2") is None
    ttl = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    item = client.get_item(TableName=name, Key={"pk": {"S": "brief:en:chicago:2"}})["Item"]
    assert set(item) == {"pk", "value", "expires_at"}
    assert time.time() < float(item["expires_at"]["N"]) <= time.time() + 3601
