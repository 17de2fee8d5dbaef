"""The #ItsOurCare coalition dashboard: contract, validation, merge and figures."""
