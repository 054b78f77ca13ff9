"""One driver per platform: send a core Request through it, get the platform's answer."""
