"""Every threshold and weight of the answer engine, in one place.

The decision thresholds are on the calibrated probability that an answer is right
(`decision.py`); they were chosen on the development sets (README, "How answers are
chosen"). They trade recall for safety on purpose: a confident wrong answer with a
citation is the worst thing this product can do, so an unsure engine asks or declines.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineSettings:
    # Outcome decision, on the calibrated probability that a candidate is the right fact.
    answer_threshold: float = 0.50  # at least this to answer...
    answer_margin: float = 0.10  # ...and this far ahead of the runner-up
    clarify_threshold: float = 0.25  # candidates above this...
    clarify_window: float = 0.25  # ...and this close to the best are offered as "did you mean"
    suggest_threshold: float = 0.15  # anything above this may be suggested
    promotion_window: float = 0.15  # a runner-up replaces a best fact failing a premise only this close
    join_threshold: float = 0.25  # the first of two facts joined into one answer is at least this likely
    join_residual_share: float = 0.25  # ...and leaves at least this share of the question unexplained
    join_residual_cover: float = 0.65  # ...of which the second fact holds at least this share
    half_explained_share: float = 0.5  # one fact answering a two-part question explains this of each half
    join_candidates: int = 8  # the second is looked for among this many best candidates
    not_question_overlap: float = 0.5  # a "not this fact" phrasing this close (and closer) vetoes
    common_word_share: float = 0.3  # a word in more facts than this share cannot pick one alone
    max_suggestions: int = 3
    max_clarify: int = 3
    max_related: int = 3

    # Scoring.
    coverage_weight: float = 0.45  # share of the question's (idf-weighted) words a fact holds
    overlap_weight: float = 0.35  # weighted Jaccard with the fact's closest phrasing
    fuzzy_weight: float = 0.20  # rapidfuzz similarity to the fact's best phrasing
    row_extra_weight: float = 0.5  # how much a phrasing's words absent from the question count
    evidence_needed: float = 1.2  # matched weight (in units of the rarest word's) for full confidence
    evidence_exponent: float = 0.5
    unknown_word_weight: float = 1.0  # a word the knowledge never uses, relative to the rarest word
    non_word_factor: float = 0.35  # ...and unknown to everyday English too (typo, other language)
    answer_word_factor: float = 0.7  # a word found only in the answer or quotes, not the phrasings
    title_beside_name_weight: float = 0.3  # an office's words beside a person's name ("General Secretary To Lam")
    typo_min_similarity: float = 80.0  # rapidfuzz ratio to accept a typo correction
    typo_min_length: int = 4
    known_beginning_min_length: int = 6  # a known word this long that an unknown one starts with

    # Retrieval.
    candidate_limit: int = 24  # facts shortlisted by the inverted index before reranking
    rare_token_postings: int = 64  # a token in at most this many facts always shortlists...
    rare_token_share: float = 0.01  # ...or in at most this share of them (large knowledge bases)
    max_question_tokens: int = 48
    candidates_decided: int = 8  # the best candidates (by words or meaning) the decision weighs
    semantic_candidates: int = 5  # facts nearest in meaning added to the word shortlist
    semantic_max_facts: int = 500  # above this the semantic stage is off: a cold load embeds ~5 texts a fact


DEFAULT_SETTINGS = EngineSettings()

# A stricter bar for channels where the bot answers without being asked directly.
AMBIENT_ANSWER_THRESHOLD = 0.80
