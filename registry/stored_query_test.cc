// ITI-18 Registry Stored Query tests.
