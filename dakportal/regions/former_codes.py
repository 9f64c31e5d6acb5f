"""Kab/kota codes and names that changed since the program began (DOMAIN.md sections 0 and 7).

The 2016-2021 allocations name the Papua kab/kota by their old codes (91.xx, 92.xx). Each row:
(former code, today's code, former name or "" when the name did not change, year, legal basis).
"""

from __future__ import annotations

_UU_PAPUA_SELATAN = "UU 14/2022 (Provinsi Papua Selatan)"
_UU_PAPUA_TENGAH = "UU 15/2022 (Provinsi Papua Tengah)"
_UU_PAPUA_PEGUNUNGAN = "UU 16/2022 (Provinsi Papua Pegunungan)"
_UU_PAPUA_BARAT_DAYA = "UU 29/2022 (Provinsi Papua Barat Daya)"

RECODINGS: list[tuple[str, str, str, int, str]] = [
    ("91.01", "93.01", "", 2022, _UU_PAPUA_SELATAN),  # Merauke
    ("91.02", "95.01", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Jayawijaya
    ("91.04", "94.01", "", 2022, _UU_PAPUA_TENGAH),  # Nabire
    ("91.07", "94.02", "", 2022, _UU_PAPUA_TENGAH),  # Puncak Jaya
    ("91.08", "94.03", "", 2022, _UU_PAPUA_TENGAH),  # Paniai
    ("91.09", "94.04", "", 2022, _UU_PAPUA_TENGAH),  # Mimika
    ("91.12", "95.02", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Pegunungan Bintang
    ("91.13", "95.03", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Yahukimo
    ("91.14", "95.04", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Tolikara
    ("91.16", "93.02", "", 2022, _UU_PAPUA_SELATAN),  # Boven Digoel
    ("91.17", "93.03", "", 2022, _UU_PAPUA_SELATAN),  # Mappi
    ("91.18", "93.04", "", 2022, _UU_PAPUA_SELATAN),  # Asmat
    ("91.21", "95.05", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Mamberamo Tengah
    ("91.22", "95.06", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Yalimo
    ("91.23", "95.07", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Lanny Jaya
    ("91.24", "95.08", "", 2022, _UU_PAPUA_PEGUNUNGAN),  # Nduga
    ("91.25", "94.05", "", 2022, _UU_PAPUA_TENGAH),  # Puncak
    ("91.26", "94.06", "", 2022, _UU_PAPUA_TENGAH),  # Dogiyai
    ("91.27", "94.07", "", 2022, _UU_PAPUA_TENGAH),  # Intan Jaya
    ("91.28", "94.08", "", 2022, _UU_PAPUA_TENGAH),  # Deiyai
    ("92.01", "96.01", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Sorong
    ("92.04", "96.02", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Sorong Selatan
    ("92.05", "96.03", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Raja Ampat
    ("92.09", "96.04", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Tambrauw
    ("92.10", "96.05", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Maybrat
    ("92.71", "96.71", "", 2022, _UU_PAPUA_BARAT_DAYA),  # Kota Sorong
]

RENAMINGS: list[tuple[str, str, str, int, str]] = [
    ("76.01", "76.01", "Kabupaten Mamuju Utara", 2017, ""),
    ("81.03", "81.03", "Kabupaten Maluku Tenggara Barat", 2019, ""),
    ("12.12", "12.12", "Kabupaten Toba Samosir", 2020, ""),
]

# DKI Jakarta (31): five kota administrasi and one kabupaten administrasi, not autonomous, cannot receive DAK.
NON_AUTONOMOUS_PROVINCES = {"31"}
