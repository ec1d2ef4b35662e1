"""Text normalization shared by the knowledge (once, at load) and each user question.

Both sides must go through the same steps, or "Çavuşoğlu" in an article and
"cavusoglu" typed by a user would never meet. The steps: drop chat markup and
invisible characters, fold case and diacritics (Turkish dotless i and
Vietnamese đ included), split elisions and suffixes after apostrophes, keep
numbers whole ("6.21", "3000"), replace aliases by their canonical term, drop
stopwords, and lightly stem English.

Scripts differ in what a word is. Han, kana, Thai and Lao run words together;
Hangul and Arabic write particles and prefixes onto them (라오스는, والتعاون);
Devanagari spells vowels with signs that regexes do not count as letters of a word.
Aliases and `words` take each as it comes (see `AliasTable`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from wordfreq import zipf_frequency

MAX_QUESTION_CHARS = 2000  # longer input is cut: no real question is longer, and time stays bounded

_SPECIAL_LETTERS = str.maketrans(
    {
        "ı": "i",
        "İ": "i",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ð": "d",
        "þ": "th",
        "’": "'",
        "‘": "'",
        "`": "'",
        "ʼ": "'",
        "ʻ": "'",
    }
)
_CHAT_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|<[^<>]{0,200}>|https?://\S+")
_FRENCH_ELISION = re.compile(r"\b(?:l|d|qu|j|n|s|c|m|t|jusqu|lorsqu|puisqu)'(?=\w)")
_APOSTROPHE_SUFFIX = re.compile(r"(?<=\w)'\w*")
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
# Vowel signs that take space (Devanagari ा ि ी, category Mc) are letters of their word, though
# `\w` leaves them out: without them "लाओस" would fold to "ल ओस".
_SPACING_MARKS = "".join(c for c in map(chr, range(0x0900, 0x2000)) if unicodedata.category(c) == "Mc")
_WORD_CHAR = rf"\w{_SPACING_MARKS}"  # for character classes: [{_WORD_CHAR}] is a letter of a word
_NON_WORD = re.compile(rf"[^{_WORD_CHAR}.]+|(?<!\d)\.|\.(?!\d)|_")
# Scripts written without spaces between words: Han (with 々〆〇), hiragana, katakana, Thai, Lao.
_UNSPACED_LETTERS = "\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0eff"
# Scripts that write particles and prefixes onto a word: Hangul (as typed, and as the jamo
# folding decomposes it into) and Arabic.
_HANGUL_LETTERS = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_UNSPACED_SCRIPT = re.compile(f"[{_UNSPACED_LETTERS}]")
_AFFIXING_SCRIPT = re.compile(f"[{_HANGUL_LETTERS}{_ARABIC_LETTERS}]")
# Runs that are words apart from Latin letters or digits touching them: "2017年", "ASEAN에".
_OWN_WORD_RUN = re.compile(f"[{_UNSPACED_LETTERS}]+|[{_HANGUL_LETTERS}]+")
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل")  # and, the, with/by, for: written onto the word

_LATIN_AND_CYRILLIC_STOPWORDS = frozenset(
    """
    a an the and or but nor so yet of to in on at by for from with without into onto over under
    about above below among through during then as
    is are was were be been being am do does did doing done have has had having will would shall
    should can could may might must need i me my mine we us our you your yours he him his she her
    it its they them their theirs this that these those there here what which who whom whose
    where when why how whats whos wheres hows s t d ll re ve m didn doesn isn wasn aren weren
    don won wouldn couldn shouldn not no yes if also just only very really too quite any some all
    each every both either neither such same own much many lot lots one ones
    get got tell say said says know let like please kind sort thing things way ever still now
    well according per via
    go goes going went gone make makes made try tries trying tried hope hopes hoping use uses used
    using call calls called suppose supposed actually basically exactly anyway seem seems seemed
    describe describes described mean means meant name named happen happens happened
    article articles piece story report text author's quote quoted quotes cite cited ask asks asked
    question questions characterize characterized characterise characterised portray portrayed
    depict depicted metaphor metaphors image imagery type types
    """.split()
    # Function words of the other languages people ask in (Vietnamese, Turkish, French, Russian;
    # Spanish, Portuguese, German, Indonesian; Italian, Dutch, Polish, Tagalog), folded.
    + """
    el los las una del y por para con como sus al mas muy eso esa este esta desde entre cual cuando
    donde quien quienes hay fue ha han ser sobre tiene tienen es son lo les oye
    os um uma do da dos das na em com ao aos foi sao tem pela pelo qual quando onde quem
    der die das dem des ein eine einen einem und oder ist sind waren hat haben wird werden mit
    von zu im auf fur uber nach bei wie wann wer wo warum welche welcher welches nicht auch noch
    schon eigentlich aus zwischen seit
    yang di ke dari untuk dengan ini itu ada dalam pada atau juga sudah akan tidak bisa apa kapan
    siapa mana bagaimana kenapa mengapa berapa sih dong nya
    la le les un une des du de et ou en au aux ce cette ces qui que quoi quel quelle quels
    est sont a ont pour par avec dans sur pas ne il elle ils elles on se sa son ses leur leurs
    cua va la cac nhung mot nao gi ai duoc co khong trong voi cho tai ve nay do thi ma nhu
    bi se da dang nam giua nuoc nhung nhu the nao
    tu sang vao viec noi con dua ngoai
    ve ile bir bu su o mi mu mı da de ne nedir neyi hangi kim icin gibi ama veya ki gore var yok
    arasinda arasindaki olan olarak daha en cok neden nasil midir mudur kadar yapti yapiyor
    araciligiyla kullaniyor kullanir tanimlaniyor tanimliyor
    phai
    и в во на с со к по о об от до за из у же ли что кто как какой какие какая каком это
    был была были есть не но а или для при незадолго после перед также чем где
    il di che della dello delle degli dei nel nella nei con per tra fra cosa quale quali perche anche
    e sono stato stata hanno ha cui gli
    het een en van wat wie waar hoe waarom welke zijn werd heeft hebben voor met naar bij ook
    w z ze na do sie jest sa czy co kto jak kiedy gdzie dlaczego ile jakie jaki jaka ktory ktora
    ktore od dla po przez oraz lub tez byl byla byly
    ang ng sa mga si ni ano kailan sino saan bakit paano magkano ilan ba at ay nang mula kay
    dan apakah adalah oleh tersebut
    """.split()
    # Chat spellings and light verbs that carry no topic.
    + """
    wat wut wht whta u ur r pls plz thx ty tho bc cuz lol ok okay hey hi hello
    abt ppl smth sth rn ngl tbh idk imo imho btw gonna wanna gotta kinda sorta n ya yeah yep nah lmao omg fr
    dunno lemme gimme bro wen whn wher hw alot yo guys yall folks bruh dude hmm um uh vs versus teh wuz
    frm hav hv mny coz bcoz bcuz becuz thru dat dis dem jus jst rly prolly shud wud cud
    stuff literally honestly seriously genuinely totally anyways lowkey legit someone somebody
    explain confirm specific specifically behind reason reasons
    come comes came coming
    """.split()
)


def fold(text: str) -> str:
    """Case, diacritics, markup and punctuation folded away; words separated by single spaces.

    Every step after the markup is local to a run of non-space characters, so each
    distinct run is folded once and remembered: loading 100,000 facts folds the same
    few thousand words millions of times.
    """
    text = text[:MAX_QUESTION_CHARS]
    if "<" in text or "://" in text:
        text = _CHAT_MARKUP.sub(" ", text)
    folded = [_FOLDED_RUNS.get(run) or _fold_run(run) for run in text.split()]
    return " ".join(" ".join(folded).split())


_FOLDED_RUNS: dict[str, str] = {}
_MAX_REMEMBERED_RUNS = 200_000  # about 40 MB at worst; questions bring new words forever


def _fold_run(text: str) -> str:
    """One run of non-space characters, folded (often to nothing, or to several words)."""
    original = text
    text = text.translate(_SPECIAL_LETTERS).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_FOLDED_CHARS)
    text = _FRENCH_ELISION.sub("", text)
    text = _APOSTROPHE_SUFFIX.sub("", text)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub(".", text)
    text = _OWN_WORD_RUN.sub(r" \g<0> ", _NON_WORD.sub(" ", text))
    text = " ".join(text.split())
    if len(_FOLDED_RUNS) < _MAX_REMEMBERED_RUNS:
        _FOLDED_RUNS[original] = text
    return text


class _FoldedChars(dict[int, str | int]):
    """A `str.translate` table filled in on first sight of each character: folding a
    100,000-fact knowledge base meets a few hundred distinct characters, millions of times."""

    def __missing__(self, code: int) -> str | int:
        category = unicodedata.category(chr(code))
        if category == "Mn" or category == "Cf":  # accents, Lao vowel signs, zero-width characters
            folded: str | int = ""
        elif category.startswith(("C", "Z")):  # controls and odd spaces
            folded = " "
        else:
            folded = code
        self[code] = folded
        return folded


_FOLDED_CHARS = _FoldedChars()

# Function words of Korean (particles written apart from a Latin name or a number: "ASEAN 에"),
# Arabic and Hindi, folded as questions are: Hangul into jamo, without Arabic hamza and Hindi
# non-spacing vowel signs. Han, kana, Thai and Lao need none: `words` drops what no alias names.
_HANGUL_ARABIC_DEVANAGARI_STOPWORDS = """
    은 는 이 가 을 를 에 의 도 와 과 로 으로 에서 에게 한테 부터 까지 랑 하고 그리고 및
    언제 어디 어디서 어디에 어디에서 누구 누가 누구를 무엇 무엇을 뭐 뭘 몇 얼마 얼마나 어떻게 왜 어느 무슨
    어떤 가지고 있다 있나요 있어요 있습니까 입니까 인가요 하나요 합니까 했나요 했어요 했습니까
    في من إلى الى على عن مع ما ماذا متى أين اين كم هل لماذا كيف التي الذي هو هي هذا هذه ذلك تلك
    و أو او ثم قد لم لن كان كانت بين عند منذ أي اي كل بعد قبل
    का की के में है हैं था थी थे से को ने और या पर भी यह वह कब क्या कौन कहाँ कहां कितने कितना कितनी
    किस किसने कैसे क्यों तक लिए एक हुआ हुई गया गई
