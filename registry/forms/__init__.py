"""WTForms forms (CSRF by Flask-WTF), one module per area."""
