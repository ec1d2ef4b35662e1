"""Laos foreign-relations Q&A bot: a curated, cited knowledge base with a fuzzy-matching engine."""

__version__ = "0.1.0"
