"""What the core tells the apps, so that it never has to know them."""

from django.dispatch import Signal

# Sent by ``membership_revoke`` inside its transaction, with the membership locked and not yet deleted, as
# ``membership=``. A receiver ends what the role gave access to; anything it raises undoes the whole revocation.
membership_revoked = Signal()
