"""Every blueprint of the app, registered by create_app in this order."""
from registry import appointments, auth, dashboard, roster, units

BLUEPRINTS = (auth.bp, dashboard.bp, roster.bp, appointments.bp, units.bp)
