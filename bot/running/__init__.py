"""Running layer: settings, state, reload, rate limits and staff figures, whatever the channel."""
