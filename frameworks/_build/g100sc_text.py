"""Texts of the G100SC instrument, written for cityeval (the official item texts are not public).

The smart dimensions and elements follow the published structure of the program; the item
names, questions, rubrics and evidence lists are the project's own wording. Replacing them with
official texts is a data change: edit this file, regenerate, import as a new version.
"""

from __future__ import annotations

from typing import NamedTuple


class T(NamedTuple):
    """A text in Indonesian and English."""

    id: str
    en: str


class Dimension(NamedTuple):
    code: str
    name: T


class Element(NamedTuple):
    code: str
    dimension: str
    name: T
    examples: T  # typical programs, shown as guidance
    measures: T  # what shows the benefit; also the baseline data to keep


DIMENSIONS = [
    Dimension("GOV", T("Smart Governance", "Smart Governance")),
    Dimension("BRD", T("Smart Branding", "Smart Branding")),
    Dimension("ECO", T("Smart Economy", "Smart Economy")),
    Dimension("SOC", T("Smart Society", "Smart Society")),
    Dimension("LIV", T("Smart Living", "Smart Living")),
    Dimension("ENV", T("Smart Environment", "Smart Environment")),
]

ELEMENTS = [
    Element(
        "GOV-PS", "GOV", T("Pelayanan publik", "Public service"),
        T("mal pelayanan publik, perizinan daring, layanan administrasi kependudukan daring",
          "public service mall, online licensing, online civil registration"),
        T("waktu penyelesaian layanan, indeks kepuasan masyarakat, jumlah layanan daring",
          "service completion time, community satisfaction index, number of online services"),
    ),
    Element(
        "GOV-BM", "GOV", T("Manajemen birokrasi", "Bureaucracy management"),
        T("naskah dinas elektronik, e-kinerja, sistem informasi kepegawaian",
          "electronic correspondence, e-performance, civil service information system"),
        T("waktu proses administrasi, nilai SAKIP, indeks SPBE",
          "administrative processing time, SAKIP accountability score, SPBE index"),
    ),
    Element(
        "GOV-PP", "GOV", T("Efisiensi kebijakan publik", "Public policy efficiency"),
        T("e-planning, e-budgeting, dasbor data pimpinan, konsultasi publik daring",
          "e-planning, e-budgeting, leadership data dashboard, online public consultation"),
        T("ketepatan waktu penetapan APBD, jumlah kebijakan berbasis data, partisipasi publik",
          "timely budget enactment, number of data-based policies, public participation"),
    ),
    Element(
        "BRD-TOU", "BRD", T("Pariwisata", "Tourism"),
        T("portal destinasi, tiket elektronik, kalender acara, desa wisata digital",
          "destination portal, e-ticketing, event calendar, digital tourism villages"),
        T("kunjungan wisatawan, lama tinggal, pendapatan sektor pariwisata",
          "tourist arrivals, length of stay, tourism revenue"),
    ),
    Element(
        "BRD-BIZ", "BRD", T("Ekosistem bisnis", "Business ecosystem"),
        T("etalase daring produk UMKM, promosi investasi, perizinan berusaha (OSS)",
          "online MSME marketplace, investment promotion, business licensing (OSS)"),
        T("jumlah UMKM yang berjualan daring, nilai investasi, jumlah usaha baru",
          "MSMEs selling online, investment value, new businesses"),
    ),
    Element(
        "BRD-APP", "BRD", T("Penataan wajah kota", "City appearance"),
        T("penataan ruang publik dan taman, identitas visual daerah, papan informasi digital",
          "public space and park improvement, visual identity, digital information boards"),
        T("luas ruang publik yang tertata, kepuasan warga atas wajah kota, citra daerah di media",
          "area of improved public space, residents' satisfaction, image of the region in media"),
    ),
    Element(
        "ECO-IND", "ECO", T("Ekosistem industri", "Industry ecosystem"),
        T("sentra industri dan klaster komoditas unggulan, inkubator bisnis, sistem informasi"
          " industri",
          "industrial centres and commodity clusters, business incubators, industry information"
          " system"),
        T("pertumbuhan PDRB industri, tenaga kerja industri, nilai ekspor daerah",
          "growth of industrial GRDP, industrial employment, regional export value"),
    ),
    Element(
        "ECO-WEL", "ECO", T("Kesejahteraan rakyat", "Community welfare"),
        T("data terpadu kesejahteraan sosial, pelatihan kerja, bursa kerja daring",
          "integrated social welfare data, job training, online job fair"),
        T("angka kemiskinan, tingkat pengangguran terbuka, indeks pembangunan manusia",
          "poverty rate, open unemployment rate, human development index"),
    ),
    Element(
        "ECO-FIN", "ECO", T("Ekosistem transaksi keuangan", "Financial transaction ecosystem"),
        T("pembayaran pajak dan retribusi nontunai (QRIS), elektronifikasi transaksi pemerintah"
          " daerah, literasi keuangan digital",
          "cashless payment of taxes and levies (QRIS), electronic local government transactions,"
          " digital financial literacy"),
        T("porsi transaksi nontunai, indeks elektronifikasi transaksi pemda, pendapatan asli daerah",
          "share of cashless transactions, transaction electronification index, own-source"
          " revenue"),
    ),
    Element(
        "SOC-INT", "SOC", T("Interaksi masyarakat", "Community interaction"),
        T("kanal pengaduan SP4N-LAPOR!, media sosial pemerintah, forum warga daring",
          "SP4N-LAPOR! complaint channel, government social media, online citizen forums"),
        T("aduan yang ditindaklanjuti, waktu tanggap aduan, partisipasi warga",
          "complaints followed up, complaint response time, citizen participation"),
    ),
    Element(
        "SOC-LRN", "SOC", T("Ekosistem belajar", "Learning ecosystem"),
        T("perpustakaan digital, sekolah berbasis TIK, pelatihan literasi digital warga",
          "digital library, ICT-based schools, digital literacy training for residents"),
        T("rata-rata lama sekolah, indeks literasi digital, jumlah warga terlatih",
          "mean years of schooling, digital literacy index, residents trained"),
    ),
    Element(
        "SOC-SEC", "SOC", T("Keamanan masyarakat", "Community security"),
        T("CCTV kota, layanan darurat 112, sistem peringatan dini bencana",
          "city CCTV, 112 emergency service, disaster early warning"),
        T("waktu tanggap darurat, angka kriminalitas, korban bencana",
          "emergency response time, crime rate, disaster casualties"),
    ),
    Element(
        "LIV-HRM", "LIV", T("Harmonisasi tata ruang wilayah", "Harmonious spatial planning"),
        T("RDTR digital, sistem informasi tata ruang, persetujuan bangunan gedung daring",
          "digital detailed spatial plan, spatial information system, online building approval"),
        T("kesesuaian pemanfaatan ruang, luas permukiman kumuh, waktu layanan PBG",
          "land use compliance, slum area, building approval service time"),
    ),
    Element(
        "LIV-HLT", "LIV", T("Kesehatan", "Health"),
        T("rekam medis elektronik, antrean daring puskesmas, telemedisin",
          "electronic medical records, online health-centre queues, telemedicine"),
        T("angka kematian ibu dan bayi, prevalensi stunting, waktu tunggu layanan",
          "maternal and infant mortality, stunting prevalence, waiting time"),
    ),
    Element(
        "LIV-TRN", "LIV", T("Transportasi", "Transportation"),
        T("pengendalian lalu lintas terpadu (ATCS), angkutan umum dengan pembayaran nontunai,"
          " informasi lalu lintas waktu nyata",
          "area traffic control system (ATCS), public transport with cashless payment, real-time"
          " traffic information"),
        T("waktu tempuh rata-rata, penumpang angkutan umum, angka kecelakaan",
          "average travel time, public transport ridership, accident rate"),
    ),
    Element(
        "ENV-PRT", "ENV", T("Proteksi lingkungan", "Environmental protection"),
        T("pemantauan kualitas udara dan air, ruang terbuka hijau, pengendalian banjir",
          "air and water quality monitoring, green open space, flood control"),
        T("indeks kualitas lingkungan hidup, luas ruang terbuka hijau, kejadian banjir",
          "environmental quality index, green open space area, flood events"),
    ),
    Element(
        "ENV-WST", "ENV", T("Tata kelola sampah dan limbah", "Waste management"),
        T("bank sampah digital, pemantauan armada sampah, pengelolaan limbah B3",
          "digital waste banks, waste fleet tracking, hazardous waste management"),
        T("persentase sampah terkelola, sampah yang tidak masuk TPA, cakupan layanan persampahan",
          "share of waste managed, waste diverted from landfill, waste service coverage"),
    ),
    Element(
        "ENV-NRG", "ENV", T("Tata kelola energi", "Energy management"),
        T("penerangan jalan umum cerdas dan hemat energi, panel surya gedung pemerintah,"
          " pemantauan konsumsi energi",
          "smart energy-saving street lighting, solar panels on government buildings, energy"
          " monitoring"),
        T("konsumsi energi gedung pemerintah, porsi energi terbarukan, rasio elektrifikasi",
          "government building energy use, renewable energy share, electrification ratio"),
    ),
]  # fmt: skip

