"""The indicators Srishti starts with, as data: the outcome indicators of the NQAS primer
(bed occupancy, average length of stay, C-section, LAMA and surgical-site infection
rates, neonatal deaths per 1,000 live births, patient satisfaction) and those the demo
checklists' area-H checkpoints ask for (referral, waiting time, partograph use, sample
rejection...).

A data migration loads these rows once; a state extends or changes the library through
the admin or `srishti indicators import FILE.csv` (the same columns as below). Benchmarks
here are starting values marked as such: the state sets its own.

Standards and measurable elements follow the demo checklist's area H (H1 workload and
productivity, H2 quality of care and patients' experience); a state using the 2019
checklists (H1 productivity, H2 efficiency, H3 clinical care and safety, H4 service
quality) re-points them by CSV.
"""

from __future__ import annotations

from typing import Any

STARTING_VALUE = "Starting value; replace with the state's target"
PRIMER = "NQAS outcome indicators (area H)"
DEMO = "Demo checklist, area H"

_HOSPITALS = ["DH", "SDH", "CHC"]
_ALL = ["DH", "SDH", "CHC", "PHC", "UPHC"]


def _ind(code: str, order: int, *, name: tuple[str, str], unit: tuple[str, str],
         departments: list[str], types: list[str], numerator: tuple[str, str],
         denominator: tuple[str, str], multiplier: int, direction: str,
         benchmark: float | None, me: str, le: bool = True, numerator_whole: bool = True,
         denominator_whole: bool = True, source: str = PRIMER) -> dict[str, Any]:
    return {
        "code": code, "order": order,
        "name_en": name[0], "name_hi": name[1], "unit_en": unit[0], "unit_hi": unit[1],
        "departments": departments, "facility_types": types,
        "numerator_en": numerator[0], "numerator_hi": numerator[1],
        "denominator_en": denominator[0], "denominator_hi": denominator[1],
        "multiplier": multiplier, "direction": direction, "benchmark": benchmark,
        "benchmark_source": STARTING_VALUE if benchmark is not None else "",
        "standard": me.split(".")[0], "measurable_element": me,
        "numerator_le_denominator": le, "numerator_whole": numerator_whole,
        "denominator_whole": denominator_whole, "source": source,
    }


PERCENT = ("%", "%")
DAYS = ("days", "दिन")
MINUTES = ("minutes", "मिनट")
HOURS = ("hours", "घंटे")
PER_1000_BIRTHS = ("per 1,000 live births", "प्रति 1,000 जीवित जन्म")

