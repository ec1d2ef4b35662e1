"""The console layer (see README, Development)."""
