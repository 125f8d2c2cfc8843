"""CMS's record layout of the HCPCS Level II contractor file (`HCPCyyyy_CONTR_ANWEB.txt`).

Transcribed from CMS's "HCPCS Contractor Record - 2019" (RIF report as of 10/31/2018, kept in
`../shared/cms/hcpcs-2019-record-layout.txt`): each field's columns (1-based, inclusive, as the
layout gives them) and the code tables whose values carry meaning for a coder. The meanings
are the layout's own words, its run-on lines joined and its typos ("e.G.", "rvu's",
"cardiovascualr", "effec") corrected. Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

# Every line of the file is this wide.
RECORD_WIDTH = 320


@dataclass(frozen=True)
class Columns:
    """A field's columns as the layout numbers them (1-based, `end` included), repeated
    `occurs` times side by side."""

    start: int
    end: int
    occurs: int = 1

    def values(self, line: str) -> list[str]:
        width = self.end - self.start + 1
        found = []
        for index in range(self.occurs):
            begin = self.start - 1 + index * width
            found.append(line[begin:begin + width].strip())
        return found

    def value(self, line: str) -> str:
        return self.values(line)[0]


# Fields 1-30 of the layout that the loader reads.
CODE = Columns(1, 5)                  # procedure code; a modifier is in 4-5 with 1-3 blank
MODIFIER = Columns(4, 5)
SEQUENCE = Columns(6, 10)
RECORD_ID = Columns(11, 11)
LONG_DESCRIPTION = Columns(12, 91)
SHORT_DESCRIPTION = Columns(92, 119)
PRICING_INDICATOR = Columns(120, 121, occurs=4)
CROSS_REFERENCE = Columns(205, 209, occurs=5)
COVERAGE = Columns(230, 230)
ASC_GROUP = Columns(231, 232)
ASC_EFFECTIVE = Columns(233, 240)
BETOS = Columns(257, 259)
TYPE_OF_SERVICE = Columns(261, 261, occurs=5)
ADDED_DATE = Columns(269, 276)
ACTION_EFFECTIVE = Columns(277, 284)
TERMINATION_DATE = Columns(285, 292)
ACTION_CODE = Columns(293, 293)
# The last column a first line of a record must reach (its action code).
LAST_DETAIL_COLUMN = ACTION_CODE.end

# HCPCS Record Identification Code (field 6)
PROCEDURE_FIRST = "3"
PROCEDURE_MORE = "4"
MODIFIER_FIRST = "7"
MODIFIER_MORE = "8"
RECORD_IDS = {
    PROCEDURE_FIRST: "First line of procedure record",
    PROCEDURE_MORE: "Second, third, fourth, etc., description of procedure record",
    MODIFIER_FIRST: "First line of modifier record",
    MODIFIER_MORE: "Second, third, fourth, etc., description of modifier record",
}

# HCPCS Action Code (field 30)
ACTION_ADD = "A"
ACTION_DISCONTINUE = "D"
ACTION_NONE = "N"
ACTION_REACTIVATE = "R"
ACTION_CODES = {
    "A": "Add procedure or modifier code",
    "B": "Change in both administrative data field and long description of procedure or "
         "modifier code",
    "C": "Change in long description of procedure or modifier code",
    "D": "Discontinue procedure or modifier code",
    "F": "Change in administrative data field of procedure or modifier code",
    "N": "No maintenance for this code",
    "P": "Payment change (MOG, pricing indicator codes, anesthesia base units, Ambulatory "
         "Surgical Centers)",
    "R": "Re-activate discontinued/deleted procedure or modifier code",
    "S": "Change in short description of procedure code",
    "T": "Miscellaneous change (BETOS, type of service)",
}

# HCPCS Coverage Code (field 16)
COVERAGE_CODES = {
    "C": "Carrier judgment",
    "D": "Special coverage instructions apply",
    "I": "Not payable by Medicare",
    "M": "Non-covered by Medicare",
    "S": "Non-covered by Medicare statute",
}

# HCPCS ASC Payment Group Code (field 17): "YY", or blank for not approved.
ASC_APPROVED = "YY"
ASC_MEANINGS = {
    "YY": "Approved to be performed in an ambulatory surgical center",
    "": "Not approved for ASC",
}

# HCPCS Pricing Indicator Code (field 9)
PRICING_INDICATORS = {
    "00": "Service not separately priced by part B (e.g., services not covered, bundled, used "
          "by part A only, etc.)",
    "11": "Price established using national RVUs",
    "12": "Price established using national anesthesia base units",
    "13": "Price established by carriers (e.g., not otherwise classified, individual "
          "determination, carrier discretion)",
    "21": "Price subject to national limitation amount",
    "22": "Price established by carriers (e.g., gap-fills, carrier established panels)",
    "31": "Frequently serviced DME (price subject to floors and ceilings)",
    "32": "Inexpensive & routinely purchased DME (price subject to floors and ceilings)",
    "33": "Oxygen and oxygen equipment (price subject to floors and ceilings)",
    "34": "DME supplies (price subject to floors and ceilings)",
    "35": "Surgical dressings (price subject to floors and ceilings)",
    "36": "Capped rental DME (price subject to floors and ceilings)",
    "37": "Ostomy, tracheostomy and urological supplies (price subject to floors and ceilings)",
    "38": "Orthotics, prosthetics, prosthetic devices & vision services (price subject to "
          "floors and ceilings)",
    "39": "Parenteral and Enteral Nutrition",
    "45": "Customized DME items",
    "46": "Carrier priced (e.g., not otherwise classified, individual determination, carrier "
          "discretion, gap-filled amounts)",
    "51": "Drugs",
    "52": "Reasonable charge",
    "53": "Statute",
    "54": "Vaccinations",
    "55": "Splints and Casts (effective 10/1/2014)",
    "56": "IOL's inserted in a physician's office (effective 10/1/2014)",
    "57": "Other carrier priced",
    "99": "Value not established",
}

# BETOS_TB: Berenson-Eggers Type of Service (field 23)
BETOS_CODES = {
    "M1A": "Office visits - new",
    "M1B": "Office visits - established",
    "M2A": "Hospital visit - initial",
    "M2B": "Hospital visit - subsequent",
    "M2C": "Hospital visit - critical care",
    "M3": "Emergency room visit",
    "M4A": "Home visit",
    "M4B": "Nursing home visit",
    "M5A": "Specialist - pathology",
    "M5B": "Specialist - psychiatry",
    "M5C": "Specialist - opthamology",
    "M5D": "Specialist - other",
    "M6": "Consultations",
    "P0": "Anesthesia",
    "P1A": "Major procedure - breast",
    "P1B": "Major procedure - colectomy",
    "P1C": "Major procedure - cholecystectomy",
    "P1D": "Major procedure - turp",
    "P1E": "Major procedure - hysterectomy",
    "P1F": "Major procedure - explor/decompr/excisdisc",
    "P1G": "Major procedure - Other",
    "P2A": "Major procedure, cardiovascular-CABG",
    "P2B": "Major procedure, cardiovascular-Aneurysm repair",
    "P2C": "Major Procedure, cardiovascular-Thromboendarterectomy",
    "P2D": "Major procedure, cardiovascular-Coronary angioplasty (PTCA)",
    "P2E": "Major procedure, cardiovascular-Pacemaker insertion",
    "P2F": "Major procedure, cardiovascular-Other",
    "P3A": "Major procedure, orthopedic - Hip fracture repair",
    "P3B": "Major procedure, orthopedic - Hip replacement",
    "P3C": "Major procedure, orthopedic - Knee replacement",
    "P3D": "Major procedure, orthopedic - other",
    "P4A": "Eye procedure - corneal transplant",
    "P4B": "Eye procedure - cataract removal/lens insertion",
    "P4C": "Eye procedure - retinal detachment",
    "P4D": "Eye procedure - treatment of retinal lesions",
    "P4E": "Eye procedure - other",
    "P5A": "Ambulatory procedures - skin",
    "P5B": "Ambulatory procedures - musculoskeletal",
    "P5C": "Ambulatory procedures - inguinal hernia repair",
    "P5D": "Ambulatory procedures - lithotripsy",
    "P5E": "Ambulatory procedures - other",
    "P6A": "Minor procedures - skin",
    "P6B": "Minor procedures - musculoskeletal",
    "P6C": "Minor procedures - other (Medicare fee schedule)",
    "P6D": "Minor procedures - other (non-Medicare fee schedule)",
    "P7A": "Oncology - radiation therapy",
    "P7B": "Oncology - other",
    "P8A": "Endoscopy - arthroscopy",
    "P8B": "Endoscopy - upper gastrointestinal",
    "P8C": "Endoscopy - sigmoidoscopy",
    "P8D": "Endoscopy - colonoscopy",
    "P8E": "Endoscopy - cystoscopy",
    "P8F": "Endoscopy - bronchoscopy",
    "P8G": "Endoscopy - laparoscopic cholecystectomy",
    "P8H": "Endoscopy - laryngoscopy",
    "P8I": "Endoscopy - other",
    "P9A": "Dialysis services (medicare fee schedule)",
    "P9B": "Dialysis services (non-medicare fee schedule)",
    "I1A": "Standard imaging - chest",
    "I1B": "Standard imaging - musculoskeletal",
    "I1C": "Standard imaging - breast",
    "I1D": "Standard imaging - contrast gastrointestinal",
    "I1E": "Standard imaging - nuclear medicine",
    "I1F": "Standard imaging - other",
    "I2A": "Advanced imaging - CAT/CT/CTA: brain/head/neck",
    "I2B": "Advanced imaging - CAT/CT/CTA: other",
    "I2C": "Advanced imaging - MRI/MRA: brain/head/neck",
    "I2D": "Advanced imaging - MRI/MRA: other",
    "I3A": "Echography/ultrasonography - eye",
    "I3B": "Echography/ultrasonography - abdomen/pelvis",
    "I3C": "Echography/ultrasonography - heart",
    "I3D": "Echography/ultrasonography - carotid arteries",
    "I3E": "Echography/ultrasonography - prostate, transrectal",
    "I3F": "Echography/ultrasonography - other",
    "I4A": "Imaging/procedure - heart including cardiac catheterization",
    "I4B": "Imaging/procedure - other",
    "T1A": "Lab tests - routine venipuncture (non Medicare fee schedule)",
    "T1B": "Lab tests - automated general profiles",
    "T1C": "Lab tests - urinalysis",
    "T1D": "Lab tests - blood counts",
    "T1E": "Lab tests - glucose",
    "T1F": "Lab tests - bacterial cultures",
    "T1G": "Lab tests - other (Medicare fee schedule)",
    "T1H": "Lab tests - other (non-Medicare fee schedule)",
    "T2A": "Other tests - electrocardiograms",
    "T2B": "Other tests - cardiovascular stress tests",
    "T2C": "Other tests - EKG monitoring",
    "T2D": "Other tests - other",
    "D1A": "Medical/surgical supplies",
    "D1B": "Hospital beds",
    "D1C": "Oxygen and supplies",
    "D1D": "Wheelchairs",
    "D1E": "Other DME",
    "D1F": "Prosthetic/Orthotic devices",
    "D1G": "Drugs Administered through DME",
    "O1A": "Ambulance",
    "O1B": "Chiropractic",
    "O1C": "Enteral and parenteral",
    "O1D": "Chemotherapy",
    "O1E": "Other drugs",
    "O1F": "Hearing and speech services",
    "O1G": "Immunizations/Vaccinations",
    "Y1": "Other - Medicare fee schedule",
    "Y2": "Other - non-Medicare fee schedule",
    "Z1": "Local codes",
    "Z2": "Undefined codes",
}

# CMS_TYPE_SRVC_TB: CMS Type of Service (field 25)
TYPE_OF_SERVICE_CODES = {
    "1": "Medical care",
    "2": "Surgery",
    "3": "Consultation",
    "4": "Diagnostic radiology",
    "5": "Diagnostic laboratory",
    "6": "Therapeutic radiology",
    "7": "Anesthesia",
    "8": "Assistant at surgery",
    "9": "Other medical items or services",
    "0": "Whole blood only eff 01/96, whole blood or packed red cells before 01/96",
    "A": "Used durable medical equipment (DME)",
    "B": "High risk screening mammography (obsolete 1/1/98)",
    "C": "Low risk screening mammography (obsolete 1/1/98)",
    "D": "Ambulance (eff 04/95)",
    "E": "Enteral/parenteral nutrients/supplies (eff 04/95)",
    "F": "Ambulatory surgical center (facility usage for surgical services)",
    "G": "Immunosuppressive drugs",
    "H": "Hospice services (discontinued 01/95)",
    "I": "Purchase of DME (installment basis) (discontinued 04/95)",
    "J": "Diabetic shoes (eff 04/95)",
    "K": "Hearing items and services (eff 04/95)",
    "L": "ESRD supplies (eff 04/95) (renal supplier in the home before 04/95)",
    "M": "Monthly capitation payment for dialysis",
    "N": "Kidney donor",
    "P": "Lump sum purchase of DME, prosthetics, orthotics",
    "Q": "Vision items or services",
    "R": "Rental of DME",
    "S": "Surgical dressings or other medical supplies (eff 04/95)",
    "T": "Psychological therapy (term. 12/31/97), outpatient mental health limitation "
         "(eff. 1/1/98)",
    "U": "Occupational therapy",
    "V": "Pneumococcal/flu vaccine (eff 01/96), Pneumococcal/flu/hepatitis B vaccine (eff "
         "04/95-12/95), Pneumococcal only before 04/95",
    "W": "Physical therapy",
    "Y": "Second opinion on elective surgery (obsoleted 1/97)",
    "Z": "Third opinion on elective surgery (obsoleted 1/97)",
}

NOT_IN_LAYOUT = "not in CMS's 2019 record layout"


def meaning(table: dict[str, str], value: str) -> str:
    """"value - meaning" as the record fields show it ("32 - Inexpensive & routinely ...")."""
    return f"{value} - {table.get(value, NOT_IN_LAYOUT)}"
