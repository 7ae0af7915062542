"""Errors a user can cause. Each message says what to do; the CLI boundary prints it as one line, exit 2."""


class TfprepError(Exception):
    """Base of every error the user can fix. The message is shown as is."""

    exit_code = 2


class NotFoundError(TfprepError):
    """A drill, bank, round or session that does not exist."""


class BankError(TfprepError):
    """A question bank that cannot be read."""


class StoreError(TfprepError):
    """The review database cannot be opened or is not ours."""


class SubmissionError(TfprepError):
    """A submission file that cannot be found or read."""


class HomeError(TfprepError):
    """TFPREP_HOME cannot be used: not a folder, cannot be created, read-only."""
