"""Importers for public datasets: one module per dataset, each idempotent and all-or-nothing.

    sipri         SIPRI arms-transfer register -> domestic.arms_trade events
    peacekeeping  IPI/UN peacekeeping contributions -> monthly series per mission
    adiz          Taiwan MND daily PLA aircraft counts -> a daily series
    acled         ACLED CSV exports -> candidate events (Chinese forces involved)
    gdelt         GDELT 2.0 event files -> candidate events (Chinese actor, mapped CAMEO code)

Mapping tables (country-name and FIPS crosswalks, mission countries, CAMEO and ACLED
types to codebook categories) are data files in `data/`.
"""
