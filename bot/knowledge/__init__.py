"""The knowledge layer (see README, Development)."""