# Rubric and evidence for levels 1..5 of each item type; {x} is the element or dimension name.
Levels = list[tuple[T, T]]

BASELINE: Levels = [
    (T("Belum ada data kondisi awal {x} yang terdokumentasi.",
       "No baseline data on {x} is documented."),
     T("Pernyataan bahwa data belum tersedia dan daftar data yang dibutuhkan.",
       "A statement that data is not yet available and a list of the data needed.")),
    (T("Data kondisi awal {x} tersedia sebagian dan belum diperbarui secara berkala.",
       "Baseline data on {x} is partly available and not updated regularly."),
     T("Tabel data awal dari OPD terkait beserta sumber dan tahunnya.",
       "Baseline tables from the agencies concerned, with source and year.")),
    (T("Data kondisi awal {x} lengkap (struktur, infrastruktur, suprastruktur) dan menjadi"
       " acuan masterplan.",
       "Baseline data on {x} is complete (structure, infrastructure, superstructure) and the"
       " masterplan builds on it."),
     T("Analisis kondisi awal dalam masterplan; data sektoral di portal Satu Data daerah.",
       "The baseline analysis in the masterplan; sector data on the regional One Data portal.")),
    (T("Data diperbarui setiap tahun dan menunjukkan peningkatan pada sebagian ukuran {x}"
       " dibanding evaluasi sebelumnya.",
       "Data is updated every year and shows improvement in some measures of {x} over the"
       " previous evaluation."),
     T("Perbandingan data tahun berjalan dengan tahun evaluasi sebelumnya, disahkan OPD pengampu.",
       "Current figures compared with those of the previous evaluation, signed off by the lead"
       " agency.")),
    (T("Data diperbarui setiap tahun, terbuka bagi publik, dan menunjukkan peningkatan"
       " berkelanjutan pada sebagian besar ukuran {x}.",
       "Data is updated every year, open to the public, and shows sustained improvement in most"
       " measures of {x}."),
     T("Dataset terbuka di portal data daerah dengan tren minimal dua tahun.",
       "Open datasets on the regional data portal with a trend of at least two years.")),
]  # fmt: skip