SEED_INDICATORS: list[dict[str, Any]] = [
    # IPD ---------------------------------------------------------------------------------
    _ind("BOR", 10, name=("Bed occupancy rate", "बिस्तर अधिभोग दर"), unit=PERCENT,
         departments=["IPD"], types=_HOSPITALS,
         numerator=("Inpatient bed-days in the month (patients counted at midnight, summed)",
                    "महीने के भर्ती रोगी बिस्तर-दिवस (आधी रात की गिनती का योग)"),
         denominator=("Functional beds x days in the month",
                      "चालू बिस्तर x महीने के दिन"),
         # Occupancy above 100% happens (patients on extra beds): not a part of a whole.
         multiplier=100, direction="higher", benchmark=80.0, me="H1.1", le=False),
    _ind("ALOS", 20, name=("Average length of stay", "औसत भर्ती अवधि"), unit=DAYS,
         departments=["IPD"], types=_HOSPITALS,
         numerator=("Total days stayed by the patients discharged in the month",
                    "महीने में छुट्टी पाए रोगियों के भर्ती दिनों का योग"),
         denominator=("Discharges in the month (including LAMA, referrals and deaths)",
                      "महीने की छुट्टियाँ (LAMA, रेफ़रल और मृत्यु सहित)"),
         multiplier=1, direction="lower", benchmark=None, me="H1.1", le=False),
    _ind("LAMA", 30, name=("LAMA rate", "सलाह के विरुद्ध छुट्टी (LAMA) दर"), unit=PERCENT,
         departments=["IPD"], types=_HOSPITALS,
         numerator=("Patients who left against medical advice",
                    "चिकित्सकीय सलाह के विरुद्ध जाने वाले रोगी"),
         denominator=("Admissions in the month", "महीने में भर्ती"),
         multiplier=100, direction="lower", benchmark=2.0, me="H2.1"),
    _ind("IPD-REF", 40, name=("Referral-out rate (IPD)", "रेफ़र-आउट दर (भर्ती विभाग)"),
         unit=PERCENT, departments=["IPD"], types=_HOSPITALS,
         numerator=("Inpatients referred to a higher facility",
                    "उच्च संस्थान को रेफ़र किए गए भर्ती रोगी"),
         denominator=("Admissions in the month", "महीने में भर्ती"),
         multiplier=100, direction="lower", benchmark=5.0, me="H2.1", source=DEMO),
    _ind("PSS-IPD", 50, name=("Patient satisfaction score (IPD)",
                              "रोगी संतुष्टि अंक (भर्ती विभाग)"), unit=PERCENT,
         departments=["IPD"], types=_ALL,
         numerator=("Points given by the patients surveyed",
                    "सर्वेक्षित रोगियों द्वारा दिए गए अंक"),
         denominator=("Highest points they could give (patients x questions x 5)",
                      "अधिकतम संभव अंक (रोगी x प्रश्न x 5)"),
         multiplier=100, direction="higher", benchmark=70.0, me="H2.2"),
    # Labour Room -----------------------------------------------------------------------
    _ind("CSR", 60, name=("C-section rate", "सिज़ेरियन (LSCS) दर"), unit=PERCENT,
         departments=["Labour Room"], types=_HOSPITALS,
         numerator=("Caesarean sections (LSCS) in the month", "महीने में सिज़ेरियन (LSCS)"),
         denominator=("All deliveries in the month", "महीने के सभी प्रसव"),
         multiplier=100, direction="lower", benchmark=15.0, me="H2.1"),
    _ind("NND", 70, name=("Neonatal deaths per 1,000 live births",
                          "प्रति 1,000 जीवित जन्म नवजात मृत्यु"),
         unit=PER_1000_BIRTHS, departments=["Labour Room"], types=_ALL,
         numerator=("Neonatal deaths in the facility", "संस्थान में नवजात मृत्यु"),
         denominator=("Live births in the facility", "संस्थान में जीवित जन्म"),
         multiplier=1_000, direction="lower", benchmark=10.0, me="H2.1"),
    _ind("SBR", 80, name=("Stillbirth rate", "मृत जन्म दर"),
         unit=("per 1,000 births", "प्रति 1,000 जन्म"), departments=["Labour Room"],
         types=_ALL,
         numerator=("Stillbirths", "मृत जन्म"),
         denominator=("All births (live and still)", "सभी जन्म (जीवित और मृत)"),
         multiplier=1_000, direction="lower", benchmark=15.0, me="H2.1", source=DEMO),
    _ind("PPH", 90, name=("Postpartum haemorrhage rate", "प्रसवोत्तर रक्तस्राव (PPH) दर"),
         unit=PERCENT, departments=["Labour Room"], types=_ALL,
         numerator=("Women with bleeding after birth (PPH)",
                    "प्रसव के बाद रक्तस्राव (PPH) वाली महिलाएँ"),
         denominator=("Deliveries in the month", "महीने के प्रसव"),
         multiplier=100, direction="lower", benchmark=5.0, me="H2.1", source=DEMO),
    _ind("PARTOGRAPH", 100, name=("Deliveries monitored with a partograph",
                                  "पार्टोग्राफ़ से निगरानी वाले प्रसव"), unit=PERCENT,
         departments=["Labour Room"], types=_ALL,
         numerator=("Deliveries with a completed partograph",
                    "पूरे भरे पार्टोग्राफ़ वाले प्रसव"),
         denominator=("Normal deliveries in the month", "महीने के सामान्य प्रसव"),
         multiplier=100, direction="higher", benchmark=90.0, me="H1.1", source=DEMO),
    _ind("MDR", 110, name=("Maternal deaths per lakh live births",
                           "प्रति लाख जीवित जन्म मातृ मृत्यु"),
         unit=("per 1,00,000 live births", "प्रति 1,00,000 जीवित जन्म"),
         departments=["Labour Room"], types=_HOSPITALS,
         numerator=("Maternal deaths in the facility", "संस्थान में मातृ मृत्यु"),
         denominator=("Live births in the facility", "संस्थान में जीवित जन्म"),
         # A mother may die with a stillborn child: deaths are not a part of live births.
         multiplier=100_000, direction="lower", benchmark=None, me="H2.1", le=False),
    # Operation theatres ----------------------------------------------------------------
    _ind("SSI", 120, name=("Surgical site infection rate", "शल्य स्थल संक्रमण (SSI) दर"),
         unit=PERCENT, departments=["OT", "Maternity OT"], types=_HOSPITALS,
         numerator=("Surgical site infections detected", "पाए गए शल्य स्थल संक्रमण"),
         denominator=("Surgeries done in the month", "महीने में किए गए ऑपरेशन"),
         multiplier=100, direction="lower", benchmark=5.0, me="H2.1"),
    # Emergency -------------------------------------------------------------------------
    _ind("ER-DEATH", 130, name=("Deaths within 24 hours of arrival",
                                "आगमन के 24 घंटे के भीतर मृत्यु"),
         unit=("per 1,000 patients", "प्रति 1,000 रोगी"), departments=["Emergency"],
         types=_HOSPITALS,
         numerator=("Deaths within 24 hours of arrival", "आगमन के 24 घंटे के भीतर मृत्यु"),
         denominator=("Emergency attendance in the month", "महीने में आपातकालीन उपस्थिति"),
         multiplier=1_000, direction="lower", benchmark=10.0, me="H2.1", source=DEMO),
    _ind("ER-DTT", 140, name=("Time from arrival to first treatment",
                              "आगमन से पहले उपचार तक का समय"), unit=MINUTES,
         departments=["Emergency"], types=_HOSPITALS,
         numerator=("Minutes from arrival to first treatment, summed over the patients "
                    "timed", "समय मापे गए रोगियों के आगमन से पहले उपचार तक के मिनटों का योग"),
         denominator=("Patients timed", "समय मापे गए रोगी"),
         multiplier=1, direction="lower", benchmark=10.0, me="H2.1", le=False, source=DEMO),
    _ind("ER-REF", 150, name=("Referral-out rate (Emergency)", "रेफ़र-आउट दर (आपातकाल)"),
         unit=PERCENT, departments=["Emergency"], types=_HOSPITALS,
         numerator=("Patients referred out of the emergency", "आपातकाल से रेफ़र किए गए रोगी"),
         denominator=("Emergency attendance in the month", "महीने में आपातकालीन उपस्थिति"),
         multiplier=100, direction="lower", benchmark=10.0, me="H1.1", source=DEMO),
    # OPD -------------------------------------------------------------------------------
    _ind("OPD-DOC", 160, name=("OPD patients per doctor per day",
                               "प्रति डॉक्टर प्रति दिन ओपीडी रोगी"),
         unit=("patients", "रोगी"), departments=["OPD"], types=_ALL,
         numerator=("OPD attendance in the month", "महीने की ओपीडी उपस्थिति"),
         denominator=("Doctor-days of OPD (doctors x OPD days)",
                      "ओपीडी के डॉक्टर-दिवस (डॉक्टर x ओपीडी दिन)"),
         multiplier=1, direction="higher", benchmark=None, me="H1.1", le=False, source=DEMO),
    _ind("OPD-WAIT", 170, name=("OPD waiting time", "ओपीडी प्रतीक्षा समय"), unit=MINUTES,
         departments=["OPD"], types=_ALL,
         numerator=("Minutes from registration to consultation, summed over the patients "
                    "timed", "समय मापे गए रोगियों के पंजीकरण से परामर्श तक के मिनटों का योग"),
         denominator=("Patients timed", "समय मापे गए रोगी"),
         multiplier=1, direction="lower", benchmark=30.0, me="H2.2", le=False, source=DEMO),
    _ind("LWBS", 180, name=("Left without being seen", "बिना दिखाए लौटे रोगी"),
         unit=PERCENT, departments=["OPD"], types=_ALL,
         numerator=("Patients who left without being seen", "बिना दिखाए लौटे रोगी"),
         denominator=("OPD registrations in the month", "महीने के ओपीडी पंजीकरण"),
         multiplier=100, direction="lower", benchmark=2.0, me="H2.2", source=DEMO),
    _ind("PSS-OPD", 190, name=("Patient satisfaction score (OPD)",
                               "रोगी संतुष्टि अंक (ओपीडी)"), unit=PERCENT,
         departments=["OPD"], types=_ALL,
         numerator=("Points given by the patients surveyed",
                    "सर्वेक्षित रोगियों द्वारा दिए गए अंक"),
         denominator=("Highest points they could give (patients x questions x 5)",
                      "अधिकतम संभव अंक (रोगी x प्रश्न x 5)"),
         multiplier=100, direction="higher", benchmark=70.0, me="H2.2"),
    # Laboratory ------------------------------------------------------------------------
    _ind("LAB-TECH", 200, name=("Tests per technician per day",
                                "प्रति तकनीशियन प्रति दिन जाँचें"),
         unit=("tests", "जाँचें"), departments=["Laboratory"], types=_ALL,
         numerator=("Tests done in the month", "महीने में की गई जाँचें"),
         denominator=("Technician-days worked", "तकनीशियनों के कार्य-दिवस"),
         multiplier=1, direction="higher", benchmark=None, me="H1.1", le=False, source=DEMO),
    _ind("LAB-TAT", 210, name=("Turnaround time of routine tests",
                               "सामान्य जाँचों का परिणाम समय"), unit=HOURS,
         departments=["Laboratory"], types=_ALL,
         numerator=("Hours from sample to report, summed over the tests timed (fractions "
                    "allowed)", "समय मापी गई जाँचों के नमूने से रिपोर्ट तक के घंटों का योग "
                    "(दशमलव मान्य)"),
         denominator=("Tests timed", "समय मापी गई जाँचें"),
         multiplier=1, direction="lower", benchmark=4.0, me="H2.1", le=False,
         numerator_whole=False, source=DEMO),
    _ind("LAB-REJ", 220, name=("Sample rejection rate", "नमूना अस्वीकृति दर"),
         unit=PERCENT, departments=["Laboratory"], types=_ALL,
         numerator=("Samples rejected", "अस्वीकृत नमूने"),
         denominator=("Samples received", "प्राप्त नमूने"),
         multiplier=100, direction="lower", benchmark=2.0, me="H2.1", source=DEMO),
    _ind("LAB-EQAS", 230, name=("External quality assessment within limits",
                                "सीमा के भीतर बाहरी गुणवत्ता आकलन परिणाम"), unit=PERCENT,
         departments=["Laboratory"], types=_HOSPITALS,
         numerator=("EQAS results within limits", "सीमा के भीतर EQAS परिणाम"),
         denominator=("EQAS results received", "प्राप्त EQAS परिणाम"),
         multiplier=100, direction="higher", benchmark=95.0, me="H2.1", source=DEMO),
]
