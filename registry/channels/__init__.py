"""Online channels of the team and the activity on them."""