OUTPUT: Levels = [
    (T("Belum ada regulasi, penanggung jawab, maupun anggaran untuk program {x} dalam"
       " masterplan.",
       "There is no regulation, responsible agency or budget for the {x} programs of the"
       " masterplan."),
     T("Daftar program {x} dalam masterplan.", "The list of {x} programs in the masterplan.")),
    (T("Rancangan regulasi atau kebijakan program {x} disusun dan OPD penanggung jawab ditunjuk;"
       " anggaran belum dialokasikan.",
       "A draft regulation or policy for the {x} programs exists and a responsible agency is"
       " appointed; no budget is allocated yet."),
     T("Rancangan peraturan atau keputusan; surat penunjukan OPD; notulen rapat Tim Pelaksana.",
       "Draft regulation or decree; letter appointing the agency; minutes of the implementation"
       " team.")),
    (T("Regulasi atau kebijakan program {x} ditetapkan dan anggaran dialokasikan dalam APBD"
       " untuk sebagian program.",
       "A regulation or policy for the {x} programs is enacted and the regional budget funds some"
       " of the programs."),
     T("Peraturan atau keputusan kepala daerah yang ditetapkan (bernomor dan ditandatangani);"
       " kutipan DPA/APBD.",
       "The enacted regulation or decree (numbered and signed); budget document excerpts.")),
    (T("Regulasi, kelembagaan dan anggaran mencakup seluruh program {x} dalam masterplan dan"
       " anggaran terealisasi sesuai rencana.",
       "Regulation, institutions and budget cover every {x} program of the masterplan and the"
       " budget is spent as planned."),
     T("Matriks program, regulasi dan anggaran; laporan realisasi anggaran.",
       "A matrix of programs, regulations and budget lines; budget realisation report.")),
    (T("Regulasi dan kelembagaan ditinjau berkala; pendanaan program {x} beragam (APBD, APBN,"
       " CSR, KPBU) dan berkelanjutan.",
       "Regulation and institutions are reviewed periodically; funding of the {x} programs is"
       " diverse (regional and national budget, CSR, PPP) and sustained."),
     T("Hasil reviu regulasi; perjanjian kerja sama atau CSR; rencana pendanaan multi-tahun.",
       "Regulation review results; cooperation or CSR agreements; a multi-year funding plan.")),
]  # fmt: skip

