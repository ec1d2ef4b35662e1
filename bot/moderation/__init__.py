"""The moderation layer (see README, Development)."""
