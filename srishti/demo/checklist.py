"""A made-up NQAS-shaped checklist for demos, tests and screenshots.

The official NHSRC checklists are not ours to redistribute, so every sentence here was
written for this project from general knowledge of hospital quality. Only the skeleton
follows NQAS: areas of concern A-H, standard codes chosen so that the certification
criteria find their critical standards (A2, B5, D8, D10, F6), measurable elements, then
checkpoints with an assessment method and a means of verification.

Text comes from a generic pool per measurable element; a department replaces the
checkpoints of the elements where something specific to it reads better (a partograph in
the Labour Room, a crash cart in Emergency). Everything is built afresh on each call, so
callers may mutate the result without affecting the next one.
"""

from __future__ import annotations

from srishti.workbooks.parsed import (
    ParsedArea,
    ParsedCheckpoint,
    ParsedDepartment,
    ParsedMeasurableElement,
    ParsedStandard,
    ParsedWorkbook,
)

DEMO_VERSION_LABEL = "Demo 2025"

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "DH": ("Emergency", "OPD", "Labour Room", "IPD", "Laboratory"),
    "CHC": ("Emergency", "OPD", "Labour Room", "IPD"),
    "PHC": ("OPD", "Labour Room", "General Administration"),
}

AREAS: tuple[tuple[str, str], ...] = (
    ("A", "Service Provision"),
    ("B", "Patient Rights"),
    ("C", "Inputs"),
    ("D", "Support Services"),
    ("E", "Clinical Services"),
    ("F", "Infection Control"),
    ("G", "Quality Management"),
    ("H", "Outcome"),
)

# Codes are fixed (not numbered 1..n) because the certification criteria name critical
# standards by code: A2, B5, D10 for DH; A2, B5, D8 for PHC; A2, B5, F6 for CHC.
STANDARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("A1", "The department offers the curative services expected at its level of care."),
        ("A2", "Maternal, newborn, child and adolescent health services are delivered as "
               "expected at this level."),
        ("A3", "Diagnostic services that patients need are available on site or through a "
               "written linkage."),
    ),
    "B": (
        ("B1", "Patients and visitors can easily find information on services, entitlements "
               "and how to complain."),
        ("B2", "Care is given with privacy and dignity, without barriers of gender, "
               "disability, language, religion or income."),
        ("B5", "Entitled patients receive care free of cost and spend nothing out of pocket."),
    ),
    "C": (
        ("C1", "Space, utilities and the building are adequate and safe for the services."),
        ("C2", "Staff are posted in the numbers and with the skills the workload needs."),
        ("C3", "Drugs, consumables and equipment needed for the services are available and "
               "working."),
    ),
    "D": (
        ("D1", "Equipment is maintained, repaired and calibrated on schedule."),
        ("D2", "Drugs and consumables are stored, issued and tracked safely."),
        ("D8", "Linen, cleaning and, for admitted patients, diet services are reliable."),
        ("D10", "Records are complete and legal and programme requirements are met."),
    ),
    "E": (
        ("E1", "Patients are registered and assessed promptly on arrival."),
        ("E2", "Treatment follows written standard treatment guidelines."),
        ("E3", "Medicines are given safely and care is documented."),
    ),
    "F": (
        ("F1", "An infection prevention programme, hand hygiene first, is followed."),
        ("F2", "Protective equipment is used and instruments are disinfected or sterilised "
               "correctly."),
        ("F6", "Biomedical waste is segregated, stored and disposed of as the rules require."),
    ),
    "G": (
        ("G1", "A quality team assesses the department regularly and closes the gaps found."),
        ("G2", "Patient feedback is collected and acted on, and work follows written "
               "procedures."),
    ),
    "H": (
        ("H1", "The department measures its workload and productivity every month."),
        ("H2", "The department measures the quality of its care and patients' experience."),
    ),
}

# A checkpoint is (text, methods separated by spaces, means of verification).
Checkpoint = tuple[str, str, str]

