"""The audit trail in the browser: who changed what, when and from where, scoped to the actor."""
