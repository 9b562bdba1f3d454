"""A made-up AAM-SC (sub-centre) checklist for the demo, in English and in Hindi.

Written for this project, not taken from NHSRC's checklist: only the skeleton follows
the AAM-SC tool (one checklist for the sub-centre, areas of concern A-H, a service tag
per checkpoint, twelve service packages of which the first seven are mandatory). It
shows what service packages, themes and bilingual content do without any file.

`demo_aam_sc("en")` and `demo_aam_sc("hi")` have the same structure (codes and order),
so the Hindi one is matched onto the English version as a translated workbook would be.
"""

from __future__ import annotations

from srishti.checklists.services import ThemeSpec
from srishti.workbooks.parsed import (
    ParsedArea,
    ParsedCheckpoint,
    ParsedDepartment,
    ParsedMeasurableElement,
    ParsedStandard,
    ParsedWorkbook,
)

AAM_SC_VERSION_LABEL = "Demo AAM-SC 2025"
DEPARTMENT = ("Sub-centre", "उप-स्वास्थ्य केंद्र")

# (service tag, methods, (checkpoint, means of verification) in English, the same in Hindi)
Checkpoint = tuple[str, str, tuple[str, str], tuple[str, str]]
# area letter, (title en, hi), [(standard code, (en, hi), [(ME code, (en, hi), [checkpoints])])]
CONTENT: list[tuple[str, tuple[str, str], list]] = [
    ("A", ("Service Provision", "सेवा प्रावधान"), [
        ("A1", ("The sub-centre offers the primary care services of its package.",
                "उप-केंद्र अपने पैकेज की प्राथमिक देखभाल सेवाएँ देता है।"), [
            ("A1.1", ("Antenatal and delivery-related care is available.",
                      "प्रसव-पूर्व और प्रसव से जुड़ी देखभाल उपलब्ध है।"), [
                ("All", "RR SI", ("Antenatal check-ups are recorded with weight and blood "
                                  "pressure.", "Check the antenatal register"),
                 ("प्रसव-पूर्व जाँच में वज़न और रक्तचाप दर्ज किया जाता है।",
                  "प्रसव-पूर्व रजिस्टर देखें")),
                ("All", "SI", ("Staff know the danger signs of pregnancy.",
                               "Ask the nurse to name four"),
                 ("कर्मचारी गर्भावस्था के ख़तरे के लक्षण जानते हैं।", "नर्स से चार लक्षण पूछें")),
                ("SC Type B", "OB", ("A delivery table with a clean delivery kit is ready.",
                                     "Look at the labour corner"),
                 ("साफ़ प्रसव किट के साथ प्रसव मेज़ तैयार है।", "प्रसव कक्ष देखें")),
            ]),
            ("A1.2", ("Care of newborns, infants and children is available.",
                      "नवजात, शिशु और बच्चों की देखभाल उपलब्ध है।"), [
                ("All", "RR", ("Home visits to newborns are recorded.",
                               "Check the home-visit register"),
                 ("नवजात शिशुओं के घर जाकर की गई जाँच दर्ज है।", "गृह-भ्रमण रजिस्टर देखें")),
                ("All", "OB RR", ("Immunisation sessions are held on the fixed day.",
                                  "Check the session plan"),
                 ("टीकाकरण सत्र तय दिन पर होते हैं।", "सत्र योजना देखें")),
                ("All", "SI", ("Staff weigh children and plot growth charts.",
                               "Ask for a growth chart"),
                 ("कर्मचारी बच्चों का वज़न लेकर वृद्धि चार्ट भरते हैं।", "वृद्धि चार्ट माँगें")),
            ]),
            ("A1.3", ("Family planning and care of common illnesses are available.",
                      "परिवार नियोजन और सामान्य बीमारियों का उपचार उपलब्ध है।"), [
                ("All", "OB", ("Condoms and oral pills are on display for the asking.",
                               "Look at the counter"),
                 ("कंडोम और गर्भनिरोधक गोलियाँ माँगने पर मिलती हैं।", "काउंटर देखें")),
                ("All", "RR", ("Fever cases are tested for malaria.", "Check the fever register"),
                 ("बुख़ार के मरीज़ों की मलेरिया जाँच होती है।", "बुख़ार रजिस्टर देखें")),
                ("All", "SI", ("Staff treat diarrhoea with ORS and zinc.", "Ask the staff"),
                 ("कर्मचारी दस्त का इलाज ओआरएस और ज़िंक से करते हैं।", "कर्मचारियों से पूछें")),
            ]),
            ("A1.4", ("Screening and follow-up of non-communicable diseases is done.",
                      "गैर-संचारी रोगों की जाँच और अनुवर्ती देखभाल होती है।"), [
                ("NCD", "RR", ("Adults over 30 are screened for blood pressure and sugar.",
                               "Check the screening register"),
                 ("30 वर्ष से ऊपर के वयस्कों की रक्तचाप और शुगर जाँच होती है।",
                  "जाँच रजिस्टर देखें")),
                ("NCD", "RR SI", ("Patients on treatment receive a monthly refill.",
                                  "Check five treatment cards"),
                 ("इलाज पर चल रहे मरीज़ों को हर महीने दवा मिलती है।", "पाँच उपचार कार्ड देखें")),
                ("NCD", "SI", ("Staff advise on diet, exercise and tobacco.", "Ask the staff"),
                 ("कर्मचारी आहार, व्यायाम और तंबाकू पर सलाह देते हैं।", "कर्मचारियों से पूछें")),
            ]),
            ("A1.5", ("Optional packages are offered where the sub-centre has them.",
                      "जहाँ उपलब्ध हों, वैकल्पिक पैकेज दिए जाते हैं।"), [
                ("Eye", "OB", ("A vision chart is hung at the right distance.",
                               "Measure the distance"),
                 ("दृष्टि चार्ट सही दूरी पर लगा है।", "दूरी नापें")),
                ("ENT", "SI", ("Staff check for ear discharge and refer.", "Ask the staff"),
                 ("कर्मचारी कान बहने की जाँच कर रेफ़र करते हैं।", "कर्मचारियों से पूछें")),
                ("Oral", "SI", ("Staff screen the mouth for ulcers and patches.",
                                "Ask for the screening record"),
                 ("कर्मचारी मुँह में छाले और धब्बों की जाँच करते हैं।", "जाँच का रिकॉर्ड माँगें")),
                ("Elderly", "RR", ("Elderly people are visited at home when bedridden.",
                                   "Check the home-visit list"),
                 ("बिस्तर पर पड़े बुज़ुर्गों से घर जाकर मिला जाता है।", "गृह-भ्रमण सूची देखें")),
                ("Palliative", "SI", ("Staff know how to refer for pain relief.",
                                      "Ask the staff"),
                 ("कर्मचारी दर्द-निवारण के लिए रेफ़र करना जानते हैं।", "कर्मचारियों से पूछें")),
                ("Emergency", "OB", ("A first-aid tray with dressings is ready.",
                                     "Look at the tray"),
                 ("पट्टियों सहित प्राथमिक उपचार ट्रे तैयार है।", "ट्रे देखें")),
                ("Mental", "SI", ("Staff ask about low mood and sleep at screening.",
                                  "Ask the staff"),
                 ("जाँच के समय कर्मचारी उदासी और नींद के बारे में पूछते हैं।",
                  "कर्मचारियों से पूछें")),
            ]),
        ]),
    ]),
    ("B", ("Patient Rights", "मरीज़ के अधिकार"), [
        ("B1", ("Services are given with dignity, privacy and free of cost.",
                "सेवाएँ सम्मान, निजता के साथ और निःशुल्क दी जाती हैं।"), [
            ("B1.1", ("People know the services and timings.",
                      "लोगों को सेवाओं और समय की जानकारी है।"), [
                ("All", "OB", ("Services and timings are painted at the entrance in the "
                               "local language.", "Look at the entrance"),
                 ("सेवाएँ और समय प्रवेश द्वार पर स्थानीय भाषा में लिखे हैं।", "प्रवेश द्वार देखें")),
                ("All", "PI", ("Patients say they paid nothing.", "Ask two patients"),
                 ("मरीज़ बताते हैं कि उन्होंने कुछ भुगतान नहीं किया।", "दो मरीज़ों से पूछें")),
            ]),
            ("B1.2", ("Examinations are done in privacy.", "जाँच निजता में की जाती है।"), [
                ("All", "OB", ("The examination bed has a curtain or screen.",
                               "Look at the examination room"),
                 ("जाँच बिस्तर पर पर्दा या स्क्रीन है।", "जाँच कक्ष देखें")),
            ]),
        ]),
    ]),
    ("C", ("Inputs", "संसाधन"), [
        ("C1", ("The building, staff, drugs and equipment are adequate.",
                "भवन, कर्मचारी, दवाएँ और उपकरण पर्याप्त हैं।"), [
            ("C1.1", ("The building is safe, clean and has water and power.",
                      "भवन सुरक्षित, साफ़ है और उसमें पानी और बिजली है।"), [
                ("All", "OB", ("Running water is available in the examination room.",
                               "Open the tap"),
                 ("जाँच कक्ष में नल का पानी उपलब्ध है।", "नल खोलकर देखें")),
                ("All", "OB", ("The roof does not leak.", "Look at the ceiling"),
                 ("छत से पानी नहीं टपकता।", "छत देखें")),
            ]),
            ("C1.2", ("Drugs and test kits of the essential list are in stock.",
                      "आवश्यक सूची की दवाएँ और जाँच किट भंडार में हैं।"), [
                ("All", "OB RR", ("No essential drug has been out of stock this month.",
                                  "Check the stock register"),
                 ("इस महीने कोई आवश्यक दवा ख़त्म नहीं हुई।", "भंडार रजिस्टर देखें")),
                ("All", "OB", ("Pregnancy and haemoglobin test kits are available.",
                               "Look at the kits"),
                 ("गर्भावस्था और हीमोग्लोबिन जाँच किट उपलब्ध हैं।", "किट देखें")),
                ("NCD", "OB", ("A working glucometer with strips is available.",
                               "Test the glucometer"),
                 ("स्ट्रिप सहित चालू ग्लूकोमीटर उपलब्ध है।", "ग्लूकोमीटर चलाकर देखें")),
            ]),
            ("C1.3", ("The sub-centre is staffed as planned.",
                      "उप-केंद्र में योजना के अनुसार कर्मचारी हैं।"), [
                ("All", "RR", ("A community health officer is posted.", "Check the order"),
                 ("एक सामुदायिक स्वास्थ्य अधिकारी तैनात है।", "तैनाती आदेश देखें")),
                ("SC Type B", "RR", ("A second nurse covers the delivery point.",
                                     "Check the duty roster"),
                 ("प्रसव केंद्र पर दूसरी नर्स तैनात है।", "ड्यूटी रोस्टर देखें")),
            ]),
        ]),
    ]),
    ("D", ("Support Services", "सहायक सेवाएँ"), [
        ("D1", ("Records, equipment upkeep and the community link work.",
                "रिकॉर्ड, उपकरण रखरखाव और समुदाय से जुड़ाव काम करते हैं।"), [
            ("D1.1", ("Registers are complete and reports sent on time.",
                      "रजिस्टर पूरे हैं और रिपोर्ट समय पर भेजी जाती है।"), [
                ("All", "RR", ("The monthly report is uploaded by the fifth.",
                               "Check the upload date"),
                 ("मासिक रिपोर्ट पाँच तारीख़ तक अपलोड होती है।", "अपलोड की तारीख़ देखें")),
                ("All", "RR", ("The village health committee met this quarter.",
                               "Check the minutes"),
                 ("ग्राम स्वास्थ्य समिति की बैठक इस तिमाही हुई।", "बैठक का विवरण देखें")),
            ]),
        ]),
    ]),
    ("E", ("Clinical Care", "नैदानिक देखभाल"), [
        ("E1", ("Care follows the standard treatment guidelines.",
                "देखभाल मानक उपचार दिशानिर्देशों के अनुसार होती है।"), [
            ("E1.1", ("Pregnant women are cared for as the guidelines say.",
                      "गर्भवती महिलाओं की देखभाल दिशानिर्देशों के अनुसार होती है।"), [
                ("All", "RR", ("Iron and folic acid are given from the first visit.",
                               "Check three antenatal cards"),
                 ("पहली जाँच से आयरन और फ़ोलिक एसिड दिया जाता है।", "तीन प्रसव-पूर्व कार्ड देखें")),
                ("All", "SI", ("High-risk pregnancies are referred and followed up.",
                               "Ask for the high-risk list"),
                 ("उच्च-जोखिम गर्भावस्था को रेफ़र कर फ़ॉलो-अप किया जाता है।",
                  "उच्च-जोखिम सूची माँगें")),
            ]),
            ("E1.2", ("Sick children are assessed and treated as the guidelines say.",
                      "बीमार बच्चों की जाँच और इलाज दिशानिर्देशों के अनुसार होता है।"), [
                ("All", "SI", ("Staff count breathing to classify pneumonia.",
                               "Ask the staff to show"),
                 ("निमोनिया पहचानने के लिए कर्मचारी साँसें गिनते हैं।", "कर्मचारियों से करके दिखाने को कहें")),
            ]),
            ("E1.3", ("Contraceptive choices are counselled and followed up.",
                      "गर्भनिरोधक विकल्पों पर परामर्श और फ़ॉलो-अप होता है।"), [
                ("All", "RR", ("Users of injectable contraceptives are called for the next "
                               "dose.", "Check the due list"),
                 ("इंजेक्शन गर्भनिरोधक लेने वालों को अगली ख़ुराक के लिए बुलाया जाता है।",
                  "देय सूची देखें")),
            ]),
            ("E1.4", ("Communicable diseases are treated and notified.",
                      "संचारी रोगों का इलाज होता है और सूचना दी जाती है।"), [
                ("All", "RR", ("Tuberculosis patients take their doses as recorded.",
                               "Check the treatment card"),
                 ("टीबी के मरीज़ दर्ज अनुसार ख़ुराक लेते हैं।", "उपचार कार्ड देखें")),
                ("All", "RR", ("Cases of fever clusters are reported within a day.",
                               "Check the weekly report"),
                 ("बुख़ार के समूह मामलों की सूचना एक दिन में दी जाती है।", "साप्ताहिक रिपोर्ट देखें")),
            ]),
            ("E1.5", ("Simple illnesses and injuries get first care.",
                      "साधारण बीमारियों और चोटों को प्राथमिक उपचार मिलता है।"), [
                ("All", "SI", ("Staff clean and dress a small wound correctly.",
                               "Ask the staff to describe"),
                 ("कर्मचारी छोटे घाव को सही तरह साफ़ कर पट्टी करते हैं।", "कर्मचारियों से पूछें")),
            ]),
            ("E1.6", ("Chronic patients are kept on treatment.",
                      "पुराने रोगों के मरीज़ों का इलाज जारी रखा जाता है।"), [
                ("NCD", "RR", ("Patients who missed a refill are traced.",
                               "Check the defaulter list"),
                 ("दवा लेने न आए मरीज़ों को खोजा जाता है।", "छूटे मरीज़ों की सूची देखें")),
            ]),
            ("E1.7", ("Eye and ear problems are found and referred.",
                      "आँख और कान की समस्याएँ पहचानी और रेफ़र की जाती हैं।"), [
                ("Eye", "RR", ("People with poor vision are referred for glasses.",
                               "Check the referral register"),
                 ("कम दिखने वालों को चश्मे के लिए रेफ़र किया जाता है।", "रेफ़रल रजिस्टर देखें")),
                ("ENT", "RR", ("Children failing a hearing check are referred.",
                               "Check the referral register"),
                 ("सुनने की जाँच में असफल बच्चों को रेफ़र किया जाता है।", "रेफ़रल रजिस्टर देखें")),
            ]),
            ("E1.8", ("Oral, elderly, palliative, emergency and mental health care follow "
                      "the guidelines.",
                      "मुख, बुज़ुर्ग, प्रशामक, आपातकालीन और मानसिक स्वास्थ्य देखभाल "
                      "दिशानिर्देशों के अनुसार होती है।"), [
                ("Oral", "RR", ("Tobacco users are counselled to quit.",
                                "Check the counselling record"),
                 ("तंबाकू सेवन करने वालों को छोड़ने की सलाह दी जाती है।", "परामर्श रिकॉर्ड देखें")),
                ("Elderly & pallative", "SI", ("Caregivers are taught to prevent bed sores.",
                                               "Ask a caregiver"),
                 ("देखभाल करने वालों को बिस्तर के घाव रोकना सिखाया जाता है।",
                  "देखभाल करने वाले से पूछें")),
                ("Emergency", "SI", ("Staff know the ambulance number and call it.",
                                     "Ask the staff"),
                 ("कर्मचारी एम्बुलेंस का नंबर जानते हैं और बुलाते हैं।", "कर्मचारियों से पूछें")),
                ("Mental", "RR", ("People screened positive for depression are referred.",
                                  "Check the referral register"),
                 ("अवसाद की जाँच में पॉज़िटिव लोगों को रेफ़र किया जाता है।",
                  "रेफ़रल रजिस्टर देखें")),
            ]),
        ]),
    ]),
    ("F", ("Infection Control", "संक्रमण नियंत्रण"), [
        ("F1", ("Infection is prevented and waste handled safely.",
                "संक्रमण रोका जाता है और कचरा सुरक्षित रूप से निपटाया जाता है।"), [
            ("F1.1", ("Hands are washed and waste is segregated.",
                      "हाथ धोए जाते हैं और कचरा अलग किया जाता है।"), [
                ("All", "OB", ("Soap is at the wash basin.", "Look at the basin"),
                 ("वॉश बेसिन पर साबुन है।", "बेसिन देखें")),
                ("All", "OB", ("Coloured bins are used as the rules say.", "Look at the bins"),
                 ("रंगीन डिब्बों का उपयोग नियमों के अनुसार होता है।", "डिब्बे देखें")),
                ("SC Type B", "OB", ("Delivery instruments are boiled or autoclaved.",
                                     "Ask how and look"),
                 ("प्रसव उपकरण उबाले या ऑटोक्लेव किए जाते हैं।", "पूछें और देखें")),
            ]),
        ]),
    ]),
    ("G", ("Quality Management", "गुणवत्ता प्रबंधन"), [
        ("G1", ("The team reviews its quality and acts on gaps.",
                "टीम अपनी गुणवत्ता की समीक्षा कर कमियों पर काम करती है।"), [
            ("G1.1", ("Patient feedback and internal assessments are used.",
                      "मरीज़ों की प्रतिक्रिया और आंतरिक आकलन का उपयोग होता है।"), [
                ("All", "RR", ("Patient feedback is collected every month.",
                               "Check the feedback forms"),
                 ("हर महीने मरीज़ों की प्रतिक्रिया ली जाती है।", "प्रतिक्रिया फ़ॉर्म देखें")),
                ("All", "RR", ("An action plan follows each internal assessment.",
                               "Check the action plan"),
                 ("हर आंतरिक आकलन के बाद कार्य योजना बनती है।", "कार्य योजना देखें")),
            ]),
        ]),
    ]),
    ("H", ("Outcome", "परिणाम"), [
        ("H1", ("The sub-centre tracks its outcomes.", "उप-केंद्र अपने परिणामों पर नज़र रखता है।"), [
            ("H1.1", ("Coverage figures are reviewed monthly.",
                      "कवरेज के आँकड़ों की हर महीने समीक्षा होती है।"), [
                ("All", "RR", ("Full immunisation coverage is calculated monthly.",
                               "Check the calculation"),
                 ("पूर्ण टीकाकरण कवरेज की गणना हर महीने होती है।", "गणना देखें")),
                ("NCD", "RR", ("The share of hypertensives under control is calculated.",
                               "Check the calculation"),
                 ("नियंत्रित उच्च रक्तचाप वाले मरीज़ों का अनुपात निकाला जाता है।", "गणना देखें")),
            ]),
        ]),
    ]),
]

