"""Who is qualified: THE eligibility function (training, discipline, age, the standards per role
and level) that the roster, the lists, the dashboard, training and the reports share."""
