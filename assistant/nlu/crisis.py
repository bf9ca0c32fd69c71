"""Recognises a crisis in any message: suicidal thoughts or acute medical danger.

Two layers, either of which is enough:
- a Dutch lexicon of fixed patterns (direct and indirect suicidal wording, plans, means,
  goodbyes; acute symptoms that are happening now), read on a normalised text so that
  typos such as "zelfmoort" or "benauwt" still match;
- a small classifier (character and word n-grams, logistic regression) trained on the
  project's crisis training data, scored on the whole message and on each sentence, so
  that a crisis inside a long story is found too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_TRAINING_DATA = Path(__file__).resolve().parents[2] / "data" / "crisis.yml"
DEFAULT_THRESHOLD = 0.75

# Suicidal thoughts, plans, means and goodbyes: a hit is a crisis whatever the framing,
# except for the few question forms in _ABOUT_RISK_ONLY.
_SUICIDAL = (
    r"zelf ?moo?r[dt]",
    r"zelf ?dod",
    r"su[iy]c[iy]d",
    r"suicide",
    r"\b(wil|wilt|willen|wou|wilde) ((gewoon|echt|liever|het liefst|graag|zo|heel|"
    r"erg|ontzettend|eigenlijk|soms|nu|vandaag|vanavond|gewoonweg) ){0,3}dood\b",
    r"\bdood (willen|wil|wilt|gaan is beter|zijn is beter)\b",
    r"\bliever dood\b",
    r"\beind(e)? (aan|van) (mijn|m'?n|mn|zijn|z'?n|haar|het|ons) leven",
    r"\b(een )?eind(e)? aan (te )?(maken|make)\b",
    r"\ber (een )?eind(e)? aan",
    r"\b(mijn|m'?n|mn|zijn|z'?n|haar) leven (beeindigen|stoppen|nemen)",
    r"\bniet (meer|langer) (willen |wil |wilt |te )?(leven|verder( leven)?)\b",
    r"\bwil(t)? niet (meer|langer) (leven|verder)\b",
    r"\bhoeft (het )?(voor mij |voor hem |voor haar )?niet meer\b",
    r"\buit het leven (stappen|gaan|te stappen)",
    r"\bvan kant (maken|te maken)",
    r"\b(mezelf|mijzelf|zichzelf|zich|me) (iets )?(aan ?(te )?doen|aandoen)\b",
    r"\b(mezelf|mijzelf|zichzelf|zich|me) (op ?(te )?hangen|ophangen|snijden|te snijden)",
    r"\b(mezelf|mijzelf|zichzelf) (pijn|kapot) (doen|te doen|maken)",
    r"\bpillen\b.{0,40}\b(gespaar[dt]|opgespaar[dt]|verzameld|sparen|bewaard|klaar|allemaal)",
    r"\b(gespaar[dt]|opgespaar[dt]|verzameld|spaart|spaar)\b.{0,30}\bpillen",
    r"\b(pillen|medicijnen|tabletten)\b.{0,30}\b(liggen|ligt) klaar\b|\bgenoeg voor vanavond\b",
    r"\b(alle|al (mijn|m'?n|zijn|haar)) (pillen|medicijnen|tabletten) (in ?(te )?nemen|slikken)",
    r"\boverdosis\b",
    r"\bvoor (de|een) trein\b",
    r"\b(van|vanaf) (het|een|de) (dak|brug|flat|balkon)\b.{0,20}\b(spring|af)",
    r"\bspringen\b.{0,20}\b(dak|brug|flat|balkon)",
    r"\bafscheids ?brief",
    r"\bniet meer wakker (wil |wilt |te )?(worden|word)",
    r"\bwil(t)? niet meer wakker\b",
    r"\bnooit meer wakker",
    r"\b(beter|beter af|gelukkiger) (af )?zonder (mij|me|hem|haar)\b",
    r"\bzonder (mij|me|hem|haar) (beter|gelukkiger)",
    r"\b(ben|is|voel me|voelt zich|voel ik me) (alleen (maar )?|gewoon |echt )?een "
    r"(last(?! onder dwangsom)|blok aan)",
    r"\b(last|tot last) voor (iedereen|anderen|mijn|m'?n|zijn|haar|de familie)",
    r"\bgeen (uitweg|uitkomst|toekomst) meer\b",
    r"\bzie (geen|echt geen) (uitweg|uitkomst|toekomst|zin)",
    r"\bzie het (echt )?niet meer zitten\b",
    r"\bgeen (zin|reden) (meer )?(in|om te|om) (leven|het leven|verder te gaan|door te gaan)",
    r"\b(wil|wilt|willen) er niet meer (zijn|bij zijn)",
    r"\ber niet meer (willen |wil )?zijn\b",
    r"\bspullen (weg ?(te )?geven|weggegeven|verdelen)",
    r"\b(na|vanaf) (vandaag|vannacht|morgen|vanavond)\b.{0,60}\bgeen (zorgen|last)",
    r"\bvaarwel\b",
    r"\bweet (al|precies) hoe\b.{0,40}\b(doen|ga|eind)",
    r"\bkrassen\b|\bsnijdt zich",
    # means and plans
    r"\bhoeveel\b.{0,40}\bdodelijk|\bdodelijke (dosis|hoeveelheid)",
    r"\b(pillen|medicijnen|tabletten|paracetamol|slaapmiddel\w*)\b.{0,40}\bdodelijk",
    r"\bvoor je dood bent\b|\bhoe (lang|snel) (duurt het )?(voor|tot) (je|ik) dood",
    r"\b(voorgoed|voor altijd) (verdwijnen|weg)\b|\bverdwijnen,? voor (altijd|goed)\b",
    r"\bhoog genoeg\b",
    r"\bgarage\b.{0,40}\bmotor\b|\buitlaatgas",
    r"\b(een|het|dat|de) (touw|strop)\b",
    r"\b(vannacht|vanavond|vandaag|morgen) is het zover\b",
    r"\b(het wordt|het is) tijd (dat|om) (ik|te) (ga|gaan)\b",
    r"\bik ben op(,|\.|!|$)|\bhet is op(,|\.|!|$)",
    r"\bniet meer (hier|er) (zijn|wil zijn)\b",
    r"\b(ben|is) (ik|hij|ze|zij) er (morgen |straks |vanavond |dan )?niet meer\b",
    r"\bnodig (om|voor) (dood te gaan|te sterven)\b",
    r"\b(testament|brief voor (mijn|m'?n|de) (kinderen|kids|man|vrouw|ouders))\b.{0,60}"
    r"\b(klaar|geregeld|geschreven)\b|\b(nu )?is alles geregeld\b",
    r"\bgekrast\b|\bmezelf (gesneden|gekrast)\b|\bin (mijn|m'?n|mn) (armen|polsen) "
    r"(gesneden|gekrast)",
    r"\bslapen\b.{0,40}\bvoor altijd\b|\bvoor altijd (slapen|is)\b",
    r"\b(alles|het leven|mijn leven|het) (is )?(allemaal )?zinloos\b",
    r"\b(koord|strop)\b",
    r"\b(de zee|het water) in (te )?lopen\b|\bin het water springen\b",
    r"\bsorry voor alles\b",
    r"\bgas ?(kraan )?open\b|\bgaskraan\b",
    r"\b(perron|spoor|spoorweg)\b.{0,60}\btrein",
    r"\b(mijn|m'?n|zijn|haar) laatste (nacht|dag|avond)\b",
    r"\b(al|precies) weet hoe\b|\bnagedacht (over )?hoe\b",
    r"\bniet (jullie|jouw|uw|jou) schuld\b",
    r"\b(vertellen|zeggen|weten) dat ik van (ze|jullie|hem|haar|je) hou\b",
    r"\b(snel|eindelijk|dan) (is het )?voorbij\b",
    r"\bstop(pen)? met alles\b|\bhet is genoeg geweest\b|\bik stop ermee\b",
    # hoping the treatment goes wrong, or to be rid of it all ("dan ben ik overal vanaf")
    r"\bhoop\w*\b(?:(?!\b(niet|geen|nooit)\b).){0,40}\b(mis ?(gaat|ging|loopt)|fout ?"
    r"(gaat|ging)|dood ?(ga|gaat)|overlijd|sterf)",
    r"\bhoop\w*\b.{0,40}\b(het )?niet (overleef|overleeft|overleven)\b",
    r"\b(ben|zijn|is) (ik|hij|ze|zij|we|wij) (overal|van alles) (van ?af|vanaf)\b"
    r"|\boveral (van ?af|vanaf) (te )?(zijn|willen)\b",
)

# Acute danger now: a hit is a crisis unless the message only asks about risks, or
# tells of something in the past, something that happens now and then, or an "if".
_ACUTE = (
    r"\bhoge koorts",
    r"\bkoorts\b.{0,40}\b(rillingen|rillerig|klappertand|verward|suf)",
    r"\b(rillingen|rillerig|klappertand)\b.{0,40}\bkoorts",
    r"\bkoorts\b.{0,60}\bna (de|mijn|m'?n|mn|zijn|z'?n|haar|die|onze)? ?"
    r"(transplantatie|chemo|behandeling|stamcel|hsct|ahsct|kuur)",
    r"\b(na|sinds) (de|mijn|m'?n|mn|zijn|z'?n|haar|die)? ?(transplantatie|chemo|"
    r"behandeling|stamcel\w*|hsct|ahsct|kuur)\b.{0,60}\bkoorts",
    r"\bbenauw[dt]",
    r"\bkortademig",
    r"\bademnood",
    r"\bsnakt? naar adem",
    r"\b(geen|nauwelijks|amper|bijna geen|haast geen) (lucht|adem)\b",
    r"\bkan (bijna |haast |nauwelijks |amper )?(niet )?(goed )?(meer )?ademen",
    r"\b(moeilijk|slecht|zwaar) (adem|ademen|lucht)",
    r"\bstikt?\b|\bstikken\b",
    r"\b(pijn|druk|steek|steken) (op|in|aan) (de|mijn|m'?n|mn|zijn|z'?n|haar) borst",
    r"\bborst ?pijn",
    r"\bflauw ?(ge)?vallen|\bvalt (steeds )?flauw|\bflauwvallen",
    r"\bbewusteloos|\bbuiten bewustzijn|\bniet (meer )?aanspreekbaar",
    r"\b(bloedt|bloeden|bloeding)\b.{0,30}\b(hevig|erg|veel|flink|stopt niet|niet te stoppen)",
    r"\b(hevig|erg|veel|flink) (aan het )?bloed(en|t)\b",
    r"\bbloed (in|bij) (mijn|de|zijn|haar)? ?(plas|urine|ontlasting|poep)|\brood bloed\b",
    r"\bbloed (op|ophoesten|spugen|braken)\b|\bspuug\w* bloed",
    r"\bzwart voor (mijn|de|zijn|haar|m'?n) ogen\b",
    r"\b(lig|ligt) (op de grond|op de vloer)\b|\bkan (niet|niet meer) opstaan\b",
    r"\b(niks|niets) (meer )?binnen ?houden\b",
    r"\b(heel|erg|zo|steeds) (slap|duizelig|ziek|suf|verward)\b.{0,60}\b(na|sinds) "
    r"(de |mijn |zijn |haar )?(transplantatie|chemo|hsct|ahsct|behandeling)",
    r"\b(na|sinds) (de |mijn |zijn |haar )?(transplantatie|chemo|hsct|ahsct|behandeling)"
    r"\b.{0,60}\b(heel|erg|zo|steeds) (slap|duizelig|ziek|suf|verward)\b",
    r"\b(duizelig|slap|overgeven|rillen|rillerig)\b.{0,40}\bdag \d+ na\b",
    r"\b(rillingen|rillerig|rillen|koude rillingen|heet en koud|koud en heet)\b",
    r"\b(verward|rare antwoorden|wartaal|wegvalt|wegraakt)\b",
    r"\b(niet|slecht) (goed )?uit (mijn|zijn|haar|m'?n) woorden\b|\bpraat (ineens )?"
    r"(onduidelijk|raar)\b|\bscheve? (mond|gezicht)\b",
    r"\b(verlies|verliest)\b.{0,20}\bbloed\b",
    r"\b(moet|moeten|zal|zullen) (ik|we|wij|hij|ze|zij) (nu |meteen |direct |dan )?"
    r"(naar (de )?(huisartsenpost|spoedeisende hulp|spoed|eerste hulp|seh)\b"
    r"|(112|de huisartsenpost|een ambulance|de ambulance) bellen)",
    r"\b(baby|kindje)\b.{0,40}\bniet meer (bewegen|voelen)\b|\b(voel|voelt) (de|mijn|ons|"
    r"onze) (baby|kindje)\b.{0,30}\bniet meer\b",
)
# A measured fever ("39,5 graden") is a crisis unless it is told of the past.
_MEASURED_FEVER = re.compile(
    r"\b(3[89]|4[0-2])([.,]\d)? ?(graden|gr\b|°|koorts)"
    r"|\b(3[89]|4[0-2])[.,]\d\b(?! ?(weken|week|jaar|euro|kg|kilo|cm|procent|%))"
    r"|\b(koorts|temp|temperatuur)\b.{0,25}\b(3[89]|4[0-2])([.,]\d)?\b"
)
# Questions about risks in general: "krijg je koorts van de chemo?"
_GENERAL = re.compile(
    r"\b(krijg|kun|kan|kon|mag|moet|word|wordt|ga) je\b|\bals je\b|\bals (men|iemand)\b"
    r"|\bbijwerking|\brisico|\bkans op\b|\bhoe vaak\b|\bwat doe je\b"
    r"|\bkomt .{0,20} voor\b|\bwat te doen (bij|als)\b|\bwaar moet je\b"
    r"|\bhoe gevaarlijk\b"
)
# "If": "als ik na de chemo benauwd word, moet ik dan 112 bellen?"
_HYPOTHETICAL = re.compile(
    r"\bals (ik|hij|ze|zij|er|mijn \w+)\b.{0,60}\b(krijg|krijgt|word|wordt|raak|raakt"
    r"|heb|heeft)\b|\bwat (moet|doe|moeten) (ik|hij|ze|zij|we) (doen )?(als|bij)\b"
    r"|\bstel dat\b|\bwat als\b|\bmocht (ik|hij|ze|zij)\b|\bin geval van\b"
)
# Now and then, or once: "ik word weleens benauwd bij inspanning".
_HABITUAL = re.compile(
    r"\b(weleens|wel eens|soms|af en toe|bij inspanning|een keer|ooit|regelmatig)\b"
)
# Said of the past: "vorig jaar had ik koorts na de griepprik".
_PAST = re.compile(
    r"\b(vorig|afgelopen) (jaar|zomer|winter)\b|\bvorige maand\b"
    r"|\b(jaar|jaren|maanden) geleden\b"
    r"|\bvroeger\b|\btoen (ik|hij|zij|ze)\b|\bin (19|20)\d\d\b|\bgoed afgelopen\b"
    r"|\bhad (ik|hij|zij|ze)\b|\b(ik|hij|zij|ze) had\b|\bwas (ik|hij|zij|ze)\b"
)
# These mark something happening now, whatever else the message says.
_NOW = re.compile(
    r"\b(nu|net|vandaag|vannacht|vanavond|vanochtend|vanmorgen|vanmiddag|sinds|ineens"
    r"|opeens|plotseling|nog steeds|op dit moment|momenteel|al (een|twee|drie|\d+) "
    r"(uur|dag|dagen)|(niet|ni) lang geleden|kort geleden|pas (thuis|uit))\b"
)
_SETTLED = re.compile(
    r"\bnu gaat het\b|\bnu is (het|alles) (weer )?(goed|beter|over)\b"
)
# A suicide in the past, told as history ("15 jaar geleden zelfmoord gepleegd").
_SUICIDE_HISTORY = re.compile(
    r"\b(zelfmoord|zelfdoding)\b.{0,15}\b(gepleegd|overleden)\b|"
    r"\b(overleden|gestorven) (door|aan) (zelfmoord|zelfdoding)"
)
_SUICIDAL_RE = re.compile("|".join(f"(?:{p})" for p in _SUICIDAL))
_ACUTE_RE = re.compile("|".join(f"(?:{p})" for p in _ACUTE))
_PUNCTUATION = re.compile(r"(?<=[.!?;])\s+|\n+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\s+(?:maar|en toen|want|omdat)\s+|\n+")


def normalise(text: str) -> str:
    """Lower-case, strip accents, squeeze repeated letters and spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)  # "heeeel" -> "heel"
    text = re.sub(r"[^\w'°?.,!;:\n]+", " ", text)
    text = re.sub(r"\bni\b", "niet", text)  # Flemish "ni" for "niet"
    return re.sub(r"[ \t]+", " ", text).strip()