# (number, (name en, hi), mandatory, measurable elements, optional packages behind it)
THEMES: list[tuple[int, tuple[str, str], bool, tuple[str, ...], tuple[str, ...]]] = [
    (1, ("Care in pregnancy and childbirth", "गर्भावस्था और प्रसव देखभाल"), True,
     ("A1.1", "E1.1", "B1.2"), ()),
    (2, ("Newborn and infant care", "नवजात और शिशु देखभाल"), True, ("A1.2",), ()),
    (3, ("Child and adolescent health", "बाल और किशोर स्वास्थ्य"), True, ("A1.2", "E1.2"), ()),
    (4, ("Family planning", "परिवार नियोजन"), True, ("A1.3", "E1.3"), ()),
    (5, ("Communicable diseases", "संचारी रोग"), True, ("A1.3", "E1.4"), ()),
    (6, ("Simple illnesses and minor injuries", "साधारण बीमारियाँ और छोटी चोटें"), True,
     ("A1.3", "E1.5"), ()),
    (7, ("Non-communicable diseases", "गैर-संचारी रोग"), True,
     ("A1.4", "C1.2", "E1.6", "H1.1"), ()),
    (8, ("Eye and ENT care", "आँख और कान-नाक-गला देखभाल"), False, ("A1.5", "E1.7"),
     ("Eye", "ENT")),
    (9, ("Oral health", "मुख स्वास्थ्य"), False, ("A1.5", "E1.8"), ("Oral",)),
    (10, ("Elderly and palliative care", "बुज़ुर्ग और प्रशामक देखभाल"), False, ("A1.5", "E1.8"),
     ("Elderly", "Palliative")),
    (11, ("Emergency care", "आपातकालीन देखभाल"), False, ("A1.5", "E1.8"), ("Emergency",)),
    (12, ("Mental health", "मानसिक स्वास्थ्य"), False, ("A1.5", "E1.8"), ("Mental",)),
]


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "hi" else pair[0]


