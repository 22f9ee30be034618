"""The walks of issue #12 in both languages: a person switches through the header's language
switch (as a user does), and in English no Indonesian word of the interface stays on the page.

`LANGUAGES` parametrises a walk; `say(lang, indonesian, english)` picks the text a walk expects;
`sign_in` opens a person's own browser context (desktop or phone), logs in and switches.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, ViewportSize, expect

LANGUAGES = ("id", "en")

# Words of the interface (buttons, headings, navigation, states), matched as whole words with
# their case. None of them is in the data the walks type or the test world holds (region and OPD
# names, narratives), so a hit is an interface string left in Indonesian.
INDONESIAN_UI_WORDS = (
    "Simpan",
    "Kirim",
    "Batal",
    "Daerah",
    "Diskusi",
    "Keluar",
    "Bantuan",
    "Beranda",
    "Evaluasi",
    "Notifikasi",
    "Profil",
    "Pustaka",
    "Unduh",
    "Tambah",
    "Hapus",
    "Cari",
    "Tutup",
    "Kembali",
    "Kunjungan",
    "Undangan",
    "Kehadiran",
    "Notulen",
    "Tindakan",
    "Utas",
    "Pesan",
    "Butir",
    "Tingkat",
    "Pertanyaan",
    "Jawaban",
    "Lampiran",
    "Lampirkan",
    "Hadir",
    "Tandai",
    "Selesai",
    "Bagikan",
    "Tampilkan",
    "Terapkan",
    "Semua",
    "Belum",
    "Sudah",
    "Tanggal",
    "Tempat",
    "Judul",
    "Agenda hari",
    "Perangkat daerah",
    "belum dibaca",
    "dibagikan",
    "terbuka",
    "ditutup",
    "tanpa",
    "atau",
    "dan",
    "yang",
)
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(word) for word in INDONESIAN_UI_WORDS) + r")\b")


def say(lang: str, indonesian: str, english: str) -> str:
    return english if lang == "en" else indonesian


def switch(page: Page, lang: str) -> None:
    """Change the language through the header's switch (a no-op for Indonesian, the default)."""
    if lang == "id":
        return
    page.select_option("#lang-select", lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)


DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)


def sign_in(
    browser: Browser,
    base: str,
    username: str,
    lang: str,
    *,
    password: str,
    phone: bool = False,
    timeout_ms: int = 60_000,
    accept_dialogs: bool = False,
) -> Page:
    """A person's own context (desktop, or a touch phone), signed in through the login form and
    switched to `lang` through the header."""
    context = browser.new_context(
        locale="id-ID", viewport=PHONE if phone else DESKTOP, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    expect(page.locator("header form[action$='/logout/']")).to_be_visible()
    switch(page, lang)
    return page


def indonesian_words(page: Page, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """Interface words in Indonesian on the page as a person sees it (the visible text, the
    options of its selects, the labels of its buttons); `allowed` text (data the test world
    holds in Indonesian, e.g. an OPD's name) is taken out first."""
    text = page.evaluate(
        """() => [document.body.innerText,
                  ...[...document.querySelectorAll('option, [placeholder], [aria-label], [title]')]
                    .map(e => [e.textContent, e.getAttribute('placeholder'),
                               e.getAttribute('aria-label'), e.getAttribute('title')]
                    .filter(Boolean).join(' '))].join('\\n')"""
    )
    for data in allowed:
        text = text.replace(data, " ")
    return sorted(set(_PATTERN.findall(text)))


def assert_in_language(page: Page, lang: str, *, allowed: tuple[str, ...] = ()) -> None:
    """In English, no Indonesian interface word remains on the page."""
    if lang != "en":
        return
    expect(page.locator("html")).to_have_attribute("lang", "en")
    found = indonesian_words(page, allowed=allowed)
    assert found == [], f"{page.url}: Indonesian left in English: {found}"
