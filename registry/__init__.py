"""Web layer of the registry: blueprints, scoping, services, forms and CLI."""
