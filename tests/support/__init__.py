"""What the tests share: the fake MediaWiki server, the emulators, the reference data and
the platform drivers of the conformance suite."""