OUTCOME: Levels = [
    (T("Program {x} dalam masterplan belum dilaksanakan.",
       "The {x} programs of the masterplan have not started."),
     T("Daftar program dengan status pelaksanaannya.", "The program list with each status.")),
    (T("Sebagian program {x} mulai dilaksanakan secara terpisah oleh masing-masing OPD.",
       "Some {x} programs have started, each agency on its own."),
     T("Laporan kegiatan OPD; tangkapan layar atau foto layanan yang berjalan.",
       "Agency activity reports; screenshots or photos of running services.")),
    (T("Sebagian besar program {x} berjalan sesuai rencana dan jadwal masterplan dengan OPD"
       " pengampu yang jelas.",
       "Most {x} programs run to the masterplan's plan and schedule, each with a clear lead"
       " agency."),
     T("Laporan kemajuan program terhadap target masterplan; keputusan pembentukan Tim"
       " Pelaksana.",
       "Progress reports against masterplan targets; the decree forming the implementation"
       " team.")),
    (T("Program {x} berjalan terpadu lintas OPD, dipantau berkala oleh Tim Pelaksana, dan datanya"
       " saling terhubung.",
       "The {x} programs run jointly across agencies, are monitored regularly by the"
       " implementation team, and share their data."),
     T("Laporan pemantauan berkala; dasbor atau sistem terintegrasi; notulen koordinasi lintas"
       " OPD.",
       "Regular monitoring reports; an integrated dashboard or system; minutes of cross-agency"
       " coordination.")),
    (T("Seluruh program {x} berjalan, dievaluasi, dan diperbaiki berdasarkan hasil evaluasi.",
       "Every {x} program runs, is evaluated, and is improved on the evaluation's findings."),
     T("Laporan evaluasi dan tindak lanjutnya; dokumentasi replikasi atau penghargaan.",
       "Evaluation reports and follow-up; records of replication or awards.")),
]  # fmt: skip