"""
# Function and question words of Swedish, Danish, Norwegian, Finnish, Czech, Romanian,
# Hungarian, Swahili, Ukrainian and Greek, folded as questions are. Left out: words that are
# English content words ("care", Romanian "which") or folded Vietnamese ones ("sau", Romanian "or"; sâu, "deep").
_NORTH_EAST_EUROPEAN_AND_SWAHILI_STOPWORDS = """
    och pa av till med om som ar var har hade vad vem vilken vilka vilket varfor hur nar det den ett
    att inte ocksa fran mellan efter innan ska kommer
    og af er hvad hva hvem hvilken hvilke hvilket hvorfor hvordan hvornar hvor ikke ogsa mellem mellom
    etter inden skal blev ble vil
    ja oli ovat mita mika mitka kuka ketka milloin missa miksi miten kuinka paljon etta ei myos kanssa
    kun tai se ne joka jotka sen minka mihin mista
    ve je jsou byl byla bylo byli kdo kdy kde proc jaky jaka jake ktery ktera ktere kolik ale nebo
    take tak jeho jejich mezi pri podle pro
    si cu pe pentru din cine cand unde cum cat este sunt fost au fi niste dar mai intre dupa inainte
    az es egy hogy nem meg van volt mit ki kik mikor hol miert hogyan melyik mennyi milyen vagy mar
    csak ez azt ezt
    ya wa za kwa ni katika nini nani lini wapi vipi gani ngapi ipi hii huo hiyo kama lakini au pia
    і й та в у на з із до від за по про що хто коли де чому як який яка які яке скільки це був була
    були є не але або також між після перед чи
    και το τα η ο οι του της των στο στη στην στα σε με για από που ποιος ποια ποιο ποιες ποιοι
    πότε πού πώς γιατί πόσο πόσα πόσες είναι ήταν δεν ένα μια