# Per measurable element: its sentence and the checkpoints every department gets unless
# OVERRIDES replaces them. Texts are distinct across the pool so that they stay unique
# within any department.
GENERIC: dict[str, tuple[str, list[Checkpoint]]] = {
    "A1.1": ("Core curative services are available during the department's notified hours.", [
        ("A doctor is on duty or on call whenever the department is open.", "SI RR",
         "Compare the on-call list with the attendance register"),
        ("Service hours are displayed at the entrance of the department.", "OB",
         "Look for the timings board"),
        ("General medicine consultations are available on all working days.", "SI RR",
         "Check the duty roster and last month's register"),
    ]),
    "A1.2": ("Patients who need care beyond the facility's capacity are referred with a note.", [
        ("A referral register records each patient, the reason and the destination.", "RR",
         "Review the referral register for the last three months"),
        ("Staff can name the higher facility and its phone number for referrals.", "SI",
         "Ask the nurse on duty"),
    ]),
    "A2.1": ("Antenatal, postnatal and family planning services are provided.", [
        ("Pregnant women are screened for anaemia and high blood pressure at each visit.",
         "RR PI", "Check five ANC cards and ask two pregnant women"),
        ("Family planning counselling and contraceptives are offered to eligible couples.",
         "SI PI", "Ask staff and a client which methods were offered"),
        ("Recently delivered mothers are told when to come back for check-ups.", "PI",
         "Ask a postnatal mother"),
    ]),
    "A2.2": ("Child and adolescent health services are provided.", [
        ("Children under five are weighed and their weight is plotted on a growth chart.",
         "OB RR", "Check growth charts of five children"),
        ("Adolescents can consult in private about nutrition and reproductive health.",
         "SI PI", "Ask the medical officer or counsellor"),
    ]),
    "A3.1": ("Basic laboratory tests are available.", [
        ("Haemoglobin, blood sugar and urine tests are done on site.", "SI RR",
         "Verify the test list against the laboratory register"),
        ("Samples for tests not done on site are sent out under a written arrangement.", "RR",
         "Check the sample transport log or agreement"),
    ]),
    "A3.2": ("Imaging and other diagnostics are available or accessible.", [
        ("X-ray or ultrasound is available, or patients are sent to a linked centre free.",
         "SI RR", "Check the linkage letter and referral slips"),
        ("An ECG can be recorded when a doctor asks for one.", "OB SI",
         "Ask staff to show the ECG machine and its last tracing"),
    ]),
    "B1.1": ("Signage and displayed information help patients find their way.", [
        ("Signs in the local language lead to the department from the main gate.", "OB",
         "Walk from the gate to the department"),
        ("A list of services and free entitlements is displayed.", "OB",
         "Check the notice board"),
        ("The name and phone number of the officer handling complaints is displayed.", "OB",
         "Check the display near the entrance"),
    ]),
    "B1.2": ("Patients are told about their condition and treatment.", [
        ("Patients can state their diagnosis and how to take their medicines.", "PI",
         "Ask two patients as they leave"),
        ("Written consent is taken before any procedure.", "RR",
         "Check consent forms in five case records"),
    ]),
    "B2.1": ("Privacy and dignity are protected during examination and care.", [
        ("Screens or curtains are used during examination.", "OB", "Observe an examination"),
        ("A female attendant is present when a male doctor examines a woman.", "OB SI PI",
         "Observe and ask staff and a woman patient"),
        ("Case records are kept where visitors cannot read them.", "OB",
         "Check where case records are kept"),
    ]),
    "B2.2": ("Services are accessible to elderly and disabled patients.", [
        ("A ramp with handrails and a wheelchair are available at the entrance.", "OB",
         "Check the entrance"),
        ("Elderly and disabled patients are seen without waiting in the general queue.",
         "OB SI", "Observe the queue and ask staff"),
    ]),
    "B5.1": ("Drugs, tests and services under free-care schemes are provided without charge.", [
        ("No patient is asked to buy medicines from outside.", "PI RR",
         "Ask three patients and check prescriptions for outside purchases"),
        ("Free tests are given to pregnant women, sick infants and BPL patients.", "PI RR",
         "Check the laboratory register and ask beneficiaries"),
        ("Free transport is available for pregnant women and sick infants.", "PI SI",
         "Ask beneficiaries and check the ambulance log"),
    ]),
    "B5.2": ("Any user charges are displayed and receipted.", [
        ("Applicable charges are displayed with the list of exempted groups.", "OB",
         "Check the notice board"),
        ("A receipt is issued for every payment collected.", "RR PI",
         "Check the receipt book and ask a patient"),
    ]),
    "C1.1": ("Space and layout are adequate for the workload.", [
        ("The waiting area has enough seating for peak hours.", "OB", "Observe at peak time"),
        ("Every room has working lights and fans.", "OB", "Check each room"),
    ]),
    "C1.2": ("Utilities and fire safety are in place.", [
        ("Running water is available round the clock.", "OB SI",
         "Open the taps and ask staff about interruptions"),
        ("Power back-up covers critical equipment.", "OB RR",
         "Check the generator or inverter and its log"),
        ("A fire extinguisher within its refill date is mounted nearby and staff can use it.",
         "OB SI", "Check the refill label and ask a staff member to demonstrate"),
    ]),
    "C2.1": ("Posts are filled and duty rosters cover every shift.", [
        ("The current month's duty roster is displayed.", "OB", "Check the roster"),
        ("Every shift has at least one trained nurse.", "RR",
         "Compare the roster with attendance"),
    ]),
    "C2.2": ("Staff are trained for the tasks they perform.", [
        ("Staff have been trained in basic life support in the last two years.", "RR SI",
         "Check training records"),
        ("New staff are inducted before working independently.", "SI RR",
         "Ask a recently joined staff member"),
    ]),
    "C3.1": ("Essential drugs and consumables are in stock.", [
        ("Drugs on the facility's essential medicines list are in stock today.", "OB RR",
         "Check five tracer drugs against the stock register"),
        ("No drug was out of stock for more than a week in the last quarter.", "RR",
         "Review the stock register"),
    ]),
    "C3.2": ("Equipment and instruments are available and working.", [
        ("BP apparatus, thermometer, stethoscope and weighing scale are present and working.",
         "OB", "Check each item"),
        ("An equipment inventory lists each item with its working status.", "RR",
         "Check the inventory"),
    ]),
    "D1.1": ("Preventive maintenance and calibration are done on schedule.", [
        ("Each major piece of equipment has an up-to-date maintenance record.", "RR",
         "Check the maintenance log"),
        ("Measuring equipment carries a calibration sticker with the next due date.", "OB",
         "Check labels on scales and BP apparatus"),
    ]),
    "D1.2": ("Breakdowns are repaired quickly.", [
        ("Staff know whom to call when equipment breaks down.", "SI", "Ask staff"),
        ("A breakdown register records the dates each fault was reported and fixed.", "RR",
         "Review the breakdown register"),
        ("Faulty items awaiting repair are labelled and kept out of use.", "OB",
         "Look for unlabelled faulty equipment"),
    ]),
    "D2.1": ("Storage conditions protect drugs and consumables.", [
        ("Drugs are stored off the floor, away from walls and direct sunlight.", "OB",
         "Check the store"),
        ("Heat-sensitive drugs are kept in a refrigerator with a twice-daily temperature log.",
         "OB RR", "Check the refrigerator and its log"),
    ]),
    "D2.2": ("Stock is managed to prevent expiry and stock-outs.", [
        ("No expired drug is found in the department.", "OB", "Check drug trays and cupboards"),
        ("Drugs are issued first-expiry-first-out.", "OB SI",
         "Check the shelf order and ask the pharmacist"),
        ("High-alert drugs are stored separately and labelled.", "OB", "Check their storage"),
    ]),
    "D8.1": ("Linen is clean, sufficient and handled safely.", [
        ("Clean linen in stock is enough for at least one full change.", "OB RR",
         "Count the linen stock"),
        ("Soiled linen is collected in closed bags and sent for washing daily.", "OB",
         "Observe linen handling"),
    ]),
    "D8.2": ("The premises are kept clean and admitted patients receive a proper diet.", [
        ("A cleaning schedule is displayed and signed after each round.", "OB RR",
         "Check the schedule"),
        ("Floors, toilets and corners are visibly clean.", "OB", "Walk through the department"),
        ("Housekeeping staff know the dilution of the disinfectant they use.", "SI",
         "Ask a cleaner"),
    ]),
    "D10.1": ("Registers and records are maintained and retrievable.", [
        ("Registers are up to date with no blank days.", "RR",
         "Check the registers for the last month"),
        ("Any record from last month can be retrieved within a few minutes.", "OB SI",
         "Ask staff to retrieve one"),
    ]),
    "D10.2": ("Statutory licences and reporting are current.", [
        ("Required licences, such as the biomedical waste authorisation, are valid.", "RR",
         "Check the certificate dates"),
        ("Notifiable diseases are reported to the surveillance unit on time.", "RR SI",
         "Check the weekly surveillance forms"),
    ]),
    "E1.1": ("Registration is quick and complete.", [
        ("Each patient receives a unique registration number.", "RR",
         "Check the registration register"),
        ("Registration captures name, age, sex, address and phone number.", "RR",
         "Check five entries"),
    ]),
    "E1.2": ("An initial assessment is recorded for every patient.", [
        ("Vital signs are recorded for each patient seen.", "RR", "Check five case records"),
        ("History and examination findings are documented.", "RR",
         "Check five case records"),
        ("A provisional diagnosis is written before treatment starts.", "RR",
         "Check five case records"),
    ]),
    "E2.1": ("Standard treatment guidelines are available and followed.", [
        ("Standard treatment guidelines for common conditions are kept in the department.",
         "OB", "Ask to see the copy"),
        ("Treatment of hypertension and diabetes matches the guideline.", "RR",
         "Review five prescriptions"),
    ]),
    "E2.2": ("Prescribing is rational.", [
        ("Drugs are prescribed by generic name.", "RR", "Check ten prescriptions"),
        ("Antibiotics are not given for common colds or simple diarrhoea.", "RR",
         "Review prescriptions for these conditions"),
    ]),
    "E3.1": ("Medicines are administered safely.", [
        ("Staff check the patient's identity before giving any drug.", "OB SI",
         "Observe a drug round"),
        ("Look-alike and sound-alike drugs are kept apart.", "OB", "Check drug storage"),
        ("Adverse drug reactions are recorded and reported.", "RR SI",
         "Ask staff and check the reporting forms"),
    ]),
    "E3.2": ("Nursing care is planned and recorded.", [
        ("Nursing notes record the care given in each shift.", "RR",
         "Check nursing notes of three patients"),
        ("Patients at risk of falls or pressure sores are identified.", "RR SI",
         "Ask the nurse and check the records"),
    ]),
    "F1.1": ("Hand hygiene is practised at every point of care.", [
        ("Wash basins with soap and running water are available at points of care.", "OB",
         "Check each point of care"),
        ("Staff clean their hands before and after touching a patient.", "OB",
         "Observe five opportunities"),
        ("Alcohol hand rub is available at each bed or examination table.", "OB",
         "Check the bottles"),
    ]),
    "F1.2": ("Infection control practice is monitored.", [
        ("Hand hygiene compliance is audited every month.", "RR", "Check the audit sheets"),
        ("Staff have been vaccinated against hepatitis B.", "RR SI",
         "Check the vaccination record"),
    ]),
    "F2.1": ("Personal protective equipment is available and used.", [
        ("Gloves, masks and aprons are in stock.", "OB", "Check the stock"),
        ("Staff wear gloves for any contact with blood or body fluids.", "OB",
         "Observe a procedure"),
    ]),
    "F2.2": ("Instruments are decontaminated and sterilised correctly.", [
        ("Used instruments are soaked in 0.5% chlorine solution before cleaning.", "OB SI",
         "Observe and ask staff"),
        ("Sterile packs are labelled with the date of sterilisation.", "OB",
         "Check three packs"),
        ("Each autoclave run is recorded with its indicator result.", "RR",
         "Check the autoclave log"),
    ]),
    "F6.1": ("Waste is segregated where it is generated.", [
        ("Colour-coded bins with liners are placed at each point of waste generation.", "OB",
         "Check the bins"),
        ("Staff can say which waste goes into which bin.", "SI", "Ask two staff members"),
    ]),
    "F6.2": ("Sharps and waste are handled safely up to disposal.", [
        ("Needles go into a puncture-proof container immediately after use.", "OB",
         "Observe an injection"),
        ("Waste is handed over to the authorised agency and the quantity recorded.", "RR",
         "Check the handover log"),
        ("Needle-stick injuries are reported and post-exposure prophylaxis is available.",
         "SI RR", "Ask staff and check the injury register"),
    ]),
    "G1.1": ("A quality team is in place and assesses the department.", [
        ("A quality team has been notified and meets every month.", "RR",
         "Check the order and minutes"),
        ("An internal assessment of the department was done in the last quarter.", "RR",
         "Check the assessment report"),
    ]),
    "G1.2": ("Gaps found are closed.", [
        ("An action plan lists each gap with a responsible person and a deadline.", "RR",
         "Check the action plan"),
        ("Staff can name a change made after the last assessment.", "SI", "Ask staff"),
    ]),
    "G2.1": ("Patient feedback is collected and acted on.", [
        ("A patient satisfaction survey is done every month.", "RR", "Check the survey forms"),
        ("A complaint box is placed at a visible spot and opened weekly.", "OB RR",
         "Check the box and the opening record"),
        ("Each complaint is answered and the action taken is recorded.", "RR",
         "Check the complaint register"),
    ]),
    "G2.2": ("Written procedures guide the department's work.", [
        ("Written procedures for the department's main processes are available.", "OB RR",
         "Ask to see them"),
        ("Staff know the procedure that applies to their own work.", "SI", "Ask two staff"),
    ]),
    "H1.1": ("Workload indicators are compiled every month.", [
        ("The monthly patient load is compiled from the registers.", "RR",
         "Check the monthly report"),
        ("Indicators reach the district on time.", "RR", "Check the dates of submission"),
    ]),
    "H1.2": ("Indicators are displayed and reviewed.", [
        ("Trends of key indicators are displayed or discussed in staff meetings.", "OB RR",
         "Check the display or the minutes"),
        ("Staff know last month's figure for the department's main indicator.", "SI",
         "Ask staff"),
    ]),
    "H2.1": ("Clinical quality indicators are measured.", [
        ("The referral rate is calculated every month.", "RR", "Check the calculation"),
        ("Adverse events are counted and analysed.", "RR", "Check the adverse event register"),
    ]),
    "H2.2": ("Patient experience is measured.", [
        ("A patient satisfaction score is calculated every month.", "RR",
         "Check the score sheet"),
        ("Waiting time is measured at least once a quarter.", "RR",
         "Check the time-motion record"),
    ]),
}

