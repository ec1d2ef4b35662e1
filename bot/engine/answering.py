"""The last stage: a decision (or two joined facts) made into the Answer renderers show.

Kept apart from `pipeline.py` so that the engine's class only wires stages together:
what an answer holds (its facts, related facts, suggestions worded as known
phrasings) is decided here, once, for every way of answering.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..knowledge.loader import KnowledgeBase
from ..knowledge.schema import Fact
from .answer import Answer, Suggestion
from .decision import Decision, Scored
from .two_facts import Joined


@dataclass(frozen=True)
class AnswerMaker:
    kb: KnowledgeBase
    max_related: int

    def decided(self, question: str, decision: Decision, corrects_claim: bool = False, link: str = "") -> Answer:
        """`corrects_claim`: the chosen fact contradicts a claim the question put up; `link`:
        what the question computes from its answer ("≈ $22.5 million per project")."""
        confidence = round(decision.chosen.probability, 3) if decision.chosen else 0.0
        offered = tuple(self.offer(item) for item in decision.offered)
        if decision.status == "answered" and decision.chosen is not None:
            fact = self.kb.facts[decision.chosen.candidate.position]
            related = self.related(fact)
            return Answer(
                question,
                "answered",
                confidence,
                fact,
                related,
                offered,
                0.0,
                (fact,),
                link=link,
                corrects_claim=corrects_claim,
            )
        return Answer(question, decision.status, confidence, None, (), offered, 0.0)  # type: ignore[arg-type]

    def nothing_asked(self, question: str) -> Answer:
        return Answer(question, "no_answer", 0.0, None, (), (), 0.0, nothing_asked=True)

    def joined(self, question: str, joined: Joined) -> Answer:
        facts = tuple(self.kb.facts[item.candidate.position] for item in joined.parts)
        confidence = round(max(part.probability for part in joined.parts), 3)  # the likely half found the other
        return Answer(question, "answered", confidence, facts[0], (), (), 0.0, facts, joined.link)

    def shown(self, fact_id: str) -> Answer | None:
        """One fact as an answer, for a picked suggestion or a related-fact button."""
        fact = self.kb.fact(fact_id)
        if fact is None:
            return None
        return Answer(fact.questions[0], "answered", 1.0, fact, self.related(fact), (), 0.0, (fact,))

    def offer(self, item: Scored) -> Suggestion:
        return self.suggestion(item.candidate.position, item.candidate.lexical.best_question, item.probability)

    def suggestion(self, position: int, best_question: int, confidence: float) -> Suggestion:
        fact = self.kb.facts[position]
        return Suggestion(fact.id, fact.questions[best_question], round(confidence, 3))

    def related(self, fact: Fact) -> tuple[Fact, ...]:
        found = (self.kb.fact(fact_id) for fact_id in fact.related)
        return tuple(f for f in found if f is not None)[: self.max_related]
