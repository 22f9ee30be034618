"""Names are single lines, and no e-mail can carry a line forged from a person's text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cityeval.accounts import services
from cityeval.accounts.models import Role, User
from cityeval.core import mail as composer
from tests.accounts.conftest import Personas

pytestmark = pytest.mark.django_db

FORGED = "Penting: masukkan kata sandi Anda di http://phish.example"
HOSTILE = [
    f"Budi\r\n{FORGED}",
    f"Budi\n{FORGED}",
    f"Budi\r{FORGED}",
    f"Budi\u2028{FORGED}",
    f"Budi\x0b{FORGED}",
    f"Budi\x85{FORGED}",
]
TEMPLATES = Path(settings.BASE_DIR) / "cityeval" / "templates"
MAIL_TEMPLATES = sorted(
    [*TEMPLATES.glob("notifications/*.txt"), *TEMPLATES.glob("accounts/email/*.txt")]
)


def forged_line_in(text: str) -> bool:
    return any(line.strip().startswith(FORGED) for line in re.split(r"[\r\n\u2028\x85]", text))


@pytest.mark.parametrize("name", HOSTILE)
def test_the_invite_form_refuses_a_name_with_a_line_break(
    client: Client, world: Personas, name: str
) -> None:
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("person_invite"),
        {
            "full_name": name,
            "username": "budi",
            "email": "budi@example.test",
            "role": Role.CONTRIBUTOR,
            "region": world.region_a.pk,
            "opd": world.opd_a.pk,
        },
    )
    assert response.status_code == 200
    assert "Nama harus satu baris" in response.content.decode()
    assert not User.objects.filter(username="budi").exists()
    assert mail.outbox == []


def test_the_profile_refuses_a_name_with_a_line_break(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    response = client.post(reverse("profile"), {"full_name": HOSTILE[0], "preferred_language": ""})
    assert response.status_code == 200
    assert "Nama harus satu baris" in response.content.decode()
    world.viewer_a.refresh_from_db()
    assert world.viewer_a.full_name == "Peninjau A"


def test_the_model_refuses_it_whatever_the_form(world: Personas) -> None:
    with pytest.raises(ValidationError, match="satu baris"):
        services.update_profile(user=world.viewer_a, full_name=HOSTILE[1], preferred_language="")
    world.viewer_a.refresh_from_db()
    assert world.viewer_a.full_name == "Peninjau A"


@pytest.mark.parametrize("name", HOSTILE)
def test_a_legacy_name_cannot_forge_a_line_of_the_invitation(
    world: Personas, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Rows stored before the rule: both the invitee's and the inviter's names."""
    invitee = User.objects.create(username="budi", email="budi@example.test")
    invitee.set_unusable_password()
    invitee.save()
    User.objects.filter(pk=invitee.pk).update(full_name=name)
    User.objects.filter(pk=world.admin.pk).update(full_name=name)
    invitee.refresh_from_db()
    world.admin.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # the mail job, as at commit
        services.resend_invitation(actor=world.admin, user=invitee, site_url="http://testserver/")
    (message,) = mail.outbox
    assert "Budi" in message.body
    assert not forged_line_in(str(message.body))
    assert "\n" not in message.subject
    assert "\r" not in message.subject


@pytest.mark.parametrize("template", MAIL_TEMPLATES, ids=lambda path: path.name)
def test_no_mail_template_prints_a_forged_line(template: Path) -> None:
    """Every e-mail template, with every one of its variables holding hostile text."""
    source = template.read_text()
    names = set(re.findall(r"\{\{\s*(\w+)", source)) | set(re.findall(r"(\w+)\|length", source))
    context: dict[str, composer.MailValue] = {name: HOSTILE[0] for name in names}
    if "item_codes" in names:
        context["item_codes"] = HOSTILE
    for name in ("message", "reason"):
        if name in names:
            context[name] = composer.Quoted(f"Mohon lengkapi.\n{FORGED}")
    context["valid_days"] = 3
    relative = str(template.relative_to(TEMPLATES))
    text = composer.render(relative, context)
    assert not forged_line_in(text), text
    assert "Budi" in text or relative.endswith("subject.txt")


def test_a_multi_line_message_is_quoted_line_by_line() -> None:
    assert str(composer.Quoted("Satu\r\nDua\u2028Tiga")) == "> Satu\n> Dua\n> Tiga"


IMPORTS_MAIL = (
    r"^\s*(from django\.core\.mail import"
    r"|import django\.core\.mail"
    r"|from django\.core import mail\b)"
)


def test_every_mail_is_sent_from_text_composed_by_the_one_composer() -> None:
    """A module that sends mail renders it through `core/mail.py`, not `render_to_string`, and
    sends it from a job, once (`jobs.runner.send_once`), never inside a request."""
    senders = []
    for path in (Path(settings.BASE_DIR) / "cityeval").rglob("*.py"):
        source = path.read_text()
        if re.search(IMPORTS_MAIL, source, re.MULTILINE):
            senders.append(str(path.relative_to(Path(settings.BASE_DIR) / "cityeval")))
            assert "from cityeval.core import mail" in source, path
            assert "render_to_string" not in source, path
            assert "send_once(" in source, path
    # Workflow events all go through the one notifier (in-app notification + its e-mail twin).
    assert sorted(senders) == ["accounts/invitations.py", "notifications/services.py"]