# Department-specific checkpoints, replacing the generic ones of that measurable element.
OVERRIDES: dict[tuple[str, str], list[Checkpoint]] = {
    # Emergency: triage, resuscitation and medico-legal work.
    ("Emergency", "A1.1"): [
        ("Emergency services are open 24 hours a day, every day.", "SI RR",
         "Check the roster for night and holiday cover"),
        ("A medical officer is physically present in the emergency at all times.", "OB RR",
         "Check attendance and observe"),
        ("The emergency entrance is signposted and reachable by ambulance.", "OB",
         "Walk from the gate"),
    ],
    ("Emergency", "A2.1"): [
        ("Women with eclampsia or bleeding in pregnancy are attended without delay.", "SI RR",
         "Check arrival and treatment times of two such cases"),
        ("Magnesium sulphate and oxytocin are stocked in the emergency.", "OB",
         "Check the emergency drug tray"),
    ],
    ("Emergency", "A2.2"): [
        ("Sick children are checked for emergency danger signs on arrival.", "SI RR",
         "Ask the nurse to list the danger signs"),
        ("Child-size face masks, airways and cannulas are available.", "OB",
         "Check the paediatric tray"),
    ],
    ("Emergency", "B2.1"): [
        ("A screened bay is available for examining patients.", "OB", "Check the bays"),
        ("Details of medico-legal cases are not discussed in front of other patients.",
         "OB SI", "Observe and ask the medical officer"),
    ],
    ("Emergency", "C1.1"): [
        ("Trolleys can move freely between the entrance, triage and resuscitation area.",
         "OB", "Walk the route with a trolley"),
        ("The resuscitation bed can be reached from all sides.", "OB", "Check the bay"),
    ],
    ("Emergency", "C3.1"): [
        ("The crash cart holds adrenaline, atropine, IV fluids and airway items per its list.",
         "OB RR", "Check the cart against its list"),
        ("The crash cart checklist is signed every shift.", "RR", "Check the last week"),
        ("Oxygen cylinders are full and a spare is kept ready.", "OB",
         "Check the cylinder gauges"),
    ],
    ("Emergency", "C3.2"): [
        ("The defibrillator is charged and tested daily.", "OB RR",
         "Check the test log and switch it on"),
        ("Suction machine, laryngoscope with blades and Ambu bags are working.", "OB",
         "Check each item"),
    ],
    ("Emergency", "E1.1"): [
        ("Patients are triaged on arrival as red, yellow or green.", "OB RR",
         "Observe triage and check the register"),
        ("The triage category is written in the emergency register.", "RR",
         "Check ten entries"),
        ("Triage is done within five minutes of arrival.", "OB RR",
         "Compare arrival and triage times"),
    ],
    ("Emergency", "E1.2"): [
        ("Medico-legal cases are registered and police intimation is recorded.", "RR",
         "Check the medico-legal register"),
        ("Time of arrival and time seen by the doctor are recorded.", "RR",
         "Check ten case records"),
    ],
    ("Emergency", "E2.1"): [
        ("Protocols for chest pain, snake bite, poisoning and trauma are displayed.", "OB",
         "Check the walls of the emergency"),
        ("Staff can describe the first steps in managing a poisoning case.", "SI",
         "Ask the nurse on duty"),
    ],
    ("Emergency", "E3.2"): [
        ("Patients under observation have their vital signs charted every hour.", "RR",
         "Check observation charts"),
        ("Patients are handed over to the ward with a written note.", "RR SI",
         "Check the transfer notes"),
    ],
    ("Emergency", "D10.1"): [
        ("The medico-legal register is kept under lock and key.", "OB",
         "Ask where it is kept"),
        ("Brought-dead cases are recorded with the time and the informant's name.", "RR",
         "Check the register"),
    ],
    ("Emergency", "H1.1"): [
        ("Monthly attendance is compiled by triage category.", "RR",
         "Check the monthly report"),
        ("The number of patients referred out of the emergency is tracked.", "RR",
         "Check the referral summary"),
    ],
    ("Emergency", "H2.1"): [
        ("Deaths within 24 hours of arrival are reviewed.", "RR", "Check the review minutes"),
        ("Time from arrival to first treatment is measured.", "RR",
         "Check the monthly calculation"),
    ],
    # OPD: registration, queues and consultation.
    ("OPD", "A1.1"): [
        ("Clinics run on the days and times notified for the facility.", "SI RR",
         "Compare the notified timetable with the OPD register"),
        ("The OPD opens at the displayed time.", "OB", "Observe at opening time"),
        ("The clinic timetable is displayed at the registration counter.", "OB",
         "Check the counter"),
    ],
    ("OPD", "B1.1"): [
        ("A help desk near registration guides first-time patients.", "OB",
         "Check that it is staffed"),
        ("Room numbers and doctors' names are displayed outside each consultation room.",
         "OB", "Walk the corridor"),
    ],
    ("OPD", "B2.1"): [
        ("Only one patient is in the consultation room at a time.", "OB PI",
         "Observe and ask a patient"),
        ("The examination couch is screened by a curtain.", "OB",
         "Check each consultation room"),
    ],
    ("OPD", "C1.1"): [
        ("Registration has separate queues for women, elderly and disabled patients.", "OB",
         "Observe the counter"),
        ("Drinking water and toilets are available near the waiting area.", "OB",
         "Check them"),
    ],
    ("OPD", "D8.2"): [
        ("The waiting area is cleaned at least twice during OPD hours.", "OB RR",
         "Check the cleaning record"),
        ("Dustbins are emptied before they overflow.", "OB", "Check the bins at peak time"),
    ],
    ("OPD", "E1.1"): [
        ("Registration takes under 15 minutes at peak hours.", "OB PI",
         "Time three patients"),
        ("The OPD slip carries the registration number and the room to visit.", "OB RR",
         "Check a slip"),
        ("Patients are called by token or queue number.", "OB", "Observe the waiting area"),
    ],
    ("OPD", "E1.2"): [
        ("Weight and blood pressure are taken before the consultation.", "OB RR",
         "Observe and check five OPD slips"),
        ("Adults over 30 are screened for hypertension and diabetes.", "RR",
         "Check the screening register"),
    ],
    ("OPD", "E2.2"): [
        ("Prescriptions are legible and state dose, frequency and duration.", "RR",
         "Check ten prescriptions"),
        ("The pharmacist explains how to take each medicine.", "OB PI",
         "Observe the dispensing counter"),
    ],
    ("OPD", "H1.1"): [
        ("OPD attendance per doctor per day is calculated.", "RR",
         "Check the monthly report"),
        ("New and follow-up visits are counted separately.", "RR", "Check the register"),
    ],
    ("OPD", "H2.2"): [
        ("Waiting time from registration to consultation is measured every month.", "RR",
         "Check the measurement sheet"),
        ("Patients who leave without being seen are counted.", "RR", "Check the count"),
    ],
    # Labour Room: safe birth and newborn care.
    ("Labour Room", "A1.1"): [
        ("Deliveries are conducted round the clock by a skilled birth attendant.", "SI RR",
         "Check the delivery register for night deliveries"),
        ("A nurse trained in skilled birth attendance is on duty every shift.", "RR",
         "Compare the roster with training records"),
    ],
    ("Labour Room", "A2.1"): [
        ("A partograph is started for every woman in active labour.", "RR",
         "Check five case sheets"),
        ("The third stage of labour is actively managed at every delivery.", "OB RR",
         "Observe a delivery or check records"),
        ("Mothers are checked for bleeding every 15 minutes in the first hour after birth.",
         "RR OB", "Check the postpartum monitoring chart"),
    ],
    ("Labour Room", "A2.2"): [
        ("Newborns are dried, kept skin to skin and breastfed within an hour of birth.",
         "OB RR PI", "Observe and ask a mother"),
        ("Vitamin K and birth-dose vaccines are given before discharge.", "RR",
         "Check five newborn records"),
    ],
    ("Labour Room", "B2.1"): [
        ("Each labour table is separated by a curtain or partition.", "OB",
         "Check the labour tables"),
        ("A birth companion of the woman's choice is allowed.", "PI SI",
         "Ask a mother and the nurse"),
        ("Women are not scolded or slapped during labour.", "PI",
         "Ask two recently delivered mothers"),
    ],
    ("Labour Room", "B5.1"): [
        ("No money is asked for delivery, medicines or diet.", "PI",
         "Ask two recently delivered mothers"),
        ("Cash benefits under maternity schemes are paid within the set time.", "RR PI",
         "Check the payment register"),
    ],
    ("Labour Room", "C1.1"): [
        ("The labour room has an attached toilet.", "OB", "Check it"),
        ("The room is kept warm enough for newborns.", "OB",
         "Read the room thermometer"),
    ],
    ("Labour Room", "C3.1"): [
        ("Sterile delivery trays are ready for at least two deliveries.", "OB",
         "Count the trays"),
        ("The emergency tray holds magnesium sulphate, oxytocin and antihypertensives.", "OB",
         "Check the tray"),
        ("Oxytocin is stored in the refrigerator.", "OB", "Check the refrigerator"),
    ],
    ("Labour Room", "C3.2"): [
        ("The radiant warmer at the newborn corner is switched on and working.", "OB",
         "Check the warmer"),
        ("Bag and mask in both newborn sizes and a suction device are at the newborn corner.",
         "OB", "Check the newborn corner"),
        ("A baby weighing scale is available and reads zero when empty.", "OB",
         "Check the scale"),
    ],
    ("Labour Room", "D10.1"): [
        ("The delivery register records time of birth, sex, weight and outcome.", "RR",
         "Check ten entries"),
        ("Every birth is reported for birth registration.", "RR",
         "Compare the delivery and birth-reporting registers"),
    ],
    ("Labour Room", "E1.2"): [
        ("The admission assessment records gestational age, fetal heart rate and dilatation.",
         "RR", "Check five case sheets"),
        ("High-risk pregnancies are flagged on the case sheet.", "RR",
         "Check the case sheets of high-risk women"),
    ],
    ("Labour Room", "E2.1"): [
        ("Protocols for bleeding after birth, eclampsia and newborn resuscitation are "
         "displayed.", "OB", "Check the walls"),
        ("Staff can demonstrate newborn resuscitation on a mannequin.", "SI OB",
         "Ask the nurse on duty to demonstrate"),
        ("Episiotomy is done only when needed, not routinely.", "RR SI",
         "Check the episiotomy rate in the register"),
    ],
    ("Labour Room", "F2.2"): [
        ("Delivery instruments are sterilised after each use and packs are dated.", "OB",
         "Check the delivery packs"),
        ("Used instruments are put in chlorine solution right after the delivery.", "OB",
         "Observe after a delivery"),
    ],
    ("Labour Room", "H1.1"): [
        ("Deliveries are counted per month and per night shift.", "RR",
         "Check the monthly report"),
        ("The share of deliveries monitored with a partograph is calculated.", "RR",
         "Check the calculation"),
    ],
    ("Labour Room", "H2.1"): [
        ("Cases of bleeding after birth are counted every month.", "RR", "Check the count"),
        ("Maternal and newborn deaths are reviewed.", "RR", "Check the review reports"),
        ("The stillbirth rate is calculated.", "RR", "Check the calculation"),
    ],
    # IPD: wards, nursing, linen and diet.
    ("IPD", "A1.1"): [
        ("Separate wards are available for men, women and children.", "OB",
         "Walk through the wards"),
        ("Patients can be admitted round the clock.", "SI RR",
         "Check night admissions in the register"),
    ],
    ("IPD", "B2.1"): [
        ("Bedside screens are used when a patient is examined or sponged.", "OB",
         "Observe in the ward"),
        ("Visiting hours are displayed and followed.", "OB", "Check the ward entrance"),
    ],
    ("IPD", "C1.1"): [
        ("Beds are at least a metre apart.", "OB", "Measure between beds"),
        ("The nursing station has a view of the beds.", "OB", "Check from the station"),
        ("Separate toilets for men and women are usable.", "OB", "Check the toilets"),
    ],
    ("IPD", "C2.1"): [
        ("The number of nurses per shift matches the bed strength norm.", "RR",
         "Compare the roster with bed strength"),
        ("A nurse in charge is named for each shift.", "RR", "Check the roster"),
    ],
    ("IPD", "D8.1"): [
        ("Bed sheets are changed daily and whenever soiled.", "OB PI",
         "Check the beds and ask patients"),
        ("Every bed has a mattress with a washable cover, a pillow and a blanket.", "OB",
         "Check five beds"),
        ("Linen sent to and received from the laundry is recorded.", "RR",
         "Check the linen register"),
    ],
    ("IPD", "D8.2"): [
        ("Admitted patients get cooked meals three times a day free of charge.", "PI",
         "Ask three patients"),
        ("Diet is served as advised by the doctor (normal, diabetic, liquid).", "RR OB",
         "Compare the diet sheet with what is served"),
        ("Food is covered while carried from the kitchen to the ward.", "OB",
         "Observe a meal round"),
    ],
    ("IPD", "D10.1"): [
        ("Case sheets are complete up to the discharge summary.", "RR",
         "Check five discharged case sheets"),
        ("Every discharged patient receives a discharge summary.", "PI RR",
         "Ask a patient being discharged"),
        ("Patients leaving against medical advice sign a form that is kept.", "RR",
         "Check such cases"),
    ],
    ("IPD", "E1.2"): [
        ("Admission notes include history, examination and a plan of care.", "RR",
         "Check five admission notes"),
        ("Known allergies are recorded on the admission sheet.", "RR",
         "Check five admission sheets"),
    ],
    ("IPD", "E3.1"): [
        ("Each admitted patient wears an identification band.", "OB", "Check five patients"),
        ("Every dose given is signed with the time on the medication chart.", "RR",
         "Check three medication charts"),
        ("Injections are prepared just before use, not in advance.", "OB",
         "Observe the medicine trolley"),
    ],
    ("IPD", "E3.2"): [
        ("Nursing handover happens at the bedside at each change of shift.", "OB SI",
         "Observe a handover"),
        ("The handover note lists critical patients and pending tasks.", "RR",
         "Check the handover book"),
        ("Fall and pressure-sore risk is assessed on admission.", "RR",
         "Check five admission sheets"),
    ],
    ("IPD", "H1.1"): [
        ("Bed occupancy is calculated every month.", "RR", "Check the monthly report"),
        ("Average length of stay is calculated every month.", "RR",
         "Check the monthly report"),
    ],
    ("IPD", "H2.1"): [
        ("The rate of leaving against medical advice is calculated monthly.", "RR",
         "Check the calculation"),
        ("Deaths in the wards are reviewed in a monthly meeting.", "RR",
         "Check the minutes"),
    ],
    # Laboratory: samples, quality control, reporting.
    ("Laboratory", "A2.1"): [
        ("Antenatal tests (haemoglobin, blood group, urine, HIV, syphilis) are done the same "
         "day.", "RR", "Check the register for pregnant women"),
        ("Samples from pregnant women are given priority.", "OB SI",
         "Observe the collection queue"),
    ],
    ("Laboratory", "A2.2"): [
        ("Lancets and tubes suitable for infants and children are available.", "OB",
         "Check the collection counter"),
        ("Haemoglobin is tested for adolescents referred for anaemia screening.", "RR",
         "Check the register"),
    ],
    ("Laboratory", "A3.1"): [
        ("The test menu with expected turnaround times is displayed.", "OB",
         "Check the display"),
        ("Malaria, HIV, syphilis and sputum tests for TB are done on site.", "SI RR",
         "Check the register for each test"),
        ("Urgent tests are done at night for the emergency and wards.", "SI RR",
         "Check night entries in the register"),
    ],
    ("Laboratory", "C3.2"): [
        ("Analyser, microscope, centrifuge and haemoglobin meter are working.", "OB",
         "Check each instrument"),
        ("Reagents are within expiry and stored at the labelled temperature.", "OB",
         "Check the reagent refrigerator"),
    ],
    ("Laboratory", "D1.1"): [
        ("Analysers are calibrated on the manufacturer's schedule and records are kept.",
         "RR", "Check the calibration records"),
        ("Pipettes and thermometers are calibrated every year.", "RR OB",
         "Check calibration certificates"),
    ],
    ("Laboratory", "E1.1"): [
        ("Each sample is labelled with name, registration number and date at collection.",
         "OB", "Check samples on the bench"),
        ("Each sample is logged with the time of collection.", "RR",
         "Check the sample register"),
        ("Rejected samples are recorded with the reason.", "RR",
         "Check the rejection register"),
    ],
    ("Laboratory", "E1.2"): [
        ("Request forms give the clinical detail and the tests wanted.", "RR",
         "Check ten request forms"),
        ("Patients are told when to collect their report.", "PI",
         "Ask two patients at the counter"),
    ],
    ("Laboratory", "E2.1"): [
        ("A written procedure for each test is kept at the bench.", "OB",
         "Check the bench"),
        ("Internal quality control is run daily and plotted on control charts.", "RR",
         "Check the charts for the last month"),
        ("The laboratory takes part in an external quality assessment scheme.", "RR",
         "Check the latest result"),
    ],
    ("Laboratory", "E3.1"): [
        ("Critical values are phoned to the treating doctor at once and logged.", "RR SI",
         "Check the critical value log"),
        ("Reports are signed by an authorised person before release.", "RR",
         "Check five reports"),
    ],
    ("Laboratory", "E3.2"): [
        ("Reports show the reference range for each result.", "RR", "Check five reports"),
        ("Results are kept in the register or a copy is filed.", "RR",
         "Trace three reports back to the register"),
    ],
    ("Laboratory", "F2.1"): [
        ("Staff wear lab coats and gloves when handling samples.", "OB",
         "Observe at the bench"),
        ("An eye wash point is available for splashes.", "OB", "Check it"),
    ],
    ("Laboratory", "H1.1"): [
        ("The number of each test done per month is compiled.", "RR",
         "Check the monthly report"),
        ("Tests per technician per day are calculated.", "RR", "Check the calculation"),
    ],
    ("Laboratory", "H2.1"): [
        ("Turnaround time is measured for routine and urgent tests.", "RR",
         "Check the measurement sheet"),
        ("The sample rejection rate is calculated every month.", "RR",
         "Check the calculation"),
        ("External quality assessment results within limits are tracked.", "RR",
         "Check the results file"),
    ],
    # General Administration (PHC): office, staff and committees.
    ("General Administration", "A1.1"): [
        ("Facility timings and services are displayed at the gate.", "OB", "Check the gate"),
        ("The medical officer stays at or near the PHC.", "SI RR",
         "Ask staff and check the quarter allotment"),
    ],
    ("General Administration", "A1.2"): [
        ("Free ambulance numbers are displayed at the entrance.", "OB", "Check the display"),
        ("Calls made for referral transport are logged.", "RR", "Check the call log"),
    ],
    ("General Administration", "B1.1"): [
        ("A citizen's charter is displayed at the entrance.", "OB", "Check the entrance"),
        ("The facility name board is visible from the road.", "OB", "Check from the road"),
    ],
    ("General Administration", "C1.1"): [
        ("The boundary wall and gate are intact.", "OB", "Walk round the campus"),
        ("Staff quarters are available and occupied.", "OB SI", "Check the quarters"),
    ],
    ("General Administration", "C2.1"): [
        ("The duty roster for all staff is displayed and signed by the medical officer.",
         "OB RR", "Check the roster"),
        ("The attendance record tallies with the roster.", "RR",
         "Compare attendance with the roster"),
        ("Staff on leave are covered by a named substitute.", "RR SI",
         "Check leave orders"),
    ],
    ("General Administration", "C2.2"): [
        ("A yearly training plan lists the training each staff member needs.", "RR",
         "Check the plan"),
        ("Each staff member has a written job description.", "RR SI",
         "Ask two staff for theirs"),
    ],
    ("General Administration", "D10.1"): [
        ("Stock, cash and asset registers are up to date.", "RR", "Check the registers"),
        ("Spending from untied funds is recorded with vouchers.", "RR",
         "Check the cash book and vouchers"),
        ("Monthly reports are uploaded to the health information system on time.", "RR",
         "Check the upload dates"),
    ],
    ("General Administration", "D10.2"): [
        ("The patient welfare committee meets every quarter and keeps minutes.", "RR",
         "Check the minutes"),
        ("The biomedical waste authorisation of the PHC is valid.", "RR",
         "Check the certificate date"),
    ],
    ("General Administration", "G2.1"): [
        ("A grievance box is placed at a visible spot and opened weekly by two staff.",
         "OB RR", "Check the box and the opening record"),
        ("Grievances and the action taken are recorded in a register.", "RR",
         "Check the grievance register"),
        ("A toll-free grievance number is displayed.", "OB", "Check the notice board"),
    ],
    ("General Administration", "H1.1"): [
        ("Monthly OPD, delivery and immunisation figures are reviewed in a staff meeting.",
         "RR", "Check the minutes"),
        ("Reported figures are cross-checked with the source registers.", "RR",
         "Compare one month's report with the registers"),
    ],
}

