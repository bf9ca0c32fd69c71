"""Keeps curated answers to our two subjects: near misses go to out_of_scope.

A message about another disease, another use of stem cells or another pregnancy topic
shares words with our answers ("stamcellen", "navelstreng") but is not about them. A
message from someone who lives outside the Netherlands is about other rules. Both are
recognised here by a lexicon, so that the classifier's guess is not the last word.
"""

from __future__ import annotations

import re

from assistant.nlu.crisis import normalise

OUT_OF_SCOPE = "out_of_scope"
OTHER_COUNTRY = "other_country"

# Other conditions and treatments: out of scope unless the message also names MS.
_OTHER_CONDITIONS = (
    r"\bamyotrofische",
    r"\bdiabet",
    r"\bsuikerziekte",
    r"\bartros",
    r"\bartrose",
    r"\bslijtage",
    r"\bknie",
    r"\bheup",
    r"\blymfoom|\blymfklierkanker|\bhodgkin",
    r"\bleukemie|\bbloedkanker|\bmyeloom",
    r"\bkanker\b",
    r"\bautis",
    r"\bparkinson",
    r"\balzheimer|\bdementie",
    r"\breuma",
    r"\bcrohn",
    r"\bhartfalen|\bhartinfarct",
    r"\bdwarslaesie|\bruggenmergletsel",
    r"\bcidp\b",
    r"\bsikkelcel",
    r"\bdonor ?(stamcel|stamcellen|beenmerg)|\bbeenmergdonor|\bstamceldonor|\bmatchis",
    r"\bcosmetic|\bcreme|\bcrème|\bhuidverzorging|\banti ?aging|\brimpels",
    r"\bhaargroei|\bkaalheid|\bhaaruitval",
    r"\bhernia|\brugpijn|\bpeesblessure|\bsportblessure",
    r"\bepilep|\blupus\b|\bpsoriasis|\bastma|\bcopd\b|\bhiv\b|\baids\b|\bhepatitis",
    r"\bmigraine|\bfibromyalg|\blong ?covid|\bcoeliakie|\beczeem|\bacne\b",
    r"\bberoerte|\bherseninfarct|\bhersenbloeding|\bhersenletsel",
    r"\bspierdystrofie|\bduchenne|\bhuntington|\bspierziekte|\bneuropathie",
    r"\bglaucoom|\bmaculadegeneratie|\bnetvlies",
    r"\bartritis|\bjicht\b|\bosteoporose|\bkraakbeen|\bmeniscus|\bkruisband",
    r"\bhartziekte|\bhartklep|\bnierziekte|\bnierfalen|\bdialyse|\blevercirrose",
    r"\bbrandwond|\berectie|\bimpoten",
    r"\bbotox|\bfillers?\b|\bfacelift|\bliposuctie|\bbuikvet|\bvetstamcel|\bcosmetisch",
    r"\bverjong|\bplaatjesrijk plasma|\bprp\b",
    r"\bstamcellen? (uit|van) (het |mijn |je )?(vet|buikvet|huid|tand|kies|haar)",
    r"\bivf\b|\bicsi\b|\beicel|\bsperma|\bembryo|\bnipt\b",
    r"\bzwangerschapsvergiftiging|\bpre ?eclampsie",
    r"\bfoliumzuur|\bvaccin|\bgriepprik",
    r"\bbloeddonor|\bbloedplasma|\bplasma doneren|\borgaandonor|\borgaandonatie",
    r"\bdonorregister|\b(wil|willen|kan|mag) (ik |je |men )?bloed (doneren|geven)\b",
)
# Other pregnancy and baby topics: out of scope whatever else the message says.
_OTHER_BABY_TOPICS = (
    r"\bmelktand",
    r"\btandstamcel|\bstamcellen uit (de )?tand",
    r"\b(laat|later|uitgesteld) (af ?navelen|afgenaveld|doorknippen)",
    r"\bafnavelen|\bafgenaveld",
    r"\bnavelstreng\w* (om|rond) (de|zijn|haar) (nek|hals)",
    r"\bnavel ?stomp|\bnavelstompje|\bnavel (verzorgen|verzorging|ontstoken)",
    r"\bplacenta (eten|opeten|capsules|invriezen)|\bplacentacapsules",
    r"\b(verzorg|verzorgen|verzorging|schoonmaken|ontsteking)\b.{0,30}\bnavel",
    r"\bnavelstreng ?(knippen|doorknippen)",
)
# Naming one of our subjects keeps a message with another condition in scope
# ("navelstrengbloed bewaren voor als ons kind leukemie krijgt").
_OURS_NAMED = re.compile(
    r"\b(ms|rrms|ppms|spms|multiple|multipele|ms'?ers?)\b|navelstreng ?bloed"
    # an MS medicine names MS too ("mag ik ocrevus gebruiken als ik ivf doe")
    r"|\b(ocrevus|ocrelizumab|tysabri|natalizumab|lemtrada|alemtuzumab|tecfidera"
    r"|gilenya|mavenclad|kesimpta|aubagio|copaxone|plegridy|rebif|avonex|betaferon"
    r"|zeposia|mayzent|ponvory|vumerity|interferon)\b"
)
_ALS = re.compile(r"\bALS\b")  # the disease, written in capitals ("als" is a word)
_OTHER_CONDITION_RE = re.compile("|".join(f"(?:{p})" for p in _OTHER_CONDITIONS))
_OTHER_BABY_RE = re.compile("|".join(f"(?:{p})" for p in _OTHER_BABY_TOPICS))
# Someone who says they live outside the Netherlands.
_ABROAD = (
    r"(belgie|vlaanderen|wallonie|brussel|antwerpen|gent|brugge|leuven|hasselt|mechelen"
    r"|luik|duitsland|frankrijk|engeland|spanje|portugal|suriname|curacao|aruba|bonaire"
    r"|sint maarten|luxemburg|zwitserland|oostenrijk|italie|turkije|marokko"
    r"|paramaribo|aken|dusseldorf|keulen|de uk|belgisch limburg|kortrijk|oostende|genk"
    r"|aalst|roeselare|turnhout|lier|namen|charleroi)"
)
_PERSON = r"\b(ik|wij|we|hij|zij|ze|beller|mevrouw|meneer|iemand|mijn \w+)\b"
_LIVES_ABROAD = re.compile(
    rf"(^|{_PERSON}.{{0,25}})\b(woon|woont|wonen|zit|zitten|zitte)\b.{{0,20}}"
    rf"\b(in|op|vanuit) {_ABROAD}"
    rf"|{_PERSON} (ben |is |zijn )?(uit|van) {_ABROAD}\b"
    # the verb last, as in a subordinate clause ("dat ze in België woont")
    rf"|\b(in|vanuit) {_ABROAD} (woon|woont|wonen|woonachtig)\b|\bwoonachtig in {_ABROAD}"
    # a birth abroad: that country's hospital and rules ("ik ga bevallen in Leuven")
    rf"|\b(beval|bevalt|bevallen)\b.{{0,15}}\bin {_ABROAD}\b"
    rf"|\bhier in {_ABROAD}\b"
    rf"|\bmijn (gynaecoloog|neuroloog|huisarts|verloskundige|vroedvrouw|ziekenhuis) "
    rf"(in|uit) {_ABROAD}"
    rf"|\bverhuisd\b.{{0,30}}\bnaar {_ABROAD}|\bnaar {_ABROAD} verhuisd"
    r"|\bik ben (een )?(belg|vlaming)\b(?!.{0,40}\bwoon)"
    r"|\bbelgische (verzekering|mutualiteit)|\bmutualiteit|\briziv\b|\bkrankenkasse"
)