def _happening_now(norm: str) -> bool:
    """Tell whether a message with an acute symptom reports it as happening now."""
    now = bool(_NOW.search(_SETTLED.sub(" ", norm)))
    if _MEASURED_FEVER.search(norm):
        return now or not _PAST.search(norm)
    framed = (
        _GENERAL.search(norm)
        or _HYPOTHETICAL.search(norm)
        or _HABITUAL.search(norm)
        or _PAST.search(norm)
        or _SETTLED.search(norm)
    )
    return now or not framed


def pattern_hit(text: str) -> str | None:
    """Return 'suicidal' or 'acute' when the lexicon recognises a crisis, else None."""
    norm = normalise(text)
    suicidal = _SUICIDAL_RE.search(norm)
    if suicidal and not (_SUICIDE_HISTORY.search(norm) and _PAST.search(norm)):
        return "suicidal"
    for sentence in _PUNCTUATION.split(norm):
        acute = _ACUTE_RE.search(sentence) or _MEASURED_FEVER.search(sentence)
        if acute and _happening_now(sentence):
            return "acute"
    return None


def pieces(text: str) -> list[str]:
    """Return the whole message and, for a longer one, each of its sentences."""
    norm = normalise(text)
    parts = [p.strip() for p in _SENTENCE_SPLIT.split(norm) if p and p.strip()]
    return [norm, *[p for p in parts if len(p.split()) >= 3 and p != norm]]


