"""Candidates by words: the question's weighted words against each fact's phrasings.

The inverted index shortlists facts sharing the question's rarer words; each is then
scored by how much of the question it holds (idf-weighted coverage), how close its
nearest phrasing is (weighted Jaccard) and how alike the texts are (rapidfuzz).
These numbers are evidence for the decision (`features.py`), not the decision.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..knowledge.normalize import commonness_weight, is_dictionary_word, may_be_misspelt, stem, words
from .index import SearchIndex
from .settings import EngineSettings


@dataclass(frozen=True)
class Term:
    token: str
    weight: float
    known: bool


@dataclass(frozen=True)
class LexicalMatch:
    position: int
    score: float  # the combined lexical confidence in [0, 1]
    coverage: float  # share of the question's weight the fact holds
    overlap: float  # weighted Jaccard with its closest phrasing
    fuzzy: float
    not_overlap: float  # the same with its closest "not this fact" phrasing
    best_question: int
    matched: frozenset[str]  # the question's words this fact holds


class LexicalMatcher:
    def __init__(self, index: SearchIndex, settings: EngineSettings) -> None:
        self.index = index
        self.settings = settings

    def terms(self, question: str, accented: frozenset[str] = frozenset()) -> list[Term]:
        """The question's words with the weight of evidence each carries (`accented`:
        words written in another language on purpose, never corrected as typos)."""
        terms: dict[str, Term] = {}
        for word in words(question, self.index.aliases)[: self.settings.max_question_tokens]:
            for term in self._weigh(word, word in accented):
                terms.setdefault(term.token, term)
        return list(terms.values())

    def rank(self, terms: list[Term], extra: list[int] | tuple[int, ...] = ()) -> list[LexicalMatch]:
        """Shortlisted facts (plus `extra` positions) best first."""
        candidates = list(dict.fromkeys([*self._shortlist(terms), *extra]))
        if not candidates:
            return []
        fuzzy = self._fuzzy_scores(terms, candidates)
        total = sum(term.weight for term in terms) or 1.0  # no words: only meaning found them
        scored = [self._score(terms, total, position, fuzzy) for position in candidates]
        scored.sort(key=lambda item: (-item.score, item.position))
        return scored

    def unknown_share(self, terms: list[Term]) -> float:
        """How much of the question's weight is in words the knowledge never uses."""
        total = sum(t.weight for t in terms)
        return sum(t.weight for t in terms if not t.known) / total if total else 1.0

    def _score(self, terms: list[Term], total: float, position: int, fuzzy: dict[int, float]) -> LexicalMatch:
        s, index = self.settings, self.index
        asked = set(index.fact_tokens[position].split())
        extra = set(index.fact_extra_tokens[position].split())
        matched = sum(
            t.weight * (1.0 if t.token in asked else s.answer_word_factor if t.token in extra else 0.0) for t in terms
        )
        best_overlap, best_question = 0.0, 0
        for row in index.fact_rows[position]:
            overlap = self._row_overlap(terms, total, index.row_texts[row])
            if overlap > best_overlap:
                best_overlap = overlap
                if index.row_question[row] >= 0:  # a phrasing (not the answer) to suggest
                    best_question = index.row_question[row]
        not_overlap = max((self._row_overlap(terms, total, row) for row in index.fact_not_rows[position]), default=0)
        score = (
            s.coverage_weight * matched / total
            + s.overlap_weight * best_overlap
            + s.fuzzy_weight * fuzzy.get(position, 0.0)
        )
        score *= min(1.0, matched / (s.evidence_needed * index.max_idf)) ** s.evidence_exponent
        matched_words = frozenset(t.token for t in terms if t.token in asked | extra)
        return LexicalMatch(
            position=position,
            score=min(max(score, 0.0), 1.0),
            coverage=matched / total,
            overlap=best_overlap,
            fuzzy=fuzzy.get(position, 0.0),
            not_overlap=not_overlap,
            best_question=best_question,
            matched=matched_words,
        )

    def _row_overlap(self, terms: list[Term], total: float, row_text: str) -> float:
        """Weighted Jaccard between the question and one phrasing: both must be mostly shared."""
        row = set(row_text.split())
        shared = sum(t.weight for t in terms if t.token in row)
        asked = {t.token for t in terms}
        extra = sum(self.index.idf.get(token, self.index.max_idf) for token in row - asked)
        return shared / (total + self.settings.row_extra_weight * extra)

    def _weigh(self, word: str, accented: bool) -> list[Term]:
        index, s = self.index, self.settings
        token = stem(word)
        idf = index.idf.get(token)
        if idf is not None:
            return [Term(token, idf * commonness_weight(word), True)]
        correction = self._known_beginning(word) or (None if accented else self._correct_typo(word))
        if correction is not None:
            meant, similarity = correction
            return [
                Term(t, index.idf[t] * similarity * commonness_weight(meant), True)
                for t in index.typo_targets[meant]
                if t in index.idf
            ]
        weight = index.max_idf * s.unknown_word_weight * commonness_weight(word)
        if accented or not is_dictionary_word(word):  # a typo we could not mend, or another language
            weight *= s.non_word_factor  # ("sâu" is Vietnamese, not the English "sau" it folds to)
        return [Term(token, weight, False)]

    def _known_beginning(self, word: str) -> tuple[str, float] | None:
        """The longest known word an unknown one starts with, when that is long enough.

        Turkish and Russian add endings to a word where English adds words: "ilişkisi"
        (its relations), "üniversitelerde" (at universities). No alias can list every
        ending, but a word no dictionary knows that begins with a long known spelling
        is that word with an ending.
        """
        shortest = self.settings.known_beginning_min_length
        if len(word) <= shortest or is_dictionary_word(word):
            return None
        for end in range(len(word) - 1, shortest - 1, -1):
            if self.index.typo_targets.get(word[:end]):
                return word[:end], 1.0
        return None

    def _correct_typo(self, word: str) -> tuple[str, float] | None:
        """The word a misspelling was meant as, if one is close enough.

        Typos rarely change the first letter, so only words sharing it are compared;
        a word everyday English knows well is taken as meant, not as a typo. In a short
        word one swapped or mistyped letter is too much for the similarity ratio ("yaer"
        is 75% "year"), so a word no dictionary knows may also differ by that one edit.
        """
        if len(word) < self.settings.typo_min_length or not may_be_misspelt(word):
            return None
        choices = self.index.typo_buckets.get(word[0], ())
        match = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=self.settings.typo_min_similarity)
        if match:
            return match[0], match[1] / 100
        if is_dictionary_word(word):
            return None
        edit = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=1)
        return (edit[0], 1 - edit[1] / len(word)) if edit else None

    def _shortlist(self, terms: list[Term]) -> list[int]:
        """Facts sharing the question's rarer words, most shared weight first."""
        limit = max(self.settings.rare_token_postings, int(self.index.size * self.settings.rare_token_share))
        known = sorted((t for t in terms if t.known), key=lambda t: len(self.index.postings[t.token]))
        rare = [t for t in known if len(self.index.postings[t.token]) <= limit] or known[:1]
        weights: dict[int, float] = defaultdict(float)
        for term in rare:
            for position in self.index.postings[term.token]:
                weights[position] += term.weight
        best = heapq.nlargest(self.settings.candidate_limit, weights.items(), key=lambda kv: kv[1])
        return [position for position, _ in best]

    def _fuzzy_scores(self, terms: list[Term], candidates: list[int]) -> dict[int, float]:
        """Best rapidfuzz similarity per fact between the question and the fact's rows."""
        query = " ".join(t.token for t in terms)
        rows = {row: self.index.row_texts[row] for position in candidates for row in self.index.fact_rows[position]}
        best: dict[int, float] = {}
        for _text, score, row in process.extract(query, rows, scorer=fuzz.token_sort_ratio, limit=None):
            position = self.index.row_fact[row]
            best[position] = max(best.get(position, 0.0), score / 100)
        return best