# Measurable elements whose generic sentence does not fit a department.
ME_TEXT_OVERRIDES: dict[tuple[str, str], str] = {
    ("Laboratory", "E1.1"): "Samples are collected, labelled and logged correctly.",
    ("Laboratory", "E1.2"): "Requests are complete and patients know when results are ready.",
    ("Laboratory", "E3.1"): "Results are verified and critical values reported promptly.",
    ("Laboratory", "E3.2"): "Reports are complete and results can be traced.",
}


def demo_checklist(facility_type: str) -> ParsedWorkbook:
    """The demo checklist for "DH", "CHC" or "PHC", built anew on every call."""
    if facility_type not in DEPARTMENTS:
        supported = ", ".join(DEPARTMENTS)
        raise ValueError(f"no demo checklist for {facility_type!r}; supported: {supported}")
    departments = [_department(name) for name in DEPARTMENTS[facility_type]]
    return ParsedWorkbook(path=f"demo:{facility_type}", layout="nqas", departments=departments)


def _department(name: str) -> ParsedDepartment:
    # One running row counter per department, as on a sheet: every area, standard,
    # measurable element and checkpoint gets its own row, starting at 1.
    row = 0

    def next_row() -> int:
        nonlocal row
        row += 1
        return row

    department = ParsedDepartment(name=name, sheet=name)
    for letter, area_title in AREAS:
        area = ParsedArea(letter=letter, title=area_title, row=next_row())
        for code, title in STANDARDS[letter]:
            standard = ParsedStandard(code=code, title=title, row=next_row())
            for me_code in (f"{code}.1", f"{code}.2"):
                me_text, checkpoints = GENERIC[me_code]
                me_text = ME_TEXT_OVERRIDES.get((name, me_code), me_text)
                checkpoints = OVERRIDES.get((name, me_code), checkpoints)
                standard.measurable_elements.append(
                    ParsedMeasurableElement(code=me_code, text=me_text, row=next_row())
                )
                for text, methods, verification in checkpoints:
                    standard.checkpoints.append(
                        ParsedCheckpoint(
                            row=next_row(),
                            text=text,
                            code=None,
                            me_code=me_code,
                            methods=frozenset(methods.split()),
                            means_of_verification=verification,
                            value=None,
                            remark="",
                        )
                    )
            area.standards.append(standard)
        department.areas.append(area)
    return department