def demo_aam_sc(language: str = "en") -> ParsedWorkbook:
    """The demo AAM-SC checklist in "en" or "hi", built anew on every call."""
    row = 0

    def next_row() -> int:
        nonlocal row
        row += 1
        return row

    name = _pick(DEPARTMENT, language)
    department = ParsedDepartment(name=name, sheet=name)
    for letter, area_title, standards in CONTENT:
        area = ParsedArea(letter=letter, title=_pick(area_title, language), row=next_row())
        for code, title, elements in standards:
            standard = ParsedStandard(code=code, title=_pick(title, language), row=next_row())
            for me_code, me_text, checkpoints in elements:
                standard.measurable_elements.append(ParsedMeasurableElement(
                    code=me_code, text=_pick(me_text, language), row=next_row()))
                for _service, methods, english, hindi in checkpoints:
                    text, verification = hindi if language == "hi" else english
                    standard.checkpoints.append(ParsedCheckpoint(
                        row=next_row(), text=text, code=None, me_code=me_code,
                        methods=frozenset(methods.split()), means_of_verification=verification,
                        value=None, remark=""))
            area.standards.append(standard)
        department.areas.append(area)
    return ParsedWorkbook(path=f"demo:AAM-SC:{language}", layout="nqas",
                          departments=[department])


def demo_service_tags() -> list[str]:
    """Each checkpoint's service tag, in the checklist's order of checkpoints."""
    return [service for _letter, _title, standards in CONTENT
            for _code, _t, elements in standards
            for _me, _text, checkpoints in elements
            for service, *_rest in checkpoints]


def demo_themes(language: str = "en") -> list[ThemeSpec]:
    return [ThemeSpec(number, _pick(name, language), mandatory, list(elements), list(services))
            for number, name, mandatory, elements, services in THEMES]
