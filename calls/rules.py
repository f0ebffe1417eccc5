"""Who may do what with calls."""

import rules

from fundportal.rules import is_administrator

rules.add_perm("calls.manage_calls", is_administrator)