@dataclass
class CrisisClassifier:
    """Character and word n-gram logistic regression: crisis or not."""

    threshold: float = DEFAULT_THRESHOLD
    model: Any = field(default=None, repr=False)

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> CrisisClassifier:
        """Train on texts labelled 1 (crisis) or 0 (not)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5))),
                ("words", TfidfVectorizer(ngram_range=(1, 2))),
            ]
        )
        self.model = make_pipeline(
            features,
            LogisticRegression(C=8.0, class_weight="balanced", max_iter=2000),
        )
        self.model.fit([normalise(t) for t in texts], list(labels))
        return self

    def score(self, text: str) -> float:
        """Return the highest crisis probability of the message or any sentence."""
        if self.model is None:
            return 0.0
        return float(max(self.model.predict_proba(pieces(text))[:, 1]))

    def is_crisis(self, text: str) -> bool:
        """Tell whether the classifier is confident the message is a crisis."""
        return self.score(text) >= self.threshold


def nlu_examples(folder: Path, skip: str = "emergency") -> list[str]:
    """Return the NLU examples of every intent but `skip`: ordinary messages."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if item.get("intent") == skip:
                continue
            lines = str(item.get("examples", "")).splitlines()
            found += [
                line.strip()[2:] for line in lines if line.strip().startswith("- ")
            ]
    return found


