"""Every blueprint of the app, registered by create_app in this order."""
from registry import (activities, appointments, auth, commendations, dashboard, disciplines,
                      exports_views, imports_views, lists, payments, reports, roster,
                      settings_page, training, units)

BLUEPRINTS = (auth.bp, dashboard.bp, roster.bp, appointments.bp, units.bp, training.bp,
              payments.bp, commendations.bp, disciplines.bp, activities.bp, settings_page.bp,
              imports_views.bp, exports_views.bp, lists.bp, reports.bp)
