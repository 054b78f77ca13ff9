"""Cache backend tests; emulator fixtures come from tests.emulators via the root conftest."""