def load_training_data(
    path: Path = DEFAULT_TRAINING_DATA,
) -> tuple[list[str], list[int]]:
    """Read crisis training data: `crisis` and `not_crisis` lists, plus the NLU data.

    Every NLU example outside the emergency intent is an ordinary message, so it joins
    the `not_crisis` side: long stories and staff questions the classifier must leave.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    calm = [*data["not_crisis"], *nlu_examples(path.parent / "nlu")]
    crisis = data["crisis"]
    return [*crisis, *calm], [1] * len(crisis) + [0] * len(calm)


def train_classifier(
    path: Path = DEFAULT_TRAINING_DATA, threshold: float = DEFAULT_THRESHOLD
) -> CrisisClassifier:
    """Train the crisis classifier on the project's crisis training data."""
    texts, labels = load_training_data(path)
    return CrisisClassifier(threshold=threshold).fit(texts, labels)


@dataclass
class CrisisDetector:
    """The crisis layer: lexicon first, then the classifier."""

    classifier: CrisisClassifier | None = None

    def reason(self, text: str | None) -> str | None:
        """Return why a message is a crisis ('suicidal', 'acute', 'classifier'), or None."""
        if not text or not text.strip():
            return None
        hit = pattern_hit(text)
        if hit:
            return hit
        if self.classifier is not None and self.classifier.is_crisis(text):
            return "classifier"
        return None

    def is_crisis(self, text: str | None) -> bool:
        """Tell whether a message is a crisis."""
        return self.reason(text) is not None

    def flags(self, texts: Iterable[str]) -> list[bool]:
        """Return is_crisis for each text."""
        return [self.is_crisis(t) for t in texts]
