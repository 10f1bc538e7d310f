"""English inflection for the extractor's lexicon: a lemma in, every surface form out.

Transfer journalism uses each verb in every tense and voice (`reject`, `rejects`, `rejected`,
`has been rejected`, `rejecting`), so the lexicon lists lemmas and this module writes the forms.
Phrasal verbs inflect their first word (`turn down` → `turned down`). Regular spelling rules
cover most verbs; irregular ones give their past and participle in the lexicon file. Nouns get
their plural.
"""

from __future__ import annotations

from dataclasses import dataclass

_VOWELS = frozenset("aeiou")
_SIBILANT_ENDINGS = ("s", "sh", "ch", "x", "z", "o")


@dataclass(frozen=True, slots=True)
class VerbForms:
    """The surface forms of one verb lemma."""

    base: str
    third: str  # `rejects`
    past: str  # `rejected`
    participle: str  # `rejected`, `taken`
    gerund: str  # `rejecting`

    def all(self) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys((self.base, self.third, self.past, self.participle, self.gerund))
        )


def _doubles_final(word: str) -> bool:
    """`snub` → `snubbed`, `drop` → `dropping`: one vowel between consonants, one syllable."""
    if len(word) < 3 or word[-1] in "wxy" or word[-1] in _VOWELS:
        return False
    vowel_groups = sum(
        1 for i, ch in enumerate(word) if ch in _VOWELS and (i == 0 or word[i - 1] not in _VOWELS)
    )
    return vowel_groups == 1 and word[-2] in _VOWELS and word[-3] not in _VOWELS


def _third(word: str) -> str:
    if word.endswith(_SIBILANT_ENDINGS):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _past(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ied"
    if _doubles_final(word):
        return word + word[-1] + "ed"
    return word + "ed"


def _gerund(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        return word[:-1] + "ing"
    if _doubles_final(word):
        return word + word[-1] + "ing"
    return word + "ing"


def verb_forms(lemma: str, past: str = "", participle: str = "") -> VerbForms:
    """Every form of `lemma`; `past` / `participle` override the regular ones (irregular verbs)."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    regular_past = _past(head) + tail
    return VerbForms(
        base=lemma,
        third=_third(head) + tail,
        past=past or regular_past,
        participle=participle or past or regular_past,
        gerund=_gerund(head) + tail,
    )


def noun_forms(lemma: str) -> tuple[str, ...]:
    """Singular and plural of a noun (the last word of a compound takes the plural)."""
    head, _, last = lemma.rpartition(" ")
    prefix = f"{head} " if head else ""
    if last.endswith("y") and last[-2:-1] not in _VOWELS:
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x", "z")):
        plural = last + "es"
    else:
        plural = last + "s"
    return lemma, prefix + plural
