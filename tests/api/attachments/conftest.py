from tests.attachments.conftest import folks  # noqa: F401  (the attachments' world)
