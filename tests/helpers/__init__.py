"""What several test modules share that is not a fixture: event builders, the moto account, runners of the
functions. Fixtures are in tests/conftest.py, sample data in tests/samples.py."""
