"""Every form in which a known name is said: its parts, after a title, possessive, inflected, and a
town's adjective and inhabitants ("Verzinhoven" -> "Verzinhovense", "Verzinhovenaren"; "Delta" ->
"Deltas", "Delta's"; "Jenkins" -> "Jenkins'"; "Amsterdam" -> "Amsterdammer").

A `Lexicon` maps the stems of each known name's distinctive words to the name's placeholder; a word
of a text is that name when, less one of the suffixes below, it is one of those stems. Stems are
the word itself and, for words of five letters or more, the forms Dutch and English derive from:
less a final vowel ("Harrogate" -> "Harrogatian"), less "-en" ("Groningen" -> "Groninger",
"Leiden" -> "Leidse"), with the final consonant doubled ("Rotterdammer") or undoubled ("Zwolle" ->
"Zwolse"); those shortened stems count only with a suffix. Only capitalised words are matched
(transcripts capitalise names; "mark" the verb is not "Mark"). Irregular forms ("Hagenaar" for
Den Haag, "Mancunian") are not derived: the capitalised-word candidates and the review list catch
those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARTICLES = frozenset(
    "van de der den het ten ter te op in 't von le la du da di del of the upon on and en & y".split()
)
PLACEHOLDER = re.compile(r"\[(?P<tag>[A-Z-]+?)-(?P<n>[0-9]+)\]")
# words that join the parts of one name ("Jan van der Berg", "University of Leeds")
JOINERS = frozenset("van de der den het ten ter te 't von le la du da di del of the upon".split())
TITLES = frozenset(
    """mevrouw mevr mw mevrouwtje meneer mijnheer mnr dhr heer juffrouw juf meester dokter dr drs ir ing mr prof
    wethouder burgemeester collega tante oom opa oma zuster broeder pastoor dominee mrs ms miss sir dame lord lady
    doctor professor councillor mayor father sister brother uncle aunt auntie nurse""".split()
)
# words that name a kind of organisation or place, not one in particular: never a stem on their own
GENERIC = frozenset(
    """gemeente gemeenten provincie ministerie ministry stichting vereniging ziekenhuis universiteit hogeschool school
    college afdeling dienst team bureau bv nv groep group trust council city county borough district town village
    university hospital department foundation association company limited ltd inc plc centre center service
    services office board authority agency noord zuid oost west north south east west-""".split()
)
SUFFIXES = tuple(
    sorted(
        """s 's ’s ' ’ se sche ser sers er ers ers' e en ën ër ërs es ese ees ezen aar aars aren naar naars naren
        enaar enaren ian ians ite ites ish an ans ner ners ling lingen""".split(),
        key=len,
        reverse=True,
    )
)
WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?(?:['’]s?)?")
VOWELS = set("aeiouy")


def stems(word: str) -> list[tuple[str, bool]]:
    """(stem, needs a suffix) for one distinctive word of a name, lower case; none for short or
    generic words, particles and titles."""
    w = word.lower().strip(".'’")
    if len(w) < 3 or w in PARTICLES or w in TITLES or w in GENERIC or not w[0].isalpha():
        return []
    found = [(w, False)]
    if len(w) >= 5:
        if w[-1] in VOWELS:
            found.append((w[:-1], True))
            if len(w) >= 6 and w[-2] == w[-3] and w[-2] not in VOWELS:
                found.append((w[:-2], True))  # Zwolle -> Zwol(se)
        if w.endswith("en") and len(w) >= 6:
            found.append((w[:-2], True))  # Groningen -> Groning(er), Leiden -> Leid(se)
        if w[-1] not in VOWELS and w[-1].isalpha():
            found.append((w + w[-1], True))  # Amsterdam -> Amsterdamm(er)
    return found


def distinctive(name: str) -> list[str]:
    """The words of a name that identify it on their own ("Anna Persoon" -> Anna, Persoon;
    "Gemeente Den Haag" -> Haag)."""
    return [w for w in WORD.findall(name) if stems(w)]


@dataclass
class Lexicon:
    """Stems of known names -> placeholder (first name known wins), and words never to replace."""

    stems: dict[str, tuple[str, bool]] = field(default_factory=dict)  # stem -> (placeholder, needs suffix)
    keep: set[str] = field(default_factory=set)  # lower-case words the researcher said are no names

    def add(self, name: str, placeholder: str) -> None:
        for word in distinctive(name):
            for stem, needs_suffix in stems(word):
                held = self.stems.get(stem)
                if held is None or (held[1] and not needs_suffix):
                    self.stems[stem] = (placeholder, needs_suffix)

    def lookup(self, word: str) -> str | None:
        """The placeholder of the known name `word` is a form of, or None (only capitalised words)."""
        if not word[:1].isupper():
            return None
        lowered = word.lower()
        if lowered in self.keep or lowered.rstrip("'’s") in self.keep:
            return None
        held = self.stems.get(lowered)
        if held is not None and not held[1]:
            return held[0]
        for suffix in SUFFIXES:
            if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 3:
                held = self.stems.get(lowered[: -len(suffix)])
                if held is not None:
                    return held[0]
        return None

    def replace(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """`text` with every form of a known name replaced; a run of words of one name (with
        particles between) becomes one placeholder. Also returns (as said, placeholder) per replacement."""
        out: list[str] = []
        done: list[tuple[str, str]] = []
        last = 0
        words = list(WORD.finditer(text))
        i = 0
        while i < len(words):
            placeholder = self.lookup(words[i].group(0))
            if placeholder is None:
                i += 1
                continue
            j = i + 1
            while j < len(words) and _joined(text, words, j, placeholder, self):
                j += 1
            while j - 1 > i and self.lookup(words[j - 1].group(0)) != placeholder:
                j -= 1
            start = words[i].start()
            end = words[j - 1].end()
            out += [text[last:start], placeholder]
            done.append((text[start:end], placeholder))
            last, i = end, j
        out.append(text[last:])
        return "".join(out), done


def _joined(text: str, words: list[re.Match[str]], j: int, placeholder: str, lexicon: Lexicon) -> bool:
    """Whether word j continues the name before it: only spaces between, and it is the same name or
    a particle followed (eventually) by the same name ("Jan de Vries")."""
    if text[words[j - 1].end() : words[j].start()].strip():
        return False
    if lexicon.lookup(words[j].group(0)) == placeholder:
        return True
    if words[j].group(0).lower() not in JOINERS:
        return False
    following = next((w for w in words[j + 1 :] if w.group(0).lower() not in JOINERS), None)
    return following is not None and lexicon.lookup(following.group(0)) == placeholder
