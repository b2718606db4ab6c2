"""SYNTHETIC demo usage data: a deterministic generator, never statistics.

Every number this module makes is invented to exercise the dashboard. The mixes are plausible on purpose
(cooperatives lean on member shares and financial cooperatives, associations on fees and grants, informal groups
on savings groups; young organisations on grants and microcredit, older ones on retained surplus; labour funds only
in Canada, community shares only in the UK, ...) so that charts look like something, but they describe no real
organisation. The exchange rates used for `amount_usd` are fixed, rounded, illustrative values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sse_dash.i18n import N_
from sse_dash.schema import FIELDS, SSE_TYPES

DEMO_SEED = 20220308  # the date of the ILO webinar that inspired the dashboard
DEMO_ROWS = 30_000
FIRST_YEAR, LAST_YEAR = 2015, 2024
SYNTHETIC_NOTICE = N_("SYNTHETIC demo data: invented by sse_dash.demo to show how the dashboard works; not statistics.")

# alpha-3: (currency, illustrative USD per unit, relative scale of amounts, regions)
COUNTRIES: dict[str, tuple[str, float, float, tuple[str, ...]]] = {
    "KEN": ("KES", 0.0078, 0.25, ("Nairobi", "Central", "Rift Valley", "Western")),
    "TZA": ("TZS", 0.0004, 0.2, ("Dar es Salaam", "Arusha", "Kilimanjaro")),
    "SEN": ("XOF", 0.0016, 0.2, ("Dakar", "Thiès", "Saint-Louis")),
    "MAR": ("MAD", 0.1, 0.35, ("Casablanca-Settat", "Souss-Massa", "Oriental")),
    "IND": ("INR", 0.012, 0.2, ("Kerala", "Tamil Nadu", "Maharashtra", "Gujarat")),
    "PHL": ("PHP", 0.018, 0.3, ("Luzon", "Visayas", "Mindanao")),
    "ECU": ("USD", 1.0, 0.4, ("Pichincha", "Azuay", "Guayas")),
    "COL": ("COP", 0.00025, 0.4, ("Antioquia", "Bogotá", "Valle del Cauca")),
    "BRA": ("BRL", 0.19, 0.5, ("Rio Grande do Sul", "Paraná", "São Paulo")),
    "CPV": ("CVE", 0.0098, 0.3, ("Santiago", "São Vicente")),
    "KOR": ("KRW", 0.00075, 0.9, ("Seoul", "Gyeonggi", "Busan")),
    "ITA": ("EUR", 1.08, 1.0, ("Emilia-Romagna", "Lombardy", "Trentino", "Sardinia")),
    "FRA": ("EUR", 1.08, 1.05, ("Île-de-France", "Auvergne-Rhône-Alpes", "Occitanie", "Bretagne")),
    "ESP": ("EUR", 1.08, 0.9, ("Catalonia", "Basque Country", "Andalusia", "Valencia")),
    "BEL": ("EUR", 1.08, 1.0, ("Flanders", "Wallonia", "Brussels")),
    "GBR": ("GBP", 1.27, 1.0, ("England", "Scotland", "Wales")),
    "CAN": ("CAD", 0.74, 1.1, ("Quebec", "Ontario", "British Columbia")),
    "USA": ("USD", 1.0, 1.2, ("Minnesota", "Wisconsin", "California", "New York")),
}
COUNTRY_WEIGHTS = {
    "KEN": 8,
    "TZA": 4,
    "SEN": 3,
    "MAR": 3,
    "IND": 8,
    "PHL": 4,
    "ECU": 4,
    "COL": 4,
    "BRA": 5,
    "CPV": 1,
    "KOR": 4,
    "ITA": 9,
    "FRA": 9,
    "ESP": 7,
    "BEL": 3,
    "GBR": 7,
    "CAN": 7,
    "USA": 6,
}

# Share of SSE types among organisations, by country (illustrative).
_TYPE_MIX_DEFAULT = {
    "cooperative": 42,
    "mutual": 6,
    "association": 30,
    "social_enterprise": 15,
    "foundation": 4,
    "informal_group": 3,
}
TYPE_MIX = {
    "KEN": {
        "cooperative": 45,
        "informal_group": 30,
        "association": 12,
        "social_enterprise": 8,
        "mutual": 3,
        "foundation": 2,
    },
    "TZA": {
        "cooperative": 40,
        "informal_group": 35,
        "association": 15,
        "social_enterprise": 6,
        "mutual": 2,
        "foundation": 2,
    },
    "IND": {
        "informal_group": 45,
        "cooperative": 30,
        "association": 15,
        "social_enterprise": 7,
        "mutual": 1,
        "foundation": 2,
    },
    "SEN": {
        "informal_group": 35,
        "cooperative": 25,
        "association": 25,
        "mutual": 8,
        "social_enterprise": 5,
        "foundation": 2,
    },
    "ITA": {
        "cooperative": 55,
        "association": 20,
        "social_enterprise": 10,
        "mutual": 6,
        "foundation": 7,
        "informal_group": 2,
    },
    "GBR": {
        "social_enterprise": 35,
        "association": 30,
        "cooperative": 20,
        "mutual": 5,
        "foundation": 8,
        "informal_group": 2,
    },
    "KOR": {
        "social_enterprise": 45,
        "cooperative": 30,
        "association": 15,
        "mutual": 3,
        "foundation": 5,
        "informal_group": 2,
    },
}
SECTORS = {
    "cooperative": {
        "agriculture": 30,
        "finance": 12,
        "retail": 14,
        "housing": 10,
        "manufacturing": 12,
        "services": 14,
        "energy": 4,
        "health_social": 4,
    },
    "mutual": {"finance": 55, "health_social": 35, "services": 10},
    "association": {
        "health_social": 30,
        "education": 20,
        "culture": 20,
        "services": 15,
        "environment": 10,
        "housing": 5,
    },
    "social_enterprise": {
        "services": 25,
        "health_social": 20,
        "retail": 15,
        "environment": 15,
        "education": 10,
        "manufacturing": 10,
        "energy": 5,
    },
    "foundation": {"health_social": 40, "education": 30, "culture": 20, "environment": 10},
    "informal_group": {"agriculture": 45, "retail": 30, "services": 15, "manufacturing": 10},
}
# Instruments each SSE type draws on, with relative weights (illustrative).
TYPE_WEIGHTS: dict[str, dict[str, float]] = {
    "cooperative": {
        "member_shares": 10,
        "earned_income": 12,
        "retained_surplus": 8,
        "member_loans": 3,
        "sacco_cu_loan": 6,
        "coop_bank_loan": 7,
        "ethical_bank_loan": 3,
        "sfi_loan": 2,
        "movement_fund": 2,
        "labour_fund": 1,
        "patient_capital": 1.5,
        "titres_participatifs": 1.5,
        "pret_participatif": 1.5,
        "investor_member_shares": 1.5,
        "capitalised_unemployment": 2,
        "public_grant": 3,
        "guarantee": 2,
        "public_soft_loan": 2,
        "community_shares": 1.5,
        "crowdfunding": 1,
        "complementary_currency": 0.7,
        "bank_loan_conv": 3,
        "solidarity_savings": 0.7,
        "group_bank_linkage": 0.5,
        "membership_fees": 1,
    },
    "mutual": {
        "membership_fees": 10,
        "earned_income": 12,
        "retained_surplus": 10,
        "coop_bank_loan": 3,
        "public_grant": 2,
        "bank_loan_conv": 2,
        "guarantee": 1,
        "ethical_bank_loan": 1,
    },
    "association": {
        "membership_fees": 10,
        "public_grant": 12,
        "philanthropic_grant": 9,
        "earned_income": 8,
        "titres_associatifs": 1,
        "ethical_bank_loan": 2,
        "sfi_loan": 1.5,
        "crowdfunding": 3,
        "outcome_contract": 0.6,
        "patient_capital": 0.8,
        "public_soft_loan": 1,
        "guarantee": 1,
        "solidarity_savings": 0.8,
        "retained_surplus": 2,
        "coop_bank_loan": 1.5,
    },
    "social_enterprise": {
        "earned_income": 14,
        "public_grant": 5,
        "philanthropic_grant": 4,
        "ethical_bank_loan": 4,
        "sfi_loan": 3,
        "impact_investment": 3,
        "crowdfunding": 3,
        "guarantee": 2,
        "public_soft_loan": 2,
        "outcome_contract": 1,
        "patient_capital": 1,
        "solidarity_savings": 1,
        "bank_loan_conv": 3,
        "vc_equity_conv": 0.5,
        "microcredit": 1.5,
        "retained_surplus": 3,
        "community_shares": 0.8,
        "complementary_currency": 0.5,
    },
    "foundation": {
        "philanthropic_grant": 12,
        "earned_income": 6,
        "retained_surplus": 8,
        "public_grant": 5,
        "impact_investment": 1,
        "ethical_bank_loan": 1,
    },
    "informal_group": {
        "savings_group": 14,
        "membership_fees": 6,
        "microcredit": 6,
        "group_bank_linkage": 5,
        "sacco_cu_loan": 3,
        "earned_income": 5,
        "philanthropic_grant": 1.5,
        "public_grant": 1.5,
    },
}
# How each life stage shifts the mix (multipliers; 1 when not listed).
STAGE_MULTIPLIERS: dict[str, dict[str, float]] = {
    "pre_start": {
        "savings_group": 2,
        "membership_fees": 2,
        "public_grant": 2,
        "philanthropic_grant": 2.5,
        "crowdfunding": 2,
        "earned_income": 0.3,
        "retained_surplus": 0.05,
        "bank_loan_conv": 0.1,
        "coop_bank_loan": 0.3,
    },
    "start_up": {
        "member_shares": 2,
        "capitalised_unemployment": 3,
        "microcredit": 2,
        "sfi_loan": 2,
        "guarantee": 2,
        "public_soft_loan": 2,
        "crowdfunding": 1.5,
        "retained_surplus": 0.2,
        "community_shares": 2,
    },
    "growth": {
        "coop_bank_loan": 1.5,
        "ethical_bank_loan": 1.5,
        "patient_capital": 2,
        "labour_fund": 2,
        "titres_participatifs": 2,
        "impact_investment": 2,
        "investor_member_shares": 1.5,
        "bank_loan_conv": 1.5,
    },
    "consolidation": {
        "retained_surplus": 2.5,
        "earned_income": 1.5,
        "coop_bank_loan": 1.3,
        "member_loans": 1.5,
        "public_grant": 0.6,
        "crowdfunding": 0.5,
    },
    "transfer": {"capitalised_unemployment": 4, "investor_member_shares": 4, "movement_fund": 3, "member_shares": 1.5},
    "crisis": {
        "public_soft_loan": 3,
        "movement_fund": 2,
        "guarantee": 2,
        "complementary_currency": 3,
        "retained_surplus": 0.3,
    },
}
# Instruments that exist only in some countries (the catalogue's `countries`), and national emphases.
ONLY_IN = {
    "capitalised_unemployment": {"ESP", "ITA"},
    "titres_participatifs": {"FRA"},
    "pret_participatif": {"FRA"},
    "titres_associatifs": {"FRA"},
    "solidarity_savings": {"FRA"},
    "patient_capital": {"CAN"},
    "labour_fund": {"CAN"},
    "community_shares": {"GBR"},
    "movement_fund": {"ITA"},
    "investor_member_shares": {"ITA"},
    "member_loans": {"ITA"},
    "group_bank_linkage": {"IND", "KEN", "TZA", "SEN"},
}
COUNTRY_MULTIPLIERS: dict[str, dict[str, float]] = {
    "KEN": {"sacco_cu_loan": 4, "savings_group": 2, "microcredit": 1.5, "coop_bank_loan": 0.5},
    "TZA": {"sacco_cu_loan": 3, "savings_group": 2.5, "microcredit": 1.5},
    "SEN": {"savings_group": 2, "microcredit": 2.5, "sacco_cu_loan": 1.5},
    "MAR": {"microcredit": 3, "public_grant": 1.5},
    "IND": {"group_bank_linkage": 4, "savings_group": 2, "microcredit": 2},
    "PHL": {"sacco_cu_loan": 2.5, "microcredit": 2},
    "ECU": {"sacco_cu_loan": 4, "coop_bank_loan": 1.5},
    "COL": {"sacco_cu_loan": 2.5, "coop_bank_loan": 1.5},
    "BRA": {"sacco_cu_loan": 2.5, "complementary_currency": 2, "public_grant": 1.3},
    "KOR": {"public_grant": 2.5, "public_soft_loan": 2.5, "impact_investment": 1.5},
    "ITA": {"coop_bank_loan": 2, "movement_fund": 2, "retained_surplus": 1.5, "complementary_currency": 1.5},
    "FRA": {"public_grant": 1.8, "ethical_bank_loan": 1.5, "guarantee": 1.5, "crowdfunding": 1.5},
    "ESP": {"ethical_bank_loan": 1.5, "sfi_loan": 1.5, "coop_bank_loan": 1.5},
    "BEL": {"ethical_bank_loan": 1.5, "public_grant": 1.3},
    "GBR": {"philanthropic_grant": 1.8, "outcome_contract": 2, "impact_investment": 1.8, "sfi_loan": 1.5},
    "CAN": {"sacco_cu_loan": 2, "patient_capital": 2, "labour_fund": 2},
    "USA": {"sacco_cu_loan": 2, "philanthropic_grant": 1.5, "impact_investment": 1.5, "bank_loan_conv": 1.5},
}
# Typical amount in US dollars for one use of the instrument by a mid-sized organisation (illustrative).
TYPICAL_USD = {
    "member_shares": 20_000,
    "membership_fees": 3_000,
    "capitalised_unemployment": 25_000,
    "earned_income": 250_000,
    "retained_surplus": 60_000,
    "member_loans": 150_000,
    "sacco_cu_loan": 8_000,
    "coop_bank_loan": 120_000,
    "savings_group": 600,
    "group_bank_linkage": 2_500,
    "ethical_bank_loan": 90_000,
    "microcredit": 1_200,
    "sfi_loan": 50_000,
    "labour_fund": 500_000,
    "movement_fund": 300_000,
    "patient_capital": 200_000,
    "titres_participatifs": 100_000,
    "pret_participatif": 60_000,
    "titres_associatifs": 150_000,
    "investor_member_shares": 200_000,
    "solidarity_savings": 250_000,
    "public_grant": 40_000,
    "philanthropic_grant": 25_000,
    "guarantee": 80_000,
    "public_soft_loan": 70_000,
    "community_shares": 150_000,
    "crowdfunding": 15_000,
    "impact_investment": 400_000,
    "outcome_contract": 800_000,
    "complementary_currency": 10_000,
    "bank_loan_conv": 150_000,
    "vc_equity_conv": 1_500_000,
}
TYPE_SIZE = {
    "cooperative": 1.0,
    "mutual": 2.0,
    "association": 0.5,
    "social_enterprise": 0.8,
    "foundation": 1.5,
    "informal_group": 0.05,
}
INSTRUMENTS = tuple(TYPICAL_USD)
COLUMNS = tuple(f.name for f in FIELDS["usage"] if f.name != "notes")  # every usage column but notes


def _normalised(weights: dict[str, float], keys: tuple[str, ...]) -> np.ndarray:
    values = np.array([weights.get(k, 0.0) for k in keys], dtype=float)
    return values / values.sum()


def instrument_probabilities(sse_type: str, stage: str, country: str) -> np.ndarray:
    """Probability of each instrument in INSTRUMENTS for one organisation profile."""
    weights = np.array([TYPE_WEIGHTS[sse_type].get(i, 0.0) for i in INSTRUMENTS])
    weights *= [STAGE_MULTIPLIERS[stage].get(i, 1.0) for i in INSTRUMENTS]
    weights *= [COUNTRY_MULTIPLIERS.get(country, {}).get(i, 1.0) for i in INSTRUMENTS]
    weights *= [country in ONLY_IN[i] if i in ONLY_IN else 1.0 for i in INSTRUMENTS]
    if weights.sum() == 0:
        weights = np.array([TYPE_WEIGHTS[sse_type].get(i, 0.0) for i in INSTRUMENTS])
    return weights / weights.sum()


def _organisations(rng: np.random.Generator, count: int) -> pd.DataFrame:
    countries = tuple(COUNTRIES)
    country = rng.choice(countries, size=count, p=_normalised(COUNTRY_WEIGHTS, countries))
    sse_type = np.empty(count, dtype=object)
    sector = np.empty(count, dtype=object)
    region = np.empty(count, dtype=object)
    for code in countries:
        here = country == code
        mix = TYPE_MIX.get(code, _TYPE_MIX_DEFAULT)
        sse_type[here] = rng.choice(SSE_TYPES, size=here.sum(), p=_normalised(mix, SSE_TYPES))
        regions = COUNTRIES[code][3]
        region[here] = rng.choice(regions, size=here.sum())
    for kind in SSE_TYPES:
        here = sse_type == kind
        options = tuple(SECTORS[kind])
        sector[here] = rng.choice(options, size=here.sum(), p=_normalised(SECTORS[kind], options))
    founded = rng.integers(1950, LAST_YEAR + 1, size=count)
    founded = np.where(rng.random(count) < 0.35, rng.integers(2008, LAST_YEAR + 1, size=count), founded)
    size = rng.lognormal(0.0, 0.8, size=count) * np.array([TYPE_SIZE[t] for t in sse_type])
    return pd.DataFrame(
        {
            "org_id": [f"DEMO-{code}-{i:06d}" for i, code in enumerate(country)],
            "country": country,
            "sse_type": sse_type,
            "sector": sector,
            "region": region,
            "founded": founded,
            "size": size,
        }
    )


def _life_stage(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    stage = np.select([age < 1, age < 4, age < 12], ["pre_start", "start_up", "growth"], "consolidation")
    draw = rng.random(len(age))
    stage = np.where((draw < 0.04) & (age >= 5), "transfer", stage)
    return np.where((draw > 0.95) & (age >= 2), "crisis", stage)


def generate_usage(rows: int = DEMO_ROWS, seed: int = DEMO_SEED) -> pd.DataFrame:
    """`rows` SYNTHETIC usage records (one per organisation, year and instrument use); same seed, same rows."""
    rng = np.random.default_rng(seed)
    orgs = _organisations(rng, max(20, rows // 8))
    pick = rng.integers(0, len(orgs), size=rows)
    frame = orgs.iloc[pick].reset_index(drop=True)
    start = np.maximum(frame["founded"].to_numpy(), FIRST_YEAR)
    frame["year"] = start + np.floor(rng.random(rows) * (LAST_YEAR - start + 1)).astype(int)
    frame["life_stage"] = _life_stage(rng, frame["year"].to_numpy() - frame["founded"].to_numpy())
    instrument = np.empty(rows, dtype=object)
    for (sse_type, stage, country), index in frame.groupby(["sse_type", "life_stage", "country"]).groups.items():
        probabilities = instrument_probabilities(sse_type, stage, country)
        instrument[index] = rng.choice(INSTRUMENTS, size=len(index), p=probabilities)
    frame["instrument_id"] = instrument
    meta = frame["country"].map(COUNTRIES)
    usd_per_unit = meta.str[1].to_numpy(dtype=float)
    typical = frame["instrument_id"].map(TYPICAL_USD).to_numpy(dtype=float)
    usd = typical * meta.str[2].to_numpy(dtype=float) * frame["size"].to_numpy() * rng.lognormal(0, 0.6, rows)
    frame["amount"] = np.maximum(np.round(usd / usd_per_unit), 1).astype(np.int64)
    # Two uses of one instrument by one organisation in one year are normal (several loans), but identical rows
    # look like double entry: nudge repeated amounts by one unit each so the demo set has no exact duplicates.
    for _ in range(10):  # a nudge can meet another row's amount: nudge again until no two rows are equal
        repeat = frame.groupby(["org_id", "year", "instrument_id", "amount"], sort=False).cumcount().to_numpy()
        if not repeat.any():
            break
        frame["amount"] = frame["amount"].to_numpy() + repeat
    frame["currency"] = meta.str[0]
    frame["amount_usd"] = np.round(frame["amount"].to_numpy() * usd_per_unit, 2)
    frame = frame.sort_values(["country", "org_id", "year", "instrument_id"], kind="stable")
    return frame.loc[:, list(COLUMNS)].reset_index(drop=True)


def write_usage_csv(path: str | Path, rows: int = DEMO_ROWS, seed: int = DEMO_SEED) -> Path:
    """Write `rows` synthetic usage records as UTF-8 CSV and return the path."""
    path = Path(path)
    generate_usage(rows, seed).to_csv(path, index=False, float_format="%.2f", lineterminator="\n")
    return path
