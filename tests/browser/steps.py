"""Steps the browser stories share: signing in at a width, measuring a page, answering confirmations."""

from tests.factories import PASSWORD


def signed_in(page, live_server, log_in, person, path, width=1280):
    """``person`` signed in through the real login page, in English, on ``path`` at ``width`` pixels."""
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, person.email, PASSWORD, next_path=path)
    page.wait_for_url(f"**{path}")


def page_width(page):
    """How wide the page is laid out: wider than the window means it scrolls sideways."""
    return page.evaluate("() => document.documentElement.scrollWidth")


def answering(page, answer):
    """Answer every confirmation on ``page`` with ``answer[0]`` (True: OK); returns the list of questions asked."""
    asked = []

    def respond(dialog):
        asked.append(dialog.message)
        dialog.accept() if answer[0] else dialog.dismiss()

    page.on("dialog", respond)
    return asked


def confirm_it_is_you(page, password=PASSWORD):
    """Before a sensitive action the portal asks the person to confirm it is them: the password, then back."""
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.locator("input[name=password]").fill(password)
    page.locator("form[action^='/accounts/reauthenticate/'] button[type=submit]").click()
    page.wait_for_load_state()
