"""Cache backend tests; emulator fixtures come from tests.support.emulators (root conftest)."""
