"""Every sign-in page (allauth's) reads right in Swedish and Norwegian: allauth's own catalogues had the login page say
"Already have an account? Then sign in" with the link to the sign-up page, and left Django's new password message in
English; the project's catalogue corrects them.

NOTE FOR THE COORDINATOR: this test passes only once /work/notes/translations-accounts.po is merged into locale/ and
compiled (it asserts the corrected wording).
"""

import html
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The page (a name for the failure message), the phrases it must show, per language.
EXPECTED = {
    "sv": {
        "login": ["Logga in", "Har du inget konto än?", "Glömt lösenordet?"],
        "signup": ["Skapa konto", "Har du redan ett konto?"],
        "password reset": ["Ange din e-postadress nedan"],
        "password reset done": ["Vi har skickat ett e-postmeddelande till dig."],
        "set password from key": ["Nytt lösenord (igen)"],
        "set password from key, refused": ["Det här lösenordet är för kort. Det måste innehålla minst 8 tecken."],
        "set password from a used key": ["Ogiltig länk", "ny återställning av lösenordet"],
        "email verification sent": ["Bekräfta din e-postadress", "Vi har skickat ett e-postmeddelande till dig"],
        "confirm email": ["Bekräfta e-postadress", "är en e-postadress för"],
        "confirm email, expired": ["har gått ut eller är ogiltig"],
        "logout": ["Är du säker på att du vill logga ut?"],
        "email management": ["E-postadresser", "Följande e-postadresser är kopplade till ditt konto:",
                             "Lägg till e-postadress"],
        "password change": ["Ändra lösenord", "Nuvarande lösenord"],
        "sign in refused": ["E-postadressen och/eller lösenordet är felaktigt."],
    },
    "nb": {
        "login": ["Logg inn", "Har du ikke en konto ennå?"],
        "signup": ["Registrer deg", "Har du allerede en konto?"],
        "password reset": ["Skriv inn e-postadressen din"],
        "password reset done": ["Vi har sendt deg en e-post."],
        "set password from key": ["Nytt passord (igjen)"],
        "set password from key, refused": ["Passordet er for kort. Det må bestå av minst 8 tegn."],
        "set password from a used key": ["Ugyldig lenke", "ny tilbakestilling av passordet"],
        "email verification sent": ["Bekreft e-postadressen din", "Vi har sendt deg en e-post"],
        "confirm email": ["Bekreft e-postadresse", "er en e-postadresse for"],
        "confirm email, expired": ["er utløpt eller ugyldig"],
        "logout": ["Er du sikker på at du vil logge ut?"],
        "email management": ["E-postadresser", "Følgende e-postadresser er knyttet til kontoen din:",
                             "Legg til e-postadresse"],
        "password change": ["Endre passord", "Nåværende passord"],
        "sign in refused": ["E-postadressen og/eller passordet du oppga er feil."],
    },
}
NOT_TRANSLATED = ["This password is too short", "verification.", "Sign In", "Email Addresses", "Bad Token"]


def readable(response):
    """The page's main text, tags kept, whitespace collapsed."""
    page = response.content.decode()
    main = re.search(r"(?s)<main.*?</main>", page).group(0)
    return html.unescape(" ".join(main.split()))


def pages(language):
    """Each allauth page the portal uses, as its visitor sees it: {name: main text}."""
    def browser(user=None):
        client = Client()
        client.cookies["django_language"] = language
        if user:
            client.force_login(user)
        return client

    anonymous, member = browser(), UserFactory(email="kari@example.no")
    reset_key = reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(member), "key": default_token_generator.make_token(member)})
    set_password = anonymous.get(reset_key, follow=True)
    refused = anonymous.post(set_password.redirect_chain[-1][0], {"password1": "kort", "password2": "kort"})
    unverified = UserFactory(email="ola@example.no")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(user=unverified))
    signed_in = browser(member)
    return {
        "login": anonymous.get(reverse("account_login")),
        "signup": anonymous.get(reverse("account_signup")),
        "password reset": anonymous.get(reverse("account_reset_password")),
        "password reset done": anonymous.get(reverse("account_reset_password_done")),
        "set password from key": set_password,
        "set password from key, refused": refused,
        "set password from a used key": browser().get(reset_key.replace(reset_key.split("/")[-2], "1-used"), follow=True),
        "email verification sent": anonymous.get(reverse("account_email_verification_sent")),
        "confirm email": anonymous.get(reverse("account_confirm_email", args=[confirmation.key])),
        "confirm email, expired": anonymous.get(reverse("account_confirm_email", args=["expired"])),
        "logout": signed_in.get(reverse("account_logout")),
        "email management": signed_in.get(reverse("account_email")),
        "password change": signed_in.get(reverse("account_change_password")),
        "sign in refused": browser().post(reverse("account_login"), {"login": member.email, "password": "fel"}),
    }


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_sign_in_page_reads_right_in_swedish_and_norwegian(language):
    rendered = {name: readable(response) for name, response in pages(language).items()}
    for name, phrases in EXPECTED[language].items():
        for phrase in phrases:
            assert phrase in rendered[name], f"{name} ({language}) lacks {phrase!r}: {rendered[name][:600]}"
        for english in NOT_TRANSLATED:
            assert english not in rendered[name], f"{name} ({language}) shows English {english!r}"


@pytest.mark.parametrize(("language", "sentence", "link"), [
    ("sv", "Har du inget konto än?", "Skapa ett konto"),
    ("nb", "Har du ikke en konto ennå?", "Opprett en konto"),
])
def test_the_login_page_sends_newcomers_to_the_sign_up_page(language, sentence, link):
    client = Client()
    client.cookies["django_language"] = language
    text = readable(client.get(reverse("account_login")))
    found = re.search(re.escape(sentence) + r' <a href="([^"]+)"> ?' + re.escape(link) + " ?</a>", text)
    assert found, text[:600]
    assert found.group(1).split("?")[0] == reverse("account_signup")
