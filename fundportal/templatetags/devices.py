"""A browser's user-agent string as a person reads it: "Firefox 133 on Windows"."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# The first that matches names the browser: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = [("Edge", r"Edg(?:e|A|iOS)?/(\d+)"), ("Opera", r"OPR/(\d+)"), ("Samsung Internet", r"SamsungBrowser/(\d+)"),
            ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"), ("Chrome", r"(?:Chrome|CriOS|Chromium)/(\d+)"),
            ("Safari", r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")]
SYSTEMS = [("iPhone", r"iPhone"), ("iPad", r"iPad"), ("Android", r"Android"), ("ChromeOS", r"CrOS"),
           ("Windows", r"Windows"), ("macOS", r"Mac OS X|Macintosh"), ("Linux", r"Linux|X11")]


@register.filter
def device(user_agent):
    browser = next((f"{name} {match.group(1)}" for name, pattern in BROWSERS
                    if (match := re.search(pattern, user_agent or ""))), None)
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent or "")), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("An unknown browser")