"""
STOPWORDS = (
    _LATIN_AND_CYRILLIC_STOPWORDS
    | frozenset(fold(_HANGUL_ARABIC_DEVANAGARI_STOPWORDS).split())
    | frozenset(fold(_NORTH_EAST_EUROPEAN_AND_SWAHILI_STOPWORDS).split())
)


_ENGLISH = snowballstemmer.stemmer("english")
_RUSSIAN = snowballstemmer.stemmer("russian")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball stem: Russian for Cyrillic words, English for the rest (numbers untouched)."""
    if word[0].isdigit():
        return word
    return (_RUSSIAN if _CYRILLIC.search(word) else _ENGLISH).stemWord(word)


@lru_cache(maxsize=100_000)
def is_dictionary_word(word: str) -> bool:
    """Whether everyday English (or Russian) knows the word at all; if not, a typo or foreign word."""
    return _zipf(word) >= MIN_WORD_ZIPF


@lru_cache(maxsize=100_000)
def commonness_weight(word: str) -> float:
    """How much a word can tell, judged by how common it is in everyday English (or Russian).

    A tiny knowledge base cannot tell "important" or "work" from "hydropower" by
    itself: each may occur in one fact only. Everyday frequency (Zipf scale:
    6 = "time", 4 = "embassy", 3 = "hydropower") can: the commoner, the weaker.
    """
    return min(1.0, max(MIN_COMMON_WEIGHT, (7.0 - _zipf(word)) / 3.0))


