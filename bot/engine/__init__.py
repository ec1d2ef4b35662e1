"""The engine layer (see README, Development)."""
