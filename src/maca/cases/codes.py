"""The codes of children's data in England that a case profile uses, each with its label, and how to read them.

Sources: the Department for Education's census codes (ethnicity main codes; gender as in the children in need
census and the school census); special educational needs provision (N, K, E).
"""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


# The children in need census codes (1, 2, 9, 0) and the school census's (M, F, U) mean the same.
GENDER_CODES = {
    "1": Gender.MALE,
    "2": Gender.FEMALE,
    "9": Gender.OTHER,
    "0": Gender.NOT_KNOWN,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "u": Gender.NOT_KNOWN,
}


class SpecialNeeds(models.TextChoices):
    NONE = "none", "No special provision"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "Education, health and care plan (EHCP)"
    NOT_KNOWN = "not_known", "Not known"


SEND_CODES = {"n": SpecialNeeds.NONE, "k": SpecialNeeds.SEN_SUPPORT, "e": SpecialNeeds.EHCP}


class YesNoNotKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


# The Department for Education's main ethnicity codes, in the census's order.
ETHNICITIES: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
ETHNICITY_CHOICES = [("", "Not recorded"), *ETHNICITIES.items()]


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def read_choice(text: str, choices: type[models.TextChoices], codes: dict[str, str] | None = None) -> str | None:
    """A value of `choices` from what a person wrote: the value, the label, or a census code (any case). None if
    it is none of those."""
    key = _key(text)
    for value, label in choices.choices:
        if key in (_key(str(value)), _key(str(label))):
            return str(value)
    if codes and key in codes:
        return str(codes[key])
    return None


def read_ethnicity(text: str) -> str | None:
    """A main ethnicity code from its code or its label (any case); "" for blank; None if unknown."""
    key = _key(text)
    if not key:
        return ""
    for code, label in ETHNICITIES.items():
        if key in (code.lower(), _key(label)):
            return code
    return None