def accented_words(text: str) -> frozenset[str]:
    """The folded words `text` wrote with Latin letters English has no use for ("quyết",
    "ilişki"): typed on purpose in another language, so never an English word misspelt
    ("quyết" is not "quiet")."""
    accented = (w for w in text.split() if any(not c.isascii() and _is_latin(c) for c in w))
    return frozenset(word for raw in accented for word in fold(raw).split())


def _is_latin(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def may_be_misspelt(word: str) -> bool:
    """A word worth correcting: letters only, and not one everyday English knows well
    ("lamm" may be a typo of "lam"; "pick" is meant as written)."""
    return word.isalpha() and not (is_dictionary_word(word) and commonness_weight(word) < 1.0)


def _zipf(word: str) -> float:
    """Everyday frequency on the Zipf scale (0 = unknown). Russian uses wordfreq's small list:
    its large one costs 130 MB of memory for a language that only some questions use."""
    if _CYRILLIC.search(word):
        return zipf_frequency(word, "ru", wordlist="small")
    return zipf_frequency(word, "en")


def warm_up() -> None:
    """Load the word-frequency tables now (hundreds of ms) rather than in the first answer."""
    for word in ("time", "время"):
        is_dictionary_word(word)
        stem(word)


MIN_COMMON_WEIGHT = 0.3
MIN_WORD_ZIPF = 2.2  # rarer than this is a typo ("goverments" 1.45) more often than a word


@dataclass(frozen=True)
class AliasTable:
    """Folded variant -> canonical token, compiled into one regex per way a script marks words.

    - `anywhere`: Han, kana, Thai and Lao put no spaces between words, so no boundary
      tells where a word begins: their variants are found anywhere.
    - `word_starts`: Korean and Arabic write particles and endings onto a word (라오스는 =
      라오스 + 는), and Arabic also prefixes (والتعاون = و + ال + تعاون). Their variants are
      found at the start of a word, after any one of those prefixes, and the rest of the word
      goes with them: the whole word is replaced, affixes and all. One pattern serves both
      scripts, since no Arabic prefix ever stands before a Hangul letter.
    - `whole_words`: every other variant, only as whole words.

    Longer variants are tried first, so "大使馆" is the embassy before "大使" is the ambassador.

    Aliases compose: a variant written in other terms' words ("vietnamese general secretary"
    for To Lam) also stands for its term when a question uses those terms' other variants
    ("VN party boss" reads "vietnam general secretary", then To Lam). `composed` is the
    pattern of those variants, tried on what the others left.
    """

    canonical_of: Mapping[str, str]
    anywhere: re.Pattern[str] | None
    word_starts: re.Pattern[str] | None
    whole_words: re.Pattern[str] | None
    composed: re.Pattern[str] | None = None

    @classmethod
    def build(
        cls, aliases: Iterable[tuple[str, Iterable[str]]], stands_for: Mapping[str, str] | None = None
    ) -> AliasTable:
        """`stands_for` maps a term to another whose token it becomes (a capital to its country)."""
        stands_for = stands_for or {}
        canonical_of: dict[str, str] = {}
        for canonical, variants in aliases:
            target = canonical_token(stands_for.get(canonical, canonical))
            for variant in (canonical, *variants, *_plurals(variants)):
                folded = fold(variant)
                if folded:  # the canonical itself too, so "Thongloun" never eats half of it
                    canonical_of.setdefault(folded, target)
        by_template: dict[str, list[str]] = {_ANYWHERE: [], _AT_WORD_START: [], _AS_WHOLE_WORDS: []}
        for variant in canonical_of:
            by_template[_template_for(variant)].append(variant)
        composed = _composed(canonical_of, by_template[_AS_WHOLE_WORDS])
        patterns = (_alternation(variants, template) for template, variants in by_template.items())
        return cls({**composed, **canonical_of}, *patterns, _alternation(list(composed), _AS_WHOLE_WORDS))

    def find(self, folded: str) -> Iterator[tuple[str, int, int]]:
        """(canonical token, start, end) of each term named in `folded`."""
        for pattern in (self.anywhere, self.word_starts, self.whole_words):
            if pattern is not None:
                for match in pattern.finditer(folded):
                    yield self.canonical_of[match["variant"]], match.start(), match.end()

    def apply(self, folded: str) -> str:
        """`folded` with each variant, and any affixes written onto it, replaced by its token."""
        if self.anywhere is not None:  # spaced apart: the token is a word among unspaced letters
            folded = self.anywhere.sub(lambda m: f" {self.canonical_of[m['variant']]} ", folded)
        for pattern in (self.word_starts, self.whole_words, self.composed):
            if pattern is not None:
                folded = pattern.sub(lambda m: self.canonical_of[m["variant"]], folded)
        return " ".join(folded.split())


def _composed(canonical_of: Mapping[str, str], whole_words: list[str]) -> dict[str, str]:
    """Multi-word variants as a question reads them once their words' own aliases apply
    ("turkish development agency" -> "turkiye development agency", "vietnamese party chief"
    -> "vietnam general secretary") -> their term. Those already written in terms' words
    ("vietnam general secretary") are kept too: the first pass only makes them."""
    term_words = {word for token in canonical_of.values() for word in token.split()}
    composed = {}
    for variant in whole_words:
        words = variant.split()
        if len(words) < 2:
            continue
        read = " ".join(_parts_read(words, canonical_of))
        if read not in canonical_of or (read == variant and set(words) <= term_words and read != canonical_of[read]):
            composed[read] = canonical_of[variant]
    return composed


def _parts_read(words: list[str], canonical_of: Mapping[str, str]) -> Iterator[str]:
    """The words of a variant with each shorter run that is itself a variant read as its term,
    longest first."""
    start = 0
    while start < len(words):
        for end in range(len(words) - (start == 0), start, -1):
            term = canonical_of.get(" ".join(words[start:end]))
            if term is not None:
                yield term
                start = end
                break
        else:
            yield words[start]
            start += 1


# How each kind of variant is found (see `AliasTable`); {variants} is the alternation of them.
_ANYWHERE = "(?P<variant>{variants})"
_AT_WORD_START = rf"(?<![{_WORD_CHAR}.])(?:{'|'.join(_ARABIC_PREFIXES)})?(?P<variant>{{variants}})[{_WORD_CHAR}]*"
_AS_WHOLE_WORDS = rf"(?<![{_WORD_CHAR}.])(?P<variant>{{variants}})(?![{_WORD_CHAR}])"


def _template_for(variant: str) -> str:
    """How a folded variant is found: by the script it is written in."""
    if _UNSPACED_SCRIPT.search(variant):
        return _ANYWHERE
    if _AFFIXING_SCRIPT.search(variant):
        return _AT_WORD_START
    return _AS_WHOLE_WORDS


def _plurals(variants: Iterable[str]) -> list[str]:
    """ "FMs" for "FM", "MoUs" for "MoU": abbreviations take a plural s that aliases must know."""
    return [f"{v}s" for v in variants if 2 <= len(v) <= 5 and v[:1].isupper() and v[-1:].isupper()]


def canonical_token(canonical: str) -> str:
    """A multi-word name (capitalized, like "To Lam") becomes one word: one entity is one
    piece of evidence, and "to" must not be lost as a stopword. Lowercase terms such as
    "strategic linkage" keep their words, so "linkage" alone still meets them."""
    folded = fold(canonical)
    return "".join(folded.split()) if canonical[:1].isupper() else folded


def _alternation(variants: list[str], template: str) -> re.Pattern[str] | None:
    if not variants:
        return None
    longest_first = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(template.format(variants=longest_first))


EMPTY_ALIASES = AliasTable({}, None, None, None)


def unspaced_script(text: str) -> bool:
    """Han, kana, Thai or Lao: words run together, so finding no known word there says little."""
    return bool(_UNSPACED_SCRIPT.search(text))


def words(text: str, aliases: AliasTable = EMPTY_ALIASES) -> list[str]:
    """The content words of `text`, unstemmed: folded, alias-expanded, stopwords dropped."""
    expanded = aliases.apply(fold(text))
    return [
        word
        for word in expanded.split()
        # Runs of unspaced scripts cannot be split into words here; only their aliases count.
        if word not in STOPWORDS and not _UNSPACED_SCRIPT.search(word)
    ]


def tokens(text: str, aliases: AliasTable = EMPTY_ALIASES) -> list[str]:
    """The stems of `text`'s content words: what the index and the engine compare."""
    return [stem(word) for word in words(text, aliases)]
