"""Security events that org sends and the audit app records as access log rows with no
client (tillit/audit/events.py): org sits below audit and does not import it.

`security_event.send(sender, action=..., user=..., request=None, by=None, detail={})`:
`action` is one of audit's (mfa_change, session_end, role_change), `user` the account it
is about, `by` whoever did it when that is someone else (an administrator). A lift of a
lockout (lockout_lift) is the act of whoever lifts it: `user` is they, and the account is
in `detail`. Failed logins, lockouts and logouts come through Django's and axes' own
signals. Never a password.
"""

from django.dispatch import Signal

security_event = Signal()
