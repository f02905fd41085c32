"""The kernel every feature uses: scoping, audit, commit helpers, errors, rules, config, security,
dates, templating."""
