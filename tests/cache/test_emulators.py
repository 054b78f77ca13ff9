"""Smoke tests of emulators that no cache backend uses yet (the end-to-end push test will)."""

from __future__ import annotations

import pytest


@pytest.mark.emulator
def test_pubsub_emulator_creates_and_lists_a_topic(pubsub_project: str) -> None:
    from google.cloud import pubsub_v1

    publisher = pubsub_v1.PublisherClient()
    topic = publisher.topic_path(pubsub_project, "citybrief-smoke")
    publisher.create_topic(name=topic, timeout=10)
    listed = publisher.list_topics(project=f"projects/{pubsub_project}", timeout=10)
    assert topic in [t.name for t in listed]
    assert publisher.publish(topic, b"Berlin").result(timeout=10)