IMPACT: Levels = [
    (T("Belum ada bukti manfaat program {x} bagi masyarakat.",
       "There is no evidence that the {x} programs benefit citizens."),
     T("Catatan asesor bahwa data manfaat belum ada.",
       "An assessor's note that benefit data is missing.")),
    (T("Manfaat dirasakan sebagian kecil masyarakat, dibuktikan dengan testimoni atau data"
       " anekdotal.",
       "A small part of the public feels a benefit, shown by testimonials or anecdotal data."),
     T("Testimoni warga, liputan media, dokumentasi kegiatan.",
       "Residents' testimonials, media coverage, activity records.")),
    (T("Manfaat program {x} terukur pada kelompok sasaran melalui data pengguna atau penerima"
       " manfaat.",
       "The benefit of the {x} programs is measured for their target group through user or"
       " beneficiary data."),
     T("Data jumlah pengguna atau penerima manfaat; laporan capaian indikator kinerja.",
       "User or beneficiary counts; performance indicator reports.")),
    (T("Manfaat terukur meningkat dibanding tahun sebelumnya dan dinilai baik dalam survei"
       " kepuasan masyarakat.",
       "The measured benefit grows over the previous year and residents rate it well in"
       " satisfaction surveys."),
     T("Hasil survei kepuasan masyarakat atau survei dampak; data tren.",
       "Community satisfaction or impact survey results; trend data.")),
    (T("Manfaat luas dan berkelanjutan, tampak pada indikator makro daerah terkait {x}, dengan"
       " keterlibatan aktif masyarakat.",
       "The benefit is broad and lasting, visible in the region's headline indicators for {x},"
       " with residents actively involved."),
     T("Indikator makro (BPS, RPJMD); kajian independen; pengakuan pihak luar.",
       "Headline indicators (statistics office, medium-term plan); independent studies; outside"
       " recognition.")),
]  # fmt: skip

QUICK_WIN: Levels = [
    (T("Quick win {x} belum ditetapkan atau belum dimulai.",
       "No {x} quick win has been chosen or started."),
     T("Daftar quick win dalam masterplan.", "The list of quick wins in the masterplan.")),
    (T("Quick win {x} ditetapkan dan mulai dilaksanakan, tetapi masih meniru solusi yang ada tanpa"
       " penyesuaian lokal.",
       "A {x} quick win is chosen and has started, but copies an existing solution without local"
       " adaptation."),
     T("Dokumen penetapan quick win; laporan awal pelaksanaan.",
       "The document choosing the quick win; an early implementation report.")),
    (T("Quick win {x} berjalan dan menjawab masalah lokal yang jelas, dengan pengguna nyata.",
       "The {x} quick win runs and answers a clear local problem, with real users."),
     T("Profil inovasi (masalah, solusi, pengguna); data pemanfaatan.",
       "An innovation profile (problem, solution, users); usage data.")),
    (T("Quick win {x} memberi hasil cepat yang terukur dan melibatkan kolaborasi lintas OPD atau"
       " pentahelix.",
       "The {x} quick win delivers fast, measured results through collaboration across agencies"
       " or with outside partners (pentahelix)."),
     T("Data sebelum dan sesudah; perjanjian kerja sama; dokumentasi kolaborasi.",
       "Before-and-after data; cooperation agreements; records of the collaboration.")),
    (T("Quick win {x} berkelanjutan, dilembagakan dalam regulasi atau anggaran rutin, dan"
       " direplikasi atau diakui secara nasional.",
       "The {x} quick win lasts, is institutionalised in regulation or the regular budget, and is"
       " replicated or recognised nationally."),
     T("Regulasi pelembagaan; bukti replikasi; penghargaan.",
       "Institutionalising regulation; evidence of replication; awards.")),
]  # fmt: skip
