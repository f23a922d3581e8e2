"""The applicant workspace: applications (申报) filled in section by section of the plan outline."""
