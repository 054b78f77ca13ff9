"""What only one cloud needs: its adapter's settings, its storage client, its cache backend.

The neutral core never imports this package: adapters import their cloud's module, and
``cache.open_cache`` loads a backend here by name only when ``CITYBRIEF_CACHE`` chooses it
(a test keeps it so). Each module may import its SDK, but only inside functions, so that
importing it costs a cold start nothing.
"""
