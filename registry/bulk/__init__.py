"""One decision for many people: selected in the roster, previewed, then applied to each."""
