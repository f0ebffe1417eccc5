"""What the assessment does when the core tells it something (fundportal.signals); connected in ReviewConfig.ready."""

from fundportal.models import Role
from review.services import assignments_close_open


def close_assignments_of_removed_panel_member(sender, membership, **kwargs):
    """A panel member whose role is taken away: their open assignments close, so the applications go back to be
    assigned to someone else; the reviews they submitted while they held the role stay."""
    if membership.role == Role.PANEL_MEMBER:
        assignments_close_open(reviewer=membership.user)
