"""The discord layer (see README, Development)."""
