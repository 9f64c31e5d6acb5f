"""The risk register's rules as first set (#17), data only: the migration that seeds them and `setup_portal`
(`monev.risk.ensure_rules`, which puts back a missing rule and never overwrites an edited one) read this one list.
Labels and descriptions are data, in the ministry's language; thresholds and weights change on the rules page."""

from decimal import Decimal

# code, looks at, label, threshold, unit, weight, description
DEFAULT_RULES = [
    (
        "behind_plan",
        "allocation",
        "Realisasi tertinggal dari rencana triwulan",
        Decimal(10),
        "points",
        3,
        "Serapan dana atau kemajuan fisik pada triwulan terakhir yang sudah berakhir tertinggal lebih dari ambang "
        "(poin persen) dari rencana triwulan, atau dari bagian tahun yang sudah berjalan bila rencana belum diisi.",
    ),
    (
        "stage_window",
        "allocation",
        "Batas waktu tahap penyaluran dekat atau lewat, syarat belum terpenuhi",
        Decimal(30),
        "days",
        3,
        "Tahap yang belum disalurkan, syaratnya belum terpenuhi dan jendela waktunya berakhir dalam ambang hari "
        "(atau sudah berakhir).",
    ),
    (
        "monev_late",
        "sentra",
        "Laporan monev terlambat atau belum ada",
        None,
        "",
        2,
        "Sentra penerima DAK yang wajib melapor tidak punya laporan triwulan terakhir yang sudah jatuh tempo, atau "
        "laporannya terlambat.",
    ),
    (
        "indicator_tidak",
        "sentra",
        "Indikator monev dinilai tidak sesuai",
        None,
        "",
        3,
        "Laporan monev tahun ini menilai salah satu dari tiga indikator (beroperasi, sesuai ketentuan, tetap "
        "dimanfaatkan) tidak sesuai.",
    ),
    (
        "sentra_idle",
        "sentra",
        "Sentra sudah dibangun tetapi tidak beroperasi",
        None,
        "",
        3,
        "Sentra berstatus dibangun atau tidak aktif sejak lebih dari SENTRA_IDLE_MONTHS bulan.",
    ),
    (
        "few_members",
        "sentra",
        "Anggota sentra di bawah minimum",
        Decimal(5),
        "units",
        1,
        "Unit IKM anggota kurang dari ambang (PP 29/2018: paling sedikit 5).",
    ),
    ("no_coordinates", "sentra", "Sentra tanpa koordinat", None, "", 1, "Lintang atau bujur sentra belum diisi."),
    (
        "no_legal_documents",
        "sentra",
        "Dokumen legalitas sentra belum lengkap",
        None,
        "",
        1,
        "SK penetapan, sertifikat tanah atau izin bangunan (PBG/IMB) sentra belum ada.",
    ),
    (
        "rec_not_followed",
        "regency",
        "Rekomendasi lewat jatuh tempo, belum ditindaklanjuti",
        Decimal(0),
        "days",
        4,
        "Rekomendasi Itjen yang belum ditindaklanjuti lebih dari ambang hari setelah jatuh tempo.",
    ),
    (
        "rec_partly_followed",
        "regency",
        "Rekomendasi lewat jatuh tempo, tindak lanjut belum sesuai",
        Decimal(0),
        "days",
        2,
        "Rekomendasi Itjen yang tindak lanjutnya belum sesuai lebih dari ambang hari setelah jatuh tempo.",
    ),
    (
        "unit_cost_outlier",
        "allocation",
        "Harga satuan jauh dari median nasional",
        Decimal("1.5"),
        "ratio",
        2,
        "Rincian kegiatan yang harga satuannya lebih dari ambang kali median nasional untuk rincian dan satuan yang "
        "sama pada tahun yang sama, atau kurang dari separuhnya.",
    ),
    (
        "contract_equals_plan",
        "allocation",
        "Nilai kontrak sama persis dengan rencana",
        None,
        "",
        1,
        "Jumlah kontrak sama dengan jumlah rencana kegiatan sampai ke rupiah.",
    ),
    (
        "contract_late",
        "allocation",
        "Kontrak ditandatangani di triwulan terakhir",
        Decimal(10),
        "month",
        1,
        "Kontrak tahun ini ditandatangani pada atau setelah bulan ambang (10: triwulan IV).",
    ),
    (
        "evidence_flagged",
        "sentra",
        "Foto bukti ditandai oleh pemeriksaan lokasi dan waktu",
        Decimal(1),
        "count",
        1,
        "Foto bukti laporan monev tahun ini yang diambil jauh dari sentra atau di luar periodenya, sebanyak ambang "
        "atau lebih.",
    ),
]