_ABROAD_NAMED = re.compile(rf"\b{_ABROAD}\b|\bbuitenland")


def names_another_country(text: str | None) -> bool:
    """Tell whether a message names another country or place abroad."""
    return bool(text and _ABROAD_NAMED.search(normalise(text)))


def redirect(text: str | None) -> str | None:
    """Return 'out_of_scope' or 'other_country' when a message is not ours, else None."""
    if not text:
        return None
    norm = normalise(text)
    if _OTHER_BABY_RE.search(norm):
        return OUT_OF_SCOPE
    other = _OTHER_CONDITION_RE.search(norm) or _ALS.search(text)
    if other and not _OURS_NAMED.search(norm):
        return OUT_OF_SCOPE
    if _LIVES_ABROAD.search(norm):
        return OTHER_COUNTRY
    return None


# Words that may stand beside a subject in a reply to "stamceltherapie of
# navelstrengbloed?" ("voor ms", "ik bedoel navelstrengbloed", "over HSCT graag").
_FILLER = frozenset(
    "voor over bij de het een om gaat ging ik bedoel bedoelde graag is dus toch "
    "nee ja ok oke oké eh uh sorry die dat van met about for the".split()
)


def names_only_a_subject(text: str | None, spans: list[tuple[int, int]]) -> bool:
    """Tell whether a message is nothing but a subject (given as character spans)."""
    if not text or not spans:
        return False
    rest = list(text)
    for start, end in spans:
        rest[start:end] = " " * (end - start)
    words = re.findall(r"\w+", "".join(rest).lower())
    return all(word in _FILLER for word in words)
