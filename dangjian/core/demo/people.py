"""Fictional people: names, valid ID numbers, staff/student numbers, with encrypted identifiers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangjian.core import crypto
from dangjian.core.demo.names import (
    ETHNICITIES,
    GIVEN_CHARS_FEMALE,
    GIVEN_CHARS_MALE,
    REGIONS,
    SURNAMES,
    TITLES_STAFF,
)
from dangjian.core.idnumbers import make_id_number, mask_id_number
from dangjian.core.models import Education, Organization, Person, PersonType
from dangjian.core.pinyin import name_pinyin_and_initials

BIRTH_RANGES = {
    PersonType.STUDENT: (date(1998, 1, 1), date(2007, 8, 31)),
    PersonType.STAFF: (date(1965, 1, 1), date(1997, 12, 31)),
    PersonType.RETIRED: (date(1940, 1, 1), date(1964, 12, 31)),
    PersonType.OTHER: (date(1970, 1, 1), date(2000, 12, 31)),
}


class PersonFactory:
    """Makes unsaved Person objects; every ID number and staff number is unique within one run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_ids: set[str] = set()
        self.counters = {
            PersonType.STAFF: 0,
            PersonType.STUDENT: 0,
            PersonType.RETIRED: 0,
            PersonType.OTHER: 0,
        }

    def name(self, female: bool) -> str:
        rng = self.rng
        index = min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)
        chars = GIVEN_CHARS_FEMALE if female else GIVEN_CHARS_MALE
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return SURNAMES[index] + given

    def birth(self, person_type: str) -> date:
        start, end = BIRTH_RANGES[PersonType(person_type)]
        return start + timedelta(days=self.rng.randrange((end - start).days))

    def id_number(self, birth: date, female: bool) -> str:
        while True:
            number = make_id_number(
                self.rng.choice(REGIONS), birth, self.rng.randrange(0, 999, 2), female=female
            )
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def staff_number(self, person_type: str, birth: date) -> str:
        self.counters[PersonType(person_type)] += 1
        n = self.counters[PersonType(person_type)]
        if person_type == PersonType.STUDENT:
            return f"{min(birth.year + 18, 2026)}{n:06d}"
        prefix = {PersonType.STAFF: "1", PersonType.RETIRED: "9", PersonType.OTHER: "8"}[
            PersonType(person_type)
        ]
        return f"{prefix}{n:07d}"

    def make(
        self, *, person_type: str, organization: Organization, unit: str, status: str, major: str = ""
    ) -> Person:
        rng = self.rng
        female = rng.random() < (0.55 if person_type == PersonType.STUDENT else 0.45)
        name = self.name(female)
        birth = self.birth(person_type)
        number = self.id_number(birth, female)
        pinyin, initials = name_pinyin_and_initials(name)
        person = Person(
            name=name,
            name_pinyin=pinyin,
            name_initials=initials,
            gender="female" if female else "male",
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            id_number_encrypted=crypto.encrypt(number),
            id_number_index=crypto.blind_index(number),
            id_number_masked=mask_id_number(number),
            phone=f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            staff_number=self.staff_number(person_type, birth),
            person_type=person_type,
            unit=unit,
            political_status=status,
            organization=organization,
        )
        if person_type == PersonType.STUDENT:
            grade_year = min(birth.year + 18, 2025)
            person.grade = str(grade_year)
            person.major = major
            person.class_name = f"{major}{grade_year % 100:02d}{rng.randint(1, 4)}班"
            person.education = Education.POSTGRADUATE if birth.year < 2002 else Education.BACHELOR
        else:
            person.education = rng.choice(
                [Education.POSTGRADUATE] * 5 + [Education.BACHELOR] * 3 + [Education.JUNIOR_COLLEGE]
            )
            person.title = rng.choice(TITLES_STAFF) if person_type == PersonType.STAFF else "退休"
        return person
